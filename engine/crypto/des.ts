/**
 * @module crypto/des
 * DES (FIPS 46-3) and Triple DES in EDE mode with three keys (FIPS 46-3 §"Triple DES", NIST SP 800-67), with CBC
 * chaining across calls as SSH's `3des-cbc` needs (RFC 4253 §6.3: 24-byte key, 8-byte IV, 8-byte blocks).
 * noble has no DES; this is a small table-driven implementation: the S-boxes are merged with the P permutation
 * once, and the initial/final permutations are applied a byte at a time through precomputed tables.
 */

// FIPS 46-3 tables, 1-based bit numbers counted from the most significant bit.
const IP = [
  58, 50, 42, 34, 26, 18, 10, 2, 60, 52, 44, 36, 28, 20, 12, 4, 62, 54, 46, 38, 30, 22, 14, 6, 64, 56, 48, 40, 32, 24,
  16, 8, 57, 49, 41, 33, 25, 17, 9, 1, 59, 51, 43, 35, 27, 19, 11, 3, 61, 53, 45, 37, 29, 21, 13, 5, 63, 55, 47, 39,
  31, 23, 15, 7,
];
const P = [16, 7, 20, 21, 29, 12, 28, 17, 1, 15, 23, 26, 5, 18, 31, 10, 2, 8, 24, 14, 32, 27, 3, 9, 19, 13, 30, 6, 22,
  11, 4, 25];
const PC1 = [
  57, 49, 41, 33, 25, 17, 9, 1, 58, 50, 42, 34, 26, 18, 10, 2, 59, 51, 43, 35, 27, 19, 11, 3, 60, 52, 44, 36,
  63, 55, 47, 39, 31, 23, 15, 7, 62, 54, 46, 38, 30, 22, 14, 6, 61, 53, 45, 37, 29, 21, 13, 5, 28, 20, 12, 4,
];
const PC2 = [
  14, 17, 11, 24, 1, 5, 3, 28, 15, 6, 21, 10, 23, 19, 12, 4, 26, 8, 16, 7, 27, 20, 13, 2,
  41, 52, 31, 37, 47, 55, 30, 40, 51, 45, 33, 48, 44, 49, 39, 56, 34, 53, 46, 42, 50, 36, 29, 32,
];
const SHIFTS = [1, 1, 2, 2, 2, 2, 2, 2, 1, 2, 2, 2, 2, 2, 2, 1];
const S = [
  [14, 4, 13, 1, 2, 15, 11, 8, 3, 10, 6, 12, 5, 9, 0, 7, 0, 15, 7, 4, 14, 2, 13, 1, 10, 6, 12, 11, 9, 5, 3, 8,
    4, 1, 14, 8, 13, 6, 2, 11, 15, 12, 9, 7, 3, 10, 5, 0, 15, 12, 8, 2, 4, 9, 1, 7, 5, 11, 3, 14, 10, 0, 6, 13],
  [15, 1, 8, 14, 6, 11, 3, 4, 9, 7, 2, 13, 12, 0, 5, 10, 3, 13, 4, 7, 15, 2, 8, 14, 12, 0, 1, 10, 6, 9, 11, 5,
    0, 14, 7, 11, 10, 4, 13, 1, 5, 8, 12, 6, 9, 3, 2, 15, 13, 8, 10, 1, 3, 15, 4, 2, 11, 6, 7, 12, 0, 5, 14, 9],
  [10, 0, 9, 14, 6, 3, 15, 5, 1, 13, 12, 7, 11, 4, 2, 8, 13, 7, 0, 9, 3, 4, 6, 10, 2, 8, 5, 14, 12, 11, 15, 1,
    13, 6, 4, 9, 8, 15, 3, 0, 11, 1, 2, 12, 5, 10, 14, 7, 1, 10, 13, 0, 6, 9, 8, 7, 4, 15, 14, 3, 11, 5, 2, 12],
  [7, 13, 14, 3, 0, 6, 9, 10, 1, 2, 8, 5, 11, 12, 4, 15, 13, 8, 11, 5, 6, 15, 0, 3, 4, 7, 2, 12, 1, 10, 14, 9,
    10, 6, 9, 0, 12, 11, 7, 13, 15, 1, 3, 14, 5, 2, 8, 4, 3, 15, 0, 6, 10, 1, 13, 8, 9, 4, 5, 11, 12, 7, 2, 14],
  [2, 12, 4, 1, 7, 10, 11, 6, 8, 5, 3, 15, 13, 0, 14, 9, 14, 11, 2, 12, 4, 7, 13, 1, 5, 0, 15, 10, 3, 9, 8, 6,
    4, 2, 1, 11, 10, 13, 7, 8, 15, 9, 12, 5, 6, 3, 0, 14, 11, 8, 12, 7, 1, 14, 2, 13, 6, 15, 0, 9, 10, 4, 5, 3],
  [12, 1, 10, 15, 9, 2, 6, 8, 0, 13, 3, 4, 14, 7, 5, 11, 10, 15, 4, 2, 7, 12, 9, 5, 6, 1, 13, 14, 0, 11, 3, 8,
    9, 14, 15, 5, 2, 8, 12, 3, 7, 0, 4, 10, 1, 13, 11, 6, 4, 3, 2, 12, 9, 5, 15, 10, 11, 14, 1, 7, 6, 0, 8, 13],
  [4, 11, 2, 14, 15, 0, 8, 13, 3, 12, 9, 7, 5, 10, 6, 1, 13, 0, 11, 7, 4, 9, 1, 10, 14, 3, 5, 12, 2, 15, 8, 6,
    1, 4, 11, 13, 12, 3, 7, 14, 10, 15, 6, 8, 0, 5, 9, 2, 6, 11, 13, 8, 1, 4, 10, 7, 9, 5, 0, 15, 14, 2, 3, 12],
  [13, 2, 8, 4, 6, 15, 11, 1, 10, 9, 3, 14, 5, 0, 12, 7, 1, 15, 13, 8, 10, 3, 7, 4, 12, 5, 6, 11, 0, 14, 9, 2,
    7, 11, 4, 1, 9, 12, 14, 2, 0, 6, 10, 13, 15, 3, 5, 8, 2, 1, 14, 7, 4, 10, 8, 13, 15, 12, 9, 0, 3, 5, 6, 11],
];

