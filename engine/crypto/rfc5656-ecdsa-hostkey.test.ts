/**
 * ecdsa-sha2-nistp256/384/521 host key signatures (RFC 5656 §3.1.2, §6.2.1): blob `mpint r | mpint s` over
 * HASH_N(H). node:crypto (OpenSSL) is the independent peer in both directions; a high-S signature (s > n/2, which
 * OpenSSH does not normalise) must verify; the public key blob is `string type | string curve | string Q`.
 */
import { generateKeyPairSync, sign as nodeSign, verify as nodeVerify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { p256, p384, p521 } from '@noble/curves/nist.js';
import { bigIntToBytes, bytesToBigInt } from '../kex/modp-groups.ts';
import { WireReader } from '../wire/index.ts';
import { encodePublicKeyBlob, encodeSignatureBlob, parseSignatureBlob } from './hostkey-blob.ts';
import { signExchangeHash, verifyHostKeySignature, type SigningKey } from './hostkey.ts';

const CASES = [
  { type: 'ecdsa-sha2-nistp256', curve: 'nistp256', node: 'P-256', hash: 'sha256', size: 32, noble: p256 },
  { type: 'ecdsa-sha2-nistp384', curve: 'nistp384', node: 'P-384', hash: 'sha384', size: 48, noble: p384 },
  { type: 'ecdsa-sha2-nistp521', curve: 'nistp521', node: 'P-521', hash: 'sha512', size: 66, noble: p521 },
] as const;

describe('ECDSA host keys against node:crypto', () => {
  for (const c of CASES) {
    it(c.type, () => {
      const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: c.node });
      const jwk = privateKey.export({ format: 'jwk' });
      const coord = (s: string) => bigIntToBytes(bytesToBigInt(new Uint8Array(Buffer.from(s, 'base64url'))), c.size);
      const Q = new Uint8Array([4, ...coord(jwk.x!), ...coord(jwk.y!)]);
      const key: SigningKey = { type: c.type, curve: c.curve, d: coord(jwk.d!), Q };
      const blob = encodePublicKeyBlob({ type: c.type, curve: c.curve, Q });
      const H = new Uint8Array(48).map((_, i) => 255 - i);

      // node signs HASH_N(H) (IEEE P1363 r | s), we verify from the SSH blob.
      const p1363 = new Uint8Array(nodeSign(c.hash, H, { key: privateKey, dsaEncoding: 'ieee-p1363' }));
      const r = bytesToBigInt(p1363.subarray(0, c.size));
      const s = bytesToBigInt(p1363.subarray(c.size));
      const sshSig = encodeSignatureBlob(c.type, { r, s });
      expect(verifyHostKeySignature({ algorithm: c.type, hostKeyBlob: blob, signatureBlob: sshSig, H }).verified).toBe(true);

      // The same signature with s replaced by n - s is also valid ECDSA; OpenSSH may send either.
      const n = c.noble.Point.CURVE().n;
      const flipped = encodeSignatureBlob(c.type, { r, s: n - s });
      const high = s > n / 2n ? sshSig : flipped;
      expect(verifyHostKeySignature({ algorithm: c.type, hostKeyBlob: blob, signatureBlob: high, H }).verified).toBe(true);

      // We sign, node verifies.
      const ours = parseSignatureBlob(signExchangeHash(c.type, key, H)).data as { r: bigint; s: bigint };
      const ieee = new Uint8Array([...bigIntToBytes(ours.r, c.size), ...bigIntToBytes(ours.s, c.size)]);
      expect(nodeVerify(c.hash, H, { key: publicKey, dsaEncoding: 'ieee-p1363' }, ieee)).toBe(true);

      // A different H fails; the blob layout is type | curve | Q.
      expect(verifyHostKeySignature({ algorithm: c.type, hostKeyBlob: blob, signatureBlob: sshSig, H: H.subarray(1) }).verified).toBe(false);
      const reader = new WireReader(blob);
      expect(new TextDecoder().decode(reader.string('type'))).toBe(c.type);
      expect(new TextDecoder().decode(reader.string('curve'))).toBe(c.curve);
      expect(reader.string('Q').length).toBe(1 + 2 * c.size);
      reader.end();
    });
  }

  it('garbage signature blobs are reported, never thrown', () => {
    const blob = encodePublicKeyBlob({ type: 'ecdsa-sha2-nistp256', curve: 'nistp256', Q: p256.getPublicKey(new Uint8Array(32).fill(1), false) });
    const r = verifyHostKeySignature({ algorithm: 'ecdsa-sha2-nistp256', hostKeyBlob: blob, signatureBlob: new Uint8Array([0, 0, 0, 9, 1]), H: new Uint8Array(32) });
    expect(r.verified).toBe(false);
    expect(r.reason).toMatch(/malformed signature blob/);
    const notKey = verifyHostKeySignature({ algorithm: 'ssh-ed25519', hostKeyBlob: new Uint8Array([1, 2, 3]), signatureBlob: new Uint8Array(0), H: new Uint8Array(32) });
    expect(notKey).toMatchObject({ verified: false, keyType: '' });
  });
});
