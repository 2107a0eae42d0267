/** node:crypto HMAC provider: byte-identical MACs to the portable noble path for every HMAC in the registry. */
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { MAC_ALGORITHMS, setHmacProvider } from '../engine/crypto/macs.ts';
import { nodeHmacProvider } from './node-hmac.ts';

afterEach(() => setHmacProvider(undefined));

describe('node:crypto HMAC provider', () => {
  for (const algorithm of MAC_ALGORITHMS.filter((m) => m.name.startsWith('hmac-'))) {
    it(`${algorithm.name} agrees with noble over many packets`, () => {
      const key = new Uint8Array(randomBytes(algorithm.keyLength));
      setHmacProvider(undefined);
      const noble = algorithm.create(key);
      setHmacProvider(nodeHmacProvider);
      const native = algorithm.create(key);
      for (let seq = 0; seq < 50; seq++) {
        const data = new Uint8Array(randomBytes((seq * 97) % 2000));
        const a = new Uint8Array(algorithm.macLength);
        const b = new Uint8Array(algorithm.macLength);
        noble.compute(seq * 0x01020304 >>> 0, data, a);
        native.compute(seq * 0x01020304 >>> 0, data, b);
        expect(b).toEqual(a);
      }
    });
  }
});
