/**
 * @module cli/node-crypto
 * The engine's platform fast paths on node:crypto (OpenSSL), installed by the CLI at start-up: AES (cli/node-aes.ts),
 * RFC 2104 HMAC for the hmac-* MACs (engine/crypto/macs.ts), and the raw RSA public operation for verifying
 * rsa-sha2-* and ssh-rsa signatures (engine/crypto/rsa.ts). Results are identical to the portable noble/BigInt paths
 * (cross-checked in cli/node-crypto.test.ts); the engine itself imports nothing from node.
 */
import { constants, createHmac, createPublicKey, publicDecrypt } from 'node:crypto';
import { setHmacProvider, type HmacProvider } from '../engine/crypto/macs.ts';
import { setRsaPublicOperation, type RsaPublicOperation } from '../engine/crypto/rsa.ts';
import { installNodeAes } from './node-aes.ts';

export const nodeHmacProvider: HmacProvider = {
  create(hash, key) {
    const keyCopy = Buffer.from(key);
    return (parts) => {
      const mac = createHmac(hash, keyCopy);
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

/** s^e mod n through OpenSSL's raw RSA (no padding): the key goes in as a JWK. */
export const nodeRsaPublicOperation: RsaPublicOperation = (key, signature, k) => {
  const publicKey = createPublicKey({ key: { kty: 'RSA', n: base64url(key.n), e: base64url(key.e) }, format: 'jwk' });
  const m = publicDecrypt({ key: publicKey, padding: constants.RSA_NO_PADDING }, signature);
  const out = new Uint8Array(k);
  out.set(m.subarray(Math.max(0, m.length - k)), Math.max(0, k - m.length));
  return out;
};

/** Installs node:crypto's AES, HMAC and RSA as the engine's fast paths. */
export function installNodeCrypto(): void {
  installNodeAes();
  setHmacProvider(nodeHmacProvider);
  setRsaPublicOperation(nodeRsaPublicOperation);
}
