/**
 * Blowfish (Schneier 1993) known answers, from Eric Young's published Blowfish ECB test vectors (the set in
 * Schneier's "Blowfish test vectors" page): key/plaintext/ciphertext triples, through the plain key schedule.
 * bcrypt_pbkdf itself is tested end to end against ssh-keygen's encrypted key files (hostkey-file.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { blowfishEncrypt, blowfishExpand, blowfishInitialState, bcryptPbkdf } from './hostkey-file-bcrypt-pbkdf.ts';

function ecb(keyHex: string, plainHex: string): string {
  const state = blowfishInitialState();
  blowfishExpand(state, Buffer.from(keyHex, 'hex'));
  const plain = Buffer.from(plainHex, 'hex');
  const block = new Uint32Array([plain.readUInt32BE(0), plain.readUInt32BE(4)]);
  blowfishEncrypt(state, block);
  return block[0].toString(16).padStart(8, '0') + block[1].toString(16).padStart(8, '0');
}

describe('Blowfish ECB (Eric Young vectors)', () => {
  const vectors = [
    ['0000000000000000', '0000000000000000', '4ef997456198dd78'],
    ['ffffffffffffffff', 'ffffffffffffffff', '51866fd5b85ecb8a'],
    ['3000000000000000', '1000000000000001', '7d856f9a613063f2'],
    ['1111111111111111', '1111111111111111', '2466dd878b963c9d'],
    ['0123456789abcdef', '1111111111111111', '61f9c3802281b096'],
    ['fedcba9876543210', '0123456789abcdef', '0aceab0fc6a0a28d'],
  ];
  for (const [key, plain, cipher] of vectors) {
    it(`key ${key}, plaintext ${plain}`, () => expect(ecb(key, plain)).toBe(cipher));
  }
  it('the initial state is pi: P1 = 0x243f6a88, S1[0] = 0xd1310ba6', () => {
    const s = blowfishInitialState();
    expect(s.P[0]).toBe(0x243f6a88);
    expect(s.S[0]).toBe(0xd1310ba6);
  });
  it('bcrypt_pbkdf refuses an empty passphrase or zero rounds', () => {
    expect(() => bcryptPbkdf(new Uint8Array(0), new Uint8Array(16), 48, 16)).toThrow(RangeError);
    expect(() => bcryptPbkdf(new Uint8Array(1), new Uint8Array(16), 48, 0)).toThrow(RangeError);
  });
});
