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
  /** Of which spent awaiting fills (WebCrypto computing while the decoder waits). */
  fillMillis: number;
  /** The fast path's counters over the last WebCrypto decode. */
  stats: WebCryptoAesStats | null;
}

async function decode(capture: Uint8Array, keylog: string, chunk: number, fast: boolean) {
  const keys = new KeyStore();
  keys.addFile(keylog, 'keylog');
  const decoder = new CaptureDecoder(keys, { kind: 'capture', name: 'capture' });
  const before = browserAesStats();
  const start = performance.now();
  let waiting = 0;
  for (let at = 0; at < capture.length; at += chunk) {
    decoder.push(capture.subarray(at, at + chunk));
    const before = performance.now();
    if (fast) await fillBrowserAes();
    waiting += performance.now() - before;
  }
  const trace = decoder.finish();
  const millis = performance.now() - start;
  const after = browserAesStats();
  const stats = before && after
    ? Object.fromEntries(Object.entries(after).map(([k, v]) => [k, v - before[k as keyof WebCryptoAesStats]])) as unknown as WebCryptoAesStats
    : null;
  return { trace, millis, stats, waiting };
}

/**
 * Fetches a capture and its key log from the dev server, keeps the first `limitBytes`, decodes it both ways and
 * compares the traces; then times `rounds` more decodes each way, alternating, with no JSON made meanwhile (its
 * garbage would be collected inside the timings).
 */
export async function compareDecodes(captureUrl: string, keylogUrl: string, options: { chunk: number; rounds?: number; limitBytes?: number }): Promise<PageDecode> {
  let capture = new Uint8Array(await (await fetch(captureUrl)).arrayBuffer());
  if (options.limitBytes) capture = capture.subarray(0, options.limitBytes);
  const keylog = await (await fetch(keylogUrl)).text();
  const slow = await decode(capture, keylog, options.chunk, false);
  const provider = await installBrowserAes();
  const fast = await decode(capture, keylog, options.chunk, true);
  setAesProvider(nobleAesProvider);
  const identical = traceToJson(slow.trace) === traceToJson(fast.trace);
  const traceChars = traceToJson(slow.trace).length;
  const packets = slow.trace.sessions.reduce((n, s) => n + s.packets.length, 0);
  let { millis: nobleMillis } = slow, { millis: webCryptoMillis, waiting: fillMillis, stats } = fast;
  for (let round = 0; round < (options.rounds ?? 0); round++) {
    nobleMillis = Math.min(nobleMillis, (await decode(capture, keylog, options.chunk, false)).millis);
    await installBrowserAes();
    const again = await decode(capture, keylog, options.chunk, true);
    setAesProvider(nobleAesProvider);
    if (again.millis < webCryptoMillis) ({ millis: webCryptoMillis, waiting: fillMillis, stats } = again);
  }
  return { provider, identical, traceChars, packets, captureBytes: capture.length, nobleMillis, webCryptoMillis, fillMillis, stats };
}

/**
 * The ciphers alone: `mib` MiB decrypted in 32 KiB packets by a CTR stream and by GCM open, with a fill after every
 * MiB (as the worker does between chunks), on noble and on WebCrypto. Returns MiB/s for each.
 */
export async function cipherRates(mib: number): Promise<Record<'nobleCtr' | 'webCryptoCtr' | 'nobleGcm' | 'webCryptoGcm' | 'rawWebCryptoCtr', number>> {
  const { WebCryptoAesProvider } = await import('../../engine/crypto/webcrypto-aes.ts');
  const packet = 32768;
  const data = new Uint8Array(packet);
  crypto.getRandomValues(data);
  const out = new Uint8Array(packet);
  const key = new Uint8Array(16).fill(7);
  const time = async (body: (n: number) => void, fill: () => Promise<void>) => {
    const start = performance.now();
    for (let n = 0; n < (mib << 20) / packet; n++) {
      body(n);
      if ((n & 31) === 31) await fill();
    }
    return mib / ((performance.now() - start) / 1000);
  };
  const provider = () => new WebCryptoAesProvider(crypto.subtle);
  const ctrRate = async (p: typeof nobleAesProvider | InstanceType<typeof WebCryptoAesProvider>) => {
    const stream = p.ctr(key, new Uint8Array(16));
    return time(() => stream.update(data, out), async () => { if ('fill' in p) await p.fill(); });
  };
  const gcmRate = async (p: typeof nobleAesProvider | InstanceType<typeof WebCryptoAesProvider>) => {
    const gcm = p.gcm(key);
    const iv = new Uint8Array(12), tag = new Uint8Array(16), aad = new Uint8Array(4);
    return time((n) => {
      new DataView(iv.buffer).setUint32(8, n);
      gcm.open(iv, aad, data, tag, out); // the tag is wrong; the work (GHASH, then decrypt) is the same
    }, async () => { if ('fill' in p) await p.fill(); });
  };
  const rawWebCryptoCtr = async () => {
    const cryptoKey = await crypto.subtle.importKey('raw', key, 'AES-CTR', false, ['encrypt']);
    const zeros = new Uint8Array(1 << 20);
    const start = performance.now();
    for (let n = 0; n < mib; n++) await crypto.subtle.encrypt({ name: 'AES-CTR', counter: new Uint8Array(16), length: 128 }, cryptoKey, zeros);
    return mib / ((performance.now() - start) / 1000);
  };
  return {
    rawWebCryptoCtr: await rawWebCryptoCtr(),
    nobleCtr: await ctrRate(nobleAesProvider), webCryptoCtr: await ctrRate(provider()),
    nobleGcm: await gcmRate(nobleAesProvider), webCryptoGcm: await gcmRate(provider()),
  };
}
