/**
 * @module kex/ecdh
 * Elliptic-curve Diffie-Hellman for SSH: X25519 and X448 (curve25519-sha256, curve448-sha512, RFC 8731 §3, on
 * RFC 7748 §5/§6), the NIST curves (ecdh-sha2-nistp256/384/521, RFC 5656 §4 and §7.1) and secp256k1
 * (ecdh-sha2-1.3.132.0.10, RFC 5656 §6.1). Public values are the 32- or 56-byte u-coordinate, or an uncompressed
 * SEC1 point (0x04 | x | y). K is the X25519/X448 output, or the x coordinate of the shared point, read as an
 * unsigned big-endian number and hashed as an mpint.
 */
import { x25519 } from '@noble/curves/ed25519.js';
import { x448 } from '@noble/curves/ed448.js';
import { p256, p384, p521 } from '@noble/curves/nist.js';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { KexError } from './errors.ts';
import { bigIntToBytes, bytesToBigInt } from './modp-groups.ts';
import type { MontgomeryCurveName, NistCurveName } from './methods.ts';
import { mpintSecret, type SharedSecret } from './shared-secret.ts';
import type { RandomBytes } from './dh.ts';

export interface EcKeyPair {
  privateKey: Uint8Array;
  publicKey: Uint8Array;
}

/** RFC 7748 §6.1: a random 32-byte scalar (clamped inside the X25519 function) and its public u-coordinate. */
export function x25519KeyPair(randomBytes: RandomBytes): EcKeyPair {
  const privateKey = randomBytes(32);
  return { privateKey, publicKey: x25519.getPublicKey(privateKey) };
}

export function x25519PublicKey(privateKey: Uint8Array): Uint8Array {
  return x25519.getPublicKey(privateKey);
}

/** The raw 32-byte X25519 output; RFC 8731 §3 (and RFC 7748 §6.1): an all-zero result aborts the exchange. */
export function x25519SharedBytes(privateKey: Uint8Array, peerPublic: Uint8Array, peerName: string): Uint8Array {
  if (peerPublic.length !== 32) {
    throw new KexError('bad-public-value', `X25519 public value ${peerName} must be 32 bytes, it is ${peerPublic.length}`, peerName);
  }
  let shared: Uint8Array;
  try {
    shared = x25519.getSharedSecret(privateKey, peerPublic);
  } catch {
    shared = new Uint8Array(32); // noble refuses the all-zero output itself; report it the same way
  }
  if (shared.every((b) => b === 0)) {
    throw new KexError('zero-shared-secret', `X25519 with ${peerName} gives the all-zero value: RFC 8731 §3 requires aborting the exchange`, peerName);
  }
  return shared;
}

/** RFC 8731 §3: K = X25519 output read as an unsigned big-endian number, an mpint. */
export function x25519SharedSecret(privateKey: Uint8Array, peerPublic: Uint8Array, peerName: string): SharedSecret {
  return mpintSecret(x25519SharedBytes(privateKey, peerPublic, peerName));
}

const MONTGOMERY = {
  x25519: { fn: x25519, bytes: 32, label: 'X25519' },
  x448: { fn: x448, bytes: 56, label: 'X448' },
} as const;

/** Scalar and public value size in bytes of each Montgomery curve (RFC 7748 §5). */
export const MONTGOMERY_BYTES: Readonly<Record<MontgomeryCurveName, number>> = { x25519: 32, x448: 56 };

/** RFC 7748 §6: a random scalar (clamped inside the function) and its public u-coordinate, for X25519 or X448. */
export function montgomeryKeyPair(curve: MontgomeryCurveName, randomBytes: RandomBytes): EcKeyPair {
  const privateKey = randomBytes(MONTGOMERY[curve].bytes);
  return { privateKey, publicKey: MONTGOMERY[curve].fn.getPublicKey(privateKey) };
}

export function montgomeryPublicKey(curve: MontgomeryCurveName, privateKey: Uint8Array): Uint8Array {
  return MONTGOMERY[curve].fn.getPublicKey(privateKey);
}

