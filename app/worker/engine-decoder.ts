/**
 * The engine's capture decoder behind the worker's CaptureDecoder signature: key logs into a KeyStore, the capture
 * pushed in chunks so progress can be reported, then the finished trace.
 */
import { CaptureDecoder } from '../../engine/decoder/capture-decoder.ts';
import { KeyStore } from '../../engine/decoder/key-store.ts';
import type { CaptureDecoder as DecodeFn, InputFile } from './open-files.ts';

const CHUNK = 1 << 20;

export const decodeWithEngine: DecodeFn = (capture: InputFile, keyLogs: InputFile[], progress) => {
  const keys = new KeyStore();
  for (const log of keyLogs) keys.addFile(new TextDecoder().decode(log.bytes), log.name);
  const total = capture.bytes.length || 1;
  const decoder = new CaptureDecoder(keys, { kind: 'capture', name: capture.name, keySources: keyLogs.map((log) => log.name) }, {}, {
    progress: (bytes) => progress(bytes / total, `decoded ${bytes} of ${total} bytes`),
  });
  for (let at = 0; at < capture.bytes.length; at += CHUNK) decoder.push(capture.bytes.subarray(at, at + CHUNK));
  return decoder.finish();
};
