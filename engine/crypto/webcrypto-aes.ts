/**
 * @module crypto/webcrypto-aes
 * AES through WebCrypto (the browser's native AES; Node 20 has it too, as `globalThis.crypto.subtle`) behind the
 * engine's synchronous {@link AesProvider} (aes-provider.ts). WebCrypto only answers asynchronously, so this provider
 * computes keystream ahead of time in {@link WebCryptoAesProvider.fill} - the caller awaits it between chunks of
 * work - and serves it synchronously; whatever is not ready runs on the portable noble path. Keystream does not
 * depend on the data, so both give the same bytes:
 *
 * - aesN-ctr (RFC 4344 §4): keystream = AES-CTR of zeros from the stream's 128-bit big-endian counter (NIST SP
 *   800-38A §6.5), which runs on across packets, so it is prefetched as one run from the current counter.
 * - aesN-gcm@openssh.com (RFC 5647 §7.1, NIST SP 800-38D §7.1): for a packet with IV = fixed(4) | invocation
 *   counter(8), the blocks E(K, IV | 00000001), E(K, IV | 00000002), ... are the tag mask E(K, J0) followed by the
 *   body's keystream (GCTR from inc32(J0)): one AES-CTR call with a 32-bit counter per packet. Packet lengths are not
 *   known ahead, so the next invocation counters are prefetched at the longest recently seen length (bulk transfers
 *   send uniform packets). GHASH stays on noble's GHASH, as in the noble path.
 * - CBC (RFC 4253 §6.3): decryption chains on ciphertext that is not known ahead, and CBC is rare: noble.
 *
 * Each fill sizes a stream's keystream by what it used in the last chunk (see `plan`): a stream that keeps going holds
 * about three chunks' worth, so the next chunk decodes from keystream already there while WebCrypto computes the one
 * after in the background; keys first used within a chunk get nothing until they are still in use at the next fill
 * (in a capture of many short sessions they are gone by then). Memory is bounded: a stream holds at most
 * `maxAheadBytes`, one fill computes at most `maxFillBytes` over all streams, and a stream not used since the
 * previous fill drops what it holds (its keys are done with).
 */
import { GHASH } from '@noble/ciphers/_polyval.js';
import {
  aesEncryptBlock, expandAesKey, nobleAesProvider, type AesGcm, type AesProvider, type AesStream,
} from './aes-provider.ts';

/** The part of WebCrypto used here. */
export type Subtle = Pick<SubtleCrypto, 'importKey' | 'encrypt'>;

export interface PrefetchLimits {
  /** Least keystream prefetched for a stream that was used since the last fill (bytes). */
  minAheadBytes: number;
  /** Most keystream one stream holds ahead (bytes). */
  maxAheadBytes: number;
  /** Most keystream one fill computes over all streams (bytes). */
  maxFillBytes: number;
  /** Bytes per WebCrypto call for CTR runs (the calls run concurrently). */
  callBytes: number;
  /** Most GCM packets prefetched per stream and fill (one WebCrypto call each). */
  maxGcmPackets: number;
  /** GCM keystream is prefetched for bodies of at least this many bytes (the length of the next packets is a guess). */
  gcmMinPacketBytes: number;
}

const MiB = 1 << 20;
export const defaultPrefetchLimits: PrefetchLimits = {
  minAheadBytes: 16 * 1024, maxAheadBytes: 4 * MiB, maxFillBytes: 16 * MiB, callBytes: 1 * MiB, maxGcmPackets: 256,
  gcmMinPacketBytes: 1024,
};

/** What the fast path did: bytes served from prefetched keystream, bytes that ran on noble, and the work done. */
export interface WebCryptoAesStats {
  servedBytes: number;
  fallbackBytes: number;
  prefetchedBytes: number;
  /** Prefetched keystream thrown away unused (a stream that stopped, a GCM packet length that grew). */
  droppedBytes: number;
  fills: number;
  calls: number;
  /** Prefetches WebCrypto refused (noble served those bytes instead). */
  failures: number;
}

/** A stream that can prefetch: the provider asks it what it wants, then has it compute that much. */
interface Prefetching {
  /** Set when used since the last fill. */
  touched: boolean;
  /** The keystream it would like computed now, and whether the next chunk needs it (else it runs in the background). */
  wanted(limits: PrefetchLimits): Want;
  /** Computes about `bytes` of keystream ahead. */
  prefetch(bytes: number): Promise<void>;
  /** Throws away whatever it holds. */
  drop(): void;
}

