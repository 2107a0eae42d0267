/**
 * ChaCha20 as chacha20-poly1305@openssh.com uses it (engine/crypto/chacha20.ts):
 *  - chachaFirstWord, the packet-length keystream, against RFC 8439 Appendix A.1 test vectors 1 and 5 (key 0,
 *    counter 0, nonces 0 and 2 - the RFC's 96-bit nonce 0 | n is the 64-bit nonce n) and against noble on random
 *    keys and sequence numbers;
 *  - the noble provider's stream run in pieces against one call.
 */
import { randomBytes } from 'node:crypto';
import { chacha20orig } from '@noble/ciphers/chacha.js';
import { describe, expect, it } from 'vitest';
import { chachaFirstWord, chachaKeyWords, nobleChaCha20Provider } from './chacha20.ts';

const nonceOf = (sequence: number) => Uint8Array.of(0, 0, 0, 0, sequence >>> 24, sequence >>> 16, sequence >>> 8, sequence);
const firstBytes = (word: number) => Buffer.from(Uint32Array.of(word).buffer).toString('hex'); // little-endian host

describe('chachaFirstWord (the length keystream of OpenSSH PROTOCOL.chacha20poly1305)', () => {
  it('RFC 8439 A.1 #1 (key 0, nonce 0, counter 0) and #5 (nonce 00..02): keystream 76b8e0ad..., c2c64d37...', () => {
    const zero = chachaKeyWords(new Uint8Array(32));
    expect(firstBytes(chachaFirstWord(zero, 0))).toBe('76b8e0ad');
    expect(firstBytes(chachaFirstWord(zero, 2))).toBe('c2c64d37');
  });
  it('equals the first four bytes of noble\'s keystream for random keys and sequence numbers', () => {
    for (let i = 0; i < 300; i++) {
      const key = randomBytes(32);
      const sequence = i < 100 ? i : i < 200 ? 0xffffffff - i : randomBytes(4).readUInt32BE(0);
      const want = chacha20orig(key, nonceOf(sequence), new Uint8Array(4), undefined, 0);
      expect(firstBytes(chachaFirstWord(chachaKeyWords(key), sequence))).toBe(Buffer.from(want).toString('hex'));
    }
  });
});

describe('the noble ChaCha20 provider', () => {
  it('gives the same bytes in whole-block pieces as in one call, from any start counter, in place or not', () => {
    const key = randomBytes(32), nonce = randomBytes(8), data = randomBytes(64 * 5 + 17);
    for (const counter of [0, 1, 7]) {
      const whole = chacha20orig(key, nonce, data, undefined, counter);
      const out = new Uint8Array(data.length);
      const stream = nobleChaCha20Provider.stream(key, nonce, counter);
      stream.update(data.subarray(0, 64), out.subarray(0, 64));
      stream.update(data.subarray(64, 192), out.subarray(64, 192));
      const rest = Uint8Array.from(data.subarray(192));
      stream.update(rest, rest);
      out.set(rest, 192);
      expect(Buffer.from(out).equals(Buffer.from(whole))).toBe(true);
    }
  });
});
