/**
 * ecdh-sha2-nistp256/384/521 (RFC 5656 §4, §7.1: K is the x coordinate of the shared point, an mpint).
 * Known answer: RFC 5903 §8.1, the 256-bit random ECP group test vector (i, g^i, r, g^r, g^ir), copied from the RFC.
 * Cross-check: node:crypto's createECDH (OpenSSL) as an independent peer on each curve, both directions.
 */
import { createECDH } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { fromHex, toHex, unsignedMpintBytes } from '../wire/index.ts';
import { nistKeyPair, nistPublicKey, nistSharedSecret } from './ecdh.ts';
import { seededRandomBytes } from './test-rng.ts';

const h = (s: string) => fromHex(s.replace(/\s+/g, ''))!;

describe('RFC 5903 §8.1 (256-bit random ECP group)', () => {
  const i = h('C88F01F5 10D9AC3F 70A292DA A2316DE5 44E9AAB8 AFE84049 C62A9C57 862D1433');
  const giX = 'DAD0B653 94221CF9 B051E1FE CA5787D0 98DFE637 FC90B9EF 945D0C37 72581180';
  const giY = '5271A046 1CDB8252 D61F1C45 6FA3E59A B1F45B33 ACCF5F58 389E0577 B8990BB3';
  const r = h('C6EF9C5D 78AE012A 011164AC B397CE20 88685D8F 06BF9BE0 B283AB46 476BEE53');
  const grX = 'D12DFB52 89C8D4F8 1208B702 70398C34 2296970A 0BCCB74C 736FC755 4494BF63';
  const grY = '56FBF3CA 366CC23E 8157854C 13C58D6A AC23F046 ADA30F83 53E74F33 039872AB';
  const girX = 'D6840F6B 42F6EDAF D13116E0 E1256520 2FEF8E9E CE7DCE03 812464D0 4B9442DE';

  it('public values and the shared x coordinate', () => {
    const gi = nistPublicKey('p256', i);
    const gr = nistPublicKey('p256', r);
    expect(toHex(gi)).toBe(toHex(h('04' + giX + giY)));
    expect(toHex(gr)).toBe(toHex(h('04' + grX + grY)));
    const K1 = nistSharedSecret('p256', i, gr, 'Q_S');
    const K2 = nistSharedSecret('p256', r, gi, 'Q_C');
    expect(toHex(K1.content)).toBe(toHex(unsignedMpintBytes(h(girX))));
    expect(toHex(K2.wire)).toBe(toHex(K1.wire));
    // The x coordinate's top bit is set, so the mpint has a leading 0x00 (RFC 4251 §5).
    expect(toHex(K1.wire)).toBe('00000021' + '00' + girX.replace(/\s+/g, '').toLowerCase());
  });
});

describe('against node:crypto createECDH', () => {
  for (const [curve, nodeName] of [['p256', 'prime256v1'], ['p384', 'secp384r1'], ['p521', 'secp521r1']] as const) {
    it(curve, () => {
      for (let round = 0; round < 5; round++) {
        const ours = nistKeyPair(curve, seededRandomBytes(`${curve} ${round}`));
        const node = createECDH(nodeName);
        node.generateKeys();
        const nodePublic = new Uint8Array(node.getPublicKey(null, 'uncompressed'));
        const K = nistSharedSecret(curve, ours.privateKey, nodePublic, 'Q_S');
        const nodeShared = new Uint8Array(node.computeSecret(ours.publicKey));
        expect(toHex(K.content)).toBe(toHex(unsignedMpintBytes(nodeShared)));
        // Our public key from node's private key is node's public key.
        expect(toHex(nistPublicKey(curve, new Uint8Array(node.getPrivateKey())))).toBe(toHex(nodePublic));
      }
    });
  }
});