/** Writes `input ^ keystream[offset..]` into `output` for `length` bytes. */
function xorInto(input: Uint8Array, keystream: Uint8Array, offset: number, output: Uint8Array, length: number): void {
  const k = keystream.byteOffset + offset;
  if (((input.byteOffset | output.byteOffset | k) & 3) === 0 && length >= 64) {
    const words = length >>> 2;
    const a = new Int32Array(input.buffer, input.byteOffset, words);
    const b = new Int32Array(keystream.buffer, k, words);
    const o = new Int32Array(output.buffer, output.byteOffset, words);
    for (let i = 0; i < words; i++) o[i] = a[i] ^ b[i];
    for (let i = words << 2; i < length; i++) output[i] = input[i] ^ keystream[offset + i];
  } else {
    for (let i = 0; i < length; i++) output[i] = input[i] ^ keystream[offset + i];
  }
}

/** `base + blocks` as a 128-bit big-endian number, mod 2^128 (RFC 4344 §4's counter). `blocks` < 2^53. */
export function counterAt(base: Uint8Array, blocks: number): Uint8Array {
  const out = base.slice(0, 16);
  let carry = blocks;
  for (let i = 15; i >= 0 && carry > 0; i--) {
    const sum = out[i] + (carry % 256);
    out[i] = sum & 0xff;
    carry = Math.floor(carry / 256) + (sum >> 8);
  }
  return out;
}

/** Compares two 12-byte GCM IVs as big-endian numbers. */
function compareIv(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < 12; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return 0;
}

/** RFC 5647 §7.1: the next IV has its 8-byte invocation counter incremented (the fixed 4 bytes stay). */
function nextIv(iv: Uint8Array): Uint8Array {
  const out = iv.slice(0, 12);
  for (let i = 11; i >= 4; i--) {
    out[i] = (out[i] + 1) & 0xff;
    if (out[i] !== 0) break;
  }
  return out;
}

const clamp = (n: number, low: number, high: number) => Math.max(low, Math.min(high, n));

interface Want {
  bytes: number;
  urgent: boolean;
}

/**
 * A stream that used `used` bytes since the last fill and holds `held` bytes ahead aims to hold three chunks' worth:
 * the next chunk is decoded from what it holds, while WebCrypto computes in the background what the chunk after it
 * needs (a synchronous decoder sees that only at the next fill). The fill waits for a stream only when what it
 * holds would not last the next chunk. In its first fill (`seasoned` false) a stream already used gets nothing: in
 * a capture of many short sessions most keys are done with in the chunk that started them, and their keystream
 * would be wasted work; if it goes on, it gets keystream at the next fill. One not used yet (new keys at the end
 * of the chunk) gets the minimum.
 */
function plan(used: number, held: number, seasoned: boolean, limits: PrefetchLimits): Want {
  if (!seasoned) return used === 0 ? { bytes: limits.minAheadBytes, urgent: true } : { bytes: 0, urgent: false };
  const target = clamp(3 * used, limits.minAheadBytes, limits.maxAheadBytes);
  return { bytes: target - held < target / 4 ? 0 : target - held, urgent: held < Math.max(used, 1) };
}

/** RFC 4344 §4 / SP 800-38A §6.5: CTR keystream prefetched from the running counter, noble where none is ready. */
class PrefetchedCtr implements AesStream, Prefetching {
  touched = false;
  /** Bytes asked for since the last fill. */
  private used = 0;
  /** Set once it has taken part in a fill. */
  private seasoned = false;
  /** Blocks used so far: the counter is `initial + position`. */
  private position = 0;
  /** Keystream for the blocks from `aheadStart` on. */
  private ahead: Uint8Array | null = null;
  private aheadStart = 0;
  private noble: AesStream | null = null;
  private noblePosition = -1;
  private cryptoKey: Promise<CryptoKey> | null = null;
  private readonly key: Uint8Array;
  private readonly initial: Uint8Array;
  constructor(private readonly owner: WebCryptoAesProvider, key: Uint8Array, initialCounter: Uint8Array) {
    this.key = key.slice();
    this.initial = initialCounter.slice(0, 16);
    owner.touch(this); // new keys (NEWKEYS) get keystream at the next fill, before their first packet
  }

