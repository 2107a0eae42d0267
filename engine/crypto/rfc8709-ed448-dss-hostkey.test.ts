/**
 * The verify-only host key algorithms: ssh-ed448 (RFC 8709 §4 and §6 over RFC 8032 §5.2 Ed448) and ssh-dss (RFC 4253
 * §6.6: FIPS 186-2 DSA with SHA-1, signature blob r | s of 20 bytes each). Each verifies a known-good signature in
 * SSH blobs, and fails with one bit flipped. (A real AsyncSSH ed448 and dss host key, signing a real H, are checked
 * by cli/dev/others.test.ts on traces/others/plink-asyncssh-ed448 and plink-asyncssh-dss.)
 */
import { describe, expect, it } from 'vitest';
import { WireWriter } from '../wire/index.ts';
import { dsaVerify } from './dsa.ts';
import { describeHostKey, verifyHostKeySignature } from './hostkey.ts';

const hex = (s: string) => Uint8Array.from(s.match(/../g) ?? [], (b) => parseInt(b, 16));
const flip = (bytes: Uint8Array, at: number) => bytes.map((b, i) => (i === at ? b ^ 1 : b));

// RFC 8032 §7.4, "-----Blank": Ed448, empty message, empty context.
const ED448_PUBLIC = hex('5fd7449b59b461fd2ce787ec616ad46a1da1342485a70e1f8a0ea75d80e96778edf124769b46c7061bd6783df1e50f6cd1fa1abeafe8256180');
const ED448_SIGNATURE = hex(
  '533a37f6bbe457251f023c0d88f976ae2dfb504a843e34d2074fd823d41a591f2b233f034f628281f2fd7a22ddd47d7828c59bd0a21bfd3980'
  + 'ff0d2028d4b18a9df63e006c5d1c2d345b925d8dc00b4104852db99ac5c7cdda8530a113a0f4dbb61149f05a7363268c71d95808ff2e652600',
);

describe('ssh-ed448 (RFC 8709, RFC 8032 §7.4 Blank vector)', () => {
  const blob = new WireWriter().text('ssh-ed448').string(ED448_PUBLIC).finish();
  const signature = (sig: Uint8Array) => new WireWriter().text('ssh-ed448').string(sig).finish();
  it('verifies the RFC signature, and not with one bit flipped in the signature or the message', () => {
    const ok = verifyHostKeySignature({ algorithm: 'ssh-ed448', hostKeyBlob: blob, signatureBlob: signature(ED448_SIGNATURE), H: new Uint8Array(0) });
    expect(ok).toMatchObject({ verified: true, keyType: 'ssh-ed448' });
    expect(verifyHostKeySignature({ algorithm: 'ssh-ed448', hostKeyBlob: blob, signatureBlob: signature(flip(ED448_SIGNATURE, 3)), H: new Uint8Array(0) }))
      .toMatchObject({ verified: false, reason: 'the Ed448 signature does not match' });
    expect(verifyHostKeySignature({ algorithm: 'ssh-ed448', hostKeyBlob: blob, signatureBlob: signature(ED448_SIGNATURE), H: new Uint8Array(1) }).verified).toBe(false);
  });
  it('says what is wrong with a short signature, and describes the key', () => {
    expect(verifyHostKeySignature({ algorithm: 'ssh-ed448', hostKeyBlob: blob, signatureBlob: signature(ED448_SIGNATURE.subarray(0, 64)), H: new Uint8Array(0) }).reason)
      .toBe('an Ed448 signature is 114 bytes, this one is 64');
    expect(describeHostKey(blob)).toMatchObject({ keyType: 'ssh-ed448', bits: 448 });
  });
});

