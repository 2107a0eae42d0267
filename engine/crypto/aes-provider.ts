/**
 * @module crypto/aes-provider
 * The AES block modes SSH uses, behind one small synchronous interface: CTR (RFC 4344 §4, a 128-bit big-endian
 * counter that runs on across calls), CBC (RFC 4253 §6.3, the IV chains across calls) and GCM (NIST SP 800-38D,
 * as profiled by RFC 5647). The portable implementation here is built on @noble/ciphers' AES core; a faster one
 * (the CLI's node:crypto provider) can be installed with {@link setAesProvider}. Both must give identical bytes.
 *
 * Every operation writes into a caller-given output of the input's length; output may be the input itself.
 */
import { unsafe } from '@noble/ciphers/aes.js';
import { GHASH } from '@noble/ciphers/_polyval.js';

/** A stateful AES mode for one direction: each call continues where the previous one stopped. */
export interface AesStream {
  /** Transforms `input` into `output` (same length; a multiple of 16 bytes for CBC). */
  update(input: Uint8Array, output: Uint8Array): void;
}

/** AES-GCM with a fixed key; the caller supplies a fresh 12-byte IV per message. */
export interface AesGcm {
  /** Encrypts `plaintext` into `output` and writes the 16-byte tag into `tag`. */
  seal(iv: Uint8Array, aad: Uint8Array, plaintext: Uint8Array, output: Uint8Array, tag: Uint8Array): void;
  /**
   * Checks `tag` over `aad` and `ciphertext`, then decrypts into `output` - also when the tag is wrong unless
   * `decryptWhenBad` is false (a decoder shows the bytes of a damaged packet; an endpoint must not use them).
   * Returns whether the tag matched.
   */
  open(iv: Uint8Array, aad: Uint8Array, ciphertext: Uint8Array, tag: Uint8Array, output: Uint8Array,
    decryptWhenBad?: boolean): boolean;
}

/** The AES operations the SSH ciphers need. Keys are 16, 24 or 32 bytes; IVs and counters 16 bytes. */
export interface AesProvider {
  readonly name: string;
  ctr(key: Uint8Array, initialCounter: Uint8Array): AesStream;
  cbcEncrypt(key: Uint8Array, iv: Uint8Array): AesStream;
  cbcDecrypt(key: Uint8Array, iv: Uint8Array): AesStream;
  gcm(key: Uint8Array): AesGcm;
}

// ---- noble AES core, word helpers -------------------------------------------------------------------------
// noble's round functions take the block as four little-endian 32-bit words; these helpers read and write such
// words at any byte offset, so no input needs to be aligned or copied.

/** Expands an AES key for encryption (noble's little-endian word schedule). */
export function expandAesKey(key: Uint8Array): Uint32Array {
  return unsafe.expandKeyLE(key) as Uint32Array;
}

function load(bytes: Uint8Array, offset: number): number {
  return (bytes[offset] | (bytes[offset + 1] << 8) | (bytes[offset + 2] << 16) | (bytes[offset + 3] << 24)) >>> 0;
}

function store(bytes: Uint8Array, offset: number, word: number): void {
  bytes[offset] = word;
  bytes[offset + 1] = word >>> 8;
  bytes[offset + 2] = word >>> 16;
  bytes[offset + 3] = word >>> 24;
}

/** Encrypts one 16-byte block (FIPS 197) from `input` at `inOffset` into `output` at `outOffset`. */
export function aesEncryptBlock(
  xk: Uint32Array,
  input: Uint8Array,
  output: Uint8Array,
  inOffset = 0,
  outOffset = 0,
): void {
  const s = unsafe.encrypt(xk, load(input, inOffset), load(input, inOffset + 4), load(input, inOffset + 8),
    load(input, inOffset + 12));
  store(output, outOffset, s.s0);
  store(output, outOffset + 4, s.s1);
  store(output, outOffset + 8, s.s2);
  store(output, outOffset + 12, s.s3);
}

