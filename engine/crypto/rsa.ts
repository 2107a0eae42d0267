/**
 * @module crypto/rsa
 * RSA signatures as SSH uses them: RSASSA-PKCS1-v1_5 (RFC 8017 §8.2) over SHA-1 (ssh-rsa, RFC 4253 §6.6), SHA-256 or
 * SHA-512 (rsa-sha2-256/512, RFC 8332 §3). BigInt arithmetic, synchronous, so it works the same in node, a browser
 * and a worker. Key generation (RFC 8017 §3, FIPS 186-5 B.3.3 in spirit) is for the simulator's ephemeral host keys:
 * Miller-Rabin primes from an injected RNG. Not constant time: an analyzer's needs, not a server's.
 */
import { HASHES, hashBytes, type HashName } from '../kex/hashes.ts';
import { bigIntToBytes, bitLength, bytesToBigInt, isProbablePrime, modPow, SMALL_PRIMES } from '../kex/modp-groups.ts';
import type { RandomBytes } from '../kex/dh.ts';

export interface RsaPublicKey {
  n: bigint;
  e: bigint;
}

export interface RsaPrivateKey extends RsaPublicKey {
  d: bigint;
  p: bigint;
  q: bigint;
  /** q^-1 mod p (OpenSSH's iqmp). */
  iqmp: bigint;
}

export type RsaHash = Extract<HashName, 'sha1' | 'sha256' | 'sha512'>;

/** RFC 8017 §9.2 note 1: the DER DigestInfo prefix of each hash. */
const DIGEST_INFO_PREFIX: Record<RsaHash, string> = {
  sha1: '3021300906052b0e03021a05000414',
  sha256: '3031300d060960864801650304020105000420',
  sha512: '3051300d060960864801650304020305000440',
};

/** RFC 8017 §9.2 EMSA-PKCS1-v1_5: 0x00 0x01 FF..FF 0x00 DigestInfo(hash(message)), k bytes long; null if k is too small. */
export function emsaPkcs1v15(message: Uint8Array, hash: RsaHash, k: number): Uint8Array | null {
  const prefix = DIGEST_INFO_PREFIX[hash];
  const t = new Uint8Array(prefix.length / 2 + HASHES[hash].outputLength);
  for (let i = 0; i < prefix.length / 2; i++) t[i] = parseInt(prefix.substr(i * 2, 2), 16);
  t.set(hashBytes(hash, message), prefix.length / 2);
  if (k < t.length + 11) return null;
  const em = new Uint8Array(k).fill(0xff);
  em[0] = 0;
  em[1] = 1;
  em[k - t.length - 1] = 0;
  em.set(t, k - t.length);
  return em;
}

export function modulusBytes(key: RsaPublicKey): number {
  return Math.ceil(bitLength(key.n) / 8);
}

/**
 * The RSA public-key operation s^e mod n on a platform's native big numbers (node:crypto's raw RSA in the CLI),
 * returning the k-byte result; BigInt modPow is the portable path. Installed with {@link setRsaPublicOperation}.
 */
export type RsaPublicOperation = (key: RsaPublicKey, signature: Uint8Array, k: number) => Uint8Array;

let nativePublicOperation: RsaPublicOperation | undefined;

export function setRsaPublicOperation(operation: RsaPublicOperation | undefined): void {
  nativePublicOperation = operation;
}

/** RFC 8017 §8.2.2 RSASSA-PKCS1-V1_5-VERIFY. A signature shorter than the modulus is left-padded, as OpenSSH does. */
export function rsaVerify(key: RsaPublicKey, hash: RsaHash, message: Uint8Array, signature: Uint8Array): boolean {
  const k = modulusBytes(key);
  if (signature.length > k) return false;
  const s = bytesToBigInt(signature);
  if (s >= key.n) return false;
  const em = emsaPkcs1v15(message, hash, k);
  if (!em) return false;
  let m: Uint8Array;
  if (nativePublicOperation) {
    const padded = new Uint8Array(k);
    padded.set(signature, k - signature.length);
    m = nativePublicOperation(key, padded, k);
  } else m = bigIntToBytes(modPow(s, key.e, key.n), k);
  let diff = 0;
  for (let i = 0; i < k; i++) diff |= m[i] ^ em[i];
  return diff === 0;
}

/** RFC 8017 §8.2.1 RSASSA-PKCS1-V1_5-SIGN, with the CRT (§5.1.2): the k-byte signature. */
export function rsaSign(key: RsaPrivateKey, hash: RsaHash, message: Uint8Array): Uint8Array {
  const k = modulusBytes(key);
  const em = emsaPkcs1v15(message, hash, k);
  if (!em) throw new RangeError(`an RSA modulus of ${bitLength(key.n)} bits is too small for PKCS#1 v1.5 with ${hash}`);
  const m = bytesToBigInt(em);
  const dp = key.d % (key.p - 1n);
  const dq = key.d % (key.q - 1n);
  const m1 = modPow(m, dp, key.p);
  const m2 = modPow(m, dq, key.q);
  const h = (((m1 - m2) % key.p) + key.p) % key.p * key.iqmp % key.p;
  return bigIntToBytes(m2 + h * key.q, k);
}

/** x^-1 mod m (extended Euclid); m and x coprime. */
export function modInverse(x: bigint, m: bigint): bigint {
  let [a, b] = [((x % m) + m) % m, m];
  let [u, v] = [1n, 0n];
  while (b !== 0n) {
    const q = a / b;
    [a, b] = [b, a - q * b];
    [u, v] = [v, u - q * v];
  }
  return ((u % m) + m) % m;
}

/** A random prime of exactly `bits` bits (top two bits set, so p*q has exactly 2*bits bits), with p-1 coprime to e. */
function randomPrime(bits: number, e: bigint, randomBytes: RandomBytes): bigint {
  const witnesses = () => Array.from({ length: 24 }, () => bytesToBigInt(randomBytes(8)));
  for (;;) {
    let candidate = bytesToBigInt(randomBytes(Math.ceil(bits / 8))) & ((1n << BigInt(bits)) - 1n);
    candidate |= (3n << BigInt(bits - 2)) | 1n;
    // Walk odd numbers from the random start, sieving small factors cheaply before Miller-Rabin.
    for (let step = 0; step < 2000; step++, candidate += 2n) {
      if (SMALL_PRIMES.some((p) => candidate % p === 0n)) continue;
      if ((candidate - 1n) % e === 0n) continue;
      if (isProbablePrime(candidate, witnesses())) return candidate;
    }
  }
}

/** RFC 8017 §3.1-§3.2: an RSA key pair with public exponent 65537. */
export function rsaGenerate(bits: number, randomBytes: RandomBytes): RsaPrivateKey {
  const e = 65537n;
  for (;;) {
    const p = randomPrime(bits / 2, e, randomBytes);
    const q = randomPrime(bits / 2, e, randomBytes);
    if (p === q) continue;
    const n = p * q;
    const lambda = ((p - 1n) * (q - 1n)) / gcd(p - 1n, q - 1n);
    const d = modInverse(e, lambda);
    return { n, e, d, p, q, iqmp: modInverse(q, p) };
  }
}

function gcd(a: bigint, b: bigint): bigint {
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
}