  update(input: Uint8Array, output: Uint8Array): void {
    const length = input.length;
    const start = this.position;
    this.position += Math.ceil(length / 16); // noble's rule too: a partial last block uses up its counter
    this.used += length;
    if (!this.touched) this.owner.touch(this);
    let done = 0;
    const ahead = this.ahead;
    if (ahead) {
      const from = (start - this.aheadStart) * 16;
      if (from >= 0 && from < ahead.length) {
        done = Math.min(length, ahead.length - from);
        xorInto(input, ahead, from, output, done);
        if (from + done === ahead.length) this.ahead = null; // all used
      }
    }
    this.owner.stats.servedBytes += done;
    if (done === length) return;
    // The rest on noble, from the counter block where the keystream stopped (done is a whole number of blocks).
    const at = start + done / 16;
    if (this.noble === null || this.noblePosition !== at) this.noble = nobleAesProvider.ctr(this.key, counterAt(this.initial, at));
    this.noble.update(input.subarray(done), output.subarray(done));
    this.noblePosition = this.position;
    this.owner.stats.fallbackBytes += length - done;
  }

  private heldAhead(): number {
    if (!this.ahead) return 0;
    return Math.max(0, this.ahead.length - (this.position - this.aheadStart) * 16);
  }

  wanted(limits: PrefetchLimits): Want {
    const want = plan(this.used, this.heldAhead(), this.seasoned, limits);
    this.used = 0;
    this.seasoned = true;
    return want;
  }

  async prefetch(bytes: number): Promise<void> {
    const start = this.position;
    const held = this.heldAhead();
    const tail = held > 0 ? this.ahead!.subarray(this.ahead!.length - held) : new Uint8Array(0);
    this.cryptoKey ??= this.owner.importKey(this.key);
    const fresh = await this.owner.ctrKeystream(await this.cryptoKey, counterAt(this.initial, start + held / 16), bytes);
    const next = new Uint8Array(held + fresh.length);
    next.set(tail);
    next.set(fresh, held);
    this.ahead = next;
    this.aheadStart = start;
  }

  drop(): void {
    this.owner.stats.droppedBytes += this.heldAhead();
    this.ahead = null;
  }
}

/** noble's GHASH made reusable across packets, so its key tables are built once per key. */
class ReusableGhash extends GHASH {
  reset(): this {
    this.s0 = this.s1 = this.s2 = this.s3 = 0;
    this.finished = false;
    return this;
  }
}

/** One prefetched packet: E(K, IV | 00000001) (the tag mask) then the body's keystream. */
interface GcmBlocks {
  iv: Uint8Array;
  blocks: Uint8Array;
}

/** RFC 5647 §7.1 / SP 800-38D §7: GCM with per-packet keystream prefetched for the next invocation counters. */
class PrefetchedGcm implements AesGcm, Prefetching {
  touched = false;
  private used = 0;
  private seasoned = false;
  /** The body lengths of the last packets: keystream is prefetched at the longest of them. */
  private readonly recent = new Uint32Array(32);
  private recentAt = 0;
  /** The IV the next packet is expected to use. */
  private expected: Uint8Array | null = null;
  /** Prefetched packets in IV order; those before `head` are used up (compacted at each prefetch). */
  private queue: GcmBlocks[] = [];
  private head = 0;
  private noble: AesGcm | null = null;
  private cryptoKey: Promise<CryptoKey> | null = null;
  private readonly key: Uint8Array;
  /** Built on the first packet served from prefetched blocks: short sessions never need it. */
  private ghash: ReusableGhash | null = null;
  private readonly lengths = new Uint8Array(16);
  private readonly computed = new Uint8Array(16);
  constructor(private readonly owner: WebCryptoAesProvider, key: Uint8Array) {
    this.key = key.slice();
  }

  private hasher(): ReusableGhash {
    if (!this.ghash) {
      const hashKey = new Uint8Array(16); // H = E(K, 0^128), SP 800-38D §7.1 step 1
      aesEncryptBlock(expandAesKey(this.key), hashKey, hashKey);
      // A length hint above 64 KiB makes noble use 8-bit windows: GHASH 2.5-5 times faster than with the 4-bit ones
      // it picks for 32 KiB, for a table of about 1 ms and 200 KB per key (measured in node on this machine type).
      this.ghash = new ReusableGhash(hashKey, 1 << 20);
    }
    return this.ghash;
  }

