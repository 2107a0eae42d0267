/**
 * Runs in Chromium (imported through Vite's dev server by app/e2e/webcrypto-aes.e2e.test.ts and
 * cli/bench/browser-aes-bench.ts): decodes one capture with the noble AES provider and again with the WebCrypto fast
 * path (app/worker/native-aes.ts) pushed in chunks with a fill between them, as the decode worker does, and reports
 * whether the two traces are identical, how long each took, and how many bytes the fast path served.
 */
import { nobleAesProvider, setAesProvider } from '../../engine/crypto/aes-provider.ts';
import { CaptureDecoder } from '../../engine/decoder/capture-decoder.ts';
import { KeyStore } from '../../engine/decoder/key-store.ts';
import { traceToJson } from '../../engine/trace/json.ts';
import type { WebCryptoAesStats } from '../../engine/crypto/webcrypto-aes.ts';
import { browserAesStats, fillBrowserAes, installBrowserAes } from '../worker/native-aes.ts';

export interface PageDecode {
  /** The installed provider's name, or null when WebCrypto was refused. */
  provider: string | null;
  /** The two traces, as JSON with every byte, are the same string. */
  identical: boolean;
  traceChars: number;
  packets: number;
  captureBytes: number;
  /** Best of `rounds` decode times, in milliseconds. */
  nobleMillis: number;
  webCryptoMillis: number;
  /** The fast path's counters over the last WebCrypto decode. */
  stats: WebCryptoAesStats | null;
}

async function decode(capture: Uint8Array, keylog: string, chunk: number, fast: boolean) {
  const keys = new KeyStore();
  keys.addFile(keylog, 'keylog');
  const decoder = new CaptureDecoder(keys, { kind: 'capture', name: 'capture' });
  const before = browserAesStats();
  const start = performance.now();
  for (let at = 0; at < capture.length; at += chunk) {
    decoder.push(capture.subarray(at, at + chunk));
    if (fast) await fillBrowserAes();
  }
  const trace = decoder.finish();
  const millis = performance.now() - start;
  const after = browserAesStats();
  const stats = before && after
    ? Object.fromEntries(Object.entries(after).map(([k, v]) => [k, v - before[k as keyof WebCryptoAesStats]])) as unknown as WebCryptoAesStats
    : null;
  return { trace, millis, stats };
}

/** Fetches a capture and its key log from the dev server, keeps the first `limitBytes`, and decodes it both ways. */
export async function compareDecodes(captureUrl: string, keylogUrl: string, options: { chunk: number; rounds?: number; limitBytes?: number }): Promise<PageDecode> {
  let capture = new Uint8Array(await (await fetch(captureUrl)).arrayBuffer());
  if (options.limitBytes) capture = capture.subarray(0, options.limitBytes);
  const keylog = await (await fetch(keylogUrl)).text();
  const rounds = options.rounds ?? 1;
  let nobleJson = '', fastJson = '', packets = 0;
  let nobleMillis = Infinity, webCryptoMillis = Infinity;
  let stats: WebCryptoAesStats | null = null;
  let provider: string | null = null;
  for (let round = 0; round < rounds; round++) {
    setAesProvider(nobleAesProvider);
    const slow = await decode(capture, keylog, options.chunk, false);
    nobleMillis = Math.min(nobleMillis, slow.millis);
    nobleJson = traceToJson(slow.trace);
    packets = slow.trace.sessions.reduce((n, s) => n + s.packets.length, 0);
    provider = await installBrowserAes();
    const fast = await decode(capture, keylog, options.chunk, true);
    setAesProvider(nobleAesProvider);
    webCryptoMillis = Math.min(webCryptoMillis, fast.millis);
    fastJson = traceToJson(fast.trace);
    stats = fast.stats;
  }
  return {
    provider, identical: nobleJson === fastJson, traceChars: nobleJson.length, packets, captureBytes: capture.length,
    nobleMillis, webCryptoMillis, stats,
  };
}
