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
import { replayTrace } from './trace-slices.ts';
import { simulate } from '../../engine/simulate/index.ts';
import { SIMULATIONS } from '../simulations.ts';

/** How often a batch goes to the page while a capture decodes... */
const BATCH_MILLIS = 150;
/**
 * ...or sooner, once this many messages wait. A packed packet (lib/packed-packet.ts) costs the page ~10 µs to take
 * in, so a batch is a task of a few ms: on a loaded machine a task's wall time is several times its CPU time, and
 * 1000-packet batches (~15 ms of CPU) became 50-100 ms tasks there.
 */
const BATCH_PACKETS = 250;

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
    if (!streamer) {
      // A trace file arrives whole: it streams to the page in slices all the same, never in one task.
      const total = trace.sessions.reduce((n, session) => n + session.packets.length, 0) || 1;
      let sent = 0;
      replayTrace(trace, (live) => {
        streamer ??= new TraceStreamer(live);
        if (!streamer.hasNews()) return;
        sent += streamer.pendingPackets();
        post({ type: 'batch', batch: streamer.take().batch, fraction: sent / total, note: `read ${sent} of ${total} messages` });
      });
    }
    post({ type: 'done', batch: streamer!.take().batch, millis: performance.now() - started });
  } catch (error) {
    const message = error instanceof SshlensError ? error.message : `sshlens could not open these files: ${(error as Error).message}`;
    post({ type: 'error', message });
  }
};