/** NIST SP 800-38A §6.5: CTR with a 128-bit big-endian counter block incremented per block. */
class NobleCtr implements AesStream {
  private readonly xk: Uint32Array;
  private readonly counter = new Uint8Array(16);
  constructor(key: Uint8Array, initialCounter: Uint8Array) {
    this.xk = expandAesKey(key);
    this.counter.set(initialCounter);
  }
  /** Sets the counter block (used by GCM for each message). */
  reset(counter: Uint8Array): void {
    this.counter.set(counter);
  }
  update(input: Uint8Array, output: Uint8Array): void {
    const { xk, counter } = this;
    const length = input.length;
    for (let offset = 0; offset < length; offset += 16) {
      const k = unsafe.encrypt(xk, load(counter, 0), load(counter, 4), load(counter, 8), load(counter, 12));
      if (offset + 16 <= length) {
        store(output, offset, load(input, offset) ^ k.s0);
        store(output, offset + 4, load(input, offset + 4) ^ k.s1);
        store(output, offset + 8, load(input, offset + 8) ^ k.s2);
        store(output, offset + 12, load(input, offset + 12) ^ k.s3);
      } else {
        // A final partial block (GCM only): use the leading bytes of the keystream block.
        const words = [k.s0, k.s1, k.s2, k.s3];
        for (let i = offset; i < length; i++) output[i] = input[i] ^ (words[(i - offset) >> 2] >>> (8 * (i & 3)));
      }
      for (let j = 15; j >= 0; j--) {
        counter[j] = (counter[j] + 1) & 0xff;
        if (counter[j] !== 0) break;
      }
    }
  }
}

/** NIST SP 800-38A §6.2: CBC encryption; the last ciphertext block becomes the next call's IV. */
class NobleCbcEncrypt implements AesStream {
  private readonly xk: Uint32Array;
  private v0: number; private v1: number; private v2: number; private v3: number;
  constructor(key: Uint8Array, iv: Uint8Array) {
    this.xk = expandAesKey(key);
    this.v0 = load(iv, 0); this.v1 = load(iv, 4); this.v2 = load(iv, 8); this.v3 = load(iv, 12);
  }
  update(input: Uint8Array, output: Uint8Array): void {
    for (let offset = 0; offset + 16 <= input.length; offset += 16) {
      const s = unsafe.encrypt(this.xk, load(input, offset) ^ this.v0, load(input, offset + 4) ^ this.v1,
        load(input, offset + 8) ^ this.v2, load(input, offset + 12) ^ this.v3);
      this.v0 = s.s0; this.v1 = s.s1; this.v2 = s.s2; this.v3 = s.s3;
      store(output, offset, s.s0); store(output, offset + 4, s.s1);
      store(output, offset + 8, s.s2); store(output, offset + 12, s.s3);
    }
  }
}

/** NIST SP 800-38A §6.2: CBC decryption, chaining across calls. */
class NobleCbcDecrypt implements AesStream {
  private readonly xk: Uint32Array;
  private v0: number; private v1: number; private v2: number; private v3: number;
  constructor(key: Uint8Array, iv: Uint8Array) {
    this.xk = unsafe.expandKeyDecLE(key) as Uint32Array;
    this.v0 = load(iv, 0); this.v1 = load(iv, 4); this.v2 = load(iv, 8); this.v3 = load(iv, 12);
  }
  update(input: Uint8Array, output: Uint8Array): void {
    for (let offset = 0; offset + 16 <= input.length; offset += 16) {
      const c0 = load(input, offset), c1 = load(input, offset + 4);
      const c2 = load(input, offset + 8), c3 = load(input, offset + 12);
      const s = unsafe.decrypt(this.xk, c0, c1, c2, c3);
      store(output, offset, s.s0 ^ this.v0); store(output, offset + 4, s.s1 ^ this.v1);
      store(output, offset + 8, s.s2 ^ this.v2); store(output, offset + 12, s.s3 ^ this.v3);
      this.v0 = c0; this.v1 = c1; this.v2 = c2; this.v3 = c3;
    }
  }
}

/** noble's GHASH, made reusable across messages so its key tables are built once per key. */
class ReusableGhash extends GHASH {
  reset(): this {
    this.s0 = this.s1 = this.s2 = this.s3 = 0;
    this.finished = false;
    return this;
  }
}