  /** Takes the prefetched blocks for `iv` if they cover `length` bytes of body; drops those of earlier IVs. */
  private take(iv: Uint8Array, length: number): Uint8Array | undefined {
    const { queue, owner } = this;
    this.used += length;
    this.recent[this.recentAt++ & 31] = length;
    this.expected = nextIv(iv);
    if (!this.touched) owner.touch(this);
    let at = this.head;
    while (at < queue.length && compareIv(queue[at].iv, iv) < 0) owner.stats.droppedBytes += queue[at++].blocks.length;
    let found: GcmBlocks | undefined;
    if (at < queue.length && compareIv(queue[at].iv, iv) === 0) found = queue[at++];
    this.head = at;
    if (found && found.blocks.length >= 16 + length) {
      owner.stats.servedBytes += length;
      return found.blocks;
    }
    if (found) owner.stats.droppedBytes += found.blocks.length;
    owner.stats.fallbackBytes += length;
    return undefined;
  }

  /** SP 800-38D §7.1 steps 5-6: tag = E(K, J0) xor GHASH(A | pad | C | pad | len(A) | len(C)). */
  private tag(mask: Uint8Array, aad: Uint8Array, ciphertext: Uint8Array, tag: Uint8Array): void {
    const view = new DataView(this.lengths.buffer);
    view.setUint32(0, Math.floor(aad.length / 0x20000000)); view.setUint32(4, (aad.length * 8) >>> 0);
    view.setUint32(8, Math.floor(ciphertext.length / 0x20000000)); view.setUint32(12, (ciphertext.length * 8) >>> 0);
    const ghash = this.hasher().reset();
    if (aad.length) ghash.update(aad);
    if (ciphertext.length) ghash.update(ciphertext);
    ghash.update(this.lengths);
    ghash.digestInto(tag);
    for (let i = 0; i < 16; i++) tag[i] ^= mask[i];
  }

  private fallback(): AesGcm {
    return (this.noble ??= nobleAesProvider.gcm(this.key));
  }

  seal(iv: Uint8Array, aad: Uint8Array, plaintext: Uint8Array, output: Uint8Array, tag: Uint8Array): void {
    const blocks = this.take(iv, plaintext.length);
    if (!blocks) return this.fallback().seal(iv, aad, plaintext, output, tag);
    xorInto(plaintext, blocks, 16, output, plaintext.length);
    this.tag(blocks, aad, output, tag);
  }

  open(iv: Uint8Array, aad: Uint8Array, ciphertext: Uint8Array, tag: Uint8Array, output: Uint8Array,
    decryptWhenBad = true): boolean {
    const blocks = this.take(iv, ciphertext.length);
    if (!blocks) return this.fallback().open(iv, aad, ciphertext, tag, output, decryptWhenBad);
    this.tag(blocks, aad, ciphertext, this.computed);
    let difference = 0;
    for (let i = 0; i < 16; i++) difference |= this.computed[i] ^ tag[i];
    if (difference === 0 || decryptWhenBad) xorInto(ciphertext, blocks, 16, output, ciphertext.length);
    return difference === 0;
  }

  private heldBytes(): number {
    let sum = 0;
    for (let i = this.head; i < this.queue.length; i++) sum += this.queue[i].blocks.length;
    return sum;
  }

  wanted(limits: PrefetchLimits): Want {
    this.queue = this.queue.slice(this.head); // let the used packets go
    this.head = 0;
    const want = plan(this.used, this.heldBytes(), this.seasoned, limits);
    this.used = 0;
    this.seasoned = this.expected !== null;
    return this.expected ? want : { bytes: 0, urgent: false };
  }

  async prefetch(bytes: number): Promise<void> {
    const { owner } = this;
    // Bulk transfers send packets of one length; interactive ones vary: cover the longest of the last 32.
    const length = 16 + Math.ceil(Math.max(owner.limits.gcmMinPacketBytes, ...this.recent) / 16) * 16;
    const last = this.queue.length ? this.queue[this.queue.length - 1].iv : null;
    let iv = last && compareIv(last, this.expected!) >= 0 ? nextIv(last) : this.expected!;
    const count = clamp(Math.floor(bytes / length), 1, owner.limits.maxGcmPackets);
    this.cryptoKey ??= owner.importKey(this.key);
    const key = await this.cryptoKey;
    const ivs: Uint8Array[] = [];
    for (let i = 0; i < count; i++, iv = nextIv(iv)) ivs.push(iv);
    const results = await Promise.all(ivs.map((packetIv) => {
      const counter = new Uint8Array(16);
      counter.set(packetIv);
      counter[15] = 1; // J0 = IV | 0^31 | 1 (SP 800-38D §7.1 step 2)
      return owner.keystream(key, counter, 32, length);
    }));
    for (let i = 0; i < count; i++) this.queue.push({ iv: ivs[i], blocks: results[i] });
  }

