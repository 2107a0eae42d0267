/**
 * @module kex/hybrid
 * Hybrid post-quantum key exchange: a KEM plus X25519, hashed together (RFC 9941 §2 for sntrup761x25519-sha512,
 * draft-ietf-sshm-mlkem-hybrid-kex §2 for mlkem768x25519-sha256). Layouts:
 *   C_INIT  = KEM public key | client X25519 public (32)
 *   S_REPLY = KEM ciphertext | server X25519 public (32)
 *   K       = string HASH(K_pq | X25519 shared secret (32 raw bytes))  - a string, not an mpint.
 * The KEMs sit behind one interface, declared as data, so a new one is one entry.
 */
import { ml_kem768 } from '@noble/post-quantum/ml-kem.js';
import {
  SNTRUP761_CIPHERTEXT_BYTES, SNTRUP761_PUBLIC_KEY_BYTES, SNTRUP761_SECRET_KEY_BYTES, SNTRUP761_SHARED_SECRET_BYTES,
  sntrup761Decapsulate, sntrup761Encapsulate, sntrup761KeyPair,
} from '../crypto/sntrup761.ts';
import { concatBytes } from '../wire/index.ts';
import type { RandomBytes } from './dh.ts';
import { x25519KeyPair, x25519SharedBytes } from './ecdh.ts';
import { KexError } from './errors.ts';
import { hashBytes, type HashName } from './hashes.ts';
import type { KemName } from './methods.ts';
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

export const KEMS: Readonly<Record<KemName, Kem>> = {
  /** FIPS 203 ML-KEM-768: keygen from a 64-byte seed (d | z), encapsulation from a 32-byte message m. */
  mlkem768: {
    name: 'mlkem768',
    publicKeyLength: 1184,
    secretKeyLength: 2400,
    ciphertextLength: 1088,
    sharedSecretLength: 32,
    keyPair: (rng) => ml_kem768.keygen(rng(64)),
    encapsulate: (pk, rng) => {
      const { cipherText, sharedSecret } = ml_kem768.encapsulate(pk, rng(32));
      return { ciphertext: cipherText, sharedSecret };
    },
    decapsulate: (ct, sk) => ml_kem768.decapsulate(ct, sk),
  },
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

/** The client's private values: the KEM secret key then the X25519 scalar (also the key-log PRIVATE_KEY form). */
export interface HybridClientPrivate {
  kemSecretKey: Uint8Array;
  x25519Private: Uint8Array;
}

export function hybridClientInit(kem: Kem, randomBytes: RandomBytes): { privateValue: HybridClientPrivate; C_INIT: Uint8Array } {
  const pq = kem.keyPair(randomBytes);
  const ec = x25519KeyPair(randomBytes);
  return {
    privateValue: { kemSecretKey: pq.secretKey, x25519Private: ec.privateKey },
    C_INIT: concatBytes(pq.publicKey, ec.publicKey),
  };
}

/** Splits C_INIT / S_REPLY into the KEM part and the X25519 public, checking the length. */
export function splitHybridValue(kem: Kem, value: Uint8Array, name: 'C_INIT' | 'S_REPLY'): { pq: Uint8Array; x25519: Uint8Array } {
  const pqLength = name === 'C_INIT' ? kem.publicKeyLength : kem.ciphertextLength;
  if (value.length !== pqLength + 32) {
    const what = name === 'C_INIT' ? 'public key' : 'ciphertext';
    throw new KexError('bad-public-value', `${name} for ${kem.name} must be ${pqLength + 32} bytes (${kem.name} ${what} ${pqLength} + X25519 32), it is ${value.length}`, name);
  }
  return { pq: value.subarray(0, pqLength), x25519: value.subarray(pqLength) };
}

/** K = string HASH(K_pq | X25519 shared secret). */
export function hybridSecret(hash: HashName, kemShared: Uint8Array, x25519Shared: Uint8Array): SharedSecret {
  return stringSecret(hashBytes(hash, concatBytes(kemShared, x25519Shared)));
}

export function hybridServerReply(
  kem: Kem,
  hash: HashName,
  C_INIT: Uint8Array,
  randomBytes: RandomBytes,
): { x25519Private: Uint8Array; S_REPLY: Uint8Array; K: SharedSecret } {
  const client = splitHybridValue(kem, C_INIT, 'C_INIT');
  let encapsulated: { ciphertext: Uint8Array; sharedSecret: Uint8Array };
  try {
    encapsulated = kem.encapsulate(client.pq, randomBytes);
  } catch {
    throw new KexError('bad-public-value', `the ${kem.name} public key in C_INIT is not valid`, 'C_INIT');
  }
  const ec = x25519KeyPair(randomBytes);
  const shared = x25519SharedBytes(ec.privateKey, client.x25519, 'C_INIT');
  return {
    x25519Private: ec.privateKey,
    S_REPLY: concatBytes(encapsulated.ciphertext, ec.publicKey),
    K: hybridSecret(hash, encapsulated.sharedSecret, shared),
  };
}

export function hybridClientFinish(kem: Kem, hash: HashName, privateValue: HybridClientPrivate, S_REPLY: Uint8Array): SharedSecret {
  const server = splitHybridValue(kem, S_REPLY, 'S_REPLY');
  let kemShared: Uint8Array;
  try {
    kemShared = kem.decapsulate(server.pq, privateValue.kemSecretKey);
  } catch {
    throw new KexError('wrong-value-kind', `the ${kem.name} secret key (${privateValue.kemSecretKey.length} bytes) is not a valid decapsulation key`);
  }
  return hybridSecret(hash, kemShared, x25519SharedBytes(privateValue.x25519Private, server.x25519, 'S_REPLY'));
}

/** The key-log PRIVATE_KEY form of the client's hybrid private values: KEM secret key | X25519 scalar. */
export function encodeHybridPrivate(p: HybridClientPrivate): Uint8Array {
  return concatBytes(p.kemSecretKey, p.x25519Private);
}

export function decodeHybridPrivate(kem: Kem, bytes: Uint8Array): HybridClientPrivate | null {
  if (bytes.length !== kem.secretKeyLength + 32) return null;
  return { kemSecretKey: bytes.subarray(0, kem.secretKeyLength), x25519Private: bytes.subarray(kem.secretKeyLength) };
}
