/** Messages between the page and the decode worker. Files travel as bytes; the trace comes back structured-cloned. */
import type { Trace } from '../../engine/trace/model.ts';
import type { InputFile } from './open-files.ts';

export type ToWorker = { type: 'open'; files: InputFile[] } | { type: 'simulate'; simulation: string; seed: number };

export type FromWorker =
  | { type: 'progress'; fraction: number; note: string }
  | { type: 'trace'; trace: Trace; millis: number; steps?: Trace[] }
  | { type: 'error'; message: string };