  drop(): void {
    this.owner.stats.droppedBytes += this.heldBytes();
    this.queue = [];
    this.head = 0;
  }
}

/**
 * The WebCrypto-backed provider. Install it with setAesProvider, then await {@link fill} between chunks of work:
 * each fill prefetches for the streams used since the previous one, sized by how much each used.
 */
export class WebCryptoAesProvider implements AesProvider {
  readonly name = 'webcrypto';
  readonly stats: WebCryptoAesStats = { servedBytes: 0, fallbackBytes: 0, prefetchedBytes: 0, droppedBytes: 0, fills: 0, calls: 0, failures: 0 };
  readonly limits: PrefetchLimits;
  private active = new Set<Prefetching>();
  private holding = new Set<Prefetching>();
  private filling: Promise<void> | null = null;
  /** Prefetches the last fill did not wait for; the next fill waits for them first. */
  private background: Promise<unknown> = Promise.resolve();
  private zeros: Uint8Array;

  constructor(private readonly subtle: Subtle, limits: Partial<PrefetchLimits> = {}) {
    this.limits = { ...defaultPrefetchLimits, ...limits };
    this.zeros = new Uint8Array(this.limits.callBytes);
  }

  ctr(key: Uint8Array, initialCounter: Uint8Array): AesStream {
    return new PrefetchedCtr(this, key, initialCounter);
  }
  /** CBC stays on noble: decryption chains on ciphertext not known ahead (RFC 4253 §6.3), and CBC is rare. */
  cbcEncrypt(key: Uint8Array, iv: Uint8Array): AesStream {
    return nobleAesProvider.cbcEncrypt(key, iv);
  }
  cbcDecrypt(key: Uint8Array, iv: Uint8Array): AesStream {
    return nobleAesProvider.cbcDecrypt(key, iv);
  }
  gcm(key: Uint8Array): AesGcm {
    return new PrefetchedGcm(this, key);
  }

  /** @internal A stream was used: it takes part in the next fill (up to 1024 streams between two fills). */
  touch(stream: Prefetching): void {
    if (this.active.size >= 1024) return;
    stream.touched = true;
    this.active.add(stream);
  }

  /** @internal */
  importKey(key: Uint8Array): Promise<CryptoKey> {
    return this.subtle.importKey('raw', key as BufferSource, 'AES-CTR', false, ['encrypt']);
  }

  /** @internal AES-CTR of `bytes` zero bytes from `counter`, its rightmost `counterBits` bits incrementing. */
  async keystream(key: CryptoKey, counter: Uint8Array, counterBits: number, bytes: number): Promise<Uint8Array> {
    if (this.zeros.length < bytes) this.zeros = new Uint8Array(bytes);
    this.stats.calls++;
    this.stats.prefetchedBytes += bytes;
    const zeros = this.zeros.subarray(0, bytes) as BufferSource; // WebCrypto copies its input when called
    return new Uint8Array(await this.subtle.encrypt({ name: 'AES-CTR', counter: counter as BufferSource, length: counterBits }, key, zeros));
  }

  /** @internal A CTR run of `bytes` from `counter` (128-bit counter), as concurrent calls of `callBytes` each. */
  async ctrKeystream(key: CryptoKey, counter: Uint8Array, bytes: number): Promise<Uint8Array> {
    const size = this.limits.callBytes;
    if (bytes <= size) return this.keystream(key, counter, 128, bytes);
    const parts: Promise<Uint8Array>[] = [];
    for (let at = 0; at < bytes; at += size) {
      parts.push(this.keystream(key, counterAt(counter, at / 16), 128, Math.min(size, bytes - at)));
    }
    const out = new Uint8Array(bytes);
    (await Promise.all(parts)).forEach((part, i) => out.set(part, i * size));
    return out;
  }

