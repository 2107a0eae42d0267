/**
 * @module crypto/chacha20
 * ChaCha20 in the original form OpenSSH's chacha20-poly1305@openssh.com uses (OpenSSH PROTOCOL.chacha20poly1305):
 * the block function of RFC 8439 §2.3 with a 64-bit block counter (state words 12-13) and a 64-bit nonce (words
 * 14-15) instead of RFC 8439's 32/96-bit split. Two parts:
 * - a provider for the bulk keystream, noble's portable one by default; the CLI installs OpenSSL's through
 *   node:crypto (cli/node-chacha.ts), several times faster; the engine itself imports nothing from node.
 * - {@link chachaFirstWord}: the first four keystream bytes of one block, for the packet length (OpenSSH's K_2),
 *   computed here without allocating: it runs for every packet, where a provider's per-call setup would dominate.
 */
import { chacha20orig } from '@noble/ciphers/chacha.js';

/** One keystream run: counter and nonce fixed at creation, the stream runs on across `update` calls. */
export interface ChaCha20Stream {
  /**
   * XORs the next keystream bytes into `input`, writing `output` (same length; may be the same array). Every call
   * but the last must cover a multiple of 64 bytes (whole blocks).
   */
  update(input: Uint8Array, output: Uint8Array): void;
}

export interface ChaCha20Provider {
  readonly name: string;
  /** A stream for 32-byte `key` and 8-byte `nonce` starting at block `counter`. */
  stream(key: Uint8Array, nonce: Uint8Array, counter: number): ChaCha20Stream;
}

/** noble's ChaCha20 (original variant). */
export const nobleChaCha20Provider: ChaCha20Provider = {
  name: 'noble',
  stream(key, nonce, counter) {
    let block = counter;
    return {
      update(input, output) {
        // noble XORs 32-bit words only when input and output are both 4-byte aligned, byte by byte otherwise
        // (several times slower), and the output array decides: transform in place there.
        if (input !== output) output.set(input);
        chacha20orig(key, nonce, output, output, block);
        block += output.length / 64;
      },
    };
  },
};

let provider: ChaCha20Provider = nobleChaCha20Provider;

/** Makes every chacha20-poly1305 cipher state created from now on use `p` for its keystream. */
export function setChaCha20Provider(p: ChaCha20Provider): void {
  provider = p;
}

export function getChaCha20Provider(): ChaCha20Provider {
  return provider;
}

const SIGMA = [0x61707865, 0x3320646e, 0x79622d32, 0x6b206574]; // "expand 32-byte k", RFC 8439 §2.3

/** The key as the eight little-endian words of state words 4..11. */
export function chachaKeyWords(key: Uint8Array): Uint32Array {
  const words = new Uint32Array(8);
  for (let i = 0; i < 8; i++) words[i] = key[4 * i] | (key[4 * i + 1] << 8) | (key[4 * i + 2] << 16) | (key[4 * i + 3] << 24);
  return words;
}

/**
 * The first keystream word (bytes 0..3, little-endian) of block 0 under `key` with the 64-bit nonce whose bytes
 * are the big-endian uint64 `sequenceNumber` (< 2^32): state words 14 = 0 and 15 = those last four bytes read
 * little-endian. RFC 8439 §2.1 quarter round, §2.3 twenty rounds and the final addition.
 */
