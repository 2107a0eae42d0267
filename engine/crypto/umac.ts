/**
 * @module crypto/umac
 * UMAC (RFC 4418) with AES-128, for `umac-64@openssh.com` and `umac-128@openssh.com` (OpenSSH PROTOCOL: the nonce
 * is the 8-byte big-endian sequence number). Everything derived from the key (the NH, L2 and L3 keys and the PDF
 * cipher) is computed once per key; a tag then costs one pass of NH over the message, a few polynomial steps per
 * KiB, and at most one AES block.
 *
 * NH's 32x32->64-bit products are done exactly in doubles by splitting each factor into 16-bit halves; L2's
 * polynomial hashes (one step per KiB of message) use BigInt.
 */
import { aesEncryptBlock, expandAesKey } from './aes-provider.ts';

const P36 = 2 ** 36 - 5; // RFC 4418 §5.3 prime(36)
const P64 = (1n << 64n) - 59n; // prime(64)
const P128 = (1n << 128n) - 159n; // prime(128)
const TWO32 = 4294967296;

/** RFC 4418 §3.2.1 KDF: numbytes of AES(K, uint64(index) | uint64(i)) for i = 1, 2, ... */
function kdf(xk: Uint32Array, index: number, numbytes: number): Uint8Array {
  const blocks = Math.ceil(numbytes / 16);
  const out = new Uint8Array(blocks * 16);
  const input = new Uint8Array(16);
  for (let i = 1; i <= blocks; i++) {
    input[7] = index;
    new DataView(input.buffer).setUint32(12, i);
    aesEncryptBlock(xk, input, out, 0, (i - 1) * 16);
  }
  return out.subarray(0, numbytes);
}

const bigFrom = (bytes: Uint8Array): bigint => bytes.reduce((acc, b) => (acc << 8n) | BigInt(b), 0n);

/** RFC 4418 §5.4 POLY over `words` (each `wordBytes` long), continuing from `y`. */
function poly(wordBytes: 8 | 16, k: bigint, y: bigint, words: Uint8Array): bigint {
  const p = wordBytes === 8 ? P64 : P128;
  const maxWordRange = wordBytes === 8 ? (1n << 64n) - (1n << 32n) : (1n << 128n) - (1n << 96n);
  const offset = (1n << BigInt(wordBytes * 8)) - p;
  const marker = p - 1n;
  for (let i = 0; i < words.length; i += wordBytes) {
    const m = bigFrom(words.subarray(i, i + wordBytes));
    if (m >= maxWordRange) {
      y = (k * y + marker) % p;
      y = (k * y + (m - offset)) % p;
    } else {
      y = (k * y + m) % p;
    }
  }
  return y;
}

/** Per-iteration keys of UHASH (RFC 4418 §5.1). */
interface Iteration {
  l1Offset: number; // word offset into the shared NH key (16 bytes further per iteration)
  k64: bigint;
  k128: bigint;
  l3k1: number[]; // eight values mod prime(36)
  l3k2: number; // uint32
}

/** RFC 4418 UMAC with a 16-byte key and a 4, 8, 12 or 16-byte tag. Not safe to share between threads. */
export class Umac {
  private readonly iterations: Iteration[];
  private readonly nhKey: Uint32Array; // big-endian words of L1Key
  private readonly pdfKey: Uint32Array;
  private readonly chunkWords = new Uint32Array(256); // one 1024-byte L1 chunk as little-endian words
  private readonly l1Output: Uint8Array[]; // per iteration, 8 bytes per chunk
  private readonly pdfInput = new Uint8Array(16);
  private readonly pdfView = new DataView(this.pdfInput.buffer);
  private readonly l2Block = new Uint8Array(16); // the 16-byte input of L3-HASH
  private readonly pdfBlock = new Uint8Array(16);
  private cachedNonce = -1; // the nonce block the PDF output below belongs to (8-byte nonces as a number)

