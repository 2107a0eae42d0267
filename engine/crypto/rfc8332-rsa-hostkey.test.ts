/**
 * RSA host key signatures, RFC 8332 §3 (rsa-sha2-256, rsa-sha2-512) and RFC 4253 §6.6 (ssh-rsa, SHA-1), all
 * RSASSA-PKCS1-v1_5 (RFC 8017 §8.2). node:crypto (OpenSSL) is the independent peer: it signs, we verify; we sign, it
 * verifies; and a key we generate is accepted by it.
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync, sign as nodeSign, verify as nodeVerify, type KeyObject } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { bigIntToBytes, bytesToBigInt } from '../kex/modp-groups.ts';
import { seededRandomBytes } from '../kex/test-rng.ts';
import { encodePublicKeyBlob, encodeSignatureBlob, parseSignatureBlob } from './hostkey-blob.ts';
import { describeHostKey, fingerprintSha256, generateHostKey, signExchangeHash, signingKeyBlob, verifyHostKeySignature, type SigningKey } from './hostkey.ts';
import { rsaVerify } from './rsa.ts';

const b64 = (s: string) => bytesToBigInt(new Uint8Array(Buffer.from(s, 'base64url')));
const toB64 = (n: bigint) => Buffer.from(bigIntToBytes(n)).toString('base64url');

function fromNode(privateKey: KeyObject): SigningKey & { type: 'ssh-rsa' } {
  const j = privateKey.export({ format: 'jwk' });
  return { type: 'ssh-rsa', n: b64(j.n!), e: b64(j.e!), d: b64(j.d!), p: b64(j.p!), q: b64(j.q!), iqmp: b64(j.qi!) };
}

function toNodePrivate(key: SigningKey & { type: 'ssh-rsa' }): KeyObject {
  const dp = key.d % (key.p - 1n);
  const dq = key.d % (key.q - 1n);
  return createPrivateKey({
    key: { kty: 'RSA', n: toB64(key.n), e: toB64(key.e), d: toB64(key.d), p: toB64(key.p), q: toB64(key.q), dp: toB64(dp), dq: toB64(dq), qi: toB64(key.iqmp) },
    format: 'jwk',
  });
}

const ALGORITHMS = [
  { name: 'rsa-sha2-256', node: 'sha256' },
  { name: 'rsa-sha2-512', node: 'sha512' },
  { name: 'ssh-rsa', node: 'sha1' },
];

describe('RSA PKCS#1 v1.5 against node:crypto', () => {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const ours = fromNode(privateKey);
  const H = new Uint8Array(32).map((_, i) => i * 7);

  for (const a of ALGORITHMS) {
    it(`${a.name}: node signs, we verify; we sign, node verifies`, () => {
      const nodeSig = new Uint8Array(nodeSign(a.node, H, privateKey));
      const blob = signingKeyBlob(ours);
      expect(verifyHostKeySignature({ algorithm: a.name, hostKeyBlob: blob, signatureBlob: encodeSignatureBlob(a.name, nodeSig), H }).verified).toBe(true);
      const ourSig = signExchangeHash(a.name, ours, H);
      const { format, data: raw } = parseSignatureBlob(ourSig);
      const data = raw as Uint8Array;
      expect(format).toBe(a.name);
      expect(Buffer.from(data).equals(Buffer.from(nodeSig))).toBe(true); // PKCS#1 v1.5 is deterministic
      expect(nodeVerify(a.node, H, publicKey, data)).toBe(true);
      const tampered = H.slice();
      tampered[0] ^= 1;
      expect(verifyHostKeySignature({ algorithm: a.name, hostKeyBlob: blob, signatureBlob: ourSig, H: tampered }).verified).toBe(false);
    });
  }

  it('the signature format must be the negotiated one', () => {
    const sig = signExchangeHash('rsa-sha2-256', ours, H);
    const r = verifyHostKeySignature({ algorithm: 'rsa-sha2-512', hostKeyBlob: signingKeyBlob(ours), signatureBlob: sig, H });
    expect(r.verified).toBe(false);
    expect(r.reason).toBe('the signature is rsa-sha2-256 but rsa-sha2-512 needs rsa-sha2-512');
  });

  it('a signature with leading zero bytes dropped still verifies (OpenSSH pads it)', () => {
    // Find a message whose signature starts with a zero byte; about one in 256 do.
    for (let i = 0; i < 4000; i++) {
      const m = new Uint8Array([i >> 8, i & 0xff]);
      const sig = new Uint8Array(nodeSign('sha256', m, privateKey));
      if (sig[0] !== 0) continue;
      expect(rsaVerify(ours, 'sha256', m, sig.subarray(1))).toBe(true);
      return;
    }
    throw new Error('no signature with a leading zero byte found');
  });

  it('a key generated here is a valid key for node (1024 bits, to keep the test quick)', () => {
    const key = generateHostKey('ssh-rsa', seededRandomBytes('rsa keygen'), 1024) as SigningKey & { type: 'ssh-rsa' };
    expect(key.n.toString(2).length).toBe(1024);
    const sig = parseSignatureBlob(signExchangeHash('rsa-sha2-512', key, H)).data as Uint8Array;
    const nodePublic = createPublicKey(toNodePrivate(key));
    expect(nodeVerify('sha512', H, nodePublic, sig)).toBe(true);
    expect(encodePublicKeyBlob({ type: 'ssh-rsa', e: key.e, n: key.n })).toEqual(signingKeyBlob(key));
    expect(describeHostKey(signingKeyBlob(key))).toEqual({ keyType: 'ssh-rsa', bits: 1024, fingerprint: fingerprintSha256(signingKeyBlob(key)), certificate: undefined });
    expect(describeHostKey(new Uint8Array([0, 0, 0, 7, 115, 115, 104, 45, 114, 115, 97])).error).toMatch(/malformed public key blob/);
  });
});
