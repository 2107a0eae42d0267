/**
 * @module sntrup761-encode
 * The byte encodings of Streamlined NTRU Prime sntrup761 (NTRU Prime round-3 submission, its Encode/Decode
 * definitions; the same as in draft-josefsson-ntruprime-streamlined and OpenSSH's sntrup761.c): the generic mixed-radix
 * Encode/Decode that packs integers R[i] in [0, M[i]) into bytes, and its three uses: Small (2 bits per
 * coefficient), R_q public keys (radix q) and Rounded ciphertexts (radix (q+2)/3).
 */
import { P, Q, Q12, type SmallPoly, type RqPoly } from './sntrup761-poly.ts';

/** Pairs are merged while their combined radix is below this; above it, low bytes are emitted first. */
const LIMB_LIMIT = 16384;

/**
 * Encode(R, M) of the specification: pairs (R[i], R[i+1]) become R[i] + M[i]·R[i+1] with radix M[i]·M[i+1];
 * while that radix is at least 2^14 its low byte is output; the halved list is encoded recursively. A single
 * remaining value is written little-endian in as many bytes as its radix needs.
 */
function encodeMixedRadix(values: readonly number[], radices: readonly number[], out: number[]): void {
  const n = radices.length;
  if (n === 0) return;
  if (n === 1) {
    let r = values[0];
    for (let m = radices[0]; m > 1; m = Math.ceil(m / 256)) {
      out.push(r & 0xff);
      r = Math.floor(r / 256);
    }
    return;
  }
  const nextValues: number[] = [];
  const nextRadices: number[] = [];
  for (let i = 0; i + 1 < n; i += 2) {
    let m = radices[i] * radices[i + 1];
    let r = values[i] + radices[i] * values[i + 1];
    while (m >= LIMB_LIMIT) {
      out.push(r & 0xff);
      r = Math.floor(r / 256);
      m = Math.ceil(m / 256);
    }
    nextValues.push(r);
    nextRadices.push(m);
  }
  if (n % 2 === 1) {
    nextValues.push(values[n - 1]);
    nextRadices.push(radices[n - 1]);
  }
  encodeMixedRadix(nextValues, nextRadices, out);
}

/**
 * Decode(S, M), the inverse of Encode. For byte strings that no encoder produced the result is still in range:
 * every value is reduced mod its radix as the reference does, so any 1158/1039-byte input decodes to something.
 */
function decodeMixedRadix(bytes: Uint8Array, start: number, radices: readonly number[]): number[] {
  const n = radices.length;
  if (n === 0) return [];
  if (n === 1) {
    let r = 0;
    let scale = 1;
    let offset = start;
    for (let m = radices[0]; m > 1; m = Math.ceil(m / 256)) {
      r += bytes[offset++] * scale;
      scale *= 256;
    }
    return [r % radices[0]];
  }
  const lowValues: number[] = [];
  const lowScales: number[] = [];
  const nextRadices: number[] = [];
  let offset = start;
  for (let i = 0; i + 1 < n; i += 2) {
    let m = radices[i] * radices[i + 1];
    let r = 0;
    let scale = 1;
    while (m >= LIMB_LIMIT) {
      r += bytes[offset++] * scale;
      scale *= 256;
      m = Math.ceil(m / 256);
    }
    lowValues.push(r);
    lowScales.push(scale);
    nextRadices.push(m);
  }
  if (n % 2 === 1) nextRadices.push(radices[n - 1]);
  const high = decodeMixedRadix(bytes, offset, nextRadices);
  const values: number[] = [];
  for (let i = 0; i + 1 < n; i += 2) {
    const r = lowValues[i / 2] + lowScales[i / 2] * high[i / 2];
    values.push(r % radices[i]);
    values.push(Math.floor(r / radices[i]) % radices[i + 1]);
  }
  if (n % 2 === 1) values.push(high[high.length - 1]);
  return values;
}

/** Bytes that Encode writes for these radices (it depends on the radices only). */
function encodedLength(radices: readonly number[]): number {
  const out: number[] = [];
  encodeMixedRadix(new Array<number>(radices.length).fill(0), radices, out);
  return out.length;
}

const RQ_RADICES: readonly number[] = new Array<number>(P).fill(Q);
/** Rounded coefficients are multiples of 3 in [-Q12, Q12]: 1531 possible values. */
const ROUNDED_RADIX = (Q + 2) / 3;
const ROUNDED_RADICES: readonly number[] = new Array<number>(P).fill(ROUNDED_RADIX);

/** 1158: an encoded element of R_q, the public key. */
export const RQ_BYTES = encodedLength(RQ_RADICES);
/** 1007: an encoded Rounded element, the first part of the ciphertext. */
export const ROUNDED_BYTES = encodedLength(ROUNDED_RADICES);
/** 191: a small polynomial at four coefficients a byte. */
export const SMALL_BYTES = Math.ceil(P / 4);

/** Rq_encode: each coefficient c in [-Q12, Q12] is written as c + Q12 in radix q. */
export function encodeRq(poly: RqPoly): Uint8Array {
  const values = Array.from(poly, (c) => c + Q12);
  const out: number[] = [];
  encodeMixedRadix(values, RQ_RADICES, out);
  return Uint8Array.from(out);
}

/** Rq_decode: reads RQ_BYTES bytes at the start of `bytes`. */
export function decodeRq(bytes: Uint8Array): RqPoly {
  const values = decodeMixedRadix(bytes, 0, RQ_RADICES);
  return Int16Array.from(values, (v) => v - Q12);
}

/** Rounded_encode: a multiple of 3 in [-Q12, Q12] is written as (c + Q12) / 3 in radix 1531. */
export function encodeRounded(poly: RqPoly): Uint8Array {
  const values = Array.from(poly, (c) => (c + Q12) / 3);
  const out: number[] = [];
  encodeMixedRadix(values, ROUNDED_RADICES, out);
  return Uint8Array.from(out);
}

/** Rounded_decode: reads ROUNDED_BYTES bytes at the start of `bytes`. */
export function decodeRounded(bytes: Uint8Array): RqPoly {
  const values = decodeMixedRadix(bytes, 0, ROUNDED_RADICES);
  return Int16Array.from(values, (v) => 3 * v - Q12);
}

/** Small_encode: coefficient c in {-1,0,1} becomes the 2-bit value c+1, four to a byte, lowest bits first. */
export function encodeSmall(poly: SmallPoly): Uint8Array {
  const out = new Uint8Array(SMALL_BYTES);
  for (let i = 0; i < P; i++) out[i >> 2] |= (poly[i] + 1) << (2 * (i & 3));
  return out;
}

/** Small_decode: each 2-bit field minus one (a field of 3, which no encoder writes, decodes to 2 as in the reference). */
export function decodeSmall(bytes: Uint8Array): SmallPoly {
  const poly = new Int8Array(P);
  for (let i = 0; i < P; i++) poly[i] = ((bytes[i >> 2] >> (2 * (i & 3))) & 3) - 1;
  return poly;
}