// A DSA-1024/160 key and a SHA-1 signature of the bytes 00..1f, generated for this test with python3-cryptography 48
// (Debian): dsa.generate_private_key(1024); key.sign(bytes(range(32)), SHA1()); decode_dss_signature().
const DSA = {
  p: 0xffaa2f9245d48fb4a5976c55387aaf3b4b7b178c74ce1d13ea3106426b93e977b0579cfa7372b997e9354b82afa34c688314cb3cfbd443f03de498427b65ae4bafdcef6768972291e927e6eb80f2564830370b4260ffbebc5df5331af2b8d2874665b26ddcbdb114e9bb3a4b087fcfc4ee7f6584cacefb2a81649ee740eb1a6dn,
  q: 0xbc9a90dfd5a5af700b035211660a09cd8bf5c351n,
  g: 0x226e94d86eb1e646565f5f03005727ed8cdf06c82a7a80a65a774f13c83d0d88de58e1e3d72c351172112aff1869ac9b3daf60daad6c443e428a0127b13379cc1b06d589ed567df6a63a9fc330b8a254e4235df8ba5dab91120dec133fd3739d5a3588f77fe8589ebbcd5bb0b11b14306543d41a52ac2ffeba183dcdf2fd813n,
  y: 0xf56799e9bc9a578254b082a5e49a8734cecbdf908283d5da91a3fef183dd18d8f321c321f9b8fe80b0951f8d4d40ce4ab54a8ffe043bbb2d8429b5b3997cce1e72620e0e5f4b991eb030a414a60bd2401d657d36debe28783dbc58046161f3becc472973fbb04c675bd796eafe8eb22cb6022d173431cf10a63d614b312fa92fn,
};
const DSA_R = hex('990e7cbc8da3f4696badc6f35b8cc567ba0b46c0');
const DSA_S = hex('9174ae884f0d84a541b4ea9febb3a39b298a58b0');
const MESSAGE = Uint8Array.from({ length: 32 }, (_, i) => i);

describe('ssh-dss (RFC 4253 §6.6, DSA over SHA-1)', () => {
  const blob = new WireWriter().text('ssh-dss').mpint(DSA.p).mpint(DSA.q).mpint(DSA.g).mpint(DSA.y).finish();
  const signature = (rs: Uint8Array) => new WireWriter().text('ssh-dss').string(rs).finish();
  const rs = new Uint8Array([...DSA_R, ...DSA_S]);
  it('verifies the signature in SSH blobs, and not with one bit flipped in r, s or the message', () => {
    expect(verifyHostKeySignature({ algorithm: 'ssh-dss', hostKeyBlob: blob, signatureBlob: signature(rs), H: MESSAGE })).toMatchObject({ verified: true, keyType: 'ssh-dss' });
    for (const at of [0, 19, 20, 39]) {
      expect(verifyHostKeySignature({ algorithm: 'ssh-dss', hostKeyBlob: blob, signatureBlob: signature(flip(rs, at)), H: MESSAGE }).verified).toBe(false);
    }
    expect(verifyHostKeySignature({ algorithm: 'ssh-dss', hostKeyBlob: blob, signatureBlob: signature(rs), H: flip(MESSAGE, 31) }).reason).toBe('the DSA signature does not match');
    expect(describeHostKey(blob)).toMatchObject({ keyType: 'ssh-dss', bits: 1024 });
  });
  it('refuses r or s out of range and a key whose q does not divide p - 1', () => {
    expect(dsaVerify(DSA, MESSAGE, 0n, 1n)).toBe('the DSA r or s is out of range (0, q)');
    expect(dsaVerify(DSA, MESSAGE, 1n, DSA.q)).toBe('the DSA r or s is out of range (0, q)');
    expect(dsaVerify({ ...DSA, q: DSA.q + 2n }, MESSAGE, 1n, 1n)).toMatch(/q does not divide p - 1/);
  });
});

describe('a host key sshlens cannot check says so', () => {
  it('an unknown algorithm or key type is uncheckable, not a failed signature', () => {
    const blob = new WireWriter().text('ssh-xmss@openssh.com').string(new Uint8Array(8)).finish();
    const v = verifyHostKeySignature({ algorithm: 'ssh-xmss@openssh.com', hostKeyBlob: blob, signatureBlob: new WireWriter().text('ssh-xmss@openssh.com').string(new Uint8Array(8)).finish(), H: MESSAGE });
    expect(v).toMatchObject({ verified: false, uncheckable: true });
  });
});
