/**
 * @module sntrup761
 * Streamlined NTRU Prime sntrup761, the post-quantum half of the SSH key exchange sntrup761x25519-sha512
 * (RFC 9941; sntrup761x25519-sha512@openssh.com). Written from the NTRU Prime round-3 submission and
 * draft-josefsson-ntruprime-streamlined: the same key, ciphertext and secret-key bytes, hash prefixes, confirmation
 * hash and implicit rejection as the reference code that OpenSSH carries, and the same order of random-byte requests
 * (4 bytes per random 32-bit word, then 191 bytes of rho), so the NIST known-answer seeds reproduce.
 *
 * Randomness is injected, so the functions are deterministic under test. Not constant time: an analyzer's needs.
 *
 *   public key  = Encode_Rq(h)                        1158 bytes, h = g/(3f) in R_q
 *   secret key  = Small(f) | Small(1/g in R_3) | public key | rho (191) | Hash4(public key)   1763 bytes
 *   ciphertext  = Encode_Rounded(Round(h·r)) | Hash2(Hash3(Small(r)) | Hash4(pk))        1007 + 32 = 1039 bytes
 *   shared key  = Hash1(Hash3(Small(r)) | ciphertext); on rejection Hash0(Hash3(rho) | ciphertext)
 * where HashN(x) is the first 32 bytes of SHA-512(N | x).
 */
import { sha512 } from '@noble/hashes/sha2.js';
import { SshlensError } from '../errors.ts';
import {
  P,
  W,
  multiplyR3,
  multiplyRqSmall,
  r3FromRq,
  reciprocal3fRq,
  reciprocalR3,
  roundRq,
  times3Rq,
  weight,
  type SmallPoly,
} from './sntrup761-poly.ts';
import {
  RQ_BYTES,
  ROUNDED_BYTES,
  SMALL_BYTES,
  decodeRounded,
  decodeRq,
  decodeSmall,
  encodeRounded,
  encodeRq,
  encodeSmall,
} from './sntrup761-encode.ts';

/** Where randomness comes from: n fresh random bytes per call (e.g. crypto.getRandomValues, or a test DRBG). */
export type RandomBytes = (n: number) => Uint8Array;

const HASH_BYTES = 32;
export const SNTRUP761_PUBLIC_KEY_BYTES = RQ_BYTES; // 1158
export const SNTRUP761_CIPHERTEXT_BYTES = ROUNDED_BYTES + HASH_BYTES; // 1039
export const SNTRUP761_SECRET_KEY_BYTES = 2 * SMALL_BYTES + RQ_BYTES + SMALL_BYTES + HASH_BYTES; // 1763
export const SNTRUP761_SHARED_SECRET_BYTES = HASH_BYTES; // 32

/** The secret key's parts, as byte ranges: declared once, used by key generation and decapsulation. */
const SECRET_KEY_LAYOUT = {
  f: { offset: 0, length: SMALL_BYTES },
  ginv: { offset: SMALL_BYTES, length: SMALL_BYTES },
  publicKey: { offset: 2 * SMALL_BYTES, length: RQ_BYTES },
  rho: { offset: 2 * SMALL_BYTES + RQ_BYTES, length: SMALL_BYTES },
  publicKeyHash: { offset: 3 * SMALL_BYTES + RQ_BYTES, length: HASH_BYTES },
} as const;

/** Bad input to the sntrup761 functions: a key or ciphertext of the wrong size, or a random source that misbehaves. */
export class Sntrup761Error extends SshlensError {}

function requireLength(bytes: Uint8Array, expected: number, what: string): void {
  if (!(bytes instanceof Uint8Array) || bytes.length !== expected) {
    const got = bytes instanceof Uint8Array ? `${bytes.length} bytes` : 'not a byte array';
    throw new Sntrup761Error('bad-length', `sntrup761 ${what} must be ${expected} bytes, got ${got}`, { path: what });
  }
}

function part(sk: Uint8Array, name: keyof typeof SECRET_KEY_LAYOUT): Uint8Array {
  const { offset, length } = SECRET_KEY_LAYOUT[name];
  return sk.subarray(offset, offset + length);
}

/** Hash_prefix(b, x): the first 32 bytes of SHA-512(b | x1 | x2 ...). */
function hashPrefix(prefix: number, ...parts: Uint8Array[]): Uint8Array {
  const hash = sha512.create();
  hash.update(Uint8Array.of(prefix));
  for (const p of parts) hash.update(p);
  return hash.digest().subarray(0, HASH_BYTES);
}

/** Asks for n bytes and checks that n came back. */
function take(randomBytes: RandomBytes, n: number): Uint8Array {
  const bytes = randomBytes(n);
  if (!(bytes instanceof Uint8Array) || bytes.length !== n) {
    throw new Sntrup761Error('bad-random', `the random source returned something other than ${n} bytes`);
  }
  return bytes;
}

/** urandom32: a 32-bit little-endian word from its own 4-byte request (the request pattern matters for KATs). */
function randomWord(randomBytes: RandomBytes): number {
  const c = take(randomBytes, 4);
  return (c[0] | (c[1] << 8) | (c[2] << 16) | (c[3] << 24)) >>> 0;
}

/** Small_random: p independent coefficients, each floor(3·(word mod 2^30) / 2^30) - 1. */
function smallRandom(randomBytes: RandomBytes): SmallPoly {
  const out = new Int8Array(P);
  for (let i = 0; i < P; i++) out[i] = Math.floor(((randomWord(randomBytes) & 0x3fffffff) * 3) / 0x40000000) - 1;
  return out;
}

