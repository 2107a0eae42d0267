/** node:crypto fast paths: byte-identical results to the portable noble / BigInt paths. */
import { generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { MAC_ALGORITHMS, setHmacProvider } from '../engine/crypto/macs.ts';
import { rsaVerify, setRsaPublicOperation } from '../engine/crypto/rsa.ts';
import { HASHES, hashParts, setHashProvider, type HashName } from '../engine/kex/hashes.ts';
import { ed25519 } from '@noble/curves/ed25519.js';
import { findHostKeyAlgorithm, setEd25519Verifier, verifyPlainSignature } from '../engine/crypto/hostkey.ts';
import { nodeEd25519Verifier, nodeHashProvider, nodeHmacProvider, nodeRsaPublicOperation } from './node-crypto.ts';

afterEach(() => {
  setEd25519Verifier(undefined);
  setHashProvider(undefined);
  setHmacProvider(undefined);
  setRsaPublicOperation(undefined);
});

describe('node:crypto HMAC provider', () => {
  for (const algorithm of MAC_ALGORITHMS.filter((m) => m.name.startsWith('hmac-'))) {
    it(`${algorithm.name} agrees with noble over many packets`, () => {
      const key = new Uint8Array(randomBytes(algorithm.keyLength));
      setHmacProvider(undefined);
      const noble = algorithm.create(key);
      setHmacProvider(nodeHmacProvider);
      const native = algorithm.create(key);
      for (let seq = 0; seq < 50; seq++) {
        const data = new Uint8Array(randomBytes((seq * 397) % 40000)); // both sides of the small-packet cut-over
        const a = new Uint8Array(algorithm.macLength);
        const b = new Uint8Array(algorithm.macLength);
        noble.compute(seq * 0x01020304 >>> 0, data, a);
        native.compute(seq * 0x01020304 >>> 0, data, b);
        expect(b).toEqual(a);
      }
    });
  }
});

describe('node:crypto hash provider', () => {
  for (const name of Object.keys(HASHES) as HashName[]) {
    it(`${name} agrees with noble for any split of the input`, () => {
      for (let round = 0; round < 40; round++) {
        const data = new Uint8Array(randomBytes((round * 131) % 3000));
        const cuts = [0, (round * 7) % (data.length + 1), data.length].sort((a, b) => a - b);
        const parts = [data.subarray(0, cuts[1]), data.subarray(cuts[1], cuts[2]), new Uint8Array(0)];
        setHashProvider(undefined);
        const noble = hashParts(name, parts);
        setHashProvider(nodeHashProvider);
        const native = hashParts(name, parts);
        expect(native.length).toBe(HASHES[name].outputLength);
        expect(native).toEqual(noble);
        expect(Object.getPrototypeOf(native)).toBe(Uint8Array.prototype);
      }
    });
  }
});

describe('node:crypto RSA public operation', () => {
  it('verifies what node signs and refuses a changed message, like the BigInt path', () => {
    const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const jwk = publicKey.export({ format: 'jwk' }) as { n: string; e: string };
    const big = (b64: string) => BigInt('0x' + Buffer.from(b64, 'base64url').toString('hex'));
    const key = { n: big(jwk.n), e: big(jwk.e) };
    const message = new Uint8Array(randomBytes(64));
    const signature = new Uint8Array(sign('sha256', message, privateKey));
    for (const operation of [undefined, nodeRsaPublicOperation]) {
      setRsaPublicOperation(operation);
      expect(rsaVerify(key, 'sha256', message, signature)).toBe(true);
      expect(rsaVerify(key, 'sha256', message.map((b, i) => (i === 0 ? b ^ 1 : b)), signature)).toBe(false);
    }
  });
});

describe('node:crypto Ed25519 verification', () => {
  // The group order L (RFC 8032 §5.1): S + L encodes the same scalar non-canonically, which RFC 8032 rejects.
  const L = 2n ** 252n + 27742317777372353535851937790883648493n;
  const addL = (signature: Uint8Array) => {
    let s = 0n;
    for (let i = 63; i >= 32; i--) s = (s << 8n) | BigInt(signature[i]);
    s += L;
    const out = signature.slice();
    for (let i = 32; i < 64; i++, s >>= 8n) out[i] = Number(s & 0xffn);
    return out;
  };

  it('gives the portable verdict (and reason) for valid, altered, foreign and non-canonical signatures', () => {
    const algorithm = findHostKeyAlgorithm('ssh-ed25519')!;
    for (let round = 0; round < 30; round++) {
      const seed = new Uint8Array(randomBytes(32));
      const publicKey = ed25519.getPublicKey(seed);
      const message = new Uint8Array(randomBytes(32 + round));
      const signature = ed25519.sign(message, seed);
      const cases: [Uint8Array, Uint8Array, Uint8Array][] = [
        [publicKey, message, signature],
        [publicKey, message.map((b, i) => (i === round % message.length ? b ^ 1 : b)), signature],
        [publicKey, message, signature.map((b, i) => (i === round ? b ^ 0x80 : b))],
        [ed25519.getPublicKey(new Uint8Array(randomBytes(32))), message, signature],
        [publicKey, message, addL(signature)],
        [new Uint8Array(32).fill(0xff), message, signature], // not a point OpenSSL imports or noble decodes alike
      ];
      for (const [key, data, sig] of cases) {
        setEd25519Verifier(undefined);
        const portable = verifyPlainSignature(algorithm, { type: 'ssh-ed25519', publicKey: key }, 'ssh-ed25519', sig, data);
        setEd25519Verifier(nodeEd25519Verifier);
        const native = verifyPlainSignature(algorithm, { type: 'ssh-ed25519', publicKey: key }, 'ssh-ed25519', sig, data);
        expect(native).toBe(portable);
      }
      // The native check alone accepts exactly the valid signature here.
      expect(nodeEd25519Verifier(publicKey, message, signature)).toBe(true);
      expect(nodeEd25519Verifier(publicKey, message, addL(signature))).toBe(false);
    }
  });
});
