/**
 * @module sntrup761-poly
 * Ring arithmetic of Streamlined NTRU Prime sntrup761 (NTRU Prime round-3 submission, parameters p = 761,
 * q = 4591, w = 286; draft-josefsson-ntruprime-streamlined): R = Z[x]/(x^p - x - 1), R_q = R/q, R_3 = R/3.
 * Elements of R_q are kept as centred representatives in [-(q-1)/2, (q-1)/2] (Int16Array); small elements, and
 * elements of R_3, as {-1, 0, 1} (Int8Array). Every product in the scheme has a small factor; it is computed by
 * Kronecker substitution with BigInt (about a millisecond). Inverses, needed only in key generation, use extended
 * Euclid, O(p^2) (tens of milliseconds).
 */

export const P = 761;
export const Q = 4591;
export const W = 286;
/** (q-1)/2 = 2295. */
export const Q12 = (Q - 1) / 2;

/** An element of R_q, coefficients centred in [-Q12, Q12]. */
export type RqPoly = Int16Array;
/** A small element of R (or of R_3), coefficients in {-1, 0, 1}. */
export type SmallPoly = Int8Array;

/** x mod q, centred in [-Q12, Q12], for any safe integer x. */
function freezeQ(x: number): number {
  let r = x % Q;
  r += (r >> 31) & Q; // now in [0, Q)
  return r - (((Q12 - r) >> 31) & Q);
}

/** x mod 3, centred in {-1, 0, 1}. */
function freeze3(x: number): number {
  let r = x % 3;
  r += (r >> 31) & 3; // now in {0, 1, 2}
  return r - (((1 - r) >> 31) & 3);
}

/**
 * Bits per coefficient in the packed integers of multiplyBySmall: a coefficient of the product is a sum of at most
 * p terms below q·3 (s + 1 is at most 3 even for the value 2 that Small_decode yields for bit pattern 11), so below
 * 2^24, and the slots never carry into each other.
 */
const SLOT_BITS = 24;
const SLOT_HEX = SLOT_BITS / 4;

/** Coefficients (non-negative, below 2^24) packed little-endian into one integer, SLOT_BITS apiece. */
function pack(coefficients: ArrayLike<number>): bigint {
  let hex = '0x';
  for (let i = coefficients.length - 1; i >= 0; i--) hex += coefficients[i].toString(16).padStart(SLOT_HEX, '0');
  return BigInt(hex);
}

/**
 * a·s mod (x^p - x - 1) and mod `modulus`, centred, for a with coefficients in [0, modulus) and s in {-1,0,1,2}. Kronecker
 * substitution: with every coefficient made non-negative (s + 1 in {0,1,2}), the polynomial product is the product
 * of two packed integers, which BigInt computes far faster than a schoolbook loop in JavaScript. Then
 * a·s = a·(s + 1) - a·(1 + x + ... + x^(p-1)), the second term being sums of windows of a.
 */
function multiplyBySmall(a: ArrayLike<number>, s: SmallPoly, modulus: number): Int32Array {
  const shifted = new Int32Array(P);
  for (let i = 0; i < P; i++) shifted[i] = s[i] + 1;
  const hex = (pack(a) * pack(shifted)).toString(16).padStart((2 * P - 1) * SLOT_HEX, '0');
  const prefix = new Float64Array(P + 1); // prefix[k] = a[0] + ... + a[k-1]
  for (let i = 0; i < P; i++) prefix[i + 1] = prefix[i] + a[i];
  const product = new Float64Array(2 * P - 1);
  for (let k = 0; k < 2 * P - 1; k++) {
    const end = hex.length - k * SLOT_HEX;
    const window = prefix[Math.min(k, P - 1) + 1] - prefix[Math.max(0, k - P + 1)];
    product[k] = parseInt(hex.slice(end - SLOT_HEX, end), 16) - window;
  }
  // x^(p+k) = x^(k+1) + x^k folds the top half down.
  for (let k = 2 * P - 2; k >= P; k--) {
    product[k - P + 1] += product[k];
    product[k - P] += product[k];
  }
  const out = new Int32Array(P);
  const half = (modulus - 1) / 2;
  for (let i = 0; i < P; i++) {
    let r = product[i] % modulus;
    if (r < 0) r += modulus;
    out[i] = r > half ? r - modulus : r;
  }
  return out;
}

/** Rq_mult_small: a·s in R_q for a in R_q and small s. */
export function multiplyRqSmall(a: RqPoly, s: SmallPoly): RqPoly {
  const nonNegative = Int32Array.from(a, (c) => c + ((c >> 31) & Q));
  return Int16Array.from(multiplyBySmall(nonNegative, s, Q));
}

/** R3_mult: a·b in R_3. */
export function multiplyR3(a: SmallPoly, b: SmallPoly): SmallPoly {
  const nonNegative = Int32Array.from(a, (c) => (c + 3) % 3);
  return Int8Array.from(multiplyBySmall(nonNegative, b, 3));
}

