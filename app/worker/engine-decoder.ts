/**
 * The engine's capture decoder behind the worker's CaptureDecoder signature: key logs into a KeyStore, then the
 * capture pushed in chunks (small at first, so the first messages are ready at once), with the browser's AES fast
 * path filled between chunks and the live trace handed to `between` after each chunk (the worker streams it).
 */
import { CaptureDecoder } from '../../engine/decoder/capture-decoder.ts';
import { KeyStore } from '../../engine/decoder/key-store.ts';
import type { Trace } from '../../engine/trace/model.ts';
import type { InputFile, Progress } from './open-files.ts';
import { fillBrowserAes, installBrowserAes } from './native-aes.ts';

const FIRST_CHUNK = 64 * 1024;
const CHUNK = 1 << 20;

let aesInstalled: Promise<string | null> | undefined;

export async function decodeWithEngine(capture: InputFile, keyLogs: InputFile[], progress: Progress, between?: (live: Trace) => void): Promise<Trace> {
  aesInstalled ??= installBrowserAes();
  await aesInstalled;
  const keys = new KeyStore();
  for (const log of keyLogs) keys.addFile(new TextDecoder().decode(log.bytes), log.name);
  const bytes = capture.bytes;
  const total = bytes.length || 1;
  const decoder = new CaptureDecoder(keys, { kind: 'capture', name: capture.name, keySources: keyLogs.map((log) => log.name) }, {}, {
    progress: (done) => progress(done / total, `decoded ${done} of ${total} bytes`),
  });
  let size = FIRST_CHUNK;
  for (let at = 0; at < bytes.length;) {
    const end = Math.min(bytes.length, at + size);
    decoder.push(bytes.subarray(at, end));
    at = end;
    size = Math.min(CHUNK, size * 2);
    between?.(decoder.trace);
    await fillBrowserAes();
  }
  const trace = decoder.finish();
  trace.problems.push(...keys.problems);
  return trace;
}
