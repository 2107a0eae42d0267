/**
 * @module kex/pi
 * Binary digits of pi, computed with BigInt (Machin's formula, pi = 16 atan(1/5) - 4 atan(1/239)).
 * Two specifications are built from them: the RFC 2409 / RFC 3526 MODP primes (p = 2^N - 2^(N-64) - 1 +
 * 2^64 * (floor(2^(N-130) pi) + offset)) and Blowfish's initial P-array and S-boxes (the fractional hex digits of
 * pi, Schneier 1993). Computing them from the definition keeps thousands of hex digits out of the source.
 */

const GUARD_BITS = 64n;
let cachedBits = 0n;
let cachedPi = 0n; // floor(pi * 2^cachedBits)

/** atan(1/x) * 2^bits, by its Taylor series, truncated. */
function arctanInverse(x: bigint, bits: bigint): bigint {
  const x2 = x * x;
  let power = (1n << bits) / x; // 1/x^(2k+1), scaled
  let sum = power;
  for (let k = 1n; power !== 0n; k++) {
    power /= x2;
    const term = power / (2n * k + 1n);
    sum += k % 2n === 1n ? -term : term;
  }
  return sum;
}

/** floor(pi * 2^bits), exact for the bits asked for (64 guard bits absorb the truncation error). */
export function piScaled(bits: number): bigint {
  const want = BigInt(bits);
  if (want > cachedBits) {
    const work = want + GUARD_BITS;
    cachedPi = (16n * arctanInverse(5n, work) - 4n * arctanInverse(239n, work)) >> GUARD_BITS;
    cachedBits = want;
  }
  return cachedPi >> (cachedBits - want);
}

/** The first `count` 32-bit words of pi's fractional part (pi = 3.243f6a88 85a308d3... in hex). */
export function piFractionWords(count: number): Uint32Array {
  const bits = count * 32;
  const fraction = piScaled(bits) - (3n << BigInt(bits));
  const words = new Uint32Array(count);
  for (let i = 0; i < count; i++) {
    words[i] = Number((fraction >> BigInt((count - 1 - i) * 32)) & 0xffffffffn);
  }
  return words;
}
