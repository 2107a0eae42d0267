/**
 * ssh-ed25519 host key signatures (RFC 8709 §6) with the RFC 8032 §7.1 test vectors TEST 1-3 (secret key, public
 * key, message, signature, copied from the RFC): our signer gives the RFC's signature, and our verifier accepts it
 * and refuses a flipped bit; plus a cross-check against node:crypto as a real peer in both directions.
 */
import { generateKeyPairSync, sign as nodeSign, verify as nodeVerify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../wire/index.ts';
import { encodePublicKeyBlob, encodeSignatureBlob, parseSignatureBlob } from './hostkey-blob.ts';
import { signExchangeHash, signingKeyBlob, verifyHostKeySignature } from './hostkey.ts';
import { ed25519 } from '@noble/curves/ed25519.js';

const VECTORS = [
  {
    name: 'TEST 1',
    secret: '9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60',
    public: 'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a',
    message: '',
    signature: 'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b',
  },
  {
    name: 'TEST 2',
    secret: '4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb',
    public: '3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c',
    message: '72',
    signature: '92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00',
  },
  {
    name: 'TEST 3',
    secret: 'c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7',
    public: 'fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025',
    message: 'af82',
    signature: '6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a',
  },
];

describe('RFC 8032 §7.1 through ssh-ed25519', () => {
  for (const v of VECTORS) {
    it(v.name, () => {
      const key = { type: 'ssh-ed25519' as const, seed: fromHex(v.secret)!, publicKey: ed25519.getPublicKey(fromHex(v.secret)!) };
      expect(toHex(key.publicKey)).toBe(v.public);
      const message = fromHex(v.message)!;
      const blob = signExchangeHash('ssh-ed25519', key, message);
      const { format, data: raw } = parseSignatureBlob(blob);
      const data = raw as Uint8Array;
      expect(format).toBe('ssh-ed25519');
      expect(toHex(data)).toBe(v.signature);
      const result = verifyHostKeySignature({ algorithm: 'ssh-ed25519', hostKeyBlob: signingKeyBlob(key), signatureBlob: blob, H: message });
      expect(result).toMatchObject({ verified: true, keyType: 'ssh-ed25519' });
      const bad = data.slice();
      bad[10] ^= 1;
      const refused = verifyHostKeySignature({ algorithm: 'ssh-ed25519', hostKeyBlob: signingKeyBlob(key), signatureBlob: encodeSignatureBlob('ssh-ed25519', bad), H: message });
      expect(refused.verified).toBe(false);
      expect(refused.reason).toBe('the Ed25519 signature does not match');
    });
  }
});

describe('ssh-ed25519 against node:crypto', () => {
  it('node signs H, we verify; we sign, node verifies', () => {
    const { publicKey, privateKey } = generateKeyPairSync('ed25519');
    const raw = publicKey.export({ format: 'jwk' }).x!;
    const pub = new Uint8Array(Buffer.from(raw, 'base64url'));
    const H = new Uint8Array(32).fill(7);
    const sig = new Uint8Array(nodeSign(null, H, privateKey));
    const blob = encodePublicKeyBlob({ type: 'ssh-ed25519', publicKey: pub });
    expect(verifyHostKeySignature({ algorithm: 'ssh-ed25519', hostKeyBlob: blob, signatureBlob: encodeSignatureBlob('ssh-ed25519', sig), H }).verified).toBe(true);

    const seed = new Uint8Array(Buffer.from(privateKey.export({ format: 'jwk' }).d!, 'base64url'));
    const ours = parseSignatureBlob(signExchangeHash('ssh-ed25519', { type: 'ssh-ed25519', seed, publicKey: pub }, H)).data as Uint8Array;
    expect(nodeVerify(null, H, publicKey, ours)).toBe(true);
  });
});