  constructor(key: Uint8Array, readonly tagLength: 4 | 8 | 12 | 16) {
    if (key.length !== 16) throw new RangeError('UMAC key must be 16 bytes');
    const xk = expandAesKey(key);
    const iters = tagLength / 4;
    this.pdfKey = expandAesKey(kdf(xk, 0, 16)); // §3.2.2 K' = KDF(K, 0, 16)
    const l1 = kdf(xk, 1, 1024 + (iters - 1) * 16);
    const l2 = kdf(xk, 2, iters * 24);
    const l3a = kdf(xk, 3, iters * 64);
    const l3b = kdf(xk, 4, iters * 4);
    const view = (b: Uint8Array) => new DataView(b.buffer, b.byteOffset, b.byteLength);
    this.nhKey = new Uint32Array(l1.length / 4);
    for (let i = 0; i < this.nhKey.length; i++) this.nhKey[i] = view(l1).getUint32(i * 4);
    this.iterations = [];
    for (let i = 0; i < iters; i++) {
      const l2k = l2.subarray(i * 24, i * 24 + 24);
      const l3k1: number[] = [];
      for (let j = 0; j < 8; j++) l3k1.push(Number(bigFrom(l3a.subarray(i * 64 + j * 8, i * 64 + j * 8 + 8)) % BigInt(P36)));
      this.iterations.push({
        l1Offset: i * 4,
        k64: bigFrom(l2k.subarray(0, 8)) & 0x01ffffff01ffffffn, // §5.3 Mask64
        k128: bigFrom(l2k.subarray(8, 24)) & 0x01ffffff01ffffff01ffffff01ffffffn, // Mask128
        l3k1,
        l3k2: view(l3b).getUint32(i * 4),
      });
    }
    this.l1Output = this.iterations.map(() => new Uint8Array(0));
  }

  /** Writes the tag of `message` under `nonce` (1..16 bytes) into `out` (at least tagLength bytes). */
  tag(message: Uint8Array, nonce: Uint8Array, out: Uint8Array): void {
    this.pad(nonce, out);
    const chunks = Math.max(1, Math.ceil(message.length / 1024));
    for (let i = 0; i < this.iterations.length; i++) {
      if (this.l1Output[i].length < chunks * 8) this.l1Output[i] = new Uint8Array(chunks * 8);
    }
    this.l1Hash(message, chunks);
    for (let i = 0; i < this.iterations.length; i++) {
      const it = this.iterations[i];
      const a = this.l1Output[i].subarray(0, chunks * 8);
      const b = this.l2Block;
      if (message.length <= 1024) {
        b.fill(0, 0, 8); // §5.1: short messages skip L2 (B = zeroes(8) | A)
        b.set(a, 8);
      } else {
        const y = this.l2Hash(it, a);
        for (let j = 0; j < 16; j++) b[j] = Number((y >> BigInt(8 * (15 - j))) & 0xffn);
      }
      const c = this.l3Hash(it, b);
      out[i * 4] ^= c >>> 24; out[i * 4 + 1] ^= c >>> 16; out[i * 4 + 2] ^= c >>> 8; out[i * 4 + 3] ^= c;
    }
  }

  /** §3.2.2 PDF: writes the pad for `nonce` into out[0..tagLength). */
  private pad(nonce: Uint8Array, out: Uint8Array): void {
    const { pdfInput, pdfBlock, tagLength } = this;
    let index = 0;
    pdfInput.fill(0);
    pdfInput.set(nonce);
    if (tagLength === 4 || tagLength === 8) {
      const low = nonce[nonce.length - 1];
      index = tagLength === 4 ? low & 3 : low & 1;
      pdfInput[nonce.length - 1] = low ^ index;
    }
    // Consecutive SSH sequence numbers share a PDF block for 64-bit tags: remember the last one.
    const key = nonce.length === 8 ? this.pdfView.getUint32(0) * TWO32 + this.pdfView.getUint32(4) : -1;
    if (key < 0 || key !== this.cachedNonce || key > Number.MAX_SAFE_INTEGER) {
      aesEncryptBlock(this.pdfKey, pdfInput, pdfBlock);
      this.cachedNonce = key <= Number.MAX_SAFE_INTEGER ? key : -1;
    }
    const start = tagLength <= 8 ? index * tagLength : 0;
    for (let i = 0; i < tagLength; i++) out[i] = pdfBlock[start + i];
  }

