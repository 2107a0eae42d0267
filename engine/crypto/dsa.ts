/**
 * @module crypto/dsa
 * ssh-dss signature verification (RFC 4253 §6.6): DSA as in FIPS 186-2 (verification unchanged in FIPS 186-4 §4.7)
 * with SHA-1 over the signed data (H for a host key). The key is p, q, g, y from the blob; the signature is 40 bytes,
 * r then s, 20 bytes each, unsigned big-endian. Verification only: DSA host keys are legacy, sshlens never signs
 * with one. BigInt arithmetic; not constant time (only public values are involved).
 */
import { sha1 } from '@noble/hashes/legacy.js';
import { bitLength, bytesToBigInt, modPow } from '../kex/modp-groups.ts';

export interface DsaPublicKey {
  p: bigint;
  q: bigint;
  g: bigint;
  y: bigint;
}

/** FIPS 186-4 §4.7 with SHA-1 (RFC 4253 §6.6). Returns null when the signature verifies, or why it does not. */
export function dsaVerify(key: DsaPublicKey, message: Uint8Array, r: bigint, s: bigint): string | null {
  const { p, q, g, y } = key;
  if (p <= 3n || q <= 1n || (p - 1n) % q !== 0n) return 'the DSA key is malformed: q does not divide p - 1';
  if (g <= 1n || g >= p || y <= 1n || y >= p) return 'the DSA key is malformed: g or y is out of range (1, p)';
  if (r <= 0n || r >= q || s <= 0n || s >= q) return 'the DSA r or s is out of range (0, q)';
  // §4.7: z = the leftmost min(N, outlen) bits of Hash(M); N = 160 for SSH, so all of SHA-1's 160 bits.
  const digest = bytesToBigInt(sha1(message));
  const N = bitLength(q);
  const z = N >= 160 ? digest : digest >> BigInt(160 - N);
  const w = modPow(s, q - 2n, q); // s^-1 mod q (q is prime)
  const u1 = (z * w) % q;
  const u2 = (r * w) % q;
  const v = ((modPow(g, u1, p) * modPow(y, u2, p)) % p) % q;
  return v === r ? null : 'the DSA signature does not match';
}
