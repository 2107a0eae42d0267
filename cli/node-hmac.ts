/**
 * @module cli/node-hmac
 * The engine's HMAC provider (engine/crypto/macs.ts) on node:crypto (OpenSSL): RFC 2104 HMAC for hmac-sha1,
 * hmac-sha2-256/512 and hmac-md5 and their -96/-etm forms, several times faster than the portable noble HMAC.
 * The CLI installs it at start-up with the AES provider (installNodeCrypto).
 */
import { createHmac } from 'node:crypto';
import { setHmacProvider, type HmacProvider } from '../engine/crypto/macs.ts';
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

/** Installs node:crypto's AES and HMAC as the engine's fast paths. */
export function installNodeCrypto(): void {
  installNodeAes();
  setHmacProvider(nodeHmacProvider);
}
