/**
 * @module kex/hybrid
 * Hybrid post-quantum key exchange: a KEM plus a classical ECDH, hashed together (RFC 9941 §2 for
 * sntrup761x25519-sha512, draft-ietf-sshm-mlkem-hybrid-kex §2 for mlkem768x25519-sha256,
 * draft-kampanakis-curdle-ssh-pq-ke §2.3-2.4 for mlkem768nistp256-sha256 and mlkem1024nistp384-sha384). Layouts:
 *   C_INIT  = KEM public key | client's classical public key (X25519: 32 bytes; P-256/P-384: uncompressed point)
 *   S_REPLY = KEM ciphertext | server's classical public key
 *   K       = string HASH(K_pq | K_cl)  - a string, not an mpint; K_cl is the X25519 output or the ECDH x
 *             coordinate, as fixed-length bytes.
 * The KEMs and the classical curves sit behind one interface each, declared as data, so a new one is one entry.
 */
import { ml_kem1024, ml_kem768 } from '@noble/post-quantum/ml-kem.js';
import {
  SNTRUP761_CIPHERTEXT_BYTES, SNTRUP761_PUBLIC_KEY_BYTES, SNTRUP761_SECRET_KEY_BYTES, SNTRUP761_SHARED_SECRET_BYTES,
  sntrup761Decapsulate, sntrup761Encapsulate, sntrup761KeyPair,
} from '../crypto/sntrup761.ts';
import { concatBytes } from '../wire/index.ts';
import type { RandomBytes } from './dh.ts';
import { NIST_CURVE_BYTES, nistKeyPair, nistPublicKey, nistSharedBytes, x25519KeyPair, x25519PublicKey, x25519SharedBytes } from './ecdh.ts';
import { KexError } from './errors.ts';
import { hashBytes, type HashName } from './hashes.ts';
import type { HybridCurveName, KemName, KexMethod } from './methods.ts';
import { stringSecret, type SharedSecret } from './shared-secret.ts';

export interface Kem {
  name: KemName;
  publicKeyLength: number;
  secretKeyLength: number;
  ciphertextLength: number;
  sharedSecretLength: number;
  keyPair(randomBytes: RandomBytes): { publicKey: Uint8Array; secretKey: Uint8Array };
  encapsulate(publicKey: Uint8Array, randomBytes: RandomBytes): { ciphertext: Uint8Array; sharedSecret: Uint8Array };
  decapsulate(ciphertext: Uint8Array, secretKey: Uint8Array): Uint8Array;
}

/**
 * FIPS 203 ML-KEM: keygen from a 64-byte seed (d | z), encapsulation from a 32-byte message m; sizes of FIPS 203
 * §8 Table 3 for ML-KEM-768 and ML-KEM-1024.
 */
const mlkem = (name: 'mlkem768' | 'mlkem1024', impl: typeof ml_kem768, publicKeyLength: number, secretKeyLength: number, ciphertextLength: number): Kem => ({
  name, publicKeyLength, secretKeyLength, ciphertextLength, sharedSecretLength: 32,
  keyPair: (rng) => impl.keygen(rng(64)),
  encapsulate: (pk, rng) => {
    const { cipherText, sharedSecret } = impl.encapsulate(pk, rng(32));
    return { ciphertext: cipherText, sharedSecret };
  },
  decapsulate: (ct, sk) => impl.decapsulate(ct, sk),
});

export const KEMS: Readonly<Record<KemName, Kem>> = {
  mlkem768: mlkem('mlkem768', ml_kem768, 1184, 2400, 1088),
  mlkem1024: mlkem('mlkem1024', ml_kem1024, 1568, 3168, 1568),
  sntrup761: {
    name: 'sntrup761',
    publicKeyLength: SNTRUP761_PUBLIC_KEY_BYTES,
    secretKeyLength: SNTRUP761_SECRET_KEY_BYTES,
    ciphertextLength: SNTRUP761_CIPHERTEXT_BYTES,
    sharedSecretLength: SNTRUP761_SHARED_SECRET_BYTES,
    keyPair: sntrup761KeyPair,
    encapsulate: sntrup761Encapsulate,
    decapsulate: sntrup761Decapsulate,
  },
};

/** The classical half of a hybrid: its key sizes, key pairs and the fixed-length shared secret K_cl. */
export interface HybridCurve {
  name: HybridCurveName;
  /** How the specs name it in messages and errors. */
  label: string;
  publicKeyLength: number;
  privateKeyLength: number;
  keyPair(randomBytes: RandomBytes): { privateKey: Uint8Array; publicKey: Uint8Array };
  publicKey(privateKey: Uint8Array): Uint8Array;
  sharedBytes(privateKey: Uint8Array, peerPublic: Uint8Array, peerName: string): Uint8Array;
}

const nistHybridCurve = (name: 'p256' | 'p384', label: string): HybridCurve => ({
  name, label, publicKeyLength: 1 + 2 * NIST_CURVE_BYTES[name], privateKeyLength: NIST_CURVE_BYTES[name],
  keyPair: (rng) => nistKeyPair(name, rng),
  publicKey: (d) => nistPublicKey(name, d),
  sharedBytes: (d, peer, peerName) => nistSharedBytes(name, d, peer, peerName),
});

