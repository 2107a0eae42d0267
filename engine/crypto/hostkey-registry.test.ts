/**
 * Every entry of the host key registry (RFC 8709, RFC 5656 §6, RFC 8332, RFC 4253 §6.6, OpenSSH PROTOCOL.certkeys):
 * a key of its type signs an H, the signature verifies, a changed H does not; the -cert-v01 forms with a certificate
 * built here field by field from PROTOCOL.certkeys and signed by an Ed25519 CA, whose signature is checked too.
 * (Real OpenSSH peers for the same algorithms: hostkey-file.test.ts and ../kex/openssh-peer.test.ts.)
 */
import { describe, expect, it } from 'vitest';
import { seededRandomBytes } from '../kex/test-rng.ts';
import { WireWriter } from '../wire/index.ts';
import { parseSignatureBlob } from './hostkey-blob.ts';
import { HOST_KEY_ALGORITHMS, generateHostKey, publicKeyOf, signExchangeHash, signingKeyBlob, verifyHostKeySignature, type SigningKey } from './hostkey.ts';

const keys = new Map<string, SigningKey>();
function keyFor(type: SigningKey['type']): SigningKey {
  if (!keys.has(type)) keys.set(type, generateHostKey(type, seededRandomBytes(`registry ${type}`), 1024));
  return keys.get(type)!;
}

/** PROTOCOL.certkeys: the certificate blob of `key`, signed by `ca` over every byte before the signature. */
function certificate(type: string, key: SigningKey, ca: SigningKey): Uint8Array {
  const w = new WireWriter().text(type).string(new Uint8Array(32).fill(9));
  const pub = publicKeyOf(key);
  if (pub.type === 'ssh-ed25519') w.string(pub.publicKey);
  else if (pub.type === 'ssh-rsa') w.mpint(pub.e).mpint(pub.n);
  else w.text(pub.curve).string(pub.Q);
  w.uint64(7n).uint32(2).text('registry host').string(new WireWriter().text('host.example').finish())
    .uint64(0n).uint64(0xffffffffffffffffn).string(new Uint8Array(0)).string(new Uint8Array(0)).string(new Uint8Array(0))
    .string(signingKeyBlob(ca));
  const signed = w.finish();
  return new WireWriter().raw(signed).string(signExchangeHash('ssh-ed25519', ca as SigningKey & { type: 'ssh-ed25519' }, signed)).finish();
}

describe('every host key algorithm in the registry', () => {
  const ca = keyFor('ssh-ed25519');
  const H = new Uint8Array(32).map((_, i) => i * 3);
  // The verify-only algorithms (ssh-ed448, ssh-dss) have no signing key here: rfc8709-ed448-dss-hostkey.test.ts.
  for (const algorithm of HOST_KEY_ALGORITHMS.filter((a) => !a.verifyOnly)) {
    it(algorithm.name, () => {
      const key = keyFor(algorithm.plainKeyType as SigningKey['type']);
      const blob = algorithm.certificate ? certificate(algorithm.keyType, key, ca) : signingKeyBlob(key);
      const signature = signExchangeHash(algorithm.name, key, H);
      expect(parseSignatureBlob(signature).format).toBe(algorithm.signatureFormat);
      const result = verifyHostKeySignature({ algorithm: algorithm.name, hostKeyBlob: blob, signatureBlob: signature, H });
      expect(result).toMatchObject({ verified: true, keyType: algorithm.keyType });
      expect(verifyHostKeySignature({ algorithm: algorithm.name, hostKeyBlob: blob, signatureBlob: signature, H: H.subarray(1) }).verified).toBe(false);
      if (algorithm.certificate) {
        expect(result.certificate).toMatchObject({ keyId: 'registry host', certType: 'host', principals: ['host.example'], caKeyType: 'ssh-ed25519', caSignatureVerified: true });
      } else {
        expect(result.certificate).toBeUndefined();
      }
    });
  }
});
