/**
 * RFC 7748 X25519 vectors, through the functions curve25519-sha256 uses (RFC 8731 §3).
 * §5.2: the two single-scalar-multiplication vectors and the iterated one (1 and 1000 iterations);
 * §6.1: the Diffie-Hellman example (Alice and Bob). All copied from the RFC text.
 */
import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../wire/index.ts';
import { x25519PublicKey, x25519SharedBytes, x25519SharedSecret } from './ecdh.ts';
import { KexError } from './errors.ts';

const h = (s: string) => fromHex(s)!;

describe('RFC 7748 §5.2 X25519 test vectors', () => {
  it('vector 1', () => {
    const k = h('a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4');
    const u = h('e6db6867583030db3594c1a424b15f7c726624ec26b3353b10a903a6d0ab1c4c');
    expect(toHex(x25519SharedBytes(k, u, 'u'))).toBe('c3da55379de9c6908e94ea4df28d084f32eccf03491c71f754b4075577a28552');
  });
  it('vector 2', () => {
    const k = h('4b66e9d4d1b4673c5ad22691957d6af5c11b6421e0ea01d42ca4169e7918ba0d');
    const u = h('e5210f12786811d3f4b7959d0538ae2c31dbe7106fc03c3efc4cd549c715a493');
    expect(toHex(x25519SharedBytes(k, u, 'u'))).toBe('95cbde9476e8907d7aade45cb4b873f88b595a68799fa152e6f8f7647aac7957');
  });
  it('iterated: 1 and 1000 times', () => {
    let k: Uint8Array = h('0900000000000000000000000000000000000000000000000000000000000000');
    let u: Uint8Array = k.slice();
    for (let i = 1; i <= 1000; i++) {
      const out = x25519SharedBytes(k, u, 'u');
      u = k;
      k = out;
      if (i === 1) expect(toHex(k)).toBe('422c8e7a6227d7bca1350b3e2bb7279f7897b87bb6854b783c60e80311ae3079');
    }
    expect(toHex(k)).toBe('684cf59ba83309552800ef566f2f4d3c1c3887c49360e3875f2eb94d99532c51');
  });
});

describe('RFC 7748 §6.1 Diffie-Hellman', () => {
  const alicePrivate = h('77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a');
  const bobPrivate = h('5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb');
  it('public keys and the shared secret', () => {
    const alicePublic = x25519PublicKey(alicePrivate);
    const bobPublic = x25519PublicKey(bobPrivate);
    expect(toHex(alicePublic)).toBe('8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a');
    expect(toHex(bobPublic)).toBe('de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f');
    const shared = '4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742';
    expect(toHex(x25519SharedBytes(alicePrivate, bobPublic, 'Q_S'))).toBe(shared);
    expect(toHex(x25519SharedBytes(bobPrivate, alicePublic, 'Q_C'))).toBe(shared);
    // RFC 8731 §3: K is that number as an mpint; its top bit is clear, so the content is the 32 bytes as they are.
    expect(toHex(x25519SharedSecret(alicePrivate, bobPublic, 'Q_S').wire)).toBe('00000020' + shared);
  });
  it('RFC 8731 §3: a low-order peer value giving all zeros aborts', () => {
    const zeroPoint = new Uint8Array(32); // u = 0 is of small order: every scalar maps it to 0
    expect(() => x25519SharedBytes(alicePrivate, zeroPoint, 'Q_S')).toThrow(KexError);
    try {
      x25519SharedBytes(alicePrivate, zeroPoint, 'Q_S');
    } catch (e) {
      expect((e as KexError).code).toBe('zero-shared-secret');
    }
  });
});
