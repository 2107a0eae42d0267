/**
 * @module cli/node-crypto
 * The engine's platform fast paths on node:crypto (OpenSSL), installed by the CLI at start-up: AES (cli/node-aes.ts),
 * the SHA-1/SHA-2 hashes of key exchanges and host keys (engine/kex/hashes.ts), RFC 2104 HMAC for the hmac-* MACs
 * (engine/crypto/macs.ts), the raw RSA public operation for verifying rsa-sha2-* and ssh-rsa signatures
 * (engine/crypto/rsa.ts), Ed25519 verification (engine/crypto/hostkey.ts), and packet buffers that skip
 * zero-filling (engine/crypto/overwritten-buffers.ts). Results are identical to the portable noble/BigInt paths
 * (cross-checked in cli/node-crypto.test.ts); the engine itself imports nothing from node.
 */
import { constants, createHash, createHmac, createPublicKey, createSecretKey, publicDecrypt, verify, type KeyObject } from 'node:crypto';
import { setEd25519Verifier, type Ed25519Verifier } from '../engine/crypto/hostkey.ts';
import { setHashProvider, type HashProvider } from '../engine/kex/hashes.ts';
import { setHmacProvider, type HmacProvider } from '../engine/crypto/macs.ts';
import { setRsaPublicOperation, type RsaPublicOperation } from '../engine/crypto/rsa.ts';
import { setOverwrittenAllocator, type OverwrittenAllocator } from '../engine/crypto/overwritten-buffers.ts';
import { installNodeAes } from './node-aes.ts';
import { installNodeChaCha } from './node-chacha.ts';

/** SHA-1/2 through OpenSSL: the exchange hash, key derivation, signature digests and fingerprints of every session. */
export const nodeHashProvider: HashProvider = (name, parts) => {
  const hash = createHash(name);
  for (const part of parts) hash.update(part);
  return new Uint8Array(hash.digest());
};

export const nodeHmacProvider: HmacProvider = {
  create(hash, key) {
    // A KeyObject made once: createHmac then skips converting the raw key for every packet (~7% of each MAC).
    const keyObject = createSecretKey(key);
    return (parts) => {
      const mac = createHmac(hash, keyObject);
      for (const part of parts) mac.update(part);
      return mac.digest();
    };
  },
};

const base64url = (n: bigint) => {
  let hex = n.toString(16);
  if (hex.length % 2) hex = '0' + hex;
  return Buffer.from(hex, 'hex').toString('base64url');
};

/**
 * Imported public keys by an id (RSA `e:n`, Ed25519 hex): a capture of many sessions with one server verifies the
 * same host key in each, and importing the key costs more than the verification itself. Bounded: the oldest entry
 * goes first. null remembers a key OpenSSL would not import.
 */
const importedKeys = new Map<string, KeyObject | null>();
const MAX_IMPORTED_KEYS = 64;

function importOnce(id: string, make: () => KeyObject | null): KeyObject | null {
  let key = importedKeys.get(id);
  if (key === undefined) {
    key = make();
    if (importedKeys.size >= MAX_IMPORTED_KEYS) importedKeys.delete(importedKeys.keys().next().value!);
    importedKeys.set(id, key);
  }
  return key;
}

/** The last RSA key imported: a capture of many sessions with one server verifies with the same key in each. */
let lastRsa: { n: bigint; e: bigint; key: KeyObject } | undefined;

function importRsaKey(n: bigint, e: bigint): KeyObject {
  // Compared as numbers first: cheaper than building the id (two 2048-bit hex strings) for every session.
  if (lastRsa && lastRsa.n === n && lastRsa.e === e) return lastRsa.key;
  const id = `rsa:${e.toString(16)}:${n.toString(16)}`;
  const key = importOnce(id, () => createPublicKey({ key: { kty: 'RSA', n: base64url(n), e: base64url(e) }, format: 'jwk' }))!;
  lastRsa = { n, e, key };
  return key;
}

/** s^e mod n through OpenSSL's raw RSA (no padding): the key goes in as a JWK. */
export const nodeRsaPublicOperation: RsaPublicOperation = (key, signature, k) => {
  const publicKey = importRsaKey(key.n, key.e);
  const m = publicDecrypt({ key: publicKey, padding: constants.RSA_NO_PADDING }, signature);
  const out = new Uint8Array(k);
  out.set(m.subarray(Math.max(0, m.length - k)), Math.max(0, k - m.length));
  return out;
};

/**
 * Ed25519 (RFC 8032) through OpenSSL, ~15x noble's: a capture of many sessions with an OpenSSH server verifies an
 * Ed25519 host key signature per session. A key OpenSSL will not import gives false (noble then decides).
 */
export const nodeEd25519Verifier: Ed25519Verifier = (publicKey, message, signature) => {
  const id = 'ed25519:' + Buffer.from(publicKey.buffer, publicKey.byteOffset, publicKey.length).toString('hex');
  const key = importOnce(id, () => {
    try {
      return createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(publicKey).toString('base64url') }, format: 'jwk' });
    } catch {
      return null;
    }
  });
  if (!key) return false;
  try {
    return verify(null, message, key, signature);
  } catch {
    return false;
  }
};

/**
 * Packet buffers without zero-filling, for the reader's arrays that are overwritten whole at once; plain
 * Uint8Arrays (not Buffers) over their own memory, like every other array the engine sees.
 */
export const nodeOverwrittenAllocator: OverwrittenAllocator = (length) => new Uint8Array(Buffer.allocUnsafeSlow(length).buffer, 0, length);

/** Installs node:crypto's AES, hashes, HMAC, RSA and Ed25519, and unzeroed packet buffers, as the engine's fast paths. */
export function installNodeCrypto(): void {
  installNodeAes();
  installNodeChaCha();
  setOverwrittenAllocator(nodeOverwrittenAllocator);
  setHmacProvider(nodeHmacProvider);
  setHashProvider(nodeHashProvider);
  setRsaPublicOperation(nodeRsaPublicOperation);
  setEd25519Verifier(nodeEd25519Verifier);
}