  /** §5.2 L1-HASH for every iteration at once: NH over each 1024-byte chunk, plus the chunk's bit length. */
  private l1Hash(message: Uint8Array, chunks: number): void {
    const words = this.chunkWords;
    for (let c = 0; c < chunks; c++) {
      const start = c * 1024;
      const length = Math.min(1024, message.length - start);
      // zeropad(M_t, 32): the last chunk is padded to a positive multiple of 32 bytes
      const padded = Math.max(32, Math.ceil(length / 32) * 32);
      const count = padded / 4;
      for (let w = 0; w < count; w++) {
        const o = start + w * 4;
        if (w * 4 + 4 <= length) {
          words[w] = (message[o] | (message[o + 1] << 8) | (message[o + 2] << 16) | (message[o + 3] << 24)) >>> 0;
        } else {
          let v = 0;
          for (let j = 0; j < 4; j++) if (w * 4 + j < length) v |= message[o + j] << (8 * j);
          words[w] = v >>> 0;
        }
      }
      for (let i = 0; i < this.iterations.length; i++) {
        this.nh(words, count, this.iterations[i].l1Offset, length * 8, this.l1Output[i], c * 8);
      }
    }
  }

  /** §5.2.2 NH(K, M) +_64 bitLength, written big-endian at out[at..at+8). */
  private nh(m: Uint32Array, count: number, keyOffset: number, bitLength: number, out: Uint8Array, at: number): void {
    const k = this.nhKey;
    let ll = 0, mid = 0, hh = 0; // exact sums of the 16x16-bit partial products (each < 2^41)
    for (let j = 0; j < count; j += 8) {
      const ko = keyOffset + j;
      for (let a = 0; a < 4; a++) {
        const x = (m[j + a] + k[ko + a]) >>> 0;
        const y = (m[j + a + 4] + k[ko + a + 4]) >>> 0;
        const xl = x & 0xffff, xh = x >>> 16, yl = y & 0xffff, yh = y >>> 16;
        ll += xl * yl;
        mid += xh * yl + xl * yh;
        hh += xh * yh;
      }
    }
    let lo = ll + (mid % 65536) * 65536 + bitLength;
    let hi = hh + Math.floor(mid / 65536) + Math.floor(lo / TWO32);
    lo %= TWO32;
    hi %= TWO32;
    out[at] = hi >>> 24; out[at + 1] = hi >>> 16; out[at + 2] = hi >>> 8; out[at + 3] = hi;
    out[at + 4] = lo >>> 24; out[at + 5] = lo >>> 16; out[at + 6] = lo >>> 8; out[at + 7] = lo;
  }

  /**
   * §5.3 L2-HASH: POLY64 over the first 2^17 bytes (2^14 NH outputs), then POLY128 over the rest (messages over
   * 16 MiB). The RFC's prose reads as 2^17 *bits*; the authors' reference code and the corrected vectors (erratum
   * 3507) use 2^14 64-bit words, and so does every interoperating implementation.
   */
  private l2Hash(it: Iteration, a: Uint8Array): bigint {
    const split = 1 << 17;
    if (a.length <= split) return poly(8, it.k64, 1n, a);
    const y = poly(8, it.k64, 1n, a.subarray(0, split));
    const rest = a.subarray(split);
    const m2 = new Uint8Array(16 + Math.ceil((rest.length + 1) / 16) * 16);
    for (let i = 0; i < 16; i++) m2[i] = Number((y >> BigInt(8 * (15 - i))) & 0xffn);
    m2.set(rest, 16);
    m2[16 + rest.length] = 0x80;
    return poly(16, it.k128, 1n, m2);
  }

  /** §5.4 L3-HASH of the 16-byte L2 output: a 32-bit word. */
  private l3Hash(it: Iteration, b: Uint8Array): number {
    let sum = 0;
    for (let i = 0; i < 8; i++) {
      const m = (b[2 * i] << 8) | b[2 * i + 1];
      sum += (m * it.l3k1[i]) % P36; // m < 2^16, k < 2^36: the product is exact in a double
    }
    return (((sum % P36) % TWO32) ^ it.l3k2) >>> 0;
  }
}