/** SP[box][6-bit input] = P(S_box(input) placed at the box's 4 output bits). */
const SP: Uint32Array[] = S.map((box, b) => {
  const table = new Uint32Array(64);
  for (let x = 0; x < 64; x++) {
    const row = ((x >> 4) & 2) | (x & 1);
    const column = (x >> 1) & 15;
    const sOut = box[row * 16 + column] << (28 - 4 * b); // bits 4b+1..4b+4 of the 32-bit result
    let permuted = 0;
    for (let i = 0; i < 32; i++) if ((sOut >>> (32 - P[i])) & 1) permuted |= 1 << (31 - i);
    table[x] = permuted >>> 0;
  }
  return table;
});

/** A 64-bit permutation as byte tables: out = OR over input byte positions of table[pos][byte] (hi, lo words). */
function byteTables(permutation: number[]): Uint32Array {
  const t = new Uint32Array(8 * 256 * 2);
  for (let pos = 0; pos < 8; pos++) {
    for (let value = 0; value < 256; value++) {
      let hi = 0, lo = 0;
      for (let out = 0; out < 64; out++) {
        const src = permutation[out] - 1; // 0-based input bit
        if ((src >> 3) !== pos || !((value >> (7 - (src & 7))) & 1)) continue;
        if (out < 32) hi |= 1 << (31 - out); else lo |= 1 << (63 - out);
      }
      t[(pos * 256 + value) * 2] = hi >>> 0;
      t[(pos * 256 + value) * 2 + 1] = lo >>> 0;
    }
  }
  return t;
}
const FP = IP.map((_, i) => IP.indexOf(i + 1) + 1); // IP^-1
const IP_TABLES = byteTables(IP);
const FP_TABLES = byteTables(FP);

function permute(tables: Uint32Array, hi: number, lo: number, out: Uint32Array): void {
  let h = 0, l = 0;
  for (let pos = 0; pos < 8; pos++) {
    const value = pos < 4 ? (hi >>> (24 - 8 * pos)) & 0xff : (lo >>> (56 - 8 * pos)) & 0xff;
    const i = (pos * 256 + value) * 2;
    h |= tables[i]; l |= tables[i + 1];
  }
  out[0] = h >>> 0; out[1] = l >>> 0;
}

/** FIPS 46-3 key schedule: 16 subkeys of eight 6-bit groups each. */
function keySchedule(key: Uint8Array, offset: number): Uint8Array {
  const bit = (n: number) => (key[offset + ((n - 1) >> 3)] >> (7 - ((n - 1) & 7))) & 1;
  let c = 0, d = 0;
  for (let i = 0; i < 28; i++) { c = (c << 1) | bit(PC1[i]); d = (d << 1) | bit(PC1[28 + i]); }
  const subkeys = new Uint8Array(16 * 8);
  for (let round = 0; round < 16; round++) {
    for (let s = 0; s < SHIFTS[round]; s++) {
      c = ((c << 1) | (c >>> 27)) & 0xfffffff;
      d = ((d << 1) | (d >>> 27)) & 0xfffffff;
    }
    for (let group = 0; group < 8; group++) {
      let six = 0;
      for (let j = 0; j < 6; j++) {
        const n = PC2[group * 6 + j]; // 1..56 over C|D
        const b = n <= 28 ? (c >>> (28 - n)) & 1 : (d >>> (56 - n)) & 1;
        six = (six << 1) | b;
      }
      subkeys[round * 8 + group] = six;
    }
  }
  return subkeys;
}