/** RFC 8731 §3: K = the X25519 or X448 output read as an unsigned big-endian number; an all-zero output aborts. */
export function montgomerySharedSecret(curve: MontgomeryCurveName, privateKey: Uint8Array, peerPublic: Uint8Array, peerName: string): SharedSecret {
  if (curve === 'x25519') return x25519SharedSecret(privateKey, peerPublic, peerName);
  const { fn, bytes, label } = MONTGOMERY[curve];
  if (peerPublic.length !== bytes) {
    throw new KexError('bad-public-value', `${label} public value ${peerName} must be ${bytes} bytes, it is ${peerPublic.length}`, peerName);
  }
  let shared: Uint8Array;
  try {
    shared = fn.getSharedSecret(privateKey, peerPublic);
  } catch {
    shared = new Uint8Array(bytes);
  }
  if (shared.every((b) => b === 0)) {
    throw new KexError('zero-shared-secret', `${label} with ${peerName} gives the all-zero value: RFC 8731 §3 requires aborting the exchange`, peerName);
  }
  return mpintSecret(shared);
}

const CURVES = { p256, p384, p521, secp256k1 } as const;

/** Field size in bytes (also the scalar size) of each Weierstrass curve. */
export const NIST_CURVE_BYTES: Readonly<Record<NistCurveName, number>> = { p256: 32, p384: 48, p521: 66, secp256k1: 32 };

/** RFC 5656 §4: an ephemeral scalar d in [1, n-1] and the uncompressed point Q = dG. */
export function nistKeyPair(curve: NistCurveName, randomBytes: RandomBytes): EcKeyPair {
  const n = CURVES[curve].Point.CURVE().n;
  const size = NIST_CURVE_BYTES[curve];
  // 8 extra random bytes make the reduction mod n-1 uniform to within 2^-64 (FIPS 186-5 A.2.1).
  const d = (bytesToBigInt(randomBytes(size + 8)) % (n - 1n)) + 1n;
  const privateKey = bigIntToBytes(d, size);
  return { privateKey, publicKey: nistPublicKey(curve, privateKey) };
}

/**
 * A scalar as `size` big-endian bytes: key logs and other tools may drop leading zero bytes (a minimal big-endian
 * number), which noble refuses.
 */
function fixedScalar(curve: NistCurveName, privateKey: Uint8Array): Uint8Array {
  const size = NIST_CURVE_BYTES[curve];
  if (privateKey.length >= size) return privateKey;
  const padded = new Uint8Array(size);
  padded.set(privateKey, size - privateKey.length);
  return padded;
}

export function nistPublicKey(curve: NistCurveName, privateKey: Uint8Array): Uint8Array {
  try {
    return CURVES[curve].getPublicKey(fixedScalar(curve, privateKey), false);
  } catch {
    throw new KexError('bad-key-log-secret', `not a valid ${curve} private scalar (${privateKey.length} bytes; it must be at most ${NIST_CURVE_BYTES[curve]} bytes, 1 <= d < n)`);
  }
}

/**
 * RFC 5656 §4 and §7.1: the x coordinate of d * Q_peer as a fixed-length big-endian byte string, after checking
 * Q_peer is a valid point (§3.1, SEC1 3.2.2.1). The hybrid methods hash it in that form.
 */
export function nistSharedBytes(curve: NistCurveName, privateKey: Uint8Array, peerPublic: Uint8Array, peerName: string): Uint8Array {
  const size = NIST_CURVE_BYTES[curve];
  if (peerPublic.length !== 1 + 2 * size || peerPublic[0] !== 0x04) {
    throw new KexError('bad-public-value', `${peerName} must be an uncompressed ${curve} point (0x04 then ${2 * size} bytes), it is ${peerPublic.length} bytes starting 0x${(peerPublic[0] ?? 0).toString(16)}`, peerName);
  }
  let point: Uint8Array;
  try {
    point = CURVES[curve].getSharedSecret(fixedScalar(curve, privateKey), peerPublic, true);
  } catch {
    throw new KexError('bad-public-value', `${peerName} is not a point on ${curve}`, peerName);
  }
  return point.subarray(1); // drop the compressed-point prefix, keep x
}

/** RFC 5656 §4: K = the x coordinate of d * Q_peer, as an mpint. */
export function nistSharedSecret(curve: NistCurveName, privateKey: Uint8Array, peerPublic: Uint8Array, peerName: string): SharedSecret {
  return mpintSecret(nistSharedBytes(curve, privateKey, peerPublic, peerName));
}
