/**
 * @module cli/node-aes
 * The AES provider of the engine (engine/crypto/aes-provider.ts) on node:crypto (OpenSSL), about ten times faster
 * than the portable noble one. The CLI installs it at start-up with {@link installNodeAes}; the engine stays free of
 * `node:` imports. CTR and CBC keep OpenSSL's cipher context across calls, which gives SSH's running counter
 * (RFC 4344 §4) and IV chaining (RFC 4253 §6.3); GCM makes one context per packet (RFC 5647 §7.1).
 */
import { createCipheriv, createDecipheriv, createSecretKey, type CipherGCM, type DecipherGCM } from 'node:crypto';
import { setAesProvider, type AesGcm, type AesProvider, type AesStream } from '../engine/crypto/aes-provider.ts';

const mode = (key: Uint8Array, name: 'ctr' | 'cbc' | 'gcm') => `aes-${key.length * 8}-${name}`;

/** Wraps an OpenSSL context: `update` writes its output into the caller's buffer. */
function stream(context: { update(data: Uint8Array): Buffer }): AesStream {
  return {
    update(input, output) {
      output.set(context.update(input));
    },
  };
}

function gcm(rawKey: Uint8Array): AesGcm {
  const name = mode(rawKey, 'gcm') as 'aes-128-gcm';
  // Imported once: every packet makes a context, and a KeyObject saves converting the raw key each time.
  const key = createSecretKey(rawKey);
  return {
    seal(iv, aad, plaintext, output, tag) {
      const cipher = createCipheriv(name, key, iv) as CipherGCM;
      cipher.setAAD(aad);
      output.set(cipher.update(plaintext));
      cipher.final();
      tag.set(cipher.getAuthTag());
    },
    open(iv, aad, ciphertext, tag, output, decryptWhenBad = true) {
      const decipher = createDecipheriv(name, key, iv) as DecipherGCM;
      decipher.setAAD(aad);
      decipher.setAuthTag(tag);
      output.set(decipher.update(ciphertext));
      try {
        decipher.final();
        return true;
      } catch {
        // OpenSSL reports a tag mismatch only here, after decrypting: withhold the bytes when asked to.
        if (!decryptWhenBad) output.fill(0);
        return false;
      }
    },
  };
}

export const nodeAesProvider: AesProvider = {
  name: 'node:crypto',
  ctr: (key, initialCounter) => stream(createCipheriv(mode(key, 'ctr'), key, initialCounter)),
  cbcEncrypt: (key, iv) => stream(createCipheriv(mode(key, 'cbc'), key, iv).setAutoPadding(false)),
  cbcDecrypt: (key, iv) => stream(createDecipheriv(mode(key, 'cbc'), key, iv).setAutoPadding(false)),
  gcm,
};

/** Makes every cipher state created from now on use node:crypto for AES. */
export function installNodeAes(): void {
  setAesProvider(nodeAesProvider);
}
