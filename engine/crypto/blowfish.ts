/**
 * @module crypto/blowfish
 * Blowfish (Schneier 1993) as SSH uses it: blowfish-cbc with a 128-bit key and 8-byte IV chained across packets
 * (RFC 4253 §6.3), and blowfish-ctr with a 256-bit key and a 64-bit big-endian counter running across packets
 * (RFC 4344 §4). The block function and key schedule are the ones bcrypt_pbkdf uses (./hostkey-file-bcrypt-pbkdf.ts);
 * decryption runs the 16 rounds with the subkeys reversed. Legacy; here so that old captures decode.
 */
import { blowfishEncrypt, blowfishExpand, blowfishInitialState, type BlowfishState } from './hostkey-file-bcrypt-pbkdf.ts';

/** Blowfish's key schedule over the pi-derived initial state (key bytes cycled, no salt). */
export function blowfishKey(key: Uint8Array): BlowfishState {
  const state = blowfishInitialState();
  blowfishExpand(state, key);
  return state;
}

/** Decrypts one 64-bit block (l, r) in place: the encryption rounds run backwards. */
export function blowfishDecrypt(state: BlowfishState, block: Uint32Array, at = 0): void {
  const { P, S } = state;
  const F = (x: number) => (((S[x >>> 24] + S[256 | ((x >>> 16) & 0xff)]) ^ S[512 | ((x >>> 8) & 0xff)]) + S[768 | (x & 0xff)]);
  let l = block[at] ^ P[17];
  let r = block[at + 1];
  for (let i = 16; i >= 2; i -= 2) {
    r ^= F(l) ^ P[i];
    l ^= F(r) ^ P[i - 1];
  }
  block[at] = (r ^ P[0]) >>> 0;
  block[at + 1] = l >>> 0;
}

const readWord = (b: Uint8Array, at: number) => ((b[at] << 24) | (b[at + 1] << 16) | (b[at + 2] << 8) | b[at + 3]) >>> 0;
function writeWord(b: Uint8Array, at: number, w: number): void {
  b[at] = w >>> 24; b[at + 1] = w >>> 16; b[at + 2] = w >>> 8; b[at + 3] = w;
}

/** RFC 4253 §6.3 CBC: the last ciphertext block is the next IV, across packets. */
export class BlowfishCbc {
  private readonly state: BlowfishState;
  private readonly chain = new Uint32Array(2);
  private readonly block = new Uint32Array(2);
  constructor(key: Uint8Array, iv: Uint8Array, private readonly decrypt: boolean) {
    this.state = blowfishKey(key);
    this.chain[0] = readWord(iv, 0);
    this.chain[1] = readWord(iv, 4);
  }
  /** Whole 8-byte blocks of `input` into `output` (may be the same array). */
  update(input: Uint8Array, output: Uint8Array): void {
    const { block, chain } = this;
    for (let at = 0; at + 8 <= input.length; at += 8) {
      const a = readWord(input, at);
      const b = readWord(input, at + 4);
      if (this.decrypt) {
        block[0] = a; block[1] = b;
        blowfishDecrypt(this.state, block);
        writeWord(output, at, block[0] ^ chain[0]);
        writeWord(output, at + 4, block[1] ^ chain[1]);
        chain[0] = a; chain[1] = b;
      } else {
        block[0] = a ^ chain[0]; block[1] = b ^ chain[1];
        blowfishEncrypt(this.state, block);
        writeWord(output, at, block[0]);
        writeWord(output, at + 4, block[1]);
        chain[0] = block[0]; chain[1] = block[1];
      }
    }
  }
}

/** RFC 4344 §4 CTR: the IV is a 64-bit big-endian counter, +1 per block, running across packets. */
export class BlowfishCtr {
  private readonly state: BlowfishState;
  private readonly counter: Uint32Array;
  private readonly block = new Uint32Array(2);
  constructor(key: Uint8Array, iv: Uint8Array) {
    this.state = blowfishKey(key);
    this.counter = Uint32Array.of(readWord(iv, 0), readWord(iv, 4));
  }
  update(input: Uint8Array, output: Uint8Array): void {
    const { block, counter } = this;
    for (let at = 0; at + 8 <= input.length; at += 8) {
      block[0] = counter[0]; block[1] = counter[1];
      blowfishEncrypt(this.state, block);
      writeWord(output, at, readWord(input, at) ^ block[0]);
      writeWord(output, at + 4, readWord(input, at + 4) ^ block[1]);
      counter[1] = (counter[1] + 1) >>> 0;
      if (counter[1] === 0) counter[0] = (counter[0] + 1) >>> 0;
    }
  }
}