/** Rq_mult3: 3a in R_q. */
export function times3Rq(a: RqPoly): RqPoly {
  return Int16Array.from(a, (c) => freezeQ(3 * c));
}

/** R3_fromRq: each centred coefficient reduced mod 3. */
export function r3FromRq(a: RqPoly): SmallPoly {
  return Int8Array.from(a, (c) => freeze3(c));
}

/** Round: each coefficient to the nearest multiple of 3 (which stays inside [-Q12, Q12] since 3 divides Q12). */
export function roundRq(a: RqPoly): RqPoly {
  return Int16Array.from(a, (c) => c - freeze3(c));
}

/** The number of nonzero coefficients. */
export function weight(a: SmallPoly): number {
  let count = 0;
  for (let i = 0; i < P; i++) count += a[i] & 1; // -1 and 1 are odd, 0 is even
  return count;
}

/** b^(n-2) mod n: the inverse of b in the prime field F_n. */
function fieldInverse(b: number, n: number): number {
  let result = 1;
  let base = b % n;
  for (let e = n - 2; e > 0; e >>= 1) {
    if (e & 1) result = (result * base) % n;
    base = (base * base) % n;
  }
  return result;
}

/** Index of the highest nonzero coefficient at or below `from`, or -1. */
function degree(poly: Int32Array, from: number): number {
  let d = from;
  while (d >= 0 && poly[d] === 0) d--;
  return d;
}

/**
 * target[shift + i] -= c·source[i] mod n for i in 0..last, all values in [0, n). Adds (n - c)·source[i] to stay
 * non-negative and reduces with a floating-point quotient (off by at most one, then corrected), which is several
 * times faster than `%` in this hot loop.
 */
function subtractMultiple(target: Int32Array, shift: number, source: Int32Array, last: number, c: number, n: number) {
  const factor = n - c;
  const reciprocal = 1 / n;
  for (let i = 0; i <= last; i++) {
    const v = target[shift + i] + factor * source[i];
    let r = v - n * Math.floor(v * reciprocal);
    r += (r >> 31) & n;
    r -= ((n - 1 - r) >> 31) & n;
    target[shift + i] = r;
  }
}

/**
 * The inverse of a in F_n[x]/(x^p - x - 1) for a prime n (3 or q), or null when a is not invertible. Extended
 * Euclid on (x^p - x - 1, a), one leading term at a time, keeping u_i with r_i = u_i·a mod (x^p - x - 1). The
 * inverse is unique, so any correct algorithm gives the reference's bytes.
 */
function inverseModPrime(a: ArrayLike<number>, n: number): Int32Array | null {
  let r0 = new Int32Array(P + 1);
  r0[P] = 1;
  r0[1] = n - 1;
  r0[0] = n - 1;
  let r1 = new Int32Array(P + 1);
  for (let i = 0; i < P; i++) r1[i] = ((a[i] % n) + n) % n;
  // Bezout coefficients: their degree stays below p + 1 (deg u_i = p - deg r_(i-1)).
  let u0 = new Int32Array(P + 1);
  let u1 = new Int32Array(P + 1);
  u1[0] = 1;
  let deg0 = P;
  let deg1 = degree(r1, P - 1);
  let degU0 = -1;
  let degU1 = 0;
  while (deg1 >= 0) {
    const leadInverse = fieldInverse(r1[deg1], n);
    while (deg0 >= deg1) {
      const c = (r0[deg0] * leadInverse) % n;
      const shift = deg0 - deg1;
      subtractMultiple(r0, shift, r1, deg1, c, n);
      subtractMultiple(u0, shift, u1, degU1, c, n);
      degU0 = degree(u0, Math.max(degU0, degU1 + shift));
      deg0 = degree(r0, deg0 - 1);
    }
    [r0, r1] = [r1, r0];
    [u0, u1] = [u1, u0];
    [deg0, deg1] = [deg1, deg0];
    [degU0, degU1] = [degU1, degU0];
  }
  // r0 is now gcd(x^p - x - 1, a) up to a unit, and r0 = u0·a.
  if (deg0 !== 0) return null;
  const scale = fieldInverse(r0[0], n);
  const inverse = new Int32Array(P);
  for (let i = 0; i < P; i++) inverse[i] = (u0[i] * scale) % n;
  return inverse;
}

/** R3_recip: 1/g in R_3, or null when g is not invertible there (key generation then draws another g). */
export function reciprocalR3(g: SmallPoly): SmallPoly | null {
  const inverse = inverseModPrime(g, 3);
  return inverse === null ? null : Int8Array.from(inverse, freeze3);
}

/** Rq_recip3: 1/(3f) in R_q. x^p - x - 1 is irreducible mod q, so every nonzero f is invertible. */
export function reciprocal3fRq(f: SmallPoly): RqPoly {
  const inverse = inverseModPrime(Int32Array.from(f, (c) => 3 * c), Q);
  if (inverse === null) throw new Error('sntrup761: 3f has no inverse in R_q (f is zero)');
  return Int16Array.from(inverse, freezeQ);
}
