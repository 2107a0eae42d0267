/**
 * The cipher registry and the packet constructions of the AEAD ciphers.
 *  - ChaCha20 block function: RFC 8439 Appendix A.1 test vectors 1 and 2 and the §2.4.2 example, through
 *    chacha20orig (the 64-bit-nonce variant SSH uses: the RFC's 96-bit nonce 0 | n maps to the 64-bit nonce n
 *    when the counter fits 32 bits). Poly1305: RFC 8439 §2.5.2.
 *  - chacha20-poly1305@openssh.com rebuilt step by step from OpenSSH PROTOCOL.chacha20poly1305 with node:crypto's
 *    ChaCha20 (OpenSSL) as an independent keystream.
 *  - aesN-gcm@openssh.com against node:crypto AES-GCM with the IV rule of RFC 5647 §7.1.
 */
import { createCipheriv } from 'node:crypto';
import { poly1305 } from '@noble/ciphers/_poly1305.js';
import { chacha20orig } from '@noble/ciphers/chacha.js';
import { describe, expect, it } from 'vitest';
import { CIPHER_ALGORITHMS, getCipherAlgorithm, type AeadPacketCipher } from './ciphers.ts';

const hex = (s: string) => Uint8Array.from((s.replace(/\s+/g, '').match(/../g) ?? []).map((b) => parseInt(b, 16)));
const toHex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const bytes = (n: number, seed: number) => Uint8Array.from({ length: n }, (_, i) => (i * 131 + seed * 17 + 7) & 0xff);

describe('RFC 8439 vectors for the primitives chacha20-poly1305@openssh.com is made of', () => {
  it('A.1 test vectors 1 and 2: the block function with key 0, nonce 0, counters 0 and 1', () => {
    const key = new Uint8Array(32), nonce = new Uint8Array(8);
    expect(toHex(chacha20orig(key, nonce, new Uint8Array(64), undefined, 0))).toBe(
      '76b8e0ada0f13d90405d6ae55386bd28bdd219b8a08ded1aa836efcc8b770dc7da41597c5157488d7724e03fb8d84a376a43b8f41518a11cc387b669b2ee6586');
    expect(toHex(chacha20orig(key, nonce, new Uint8Array(64), undefined, 1))).toBe(
      '9f07e7be5551387a98ba977c732d080dcb0f29a048e3656912c6533e32ee7aed29b721769ce64e43d57133b074d839d531ed1f28510afb45ace10a1f4b794d6f');
  });
  it('§2.4.2 example: "Ladies and Gentlemen of the class of \'99..." with nonce 000000000000004a00000000, counter 1', () => {
    const key = hex('000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f');
    const plaintext = new TextEncoder().encode("Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the future, sunscreen would be it.");
    const out = chacha20orig(key, hex('0000004a00000000'), plaintext, undefined, 1);
    expect(toHex(out.subarray(0, 32))).toBe('6e2e359a2568f98041ba0728dd0d6981e97e7aec1d4360c20a27afccfd9fae0b');
  });
  it('§2.5.2: Poly1305 of "Cryptographic Forum Research Group"', () => {
    const key = hex('85d6be7857556d337f4452fe42d506a80103808afb0db2fd4abff6af4149f51b');
    const tag = poly1305(new TextEncoder().encode('Cryptographic Forum Research Group'), key);
    expect(toHex(tag)).toBe('a8061dc1305136c6c22b8baf0c0127a9');
  });
});

/** OpenSSL's chacha20 takes a 16-byte IV = the state words 12..15: a 64-bit LE counter then the 64-bit nonce. */
function opensslChacha(key: Uint8Array, counter: number, nonce: Uint8Array, data: Uint8Array): Uint8Array {
  const iv = new Uint8Array(16);
  new DataView(iv.buffer).setUint32(0, counter, true);
  iv.set(nonce, 8);
  return createCipheriv('chacha20', key, iv).update(data);
}

