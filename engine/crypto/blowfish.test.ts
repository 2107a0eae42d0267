/**
 * blowfish-cbc (RFC 4253 §6.3) and blowfish-ctr (RFC 4344 §4) against Eric Young's Blowfish test vectors
 * (ECB: key 00.., FF.., 3000..; CBC: key 0123456789ABCDEFF0E1D2C3B4A59687, IV FEDCBA9876543210, the 29-byte
 * "7654321 Now is the time for " zero-padded to 32), each checked equal by python3-cryptography 48's Blowfish
 * (Debian); the CTR keystream over a counter that wraps at 2^64, from python3-cryptography's ECB of the counter
 * blocks. (A real PuTTY-AsyncSSH blowfish-cbc session decodes in cli/dev/others.test.ts.)
 */
import { describe, expect, it } from 'vitest';
import { blowfishDecrypt, blowfishKey } from './blowfish.ts';
import { blowfishEncrypt } from './hostkey-file-bcrypt-pbkdf.ts';
import { getCipherAlgorithm, type BlockPacketCipher } from './ciphers.ts';

const hex = (s: string) => Uint8Array.from(s.match(/../g) ?? [], (b) => parseInt(b, 16));
const toHex = (b: Uint8Array) => Buffer.from(b).toString('hex');

describe('Blowfish block function (Eric Young ECB vectors)', () => {
  for (const [key, plain, cipher] of [
    ['0000000000000000', '0000000000000000', '4ef997456198dd78'],
    ['ffffffffffffffff', 'ffffffffffffffff', '51866fd5b85ecb8a'],
    ['3000000000000000', '1000000000000001', '7d856f9a613063f2'],
  ]) {
    it(`key ${key}: ${plain} -> ${cipher} and back`, () => {
      const state = blowfishKey(hex(key));
      const p = hex(plain);
      const block = Uint32Array.of(new DataView(p.buffer).getUint32(0), new DataView(p.buffer).getUint32(4));
      blowfishEncrypt(state, block);
      expect(block[0].toString(16).padStart(8, '0') + block[1].toString(16).padStart(8, '0')).toBe(cipher);
      blowfishDecrypt(state, block);
      expect(block[0].toString(16).padStart(8, '0') + block[1].toString(16).padStart(8, '0')).toBe(plain);
    });
  }
});

describe('blowfish-cbc', () => {
  const key = hex('0123456789abcdeff0e1d2c3b4a59687');
  const iv = hex('fedcba9876543210');
  const plain = new Uint8Array(32);
  plain.set(new TextEncoder().encode('7654321 Now is the time for '));
  const expected = '6b77b4d63006dee605b156e27403979358deb9e7154616d959f1652bd5ff92cc';
  it('Eric Young CBC vector, in two calls (the chain runs on), and decrypts back', () => {
    const enc = getCipherAlgorithm('blowfish-cbc').create(key, iv, 'encrypt') as BlockPacketCipher;
    const out = new Uint8Array(32);
    enc.update(plain.subarray(0, 16), out.subarray(0, 16));
    enc.update(plain.subarray(16), out.subarray(16));
    expect(toHex(out)).toBe(expected);
    const dec = getCipherAlgorithm('blowfish-cbc').create(key, iv, 'decrypt') as BlockPacketCipher;
    dec.update(out, out);
    expect(out).toEqual(plain);
  });
});

describe('blowfish-ctr', () => {
  it('keystream = E(counter), the 64-bit counter wrapping from 2^64 - 1 to 0', () => {
    const key = Uint8Array.from({ length: 32 }, (_, i) => i);
    const c = getCipherAlgorithm('blowfish-ctr').create(key, hex('fffffffffffffffe'), 'decrypt') as BlockPacketCipher;
    const out = new Uint8Array(24);
    c.update(out.subarray(0, 8), out.subarray(0, 8));
    c.update(out.subarray(8), out.subarray(8));
    expect(toHex(out)).toBe('aaddcdf6ca56d6ad1e923a099d27b72b0c823b7b8d014b7e');
  });
});
