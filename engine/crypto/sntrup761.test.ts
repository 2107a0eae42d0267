/**
 * Behaviour of the sntrup761 KEM beyond the known answers (sntrup761-kat.test.ts): round trips, implicit rejection
 * exactly as the round-3 specification defines it, and typed errors for inputs of the wrong size.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { rngAesCtrDrbg256 } from '@noble/ciphers/aes.js';
import { sha512 } from '@noble/hashes/sha2.js';
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
import { isSshlensError } from '../errors.ts';
import {
  SNTRUP761_CIPHERTEXT_BYTES,
  SNTRUP761_PUBLIC_KEY_BYTES,
  SNTRUP761_SECRET_KEY_BYTES,
  SNTRUP761_SHARED_SECRET_BYTES,
  Sntrup761Error,
  sntrup761Decapsulate,
  sntrup761Encapsulate,
  sntrup761KeyPair,
  type RandomBytes,
} from './sntrup761.ts';

/** A reproducible random source for the tests (any seed; the KAT file pins the real NIST seeds). */
function seededRandom(label: number): RandomBytes {
  const drbg = rngAesCtrDrbg256(Uint8Array.from({ length: 48 }, (_, i) => (i * 7 + label) & 0xff));
  return (n) => drbg.randomBytes(n);
}

/** HashN(x) of the specification: the first 32 bytes of SHA-512(N | x), written out independently here. */
function hashPrefix(prefix: number, ...parts: Uint8Array[]): string {
  const input = new Uint8Array(1 + parts.reduce((sum, p) => sum + p.length, 0));
  input[0] = prefix;
  let offset = 1;
  for (const p of parts) {
    input.set(p, offset);
    offset += p.length;
  }
  return bytesToHex(sha512(input).subarray(0, 32));
}

/** The rejection secret the specification prescribes: Hash0(Hash3(rho) | ciphertext), rho at bytes 1540..1730. */
function rejectionSecret(ciphertext: Uint8Array, secretKey: Uint8Array): string {
  const rho = secretKey.subarray(1540, 1731);
  const rhoHash = hexToBytes(hashPrefix(3, rho));
  return hashPrefix(0, rhoHash, ciphertext);
}

describe('sntrup761 sizes', () => {
  it('uses the sizes of the round-3 parameter set and RFC 9941', () => {
    expect([
      SNTRUP761_PUBLIC_KEY_BYTES,
      SNTRUP761_SECRET_KEY_BYTES,
      SNTRUP761_CIPHERTEXT_BYTES,
      SNTRUP761_SHARED_SECRET_BYTES,
    ]).toEqual([1158, 1763, 1039, 32]);
    const { publicKey, secretKey } = sntrup761KeyPair(seededRandom(1));
    const { ciphertext, sharedSecret } = sntrup761Encapsulate(publicKey, seededRandom(2));
    expect([publicKey.length, secretKey.length, ciphertext.length, sharedSecret.length]).toEqual([1158, 1763, 1039, 32]);
    // The secret key carries the public key and Hash4(public key) (its layout per the submission's KEM_KeyGen).
    expect(bytesToHex(secretKey.subarray(382, 1540))).toBe(bytesToHex(publicKey));
    expect(bytesToHex(secretKey.subarray(1731))).toBe(hashPrefix(4, publicKey));
  });
});

describe('sntrup761 round trip', () => {
  it('decapsulates to the encapsulated secret for many keys and encapsulations', () => {
    const random = seededRandom(3);
    const secrets = new Set<string>();
    for (let key = 0; key < 8; key++) {
      const { publicKey, secretKey } = sntrup761KeyPair(random);
      for (let run = 0; run < 3; run++) {
        const { ciphertext, sharedSecret } = sntrup761Encapsulate(publicKey, random);
        expect(bytesToHex(sntrup761Decapsulate(ciphertext, secretKey))).toBe(bytesToHex(sharedSecret));
        secrets.add(bytesToHex(sharedSecret));
      }
    }
    expect(secrets.size).toBe(24);
  });

  it('draws randomness only through the injected source', () => {
    const a = sntrup761KeyPair(seededRandom(4));
    const b = sntrup761KeyPair(seededRandom(4));
    expect(bytesToHex(a.secretKey)).toBe(bytesToHex(b.secretKey));
  });
});

describe('sntrup761 implicit rejection', () => {
  const { publicKey, secretKey } = sntrup761KeyPair(seededRandom(5));
  const { ciphertext, sharedSecret } = sntrup761Encapsulate(publicKey, seededRandom(6));

  const tamperings: Array<[string, (ct: Uint8Array) => void]> = [
    ['one bit of the rounded polynomial', (ct) => (ct[100] ^= 0x01)],
    ['the last byte of the rounded polynomial', (ct) => (ct[1006] ^= 0x80)],
    ['one bit of the confirmation hash', (ct) => (ct[1030] ^= 0x10)],
    ['bytes no encoder writes (all 0xff)', (ct) => ct.fill(0xff, 0, 1007)],
  ];
  for (const [what, tamper] of tamperings) {
    it(`answers Hash0(Hash3(rho) | c) when ${what} is changed`, () => {
      const tampered = ciphertext.slice();
      tamper(tampered);
      const secret = bytesToHex(sntrup761Decapsulate(tampered, secretKey));
      expect(secret).not.toBe(bytesToHex(sharedSecret));
      expect(secret).toBe(rejectionSecret(tampered, secretKey));
    });
  }

  it('answers the rejection secret of the wrong key when decapsulating with another key', () => {
    const other = sntrup761KeyPair(seededRandom(7));
    expect(bytesToHex(sntrup761Decapsulate(ciphertext, other.secretKey))).toBe(
      rejectionSecret(ciphertext, other.secretKey),
    );
  });

  it('returns a 32-byte secret and never throws for arbitrary ciphertext bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1039, maxLength: 1039 }), (junk) => {
        expect(sntrup761Decapsulate(junk, secretKey)).toHaveLength(32);
      }),
      { numRuns: 10 },
    );
  });
});

describe('sntrup761 malformed input', () => {
  const { publicKey, secretKey } = sntrup761KeyPair(seededRandom(8));
  const { ciphertext } = sntrup761Encapsulate(publicKey, seededRandom(9));

  const cases: Array<[string, () => unknown]> = [
    ['a 1157-byte public key', () => sntrup761Encapsulate(publicKey.subarray(1), seededRandom(1))],
    ['a 1159-byte public key', () => sntrup761Encapsulate(new Uint8Array(1159), seededRandom(1))],
    ['a 1038-byte ciphertext', () => sntrup761Decapsulate(ciphertext.subarray(1), secretKey)],
    ['an empty ciphertext', () => sntrup761Decapsulate(new Uint8Array(0), secretKey)],
    ['a 1762-byte secret key', () => sntrup761Decapsulate(ciphertext, secretKey.subarray(1))],
    ['the public key given as the secret key', () => sntrup761Decapsulate(ciphertext, publicKey)],
  ];
  for (const [what, call] of cases) {
    it(`rejects ${what} with a typed bad-length error`, () => {
      let caught: unknown;
      try {
        call();
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(Sntrup761Error);
      expect(isSshlensError(caught)).toBe(true);
      expect((caught as Sntrup761Error).code).toBe('bad-length');
      expect((caught as Sntrup761Error).message).toMatch(/must be \d+ bytes, got \d+ bytes/);
    });
  }

  it('rejects a random source that returns the wrong number of bytes', () => {
    expect(() => sntrup761KeyPair(() => new Uint8Array(3))).toThrow(Sntrup761Error);
  });
});