describe('chacha20-poly1305@openssh.com (OpenSSH PROTOCOL.chacha20poly1305)', () => {
  const key = bytes(64, 1);
  const kMain = key.subarray(0, 32), kLen = key.subarray(32);
  for (const seq of [0, 1, 7, 0x01020304, 0xffffffff]) {
    it(`seq ${seq}: length with K_len, body with K_main from counter 1, tag over enc-length|ciphertext`, () => {
      const nonce = new Uint8Array(8);
      new DataView(nonce.buffer).setUint32(4, seq);
      const packet = bytes(4 + 40, seq & 0xff);
      packet.set([0, 0, 0, 40]);
      const cipher = getCipherAlgorithm('chacha20-poly1305@openssh.com').create(key, new Uint8Array(0), 'encrypt') as AeadPacketCipher;
      const wire = new Uint8Array(packet.length), tag = new Uint8Array(16);
      cipher.seal(seq, packet, wire, tag);
      const expectedLength = opensslChacha(kLen, 0, nonce, packet.subarray(0, 4));
      const expectedBody = opensslChacha(kMain, 1, nonce, packet.subarray(4));
      expect(toHex(wire)).toBe(toHex(expectedLength) + toHex(expectedBody));
      const polyKey = opensslChacha(kMain, 0, nonce, new Uint8Array(32));
      expect(toHex(tag)).toBe(toHex(poly1305(wire, polyKey)));

      const reader = getCipherAlgorithm('chacha20-poly1305@openssh.com').create(key, new Uint8Array(0), 'decrypt') as AeadPacketCipher;
      expect(reader.packetLength(seq, wire)).toBe(40);
      const out = new Uint8Array(wire.length);
      expect(reader.open(seq, wire, tag, out)).toBe(true);
      expect(toHex(out)).toBe(toHex(packet));
      expect(reader.open(seq + 1, wire, tag, out)).toBe(false); // the sequence number is part of the nonce
      wire[10] ^= 1;
      expect(reader.open(seq, wire, tag, out)).toBe(false);
      const withheld = new Uint8Array(wire.length);
      expect(reader.open(seq, wire, tag, withheld, false)).toBe(false); // an endpoint gets nothing
      expect(withheld.every((b) => b === 0)).toBe(true);
    });
  }
});

describe('aesN-gcm@openssh.com (RFC 5647 §7.1)', () => {
  for (const bits of [128, 256]) {
    it(`aes${bits}-gcm: IV = fixed | invocation counter, +1 per packet whatever the sequence number, carrying`, () => {
      const key = bytes(bits / 8, 3);
      const iv = hex('0a0b0c0d 00000000fffffffe'); // the counter will carry out of its low 32 bits
      const algorithm = getCipherAlgorithm(`aes${bits}-gcm@openssh.com`);
      const sealer = algorithm.create(key, iv, 'encrypt') as AeadPacketCipher;
      const opener = algorithm.create(key, iv, 'decrypt') as AeadPacketCipher;
      const expectedIvs = ['0a0b0c0d00000000fffffffe', '0a0b0c0d00000000ffffffff', '0a0b0c0d0000000100000000'];
      for (let i = 0; i < 3; i++) {
        const packet = bytes(4 + 32, i);
        packet.set([0, 0, 0, 32]);
        const wire = new Uint8Array(packet.length), tag = new Uint8Array(16);
        sealer.seal(1000 - i * 7, packet, wire, tag); // unrelated sequence numbers
        const reference = createCipheriv(`aes-${bits}-gcm` as 'aes-128-gcm', key, hex(expectedIvs[i]));
        reference.setAAD(packet.subarray(0, 4));
        const body = reference.update(packet.subarray(4));
        reference.final();
        expect(toHex(wire)).toBe('00000020' + body.toString('hex'));
        expect(toHex(tag)).toBe(reference.getAuthTag().toString('hex'));
        expect(opener.packetLength(0, wire)).toBe(32);
        const out = new Uint8Array(wire.length);
        expect(opener.open(0, wire, tag, out)).toBe(true);
        expect(toHex(out)).toBe(toHex(packet));
      }
    });
  }
});

describe('cipher registry', () => {
  it('sizes from RFC 4253 §6.3, RFC 4344, RFC 4345, RFC 5647 and OpenSSH PROTOCOL', () => {
    const table = Object.fromEntries(CIPHER_ALGORITHMS.map((c) => [c.name, [c.keyLength, c.ivLength, c.blockSize, c.tagLength]]));
    expect(table).toEqual({
      'chacha20-poly1305@openssh.com': [64, 0, 8, 16],
      'aes128-gcm@openssh.com': [16, 12, 16, 16], 'aes256-gcm@openssh.com': [32, 12, 16, 16],
      'aes128-ctr': [16, 16, 16, 0], 'aes192-ctr': [24, 16, 16, 0], 'aes256-ctr': [32, 16, 16, 0],
      'aes128-cbc': [16, 16, 16, 0], 'aes192-cbc': [24, 16, 16, 0], 'aes256-cbc': [32, 16, 16, 0],
      '3des-cbc': [24, 8, 8, 0], 'rijndael-cbc@lysator.liu.se': [32, 16, 16, 0],
      '3des-ctr': [24, 8, 8, 0], 'blowfish-ctr': [32, 8, 8, 0], 'blowfish-cbc': [16, 8, 8, 0], arcfour256: [32, 0, 8, 0], arcfour128: [16, 0, 8, 0], arcfour: [16, 0, 8, 0],
      AEAD_AES_128_GCM: [16, 12, 16, 16], AEAD_AES_256_GCM: [32, 12, 16, 16], none: [0, 0, 8, 0],
    });
  });
  it('rejects unknown names and wrong key sizes with a typed, readable error', () => {
    expect(() => getCipherAlgorithm('twofish-cbc')).toThrow(/unsupported cipher algorithm "twofish-cbc"/);
    expect(() => getCipherAlgorithm('aes128-ctr').create(new Uint8Array(15), new Uint8Array(16), 'encrypt'))
      .toThrow('cipher aes128-ctr needs a 16-byte key, got 15 bytes');
  });
});