/** NIST SP 800-38D §7: GCM with a 96-bit IV (J0 = IV | 0^31 | 1), tag checked before decryption. */
class NobleGcm implements AesGcm {
  private readonly xk: Uint32Array;
  private readonly ghash: ReusableGhash;
  private readonly ctr: NobleCtr;
  private readonly block = new Uint8Array(16);
  private readonly lengths = new Uint8Array(16);
  private readonly computed = new Uint8Array(16);
  constructor(key: Uint8Array) {
    this.xk = expandAesKey(key);
    const hashKey = new Uint8Array(16);
    aesEncryptBlock(this.xk, hashKey, hashKey);
    // The expected length picks noble's table size: 8-bit tables (~1 ms, ~200 KB per key) hash SSH's 32 KiB
    // packets 2.5-5x faster than the 4-bit ones a 32 KiB hint chooses.
    this.ghash = new ReusableGhash(hashKey, 1 << 20);
    this.ctr = new NobleCtr(key, new Uint8Array(16));
  }
  /** §7.1 steps 5-6: S = GHASH(A | pad | C | pad | len(A) | len(C)), tag = E(K, J0) xor S. */
  private computeTag(iv: Uint8Array, aad: Uint8Array, ciphertext: Uint8Array, tag: Uint8Array): void {
    const { lengths, block } = this;
    const view = new DataView(lengths.buffer);
    view.setUint32(0, Math.floor(aad.length / 0x20000000)); view.setUint32(4, (aad.length * 8) >>> 0);
    view.setUint32(8, Math.floor(ciphertext.length / 0x20000000)); view.setUint32(12, (ciphertext.length * 8) >>> 0);
    const ghash = this.ghash.reset();
    if (aad.length) ghash.update(aad);
    if (ciphertext.length) ghash.update(ciphertext);
    ghash.update(lengths);
    ghash.digestInto(tag);
    block.set(iv); block[12] = 0; block[13] = 0; block[14] = 0; block[15] = 1;
    aesEncryptBlock(this.xk, block, block);
    for (let i = 0; i < 16; i++) tag[i] ^= block[i];
  }
  private crypt(iv: Uint8Array, input: Uint8Array, output: Uint8Array): void {
    const { block } = this;
    block.set(iv); block[12] = 0; block[13] = 0; block[14] = 0; block[15] = 2; // inc32(J0)
    this.ctr.reset(block);
    this.ctr.update(input, output);
  }
  seal(iv: Uint8Array, aad: Uint8Array, plaintext: Uint8Array, output: Uint8Array, tag: Uint8Array): void {
    this.crypt(iv, plaintext, output);
    this.computeTag(iv, aad, output, tag);
  }
  open(iv: Uint8Array, aad: Uint8Array, ciphertext: Uint8Array, tag: Uint8Array, output: Uint8Array,
    decryptWhenBad = true): boolean {
    this.computeTag(iv, aad, ciphertext, this.computed);
    let difference = 0;
    for (let i = 0; i < 16; i++) difference |= this.computed[i] ^ tag[i];
    if (difference === 0 || decryptWhenBad) this.crypt(iv, ciphertext, output);
    return difference === 0;
  }
}

/** The portable provider: pure TypeScript on @noble/ciphers, runs everywhere. */
export const nobleAesProvider: AesProvider = {
  name: 'noble',
  ctr: (key, initialCounter) => new NobleCtr(key, initialCounter),
  cbcEncrypt: (key, iv) => new NobleCbcEncrypt(key, iv),
  cbcDecrypt: (key, iv) => new NobleCbcDecrypt(key, iv),
  gcm: (key) => new NobleGcm(key),
};

let currentProvider: AesProvider = nobleAesProvider;

/** The provider new cipher states use. */
export function getAesProvider(): AesProvider {
  return currentProvider;
}

/** Installs a faster provider (e.g. node:crypto in the CLI); states already created keep theirs. */
export function setAesProvider(provider: AesProvider): void {
  currentProvider = provider;
}