export const HYBRID_CURVES: Readonly<Record<HybridCurveName, HybridCurve>> = {
  /** RFC 7748 / RFC 8731: 32-byte keys, K_cl the 32-byte X25519 output. */
  x25519: {
    name: 'x25519', label: 'X25519', publicKeyLength: 32, privateKeyLength: 32,
    keyPair: x25519KeyPair, publicKey: x25519PublicKey, sharedBytes: x25519SharedBytes,
  },
  /** RFC 5656: uncompressed points; K_cl the x coordinate, 32 or 48 bytes (draft-kampanakis-curdle-ssh-pq-ke §2.4). */
  p256: nistHybridCurve('p256', 'P-256'),
  p384: nistHybridCurve('p384', 'P-384'),
};

/** The KEM and classical curve of a hybrid method. */
export function hybridParts(method: KexMethod): { kem: Kem; curve: HybridCurve } {
  return { kem: KEMS[method.kem!], curve: HYBRID_CURVES[method.hybridCurve ?? 'x25519'] };
}

/** The client's private values: the KEM secret key then the classical scalar (also the key-log PRIVATE_KEY form). */
export interface HybridClientPrivate {
  kemSecretKey: Uint8Array;
  classicalPrivate: Uint8Array;
}

export function hybridClientInit(kem: Kem, curve: HybridCurve, randomBytes: RandomBytes): { privateValue: HybridClientPrivate; C_INIT: Uint8Array } {
  const pq = kem.keyPair(randomBytes);
  const ec = curve.keyPair(randomBytes);
  return {
    privateValue: { kemSecretKey: pq.secretKey, classicalPrivate: ec.privateKey },
    C_INIT: concatBytes(pq.publicKey, ec.publicKey),
  };
}

/** Splits C_INIT / S_REPLY into the KEM part and the classical public key, checking the length. */
export function splitHybridValue(kem: Kem, curve: HybridCurve, value: Uint8Array, name: 'C_INIT' | 'S_REPLY'): { pq: Uint8Array; classical: Uint8Array } {
  const pqLength = name === 'C_INIT' ? kem.publicKeyLength : kem.ciphertextLength;
  const total = pqLength + curve.publicKeyLength;
  if (value.length !== total) {
    const what = name === 'C_INIT' ? 'public key' : 'ciphertext';
    throw new KexError('bad-public-value', `${name} for ${kem.name} with ${curve.label} must be ${total} bytes (${kem.name} ${what} ${pqLength} + ${curve.label} ${curve.publicKeyLength}), it is ${value.length}`, name);
  }
  return { pq: value.subarray(0, pqLength), classical: value.subarray(pqLength) };
}

/** K = string HASH(K_pq | K_cl). */
export function hybridSecret(hash: HashName, kemShared: Uint8Array, classicalShared: Uint8Array): SharedSecret {
  return stringSecret(hashBytes(hash, concatBytes(kemShared, classicalShared)));
}

export function hybridServerReply(
  kem: Kem,
  curve: HybridCurve,
  hash: HashName,
  C_INIT: Uint8Array,
  randomBytes: RandomBytes,
): { classicalPrivate: Uint8Array; S_REPLY: Uint8Array; K: SharedSecret } {
  const client = splitHybridValue(kem, curve, C_INIT, 'C_INIT');
  let encapsulated: { ciphertext: Uint8Array; sharedSecret: Uint8Array };
  try {
    encapsulated = kem.encapsulate(client.pq, randomBytes);
  } catch {
    throw new KexError('bad-public-value', `the ${kem.name} public key in C_INIT is not valid`, 'C_INIT');
  }
  const ec = curve.keyPair(randomBytes);
  const shared = curve.sharedBytes(ec.privateKey, client.classical, 'C_INIT');
  return {
    classicalPrivate: ec.privateKey,
    S_REPLY: concatBytes(encapsulated.ciphertext, ec.publicKey),
    K: hybridSecret(hash, encapsulated.sharedSecret, shared),
  };
}

export function hybridClientFinish(kem: Kem, curve: HybridCurve, hash: HashName, privateValue: HybridClientPrivate, S_REPLY: Uint8Array): SharedSecret {
  const server = splitHybridValue(kem, curve, S_REPLY, 'S_REPLY');
  let kemShared: Uint8Array;
  try {
    kemShared = kem.decapsulate(server.pq, privateValue.kemSecretKey);
  } catch {
    throw new KexError('wrong-value-kind', `the ${kem.name} secret key (${privateValue.kemSecretKey.length} bytes) is not a valid decapsulation key`);
  }
  return hybridSecret(hash, kemShared, curve.sharedBytes(privateValue.classicalPrivate, server.classical, 'S_REPLY'));
}

/** The key-log PRIVATE_KEY form of the client's hybrid private values: KEM secret key | classical scalar. */
export function encodeHybridPrivate(p: HybridClientPrivate): Uint8Array {
  return concatBytes(p.kemSecretKey, p.classicalPrivate);
}

export function decodeHybridPrivate(kem: Kem, curve: HybridCurve, bytes: Uint8Array): HybridClientPrivate | null {
  if (bytes.length !== kem.secretKeyLength + curve.privateKeyLength) return null;
  return { kemSecretKey: bytes.subarray(0, kem.secretKeyLength), classicalPrivate: bytes.subarray(kem.secretKeyLength) };
}
