/**
 * @module kex/modp-groups
 * The finite-field Diffie-Hellman groups SSH uses: RFC 2409 §6.2 Oakley group 2 (diffie-hellman-group1-sha1,
 * RFC 4253 §8.1) and the RFC 3526 MODP groups 14-18 (RFC 4253 §8.2, RFC 8268). All have generator 2.
 * Each prime is defined by RFC 3526 §1-§7 (and RFC 2409 §6.2) as
 *   p = 2^N - 2^(N-64) - 1 + 2^64 * (floor(2^(N-130) * pi) + offset),
 * which is what is computed here (see ./pi.ts); tests check each against node:crypto's built-in copies and that
 * p and (p-1)/2 are prime. Also BigInt modular arithmetic shared by DH and RSA.
 */
import { piScaled } from './pi.ts';

export type ModpGroupName = 'group1' | 'group14' | 'group15' | 'group16' | 'group17' | 'group18';

export interface ModpGroupSpec {
  name: ModpGroupName;
  /** Bit length N of the prime. */
  bits: number;
  /** The offset in the RFC's formula. */
  offset: bigint;
  /** Where the group is defined. */
  rfc: string;
}

export const MODP_GROUPS: readonly ModpGroupSpec[] = [
  { name: 'group1', bits: 1024, offset: 129093n, rfc: 'RFC 2409 §6.2 (Oakley group 2)' },
  { name: 'group14', bits: 2048, offset: 124476n, rfc: 'RFC 3526 §3' },
  { name: 'group15', bits: 3072, offset: 1690314n, rfc: 'RFC 3526 §4' },
  { name: 'group16', bits: 4096, offset: 240904n, rfc: 'RFC 3526 §5' },
  { name: 'group17', bits: 6144, offset: 929484n, rfc: 'RFC 3526 §6' },
  { name: 'group18', bits: 8192, offset: 4743158n, rfc: 'RFC 3526 §7' },
];

export interface DhGroup {
  p: bigint;
  g: bigint;
}

const primes = new Map<ModpGroupName, bigint>();

/** The prime of a MODP group, from the RFC 3526 formula (computed once, then cached). */
export function modpGroup(name: ModpGroupName): DhGroup & { bits: number; name: ModpGroupName } {
  const spec = MODP_GROUPS.find((g) => g.name === name)!;
  let p = primes.get(name);
  if (p === undefined) {
    const n = BigInt(spec.bits);
    p = (1n << n) - (1n << (n - 64n)) - 1n + (1n << 64n) * (piScaled(spec.bits - 130) + spec.offset);
    primes.set(name, p);
  }
  return { name, bits: spec.bits, p, g: 2n };
}

/** base^exponent mod modulus, square-and-multiply over the exponent's bits (exponent >= 0). */
export function modPow(base: bigint, exponent: bigint, modulus: bigint): bigint {
  if (modulus === 1n) return 0n;
  let result = 1n;
  let b = ((base % modulus) + modulus) % modulus;
  let e = exponent;
  while (e > 0n) {
    if (e & 1n) result = (result * b) % modulus;
    b = (b * b) % modulus;
    e >>= 1n;
  }
  return result;
}

/** Two lower-case hex digits per byte value, and each hex digit's value by character code (BigInt's toString(16)). */
const HEX_PAIRS = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
const HEX_DIGIT = new Uint8Array(128);
for (let d = 0; d < 16; d++) HEX_DIGIT[d.toString(16).charCodeAt(0)] = d;

/** Bits of a non-negative n: 4 per hex digit, less the leading zero bits of the first one. */
export function bitLength(n: bigint): number {
  if (n === 0n) return 0;
  const hex = n.toString(16);
  return hex.length * 4 - Math.clz32(HEX_DIGIT[hex.charCodeAt(0)]) + 28;
}

/** Unsigned big-endian bytes -> bigint. */
export function bytesToBigInt(bytes: Uint8Array): bigint {
  if (bytes.length === 0) return 0n;
  const hex = new Array<string>(bytes.length);
  for (let i = 0; i < bytes.length; i++) hex[i] = HEX_PAIRS[bytes[i]];
  return BigInt('0x' + hex.join(''));
}

/** bigint -> unsigned big-endian bytes, left-padded with zeros to `length` (minimal when `length` is omitted). */
export function bigIntToBytes(value: bigint, length?: number): Uint8Array {
  const hex = value === 0n ? '' : value.toString(16);
  const minimal = (hex.length + 1) >> 1;
  const out = new Uint8Array(length ?? minimal);
  // An odd-length hex string has its lone first digit as the first byte.
  let at = out.length - minimal;
  let i = 0;
  if (hex.length & 1) out[at++] = HEX_DIGIT[hex.charCodeAt(i++)];
  for (; i < hex.length; i += 2) out[at++] = (HEX_DIGIT[hex.charCodeAt(i)] << 4) | HEX_DIGIT[hex.charCodeAt(i + 1)];
  return out;
}

/** Miller-Rabin with the given witnesses (deterministic bases, or random ones drawn by the caller). */
export function isProbablePrime(n: bigint, witnesses: readonly bigint[]): boolean {
  if (n < 2n) return false;
  for (const small of SMALL_PRIMES) {
    if (n === small) return true;
    if (n % small === 0n) return false;
  }
  let d = n - 1n;
  let s = 0;
  while ((d & 1n) === 0n) {
    d >>= 1n;
    s++;
  }
  next: for (const w of witnesses) {
    const a = 2n + (w % (n - 3n));
    let x = modPow(a, d, n);
    if (x === 1n || x === n - 1n) continue;
    for (let r = 1; r < s; r++) {
      x = (x * x) % n;
      if (x === n - 1n) continue next;
    }
    return false;
  }
  return true;
}

export const SMALL_PRIMES: readonly bigint[] = (() => {
  const out: bigint[] = [];
  for (let n = 2; n < 2000; n++) {
    let prime = true;
    for (let d = 2; d * d <= n; d++) if (n % d === 0) prime = false;
    if (prime) out.push(BigInt(n));
  }
  return out;
})();
