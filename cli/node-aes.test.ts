/**
 * The node:crypto AES provider against the portable noble one: identical bytes for every AES cipher of the
 * registry, over many packets of random sizes with random keys and IVs, so CTR counters, CBC chaining and GCM
 * invocation counters are all exercised across packets; tag failures agree too. Plus NIST SP 800-38A F.5.1 once
 * through the node provider as an anchor.
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { nobleAesProvider } from '../engine/crypto/aes-provider.ts';
import { CIPHER_ALGORITHMS, type AeadPacketCipher, type BlockPacketCipher } from '../engine/crypto/ciphers.ts';
import { nodeAesProvider } from './node-aes.ts';

const toHex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const aesCiphers = CIPHER_ALGORITHMS.filter((c) => c.name.startsWith('aes'));

describe('node:crypto AES provider = noble AES provider', () => {
  it('covers all eight AES ciphers', () => {
    expect(aesCiphers.map((c) => c.name).sort()).toEqual(['aes128-cbc', 'aes128-ctr', 'aes128-gcm@openssh.com',
      'aes192-cbc', 'aes192-ctr', 'aes256-cbc', 'aes256-ctr', 'aes256-gcm@openssh.com']);
  });

  for (const algorithm of aesCiphers) {
    it(`${algorithm.name}: same bytes over 60 packets, both directions`, () => {
      for (let trial = 0; trial < 3; trial++) {
        const key = randomBytes(algorithm.keyLength);
        const iv = randomBytes(algorithm.ivLength);
        if (algorithm.name.endsWith('-ctr') && trial === 0) iv.fill(0xff, 8); // the counter carries past 64 bits
        const make = (provider: typeof nobleAesProvider, mode: 'encrypt' | 'decrypt') => algorithm.create(key, iv, mode, provider);
        const [nobleEnc, nodeEnc, nobleDec, nodeDec] = [make(nobleAesProvider, 'encrypt'), make(nodeAesProvider, 'encrypt'),
          make(nobleAesProvider, 'decrypt'), make(nodeAesProvider, 'decrypt')];
        for (let packet = 0; packet < 60; packet++) {
          const blocks = 1 + Math.floor(Math.random() * (packet % 10 === 0 ? 2100 : 40));
          const plaintext = randomBytes(16 * blocks);
          if (algorithm.aead) {
            plaintext.writeUInt32BE(plaintext.length - 4, 0);
            const seal = (c: AeadPacketCipher) => { const w = new Uint8Array(plaintext.length), t = new Uint8Array(16); c.seal(packet, plaintext, w, t); return [w, t]; };
            const [w1, t1] = seal(nobleEnc as AeadPacketCipher);
            const [w2, t2] = seal(nodeEnc as AeadPacketCipher);
            expect(toHex(w2)).toBe(toHex(w1));
            expect(toHex(t2)).toBe(toHex(t1));
            const damaged = packet % 7 === 3;
            if (damaged) t1[0] ^= 1;
            const open = (c: AeadPacketCipher) => { const o = new Uint8Array(w1.length); return [c.open(packet, w1, t1, o), o] as const; };
            const [ok1, o1] = open(nobleDec as AeadPacketCipher);
            const [ok2, o2] = open(nodeDec as AeadPacketCipher);
            expect([ok1, ok2]).toEqual([!damaged, !damaged]);
            expect(toHex(o1)).toBe(toHex(plaintext));
            expect(toHex(o2)).toBe(toHex(plaintext));
          } else {
            const run = (c: BlockPacketCipher, input: Uint8Array) => {
              const out = new Uint8Array(input.length);
              const cut = 16 * Math.floor(blocks / 2); // split the packet like a reader does (first block, rest)
              c.update(input.subarray(0, cut), out.subarray(0, cut));
              c.update(input.subarray(cut), out.subarray(cut));
              return out;
            };
            const c1 = run(nobleEnc as BlockPacketCipher, plaintext);
            expect(toHex(run(nodeEnc as BlockPacketCipher, plaintext))).toBe(toHex(c1));
            expect(toHex(run(nobleDec as BlockPacketCipher, c1))).toBe(toHex(plaintext));
            expect(toHex(run(nodeDec as BlockPacketCipher, c1))).toBe(toHex(plaintext));
          }
        }
      }
    });
  }

  it('GCM with a bad tag: both providers say so, and withhold the plaintext when asked', () => {
    const key = randomBytes(16), iv = randomBytes(12), aad = randomBytes(4), plaintext = randomBytes(64);
    const ciphertext = new Uint8Array(64), tag = new Uint8Array(16);
    nodeAesProvider.gcm(key).seal(iv, aad, plaintext, ciphertext, tag);
    tag[15] ^= 0x80;
    for (const provider of [nodeAesProvider, nobleAesProvider]) {
      const shown = new Uint8Array(64), withheld = new Uint8Array(64);
      expect(provider.gcm(key).open(iv, aad, ciphertext, tag, shown)).toBe(false);
      expect(toHex(shown)).toBe(toHex(plaintext));
      expect(provider.gcm(key).open(iv, aad, ciphertext, tag, withheld, false)).toBe(false);
      expect(withheld.every((b) => b === 0)).toBe(true);
    }
  });

  it('SP 800-38A F.5.1 CTR-AES128 through the node provider', () => {
    const out = new Uint8Array(16);
    nodeAesProvider.ctr(Buffer.from('2b7e151628aed2a6abf7158809cf4f3c', 'hex'), Buffer.from('f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff', 'hex'))
      .update(Buffer.from('6bc1bee22e409f96e93d7e117393172a', 'hex'), out);
    expect(toHex(out)).toBe('874d6191b620e3261bef6864990db6ce');
  });
});
