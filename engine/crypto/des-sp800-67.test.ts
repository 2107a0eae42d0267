/**
 * DES and TDEA (3DES-EDE) against published known-answer vectors, and 3DES-CBC against node:crypto
 * (OpenSSL's des-ede3-cbc) as an independent implementation.
 *  - NIST SP 800-20, Appendix A: Table A.1 (variable plaintext), A.3 (variable key), A.4 (permutation operation)
 *    and A.5 (substitution table) known-answer tests, each a single DES encryption.
 *  - NIST SP 800-67 Rev. 1/2, the TDEA example: three keys, plaintext "The qufck brown fox jump" in ECB.
 */
import { createCipheriv } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { Des, TripleDes, TripleDesCbc } from './des.ts';

const hex = (s: string) => Uint8Array.from(s.replace(/\s+/g, '').match(/../g)!.map((b) => parseInt(b, 16)));
const toHex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const words = (h: string) => Uint32Array.from([parseInt(h.slice(0, 8), 16), parseInt(h.slice(8, 16), 16)]);
const wordsHex = (w: Uint32Array) => [...w].map((x) => x.toString(16).padStart(8, '0')).join('');

function desEncrypt(key: string, plaintext: string): string {
  const block = words(plaintext);
  new Des(hex(key)).crypt(block, false);
  return wordsHex(block);
}

describe('DES (FIPS 46-3) known answers from NIST SP 800-20', () => {
  const cases: [string, string, string, string][] = [
    ['A.1 round 1', '0101010101010101', '8000000000000000', '95f8a5e5dd31d900'],
    ['A.1 round 2', '0101010101010101', '4000000000000000', 'dd7f121ca5015619'],
    ['A.1 round 3', '0101010101010101', '2000000000000000', '2e8653104f3834ea'],
    ['A.3 round 1', '8001010101010101', '0000000000000000', '95a8d72813daa94d'],
    ['A.3 round 2', '4001010101010101', '0000000000000000', '0eec1487dd8c26d5'],
    ['A.4 round 1', '1046913489980131', '0000000000000000', '88d55e54f54c97b4'],
    ['A.5 round 1', '7ca110454a1a6e57', '01a1d6d039776742', '690f5b0d9a26939b'],
  ];
  for (const [name, key, plaintext, ciphertext] of cases) {
    it(`${name}: key ${key}`, () => {
      expect(desEncrypt(key, plaintext)).toBe(ciphertext);
      const block = words(ciphertext);
      new Des(hex(key)).crypt(block, true);
      expect(wordsHex(block)).toBe(plaintext);
    });
  }
});

describe('TDEA', () => {
  it('SP 800-67 example: E_K3(D_K2(E_K1(P))) block by block', () => {
    const tdea = new TripleDes(hex('0123456789abcdef 23456789abcdef01 456789abcdef0123'));
    const plaintext = new TextEncoder().encode('The qufck brown fox jump');
    let out = '';
    for (let o = 0; o < 24; o += 8) {
      const block = words(toHex(plaintext.subarray(o, o + 8)));
      tdea.encryptBlock(block);
      out += wordsHex(block);
      tdea.decryptBlock(block);
      expect(wordsHex(block)).toBe(toHex(plaintext.subarray(o, o + 8)));
    }
    expect(out).toBe('a826fd8ce53b855fcce21c8112256fe668d5c05dd9b6b900');
  });

  it('3DES-CBC matches node:crypto des-ede3-cbc, chaining across calls, and decrypts in place', () => {
    for (let trial = 0; trial < 20; trial++) {
      const key = Uint8Array.from({ length: 24 }, (_, i) => (i * 37 + trial * 11) & 0xff);
      const iv = Uint8Array.from({ length: 8 }, (_, i) => (i * 91 + trial) & 0xff);
      const data = Uint8Array.from({ length: 8 * (1 + trial * 3) }, (_, i) => (i * 7 + trial) & 0xff);
      const reference = createCipheriv('des-ede3-cbc', key, iv).setAutoPadding(false).update(data);
      const enc = new TripleDesCbc(key, iv, false);
      const ours = new Uint8Array(data.length);
      const cut = 8 * Math.floor(data.length / 16);
      enc.update(data.subarray(0, cut), ours.subarray(0, cut));
      enc.update(data.subarray(cut), ours.subarray(cut));
      expect(toHex(ours)).toBe(reference.toString('hex'));
      new TripleDesCbc(key, iv, true).update(ours, ours);
      expect(toHex(ours)).toBe(toHex(data));
    }
  });
});
