/**
 * @module cli/node-chacha
 * The ChaCha20 keystream of chacha20-poly1305@openssh.com (engine/crypto/chacha20.ts) on node:crypto's OpenSSL
 * `chacha20`, several times faster than the portable noble one; installed by the CLI at start-up. OpenSSL takes a
 * 16-byte IV: a 32-bit little-endian block counter, then a 96-bit nonce (RFC 8439 §2.3) - read as state words 12-15,
 * which is also OpenSSH's layout of a 64-bit little-endian counter and its 64-bit nonce (OpenSSH
 * PROTOCOL.chacha20poly1305), so IV = LE64(counter) | nonce. Results are identical to noble's (cli/node-chacha.test.ts).
 */
import { createCipheriv, createSecretKey, type KeyObject } from 'node:crypto';
import { setChaCha20Provider, type ChaCha20Provider } from '../engine/crypto/chacha20.ts';

/**
 * Keys imported once per key epoch: a packet makes a context (node cannot reset one to a new nonce), and a KeyObject
 * spares converting the raw key each time. The cipher keeps its key array for the epoch, so a WeakMap fits.
 */
const imported = new WeakMap<Uint8Array, KeyObject>();
function keyObject(key: Uint8Array): KeyObject {
  let object = imported.get(key);
  if (!object) imported.set(key, (object = createSecretKey(key)));
  return object;
}

export const nodeChaCha20Provider: ChaCha20Provider = {
  name: 'node:crypto',
  stream(key, nonce, counter) {
    const iv = new Uint8Array(16); // counter < 2^32 here: its upper four bytes stay 0
    iv[0] = counter; iv[1] = counter >>> 8; iv[2] = counter >>> 16; iv[3] = counter >>> 24;
    iv.set(nonce, 8);
    const context = createCipheriv('chacha20', keyObject(key), iv);
    return {
      update(input, output) {
        output.set(context.update(input));
      },
    };
  },
};

/** Makes every chacha20-poly1305 cipher state created from now on use node:crypto for its keystream. */
export function installNodeChaCha(): void {
  setChaCha20Provider(nodeChaCha20Provider);
}
