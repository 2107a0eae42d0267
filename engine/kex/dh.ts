/**
 * @module kex/dh
 * Finite-field Diffie-Hellman for SSH: the fixed groups (RFC 4253 §8, RFC 8268) and group exchange (RFC 4419).
 * x and y are private exponents, e = g^x mod p, f = g^y mod p, K = f^x = e^y mod p; each side checks that the
 * peer's value lies in [1, p-1] and, as OpenSSH does, refuses 1 and p-1 too (RFC 4253 §8: "1 < e < p-1").
 */
import { KexError } from './errors.ts';
import {
  MODP_GROUPS, bigIntToBytes, bitLength, bytesToBigInt, modPow, modpGroup, type DhGroup, type ModpGroupName,
} from './modp-groups.ts';
import { mpintSecret, type SharedSecret } from './shared-secret.ts';

export type RandomBytes = (n: number) => Uint8Array;

/**
 * Size of a generated private exponent: 512 bits (or p's size less 2, for small p). RFC 3526 §8 estimates the
 * strength of the largest group at 190-310 bits and asks for an exponent twice that; OpenSSH uses twice the
 * needed key bits, capped the same way.
 */
const EXPONENT_BITS = 512;

/**
 * A fresh private exponent x with 1 < x < p-1, its top bit set: then g^x wraps mod p, so e is never a small power of
 * two (which OpenSSH's dh_pub_is_valid refuses: it wants more than one bit set).
 */
export function dhPrivateExponent(group: DhGroup, randomBytes: RandomBytes): bigint {
  const bits = Math.min(EXPONENT_BITS, bitLength(group.p) - 2);
  const raw = bytesToBigInt(randomBytes(Math.ceil(bits / 8))) & ((1n << BigInt(bits)) - 1n);
  return raw | (1n << BigInt(bits - 1));
}

export function dhPublicValue(group: DhGroup, exponent: bigint): bigint {
  return modPow(group.g, exponent, group.p);
}

/** RFC 4253 §8: a public value must lie strictly between 1 and p-1. */
export function checkDhPublicValue(group: DhGroup, value: bigint, name: string): void {
  if (value <= 1n || value >= group.p - 1n) {
    throw new KexError('bad-public-value', `DH public value ${name} must satisfy 1 < ${name} < p-1; it is ${describe(value, group.p)}`, name);
  }
}

/** K = peer^exponent mod p, as the mpint it is hashed as. */
export function dhSharedSecret(group: DhGroup, exponent: bigint, peerPublic: bigint, peerName: string): SharedSecret {
  checkDhPublicValue(group, peerPublic, peerName);
  return mpintSecret(bigIntToBytes(modPow(peerPublic, exponent, group.p)));
}

/** RFC 4419 §3 limits on the modulus size a client may ask for. */
export const GEX_MIN_BITS = 1024;
export const GEX_MAX_BITS = 8192;

/**
 * RFC 4419 §3: the server picks a safe-prime group of size in [min, max], as close to n as it can (here: the
 * smallest group of at least n bits, else the largest below n). sshlens's server takes the RFC 3526 groups (and
 * RFC 2409's group 2 for 1024 bits); OpenSSH reads /etc/ssh/moduli instead.
 */
export function chooseGexGroup(min: number, n: number, max: number): DhGroup & { name: ModpGroupName; bits: number } {
  if (!(min <= n && n <= max)) {
    throw new KexError('no-group', `group exchange request is inconsistent: it needs min <= n <= max, got min ${min}, n ${n}, max ${max}`);
  }
  const fits = MODP_GROUPS.filter((g) => g.bits >= min && g.bits <= max);
  const chosen = fits.find((g) => g.bits >= n) ?? fits[fits.length - 1];
  if (!chosen) {
    throw new KexError('no-group', `no known safe-prime group between ${min} and ${max} bits (known: ${MODP_GROUPS.map((g) => g.bits).join(', ')})`);
  }
  return modpGroup(chosen.name);
}

function describe(value: bigint, p: bigint): string {
  if (value < 0n) return 'negative';
  if (value === 0n || value === 1n) return String(value);
  if (value === p - 1n) return 'p-1';
  return value >= p ? 'not below p' : `a ${bitLength(value)}-bit number`;
}