/**
 * Short_random: a small polynomial of weight exactly w. The first w words get low bits 0 or 2 (becoming -1 or 1),
 * the rest low bits 1 (becoming 0); sorting the words as unsigned integers shuffles the positions.
 */
function shortRandom(randomBytes: RandomBytes): SmallPoly {
  const words = new Uint32Array(P);
  for (let i = 0; i < P; i++) words[i] = randomWord(randomBytes);
  for (let i = 0; i < W; i++) words[i] &= ~1;
  for (let i = W; i < P; i++) words[i] = (words[i] & ~3) | 1;
  words.sort();
  return Int8Array.from(words, (word) => (word & 3) - 1);
}

/** ZEncrypt and the confirmation hash: the 1039-byte ciphertext for input r, with Small(r) for the session hash. */
function hide(r: SmallPoly, publicKey: Uint8Array, publicKeyHash: Uint8Array) {
  const rEncoded = encodeSmall(r);
  const c = roundRq(multiplyRqSmall(decodeRq(publicKey), r));
  const ciphertext = new Uint8Array(SNTRUP761_CIPHERTEXT_BYTES);
  ciphertext.set(encodeRounded(c), 0);
  ciphertext.set(hashPrefix(2, hashPrefix(3, rEncoded), publicKeyHash), ROUNDED_BYTES);
  return { ciphertext, rEncoded };
}

/** Generates a key pair: g until invertible mod 3, then f of weight w, then rho (the implicit-rejection secret). */
export function sntrup761KeyPair(randomBytes: RandomBytes): { publicKey: Uint8Array; secretKey: Uint8Array } {
  let g: SmallPoly;
  let ginv: SmallPoly | null;
  do {
    g = smallRandom(randomBytes);
    ginv = reciprocalR3(g);
  } while (ginv === null);
  const f = shortRandom(randomBytes);
  const publicKey = encodeRq(multiplyRqSmall(reciprocal3fRq(f), g));

  const secretKey = new Uint8Array(SNTRUP761_SECRET_KEY_BYTES);
  secretKey.set(encodeSmall(f), SECRET_KEY_LAYOUT.f.offset);
  secretKey.set(encodeSmall(ginv), SECRET_KEY_LAYOUT.ginv.offset);
  secretKey.set(publicKey, SECRET_KEY_LAYOUT.publicKey.offset);
  secretKey.set(take(randomBytes, SMALL_BYTES), SECRET_KEY_LAYOUT.rho.offset);
  secretKey.set(hashPrefix(4, publicKey), SECRET_KEY_LAYOUT.publicKeyHash.offset);
  return { publicKey, secretKey };
}

/** Encapsulates a fresh shared secret to a public key. */
export function sntrup761Encapsulate(
  publicKey: Uint8Array,
  randomBytes: RandomBytes,
): { ciphertext: Uint8Array; sharedSecret: Uint8Array } {
  requireLength(publicKey, SNTRUP761_PUBLIC_KEY_BYTES, 'publicKey');
  const publicKeyHash = hashPrefix(4, publicKey);
  const r = shortRandom(randomBytes);
  const { ciphertext, rEncoded } = hide(r, publicKey, publicKeyHash);
  return { ciphertext, sharedSecret: hashPrefix(1, hashPrefix(3, rEncoded), ciphertext) };
}

/**
 * Recovers the shared secret. A ciphertext that does not re-encrypt to itself is not an error: it yields
 * Hash0(Hash3(rho) | ciphertext), a secret unrelated to the sender's (implicit rejection), as the reference does.
 */
export function sntrup761Decapsulate(ciphertext: Uint8Array, secretKey: Uint8Array): Uint8Array {
  requireLength(ciphertext, SNTRUP761_CIPHERTEXT_BYTES, 'ciphertext');
  requireLength(secretKey, SNTRUP761_SECRET_KEY_BYTES, 'secretKey');
  const f = decodeSmall(part(secretKey, 'f'));
  const ginv = decodeSmall(part(secretKey, 'ginv'));

  // ZDecrypt: e = 3·c·f mod 3 as an element of R_3, then r = e/g; a result of the wrong weight becomes (1,..,1,0,..,0).
  const c = decodeRounded(ciphertext);
  const e = r3FromRq(times3Rq(multiplyRqSmall(c, f)));
  const ev = multiplyR3(e, ginv);
  const keep = weight(ev) === W ? -1 : 0;
  const r = new Int8Array(P);
  for (let i = 0; i < P; i++) r[i] = (ev[i] & keep) | (i < W ? 1 & ~keep : 0);

  const { ciphertext: expected, rEncoded } = hide(r, part(secretKey, 'publicKey'), part(secretKey, 'publicKeyHash'));
  let difference = 0;
  for (let i = 0; i < SNTRUP761_CIPHERTEXT_BYTES; i++) difference |= ciphertext[i] ^ expected[i];
  const reject = -((difference + 0xff) >> 8); // -1 when any byte differs, else 0
  const rho = part(secretKey, 'rho');
  const sessionInput = rEncoded.map((byte, i) => byte ^ (reject & (byte ^ rho[i])));
  return hashPrefix(1 + reject, hashPrefix(3, sessionInput), ciphertext);
}
