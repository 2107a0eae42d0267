/// <reference lib="webworker" />
/** The decode worker: captures are decoded and simulations run here, off the page's main thread, with progress reports. */
import { openFiles, type CaptureDecoder } from './open-files.ts';
import type { FromWorker, ToWorker } from './protocol.ts';
import { SshlensError } from '../../engine/errors.ts';
import { decodeWithEngine } from './engine-decoder.ts';
import { simulate } from '../../engine/simulate/index.ts';
import { SIMULATIONS } from '../simulations.ts';

const decodeCapture: CaptureDecoder = decodeWithEngine;

const post = (message: FromWorker) => (self as unknown as DedicatedWorkerGlobalScope).postMessage(message);

self.onmessage = async (event: MessageEvent<ToWorker>) => {
  const started = performance.now();
  const request = event.data;
  try {
    if (request.type === 'simulate') {
      const preset = SIMULATIONS.find((s) => s.id === request.simulation);
      if (!preset) throw new SshlensError('no-simulation', `There is no simulation named "${request.simulation}".`);
      post({ type: 'progress', fraction: 0.1, note: `running ${preset.title}` });
      const result = simulate(preset.scenario, request.seed);
      post({ type: 'trace', trace: result.trace, steps: result.steps.map((step) => step.trace), millis: performance.now() - started });
      return;
    }
    const trace = await openFiles(request.files, decodeCapture, (fraction, note) => post({ type: 'progress', fraction, note }));
    post({ type: 'trace', trace, millis: performance.now() - started });
  } catch (error) {
    const message = error instanceof SshlensError ? error.message : `sshlens could not open these files: ${(error as Error).message}`;
    post({ type: 'error', message });
  }
};
