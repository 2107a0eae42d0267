/**
 * The page's side of the decode worker: one worker per open, progress callbacks, and the trace, which for a capture
 * arrives in batches (the page can show the first messages while the rest decodes) and is assembled here.
 */
import type { Trace } from '../../engine/trace/model.ts';
import { TraceAssembler } from '../lib/trace-assembly.ts';
import type { InputFile } from './open-files.ts';
import type { FromWorker, ToWorker } from './protocol.ts';

export interface OpenResult {
  trace: Trace;
  millis: number;
  /** For a simulation: the trace after each message. */
  steps?: Trace[];
}

export type OnProgress = (fraction: number, note: string) => void;

export interface StreamCallbacks {
  onProgress: OnProgress;
  /** The trace so far, after each batch (a new object each time; unchanged parts keep their identity). */
  onPartial?: (trace: Trace, fraction: number) => void;
}

export interface WorkerJob {
  result: Promise<OpenResult>;
  /** Stops the worker; the result never settles. */
  cancel(): void;
}

/** Decodes files in a worker, reporting the partial trace as it grows. */
export function streamDecodeInWorker(files: InputFile[], callbacks: StreamCallbacks): WorkerJob {
  return runInWorker({ type: 'open', files }, files.map((file) => file.bytes.buffer as ArrayBuffer), callbacks);
}

/** Decodes files in a worker; resolves with the whole trace. */
export function decodeInWorker(files: InputFile[], onProgress: OnProgress): Promise<OpenResult> {
  return streamDecodeInWorker(files, { onProgress }).result;
}

export function simulateInWorker(simulation: string, seed: number, onProgress: OnProgress): Promise<OpenResult> {
  return runInWorker({ type: 'simulate', simulation, seed }, [], { onProgress }).result;
}

const newWorker = () => new Worker(new URL('./decode.worker.ts', import.meta.url), { type: 'module', name: 'sshlens-decoder' });
let spare: Worker | null = null;

/**
 * Starts a worker ahead of need (its script loaded and compiled while the user picks a file); the next open uses it.
 * Each worker serves one open and is then ended.
 */
export function prewarmWorker(): void {
  if (!spare && typeof Worker !== 'undefined') spare = newWorker();
}

function runInWorker(request: ToWorker, transfer: ArrayBuffer[], { onProgress, onPartial }: StreamCallbacks): WorkerJob {
  const worker = spare ?? newWorker();
  spare = null;
  const assembler = new TraceAssembler();
  // Marks on the page's timeline (the benchmark reads them): when the worker was asked, first answered, finished.
  performance.mark('sshlens:worker-asked');
  let answered = false;
  const result = new Promise<OpenResult>((resolve, reject) => {
    worker.onmessage = (event: MessageEvent<FromWorker>) => {
      const message = event.data;
      switch (message.type) {
        case 'progress':
          onProgress(message.fraction, message.note);
          return;
        case 'batch': {
          if (!answered) performance.mark('sshlens:first-batch');
          answered = true;
          const before = assembler.trace;
          const trace = assembler.apply(message.batch);
          onProgress(message.fraction, message.note);
          if (trace !== before) onPartial?.(trace, message.fraction);
          return;
        }
        case 'done':
          performance.mark('sshlens:worker-done');
          worker.terminate();
          resolve({ trace: assembler.apply(message.batch), millis: message.millis });
          return;
        case 'trace':
          worker.terminate();
          resolve({ trace: message.trace, millis: message.millis, steps: message.steps });
          return;
        case 'error':
          worker.terminate();
          reject(new Error(message.message));
      }
    };
    worker.onerror = (event) => {
      worker.terminate();
      reject(new Error(`the decoder stopped: ${event.message}`));
    };
  });
  worker.postMessage(request, transfer);
  return { result, cancel: () => worker.terminate() };
}

export async function readFiles(files: File[]): Promise<InputFile[]> {
  return Promise.all(files.map(async (file) => ({ name: file.name, bytes: new Uint8Array(await file.arrayBuffer()) })));
}

export { describeFiles } from './open-files.ts';
