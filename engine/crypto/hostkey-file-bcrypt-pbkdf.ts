/**
 * @module crypto/hostkey-file-bcrypt-pbkdf
 * bcrypt_pbkdf, the key derivation of passphrase-protected OpenSSH private keys (OpenSSH PROTOCOL.key; defined in
 * OpenBSD's bcrypt_pbkdf(3)): PBKDF2-like rounds of SHA-512 and a "bcrypt hash" that runs the Eksblowfish key schedule
 * (Provos & Mazieres 1999) 64 times and encrypts "OxychromaticBlowfishSwatDynamite" 64 times. Blowfish (Schneier
 * 1993) is written here from its specification; its initial P-array and S-boxes are the hex digits of pi, computed
 * in ../kex/pi.ts rather than pasted.
 */
import { sha512 } from '@noble/hashes/sha2.js';
import { piFractionWords } from '../kex/pi.ts';

let initialWords: Uint32Array | null = null;

export interface BlowfishState {
  P: Uint32Array; // 18 subkeys
  S: Uint32Array; // 4 S-boxes of 256 words, one after another
}

/** Blowfish's initial state: P1..P18 then S1..S4 are the first 1042 words of pi's fraction. */
export function blowfishInitialState(): BlowfishState {
  initialWords ??= piFractionWords(18 + 4 * 256);
  return { P: initialWords.slice(0, 18), S: initialWords.slice(18) };
}

/** Encrypts one 64-bit block (l, r) in place in `block` at `at`: 16 Feistel rounds. */
export function blowfishEncrypt(state: BlowfishState, block: Uint32Array, at = 0): void {
  const { P, S } = state;
  let l = block[at];
  let r = block[at + 1];
  l ^= P[0];
  for (let i = 1; i <= 16; i += 2) {
    r ^= (((S[l >>> 24] + S[256 | ((l >>> 16) & 0xff)]) ^ S[512 | ((l >>> 8) & 0xff)]) + S[768 | (l & 0xff)]) ^ P[i];
    l ^= (((S[r >>> 24] + S[256 | ((r >>> 16) & 0xff)]) ^ S[512 | ((r >>> 8) & 0xff)]) + S[768 | (r & 0xff)]) ^ P[i + 1];
  }
  block[at] = (r ^ P[17]) >>> 0;
  block[at + 1] = l >>> 0;
}

/** Reads 4 bytes big-endian from `data`, cycling back to its start (Blowfish's key and salt streams). */
class ByteStream {
  private at = 0;
  constructor(private readonly data: Uint8Array) {}
  word(): number {
    let w = 0;
    for (let i = 0; i < 4; i++) {
      if (this.at >= this.data.length) this.at = 0;
      w = (w << 8) | this.data[this.at++];
    }
    return w >>> 0;
  }
}

/**
 * Eksblowfish's ExpandKey(state, salt, key): XOR the key into P, then refill P and the S-boxes with the running
 * encryption, mixing in the salt. With no salt this is Blowfish's own key schedule.
 */
export function blowfishExpand(state: BlowfishState, key: Uint8Array, salt?: Uint8Array): void {
  const keyStream = new ByteStream(key);
  for (let i = 0; i < 18; i++) state.P[i] ^= keyStream.word();
  const saltStream = salt ? new ByteStream(salt) : null;
  const block = new Uint32Array(2);
  const refill = (target: Uint32Array) => {
    for (let i = 0; i < target.length; i += 2) {
      if (saltStream) {
        block[0] ^= saltStream.word();
        block[1] ^= saltStream.word();
      }
      blowfishEncrypt(state, block);
      target[i] = block[0];
      target[i + 1] = block[1];
    }
  };
  refill(state.P);
  refill(state.S);
}

const MAGIC = new TextEncoder().encode('OxychromaticBlowfishSwatDynamite');

/** bcrypt_pbkdf's inner hash of SHA-512(passphrase) and SHA-512(salt | count): 32 bytes. */
function bcryptHash(sha2pass: Uint8Array, sha2salt: Uint8Array): Uint8Array {
  const state = blowfishInitialState();
  blowfishExpand(state, sha2pass, sha2salt);
  for (let i = 0; i < 64; i++) {
    blowfishExpand(state, sha2salt);
    blowfishExpand(state, sha2pass);
  }
  const magic = new ByteStream(MAGIC);
  const cdata = new Uint32Array(8);
  for (let i = 0; i < 8; i++) cdata[i] = magic.word();
  for (let i = 0; i < 64; i++) for (let b = 0; b < 8; b += 2) blowfishEncrypt(state, cdata, b);
  // The words come out little-endian.
  const out = new Uint8Array(32);
  for (let i = 0; i < 8; i++) {
    out[4 * i] = cdata[i] & 0xff;
    out[4 * i + 1] = (cdata[i] >>> 8) & 0xff;
    out[4 * i + 2] = (cdata[i] >>> 16) & 0xff;
    out[4 * i + 3] = cdata[i] >>> 24;
  }
  return out;
}

/**
 * bcrypt_pbkdf(passphrase, salt, rounds) -> keyLength bytes. The output bytes are spread across the blocks
 * (byte i of block c lands at i * stride + c), so every byte depends on every round.
 */
export function bcryptPbkdf(passphrase: Uint8Array, salt: Uint8Array, keyLength: number, rounds: number): Uint8Array {
  if (rounds < 1 || passphrase.length === 0 || salt.length === 0 || keyLength < 1 || keyLength > 32 * 32) {
    throw new RangeError('bcrypt_pbkdf needs rounds >= 1, a non-empty passphrase and salt, and 1..1024 output bytes');
  }
  const key = new Uint8Array(keyLength);
  const stride = Math.ceil(keyLength / 32);
  let amount = Math.ceil(keyLength / stride);
  const sha2pass = sha512(passphrase);
  const countSalt = new Uint8Array(salt.length + 4);
  countSalt.set(salt);
  let remaining = keyLength;
  for (let count = 1; remaining > 0; count++) {
    new DataView(countSalt.buffer).setUint32(salt.length, count);
    let tmp = bcryptHash(sha2pass, sha512(countSalt));
    const out = tmp.slice();
    for (let i = 1; i < rounds; i++) {
      tmp = bcryptHash(sha2pass, sha512(tmp));
      for (let j = 0; j < out.length; j++) out[j] ^= tmp[j];
    }
    amount = Math.min(amount, remaining);
    let i = 0;
    for (; i < amount; i++) {
      const dest = i * stride + (count - 1);
      if (dest >= keyLength) break;
      key[dest] = out[i];
    }
    remaining -= i;
  }
  return key;
}
