/**
 * 3des-ctr (RFC 4344 §4): keystream = 3DES-EDE encryption of a 64-bit big-endian counter that wraps at 2^64 and runs
 * on across calls. Expected bytes: python3-cryptography 48's TripleDES in ECB mode over the counter blocks (Debian),
 * an independent implementation; the 3DES core itself is checked against NIST in des-sp800-67.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { getCipherAlgorithm, type BlockPacketCipher } from './ciphers.ts';

const hex = (s: string) => Uint8Array.from(s.match(/../g) ?? [], (b) => parseInt(b, 16));

describe('3des-ctr', () => {
  it('keystream over a wrapping counter, in two calls; decrypting undoes encrypting', () => {
    const key = Uint8Array.from({ length: 24 }, (_, i) => i + 1);
    const iv = hex('fffffffffffffffe');
    const c = getCipherAlgorithm('3des-ctr').create(key, iv, 'encrypt') as BlockPacketCipher;
    const out = new Uint8Array(24);
    c.update(out.subarray(0, 8), out.subarray(0, 8));
    c.update(out.subarray(8), out.subarray(8));
    expect(Buffer.from(out).toString('hex')).toBe('f090d095a315863306d8b3e92b95a8e4c7b64ccccdb0d304');
    const plain = Uint8Array.from({ length: 40 }, (_, i) => i * 9);
    const wire = new Uint8Array(40);
    (getCipherAlgorithm('3des-ctr').create(key, iv, 'encrypt') as BlockPacketCipher).update(plain, wire);
    const back = new Uint8Array(40);
    (getCipherAlgorithm('3des-ctr').create(key, iv, 'decrypt') as BlockPacketCipher).update(wire, back);
    expect(back).toEqual(plain);
  });
});
