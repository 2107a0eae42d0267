/**
 * The engine's capture decoder behind the worker's CaptureDecoder signature: key logs into a KeyStore, then the
 * capture pushed in chunks (small at first, so the first messages are ready at once), with the browser's AES fast
 * path filled between chunks and the live trace handed to `between` after each chunk (the worker streams it). A
 * capture given as a Blob is read chunk by chunk, so the whole file is never in memory at once.
 */
import { CaptureDecoder } from '../../engine/decoder/capture-decoder.ts';
import { KeyStore } from '../../engine/decoder/key-store.ts';
import type { Trace } from '../../engine/trace/model.ts';
import type { InputFile, Progress } from './open-files.ts';
import { fillBrowserAes, installBrowserAes } from './native-aes.ts';

const FIRST_CHUNK = 64 * 1024;
/** Later chunks: small enough that a batch after each stays small for the page to receive. */
const CHUNK = 128 * 1024;

let aesInstalled: Promise<string | null> | undefined;

export async function decodeWithEngine(capture: InputFile, keyLogs: InputFile[], progress: Progress, between?: (live: Trace) => void): Promise<Trace> {
  aesInstalled ??= installBrowserAes();
  await aesInstalled;
  const keys = new KeyStore();
  for (const log of keyLogs) keys.addFile(new TextDecoder().decode(log.bytes), log.name);
  const size = capture.blob?.size ?? capture.bytes.length;
  const total = size || 1;
  const decoder = new CaptureDecoder(keys, { kind: 'capture', name: capture.name, keySources: keyLogs.map((log) => log.name) }, {}, {
    progress: (done) => progress(done / total, `decoded ${done} of ${total} bytes`),
  });
  const read = async (start: number, end: number) => (capture.blob && end > capture.bytes.length
    ? new Uint8Array(await capture.blob.slice(start, end).arrayBuffer())
    : capture.bytes.subarray(start, end));
  let chunk = FIRST_CHUNK;
  let next = read(0, Math.min(size, chunk));
  for (let at = 0; at < size;) {
    const end = Math.min(size, at + chunk);
    const bytes = await next;
    chunk = Math.min(CHUNK, chunk * 2);
    // The next chunk is read while this one decodes.
    if (end < size) next = read(end, Math.min(size, end + chunk));
    decoder.push(bytes);
    at = end;
    between?.(decoder.trace);
    await fillBrowserAes();
  }
  const trace = decoder.finish();
  trace.problems.push(...keys.problems);
  return trace;
}
