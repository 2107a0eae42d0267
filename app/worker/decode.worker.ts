/// <reference lib="webworker" />
/** The decode worker: captures are decoded here, off the page's main thread, with progress reports. */
import { openFiles, type CaptureDecoder } from './open-files.ts';
import type { FromWorker, ToWorker } from './protocol.ts';
import { SshlensError } from '../../engine/errors.ts';
import { decodeWithEngine } from './engine-decoder.ts';

const decodeCapture: CaptureDecoder = decodeWithEngine;

const post = (message: FromWorker) => (self as unknown as DedicatedWorkerGlobalScope).postMessage(message);

self.onmessage = async (event: MessageEvent<ToWorker>) => {
  if (event.data.type !== 'open') return;
  const started = performance.now();
  try {
    const trace = await openFiles(event.data.files, decodeCapture, (fraction, note) => post({ type: 'progress', fraction, note }));
    post({ type: 'trace', trace, millis: performance.now() - started });
  } catch (error) {
    const message = error instanceof SshlensError ? error.message : `sshlens could not open these files: ${(error as Error).message}`;
    post({ type: 'error', message });
  }
};
