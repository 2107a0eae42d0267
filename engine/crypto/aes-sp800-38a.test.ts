/**
 * AES-CTR and AES-CBC of the portable provider against NIST SP 800-38A, Appendix F (F.2.1/F.2.3/F.2.5 CBC
 * encrypt, F.2.2/F.2.4/F.2.6 CBC decrypt, F.5.1/F.5.3/F.5.5 CTR), and the chaining across calls SSH relies on.
 */
import { describe, expect, it } from 'vitest';
import { nobleAesProvider } from './aes-provider.ts';

const hex = (s: string) => Uint8Array.from(s.replace(/\s+/g, '').match(/../g)!.map((b) => parseInt(b, 16)));
const toHex = (b: Uint8Array) => Buffer.from(b).toString('hex');

// SP 800-38A F.1-F.5: the four plaintext blocks shared by every example.
const plaintext = hex(`6bc1bee22e409f96e93d7e117393172a ae2d8a571e03ac9c9eb76fac45af8e51
  30c81c46a35ce411e5fbc1191a0a52ef f69f2445df4f9b17ad2b417be66c3710`);
const keys = {
  128: hex('2b7e151628aed2a6abf7158809cf4f3c'),
  192: hex('8e73b0f7da0e6452c810f32b809079e562f8ead2522c6b7b'),
  256: hex('603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4'),
};
const cbcIv = hex('000102030405060708090a0b0c0d0e0f'); // F.2
const ctrCounter = hex('f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff'); // F.5
const cbcCiphertext = {
  128: '7649abac8119b246cee98e9b12e9197d5086cb9b507219ee95db113a917678b273bed6b8e3c1743b7116e69e222295163ff1caa1681fac09120eca307586e1a7',
  192: '4f021db243bc633d7178183a9fa071e8b4d9ada9ad7dedf4e5e738763f69145a571b242012fb7ae07fa9baac3df102e008b0e27988598881d920a9e64f5615cd',
  256: 'f58c4c04d6e5f1ba779eabfb5f7bfbd69cfc4e967edb808d679f777bc6702c7d39f23369a9d9bacfa530e26304231461b2eb05e2c39be9fcda6c19078c6a9d1b',
};
const ctrCiphertext = {
  128: '874d6191b620e3261bef6864990db6ce9806f66b7970fdff8617187bb9fffdff5ae4df3edbd5d35e5b4f09020db03eab1e031dda2fbe03d1792170a0f3009cee',
  192: '1abc932417521ca24f2b0459fe7e6e0b090339ec0aa6faefd5ccc2c6f4ce8e941e36b26bd1ebc670d1bd1d665620abf74f78a7f6d29809585a97daec58c6b050',
  256: '601ec313775789a5b7a7f504bbf3d228f443e3ca4d62b59aca84e990cacaf5c52b0930daa23de94ce87017ba2d84988ddfc9c58db67aada613c2dd08457941a6',
};

describe('NIST SP 800-38A with the noble provider', () => {
  for (const bits of [128, 192, 256] as const) {
    it(`CBC-AES${bits} encrypts and decrypts (F.2), block by block as well as at once`, () => {
      const out = new Uint8Array(64);
      nobleAesProvider.cbcEncrypt(keys[bits], cbcIv).update(plaintext, out);
      expect(toHex(out)).toBe(cbcCiphertext[bits]);
      const enc = nobleAesProvider.cbcEncrypt(keys[bits], cbcIv);
      const chained = new Uint8Array(64);
      for (let i = 0; i < 64; i += 16) enc.update(plaintext.subarray(i, i + 16), chained.subarray(i, i + 16));
      expect(toHex(chained)).toBe(cbcCiphertext[bits]);
      const dec = nobleAesProvider.cbcDecrypt(keys[bits], cbcIv);
      const back = hex(cbcCiphertext[bits]);
      dec.update(back.subarray(0, 32), back.subarray(0, 32)); // in place, in two calls
      dec.update(back.subarray(32), back.subarray(32));
      expect(toHex(back)).toBe(toHex(plaintext));
    });
    it(`CTR-AES${bits} (F.5) with the counter running on across calls`, () => {
      const out = new Uint8Array(64);
      const ctr = nobleAesProvider.ctr(keys[bits], ctrCounter);
      ctr.update(plaintext.subarray(0, 16), out.subarray(0, 16));
      ctr.update(plaintext.subarray(16), out.subarray(16));
      expect(toHex(out)).toBe(ctrCiphertext[bits]);
    });
  }
  it('CTR carries across all 128 counter bits', () => {
    const key = keys[128];
    const all = new Uint8Array(16).fill(0xff);
    const out = new Uint8Array(32);
    nobleAesProvider.ctr(key, all).update(new Uint8Array(32), out);
    const zero = new Uint8Array(16);
    const fromZero = new Uint8Array(16);
    nobleAesProvider.ctr(key, zero).update(new Uint8Array(16), fromZero);
    expect(toHex(out.subarray(16))).toBe(toHex(fromZero));
  });
});