export function chachaFirstWord(k: Uint32Array, sequenceNumber: number): number {
  const n1 = ((sequenceNumber >>> 24) | ((sequenceNumber >>> 8) & 0xff00) | ((sequenceNumber & 0xff00) << 8) | (sequenceNumber << 24)) >>> 0;
  let x0 = SIGMA[0], x1 = SIGMA[1], x2 = SIGMA[2], x3 = SIGMA[3];
  let x4 = k[0], x5 = k[1], x6 = k[2], x7 = k[3], x8 = k[4], x9 = k[5], x10 = k[6], x11 = k[7];
  let x12 = 0, x13 = 0, x14 = 0, x15 = n1;
  for (let round = 0; round < 20; round += 2) {
    // column rounds: (0,4,8,12) (1,5,9,13) (2,6,10,14) (3,7,11,15)
    x0 = (x0 + x4) | 0; x12 ^= x0; x12 = (x12 << 16) | (x12 >>> 16); x8 = (x8 + x12) | 0; x4 ^= x8; x4 = (x4 << 12) | (x4 >>> 20);
    x0 = (x0 + x4) | 0; x12 ^= x0; x12 = (x12 << 8) | (x12 >>> 24); x8 = (x8 + x12) | 0; x4 ^= x8; x4 = (x4 << 7) | (x4 >>> 25);
    x1 = (x1 + x5) | 0; x13 ^= x1; x13 = (x13 << 16) | (x13 >>> 16); x9 = (x9 + x13) | 0; x5 ^= x9; x5 = (x5 << 12) | (x5 >>> 20);
    x1 = (x1 + x5) | 0; x13 ^= x1; x13 = (x13 << 8) | (x13 >>> 24); x9 = (x9 + x13) | 0; x5 ^= x9; x5 = (x5 << 7) | (x5 >>> 25);
    x2 = (x2 + x6) | 0; x14 ^= x2; x14 = (x14 << 16) | (x14 >>> 16); x10 = (x10 + x14) | 0; x6 ^= x10; x6 = (x6 << 12) | (x6 >>> 20);
    x2 = (x2 + x6) | 0; x14 ^= x2; x14 = (x14 << 8) | (x14 >>> 24); x10 = (x10 + x14) | 0; x6 ^= x10; x6 = (x6 << 7) | (x6 >>> 25);
    x3 = (x3 + x7) | 0; x15 ^= x3; x15 = (x15 << 16) | (x15 >>> 16); x11 = (x11 + x15) | 0; x7 ^= x11; x7 = (x7 << 12) | (x7 >>> 20);
    x3 = (x3 + x7) | 0; x15 ^= x3; x15 = (x15 << 8) | (x15 >>> 24); x11 = (x11 + x15) | 0; x7 ^= x11; x7 = (x7 << 7) | (x7 >>> 25);
    // diagonal rounds: (0,5,10,15) (1,6,11,12) (2,7,8,13) (3,4,9,14)
    x0 = (x0 + x5) | 0; x15 ^= x0; x15 = (x15 << 16) | (x15 >>> 16); x10 = (x10 + x15) | 0; x5 ^= x10; x5 = (x5 << 12) | (x5 >>> 20);
    x0 = (x0 + x5) | 0; x15 ^= x0; x15 = (x15 << 8) | (x15 >>> 24); x10 = (x10 + x15) | 0; x5 ^= x10; x5 = (x5 << 7) | (x5 >>> 25);
    x1 = (x1 + x6) | 0; x12 ^= x1; x12 = (x12 << 16) | (x12 >>> 16); x11 = (x11 + x12) | 0; x6 ^= x11; x6 = (x6 << 12) | (x6 >>> 20);
    x1 = (x1 + x6) | 0; x12 ^= x1; x12 = (x12 << 8) | (x12 >>> 24); x11 = (x11 + x12) | 0; x6 ^= x11; x6 = (x6 << 7) | (x6 >>> 25);
    x2 = (x2 + x7) | 0; x13 ^= x2; x13 = (x13 << 16) | (x13 >>> 16); x8 = (x8 + x13) | 0; x7 ^= x8; x7 = (x7 << 12) | (x7 >>> 20);
    x2 = (x2 + x7) | 0; x13 ^= x2; x13 = (x13 << 8) | (x13 >>> 24); x8 = (x8 + x13) | 0; x7 ^= x8; x7 = (x7 << 7) | (x7 >>> 25);
    x3 = (x3 + x4) | 0; x14 ^= x3; x14 = (x14 << 16) | (x14 >>> 16); x9 = (x9 + x14) | 0; x4 ^= x9; x4 = (x4 << 12) | (x4 >>> 20);
    x3 = (x3 + x4) | 0; x14 ^= x3; x14 = (x14 << 8) | (x14 >>> 24); x9 = (x9 + x14) | 0; x4 ^= x9; x4 = (x4 << 7) | (x4 >>> 25);
  }
  return (x0 + SIGMA[0]) >>> 0;
}
