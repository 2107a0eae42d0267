/** The page's side of the decode worker: one worker per open, progress callbacks, the trace or an error back. */
import type { Trace } from '../../engine/trace/model.ts';
import type { InputFile } from './open-files.ts';
import type { FromWorker, ToWorker } from './protocol.ts';

export interface OpenResult {
  trace: Trace;
  millis: number;
  /** For a simulation: the trace after each message. */
  steps?: Trace[];
}

export function decodeInWorker(files: InputFile[], onProgress: (fraction: number, note: string) => void): Promise<OpenResult> {
  return runInWorker({ type: 'open', files }, files.map((file) => file.bytes.buffer as ArrayBuffer), onProgress);
}

export function simulateInWorker(simulation: string, seed: number, onProgress: (fraction: number, note: string) => void): Promise<OpenResult> {
  return runInWorker({ type: 'simulate', simulation, seed }, [], onProgress);
}

function runInWorker(request: ToWorker, transfer: ArrayBuffer[], onProgress: (fraction: number, note: string) => void): Promise<OpenResult> {
  const worker = new Worker(new URL('./decode.worker.ts', import.meta.url), { type: 'module', name: 'sshlens-decoder' });
  return new Promise<OpenResult>((resolve, reject) => {
    worker.onmessage = (event: MessageEvent<FromWorker>) => {
      const message = event.data;
      if (message.type === 'progress') onProgress(message.fraction, message.note);
      else {
        worker.terminate();
        if (message.type === 'trace') resolve({ trace: message.trace, millis: message.millis, steps: message.steps });
        else reject(new Error(message.message));
      }
    };
    worker.onerror = (event) => {
      worker.terminate();
      reject(new Error(`the decoder stopped: ${event.message}`));
    };
    worker.postMessage(request, transfer);
  });
}

export async function readFiles(files: File[]): Promise<InputFile[]> {
  return Promise.all(files.map(async (file) => ({ name: file.name, bytes: new Uint8Array(await file.arrayBuffer()) })));
}
