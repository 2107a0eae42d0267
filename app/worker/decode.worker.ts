/// <reference lib="webworker" />
/**
 * The decode worker: captures are decoded and simulations run here, off the page's main thread. A capture's trace
 * is posted in batches while it decodes (the first as soon as there is anything to show, then every ~150 ms), each
 * holding only what is new, so neither side ever handles the whole trace in one go.
 */
import { openFiles } from './open-files.ts';
import type { FromWorker, ToWorker } from './protocol.ts';
import { SshlensError } from '../../engine/errors.ts';
import type { Trace } from '../../engine/trace/model.ts';
import { decodeWithEngine } from './engine-decoder.ts';
import { TraceStreamer } from './trace-stream.ts';
import { simulate } from '../../engine/simulate/index.ts';
import { SIMULATIONS } from '../simulations.ts';

/** How often a batch goes to the page while a capture decodes... */
const BATCH_MILLIS = 150;
/** ...or sooner, once this many messages wait: the page must take each batch in well under 100 ms (100 messages took 100-200 ms on a loaded 2-core machine). */
const BATCH_PACKETS = 50;

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
    let streamer: TraceStreamer | undefined;
    let posted = false;
    let lastPost = performance.now();
    let fraction = 0;
    let note = '';
    const between = (live: Trace) => {
      streamer ??= new TraceStreamer(live);
      const now = performance.now();
      if (posted ? now - lastPost < BATCH_MILLIS && streamer.pendingPackets() < BATCH_PACKETS : !streamer.hasNews()) return;
      post({ type: 'batch', batch: streamer.take().batch, fraction, note });
      posted = true;
      lastPost = now;
    };
    const trace = await openFiles(request.files, (capture, keyLogs, progress) => decodeWithEngine(capture, keyLogs, progress, between), (f, n) => {
      fraction = f;
      note = n;
      if (!posted) post({ type: 'progress', fraction, note });
    });
    streamer ??= new TraceStreamer(trace);
    post({ type: 'done', batch: streamer.take().batch, millis: performance.now() - started });
  } catch (error) {
    const message = error instanceof SshlensError ? error.message : `sshlens could not open these files: ${(error as Error).message}`;
    post({ type: 'error', message });
  }
};