/** The 16 Feistel rounds on an IP-permuted block; `decrypt` runs the subkeys backwards. */
function rounds(subkeys: Uint8Array, decrypt: boolean, block: Uint32Array): void {
  let l = block[0], r = block[1];
  for (let round = 0; round < 16; round++) {
    const k = (decrypt ? 15 - round : round) * 8;
    let f = 0;
    for (let group = 0; group < 8; group++) {
      const shift = (4 * group - 1 + 32) % 32; // E: group g reads bits 4g..4g+5 (bit 0 meaning bit 32)
      const six = (((r << shift) | (r >>> (32 - shift))) >>> 26) & 63;
      f |= SP[group][six ^ subkeys[k + group]];
    }
    const next = (l ^ f) >>> 0;
    l = r; r = next;
  }
  block[0] = r; block[1] = l; // the final swap
}

/** One DES key: encrypts/decrypts single 8-byte blocks given as two big-endian words. */
export class Des {
  private readonly subkeys: Uint8Array;
  private readonly scratch = new Uint32Array(2);
  constructor(key: Uint8Array, offset = 0) {
    this.subkeys = keySchedule(key, offset);
  }
  /** Transforms the block (hi, lo) in `block` in place. */
  crypt(block: Uint32Array, decrypt: boolean): void {
    const s = this.scratch;
    permute(IP_TABLES, block[0], block[1], s);
    rounds(this.subkeys, decrypt, s);
    permute(FP_TABLES, s[0], s[1], block);
  }
}

/** SP 800-67 §3.1: TDEA EDE with keys K1, K2, K3 (24 bytes): C = E_K3(D_K2(E_K1(P))). */
export class TripleDes {
  private readonly k1: Des; private readonly k2: Des; private readonly k3: Des;
  constructor(key: Uint8Array) {
    this.k1 = new Des(key, 0); this.k2 = new Des(key, 8); this.k3 = new Des(key, 16);
  }
  encryptBlock(block: Uint32Array): void {
    this.k1.crypt(block, false); this.k2.crypt(block, true); this.k3.crypt(block, false);
  }
  decryptBlock(block: Uint32Array): void {
    this.k3.crypt(block, true); this.k2.crypt(block, false); this.k1.crypt(block, true);
  }
}

const readWord = (b: Uint8Array, o: number) => ((b[o] << 24) | (b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3]) >>> 0;
function writeWord(b: Uint8Array, o: number, w: number): void {
  b[o] = w >>> 24; b[o + 1] = w >>> 16; b[o + 2] = w >>> 8; b[o + 3] = w;
}

/** 3DES-CBC for one direction (RFC 4253 §6.3 `3des-cbc`): the IV chains across calls; 8-byte blocks. */
export class TripleDesCbc {
  private readonly cipher: TripleDes;
  private readonly block = new Uint32Array(2);
  private v0: number; private v1: number;
  constructor(key: Uint8Array, iv: Uint8Array, private readonly decrypt: boolean) {
    this.cipher = new TripleDes(key);
    this.v0 = readWord(iv, 0); this.v1 = readWord(iv, 4);
  }
  /** Transforms whole 8-byte blocks of `input` into `output` (may be the same array). */
  update(input: Uint8Array, output: Uint8Array): void {
    const b = this.block;
    for (let o = 0; o + 8 <= input.length; o += 8) {
      const c0 = readWord(input, o), c1 = readWord(input, o + 4);
      if (this.decrypt) {
        b[0] = c0; b[1] = c1;
        this.cipher.decryptBlock(b);
        writeWord(output, o, b[0] ^ this.v0); writeWord(output, o + 4, b[1] ^ this.v1);
        this.v0 = c0; this.v1 = c1;
      } else {
        b[0] = c0 ^ this.v0; b[1] = c1 ^ this.v1;
        this.cipher.encryptBlock(b);
        this.v0 = b[0]; this.v1 = b[1];
        writeWord(output, o, b[0]); writeWord(output, o + 4, b[1]);
      }
    }
  }
}