  /**
   * Prefetches keystream for every stream used since the last fill and drops what unused streams hold. It waits
   * only for streams whose keystream would not last the next chunk; the rest is computed in the background while the
   * next chunk decodes (WebCrypto runs off the calling thread), and the next fill waits for it first. Calls made
   * while a fill runs share it. Decoding may go on meanwhile: served keystream is always matched to its counter.
   */
  fill(): Promise<void> {
    this.filling ??= this.runFill().finally(() => { this.filling = null; });
    return this.filling;
  }

  /** Waits for every prefetch under way, including those a fill left running in the background. */
  async settle(): Promise<void> {
    await this.filling;
    await this.background;
  }

  private async runFill(): Promise<void> {
    await this.background;
    this.stats.fills++;
    const active = [...this.active];
    this.active.clear();
    for (const stream of this.holding) {
      if (!stream.touched) {
        stream.drop();
        this.holding.delete(stream);
      }
    }
    const wants = active.map((stream) => {
      stream.touched = false;
      this.holding.add(stream);
      return stream.wanted(this.limits);
    });
    const total = wants.reduce((sum, want) => sum + want.bytes, 0);
    const scale = total > this.limits.maxFillBytes ? this.limits.maxFillBytes / total : 1;
    const urgent: Promise<void>[] = [], later: Promise<void>[] = [];
    active.forEach((stream, i) => {
      const bytes = Math.floor((wants[i].bytes * scale) / 16) * 16;
      if (bytes >= 16) (wants[i].urgent ? urgent : later).push(stream.prefetch(bytes));
    });
    // A failed prefetch only means noble serves those bytes: counted, never thrown into the decoder.
    const settle = (jobs: Promise<void>[]) => Promise.all(jobs.map((job) => job.catch(() => void this.stats.failures++)));
    this.background = settle(later);
    await settle(urgent);
  }
}

/**
 * Checks the platform's AES-CTR against noble before relying on it: a CTR stream across a prefetch boundary and
 * the 2^128 counter wrap, and a GCM seal served from prefetched blocks. False if anything differs or throws.
 */
export async function webCryptoMatchesNoble(subtle: Subtle): Promise<boolean> {
  try {
    // 8 blocks prefetched in calls of 2 blocks: one call runs from ff..fd over the wrap (ff..ff, then 0).
    const provider = new WebCryptoAesProvider(subtle, { minAheadBytes: 128, callBytes: 32 });
    const key = Uint8Array.from({ length: 32 }, (_, i) => i * 7 + 1);
    const counter = new Uint8Array(16).fill(0xff);
    counter[15] = 0xfb;
    const input = Uint8Array.from({ length: 160 }, (_, i) => i);
    const ours = new Uint8Array(160);
    const theirs = new Uint8Array(160);
    const stream = provider.ctr(key, counter);
    await provider.fill(); // new keys: 8 blocks, then 2 more on noble
    stream.update(input.subarray(0, 32), ours.subarray(0, 32));
    stream.update(input.subarray(32), ours.subarray(32));
    nobleAesProvider.ctr(key, counter).update(input, theirs);
    const iv = Uint8Array.from({ length: 12 }, (_, i) => 200 - i);
    const gcm = provider.gcm(key.subarray(0, 16));
    const noble = nobleAesProvider.gcm(key.subarray(0, 16));
    const sealed = [new Uint8Array(64), new Uint8Array(64), new Uint8Array(16), new Uint8Array(16)];
    // A GCM state gets keystream at the second fill that sees it used (on noble until then).
    gcm.seal(iv, input.subarray(0, 4), input.subarray(0, 48), sealed[0].subarray(0, 48), sealed[2]);
    await provider.fill();
    gcm.seal(nextIv(iv), input.subarray(0, 4), input.subarray(0, 48), sealed[0].subarray(0, 48), sealed[2]);
    await provider.fill();
    const third = nextIv(nextIv(iv));
    gcm.seal(third, input.subarray(0, 4), input.subarray(0, 48), sealed[0].subarray(0, 48), sealed[2]);
    noble.seal(third, input.subarray(0, 4), input.subarray(0, 48), sealed[1].subarray(0, 48), sealed[3]);
    const same = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((x, i) => x === b[i]);
    return provider.stats.servedBytes === 128 + 48 && same(ours, theirs) && same(sealed[0], sealed[1]) && same(sealed[2], sealed[3]);
  } catch {
    return false;
  }
}
