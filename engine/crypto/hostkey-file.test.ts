/**
 * OpenSSH private key files, certificates and fingerprints against a real peer: Debian's ssh-keygen (openssh-client)
 * makes keys in a temporary directory - unencrypted and passphrase-protected (bcrypt_pbkdf + aes256-ctr, its
 * default) - signs with them (`ssh-keygen -Y sign`, the SSHSIG format of OpenSSH PROTOCOL.sshsig), certifies host
 * keys (`ssh-keygen -s -h`, PROTOCOL.certkeys) and prints fingerprints (`ssh-keygen -l`). Skipped, loudly, without it.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sha512 } from '@noble/hashes/sha2.js';
import { WireReader, WireWriter } from '../wire/index.ts';
import { HostKeyError, parsePublicKeyBlob, parseSignatureBlob } from './hostkey-blob.ts';
import { parseOpenSshPrivateKey } from './hostkey-file.ts';
import { describeHostKey, findHostKeyAlgorithm, fingerprintSha256, signExchangeHash, signingKeyBlob, verifyHostKeySignature, verifyPlainSignature } from './hostkey.ts';

/** ssh-keygen with a bad option exits non-zero; only a missing binary (ENOENT) means it is absent. */
function hasSshKeygen(): boolean {
  try {
    execFileSync('ssh-keygen', ['-?'], { stdio: 'ignore' });
    return true;
  } catch (e) {
    return (e as { code?: string }).code !== 'ENOENT';
  }
}
const sshKeygen = hasSshKeygen();
if (!sshKeygen) console.warn('\n*** ssh-keygen not found (apt-get install openssh-client): OpenSSH key file tests SKIPPED ***\n');

const dir = mkdtempSync(join(tmpdir(), 'sshlens-hostkey-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const keygen = (...args: string[]) => execFileSync('ssh-keygen', args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] }).toString();
const pubBlob = (file: string) => new Uint8Array(Buffer.from(readFileSync(join(dir, file), 'utf8').trim().split(/\s+/)[1], 'base64'));

const KEYS = [
  { name: 'ed25519', args: ['-t', 'ed25519'], algorithms: ['ssh-ed25519'] },
  { name: 'ecdsa256', args: ['-t', 'ecdsa', '-b', '256'], algorithms: ['ecdsa-sha2-nistp256'] },
  { name: 'ecdsa384', args: ['-t', 'ecdsa', '-b', '384'], algorithms: ['ecdsa-sha2-nistp384'] },
  { name: 'ecdsa521', args: ['-t', 'ecdsa', '-b', '521'], algorithms: ['ecdsa-sha2-nistp521'] },
  { name: 'rsa', args: ['-t', 'rsa', '-b', '2048'], algorithms: ['rsa-sha2-256', 'rsa-sha2-512', 'ssh-rsa'] },
];
const PASSPHRASE = 'correct horse battery staple';

/** OpenSSH PROTOCOL.sshsig: the signature covers "SSHSIG" | string namespace | string reserved | string hash | string H(m). */
function checkSshsig(armored: string, message: Uint8Array) {
  const base64 = armored.replace(/-----[A-Z ]+-----/g, '').replace(/\s+/g, '');
  const bytes = new Uint8Array(Buffer.from(base64, 'base64'));
  const r = new WireReader(bytes.subarray(6));
  r.uint32('version');
  const publicKey = r.string('publickey');
  const namespace = r.string('namespace');
  const reserved = r.string('reserved');
  const hashAlg = r.string('hash_algorithm');
  const signature = r.string('signature');
  expect(new TextDecoder().decode(hashAlg)).toBe('sha512');
  const signed = new WireWriter().raw(new TextEncoder().encode('SSHSIG')).string(namespace).string(reserved).string(hashAlg).string(sha512(message)).finish();
  const { format, data } = parseSignatureBlob(signature);
  const key = parsePublicKeyBlob(publicKey);
  if ('certified' in key) throw new Error('unexpected certificate');
  return verifyPlainSignature(findHostKeyAlgorithm(format)!, key, format, data, signed);
}

describe.skipIf(!sshKeygen)('OpenSSH private key files made by ssh-keygen', () => {
  for (const k of KEYS) {
    it(`${k.name}: unencrypted and encrypted files, fingerprint, signatures both ways`, () => {
      keygen(...k.args, '-N', '', '-C', `plain ${k.name}`, '-f', `plain_${k.name}`, '-q');
      // Fewer bcrypt rounds than the default 16 except for ed25519, to keep the suite quick.
      const rounds = k.name === 'ed25519' ? [] : ['-a', '2'];
      keygen(...k.args, ...rounds, '-N', PASSPHRASE, '-C', `enc ${k.name}`, '-f', `enc_${k.name}`, '-q');

      const plain = parseOpenSshPrivateKey(readFileSync(join(dir, `plain_${k.name}`), 'utf8'));
      expect(plain.encrypted).toBe(false);
      expect(plain.comment).toBe(`plain ${k.name}`);
      expect(signingKeyBlob(plain.key)).toEqual(pubBlob(`plain_${k.name}.pub`));
      const fingerprint = keygen('-l', '-E', 'sha256', '-f', `plain_${k.name}.pub`).split(/\s+/)[1];
      expect(fingerprintSha256(pubBlob(`plain_${k.name}.pub`))).toBe(fingerprint);

      const enc = parseOpenSshPrivateKey(readFileSync(join(dir, `enc_${k.name}`), 'utf8'), PASSPHRASE);
      expect(enc.encrypted).toBe(true);
      expect(signingKeyBlob(enc.key)).toEqual(pubBlob(`enc_${k.name}.pub`));
      expect(() => parseOpenSshPrivateKey(readFileSync(join(dir, `enc_${k.name}`), 'utf8'), 'wrong')).toThrow(/wrong passphrase/);
      expect(() => parseOpenSshPrivateKey(readFileSync(join(dir, `enc_${k.name}`), 'utf8'))).toThrow(HostKeyError);

      // Our signature over an H, verified by our verifier for each algorithm of the key.
      const H = sha512(new TextEncoder().encode(k.name));
      for (const algorithm of k.algorithms) {
        const sig = signExchangeHash(algorithm, enc.key, H);
        const result = verifyHostKeySignature({ algorithm, hostKeyBlob: enc.publicKeyBlob, signatureBlob: sig, H });
        expect(result).toMatchObject({ verified: true, fingerprint: fingerprintSha256(enc.publicKeyBlob) });
      }

      // ssh-keygen's own signature, verified by us.
      const message = new TextEncoder().encode(`signed by ssh-keygen with ${k.name}\n`);
      writeFileSync(join(dir, `msg_${k.name}`), message);
      keygen('-Y', 'sign', '-n', 'file', '-f', `plain_${k.name}`, `msg_${k.name}`);
      expect(checkSshsig(readFileSync(join(dir, `msg_${k.name}.sig`), 'utf8'), message)).toBeNull();
      expect(checkSshsig(readFileSync(join(dir, `msg_${k.name}.sig`), 'utf8'), message.subarray(1))).not.toBeNull();
    });
  }

  for (const cipher of ['aes128-ctr', 'aes192-ctr', 'aes128-cbc', 'aes256-cbc', 'aes128-gcm@openssh.com', 'aes256-gcm@openssh.com']) {
    it(`a key file encrypted with ${cipher} (ssh-keygen -Z)`, () => {
      const file = `cipher_${cipher.replace('@', '_')}`;
      keygen('-t', 'ecdsa', '-b', '256', '-a', '1', '-N', PASSPHRASE, '-Z', cipher, '-f', file, '-q');
      const parsed = parseOpenSshPrivateKey(readFileSync(join(dir, file), 'utf8'), PASSPHRASE);
      expect(parsed.encrypted).toBe(true);
      expect(signingKeyBlob(parsed.key)).toEqual(pubBlob(`${file}.pub`));
      expect(() => parseOpenSshPrivateKey(readFileSync(join(dir, file), 'utf8'), 'not it')).toThrow(/wrong passphrase/);
    });
  }

  const CERTS = [
    { host: 'ecdsa256', ca: 'ed25519', algorithm: 'ecdsa-sha2-nistp256-cert-v01@openssh.com', plain: 'ecdsa-sha2-nistp256' },
    { host: 'ed25519', ca: 'rsa', algorithm: 'ssh-ed25519-cert-v01@openssh.com', plain: 'ssh-ed25519' },
    { host: 'rsa', ca: 'ecdsa384', algorithm: 'rsa-sha2-512-cert-v01@openssh.com', plain: 'rsa-sha2-512' },
  ];
  for (const c of CERTS) {
    it(`certificate ${c.algorithm} signed by a ${c.ca} CA`, () => {
      keygen('-s', `plain_${c.ca}`, '-I', `host id ${c.host}`, '-h', '-n', 'host.example,10.0.0.1', '-V', '+52w', `plain_${c.host}.pub`);
      const certBlob = pubBlob(`plain_${c.host}-cert.pub`);
      const host = parseOpenSshPrivateKey(readFileSync(join(dir, `plain_${c.host}`), 'utf8'));
      const H = new Uint8Array(32).fill(0x5a);
      const sig = signExchangeHash(c.plain, host.key, H);
      const result = verifyHostKeySignature({ algorithm: c.algorithm, hostKeyBlob: certBlob, signatureBlob: sig, H });
      expect(result.verified).toBe(true);
      expect(result.certificate).toMatchObject({
        keyId: `host id ${c.host}`, certType: 'host', principals: ['host.example', '10.0.0.1'],
        caFingerprint: fingerprintSha256(pubBlob(`plain_${c.ca}.pub`)), caSignatureVerified: true,
      });
      const info = describeHostKey(certBlob);
      expect(info).toMatchObject({ keyType: c.algorithm.replace(/^rsa-sha2-512/, 'ssh-rsa'), fingerprint: fingerprintSha256(certBlob) });
      expect(info.bits).toBe(c.host === 'rsa' ? 2048 : 256); // ecdsa256 and ed25519 are both 256-bit
      expect(info.certificate?.caSignatureVerified).toBe(true);
      // Change the key id: the H signature still verifies with the certified key, the CA's does not.
      const tampered = certBlob.slice();
      const at = Buffer.from(tampered).indexOf(`host id ${c.host}`);
      tampered[at] ^= 0x20;
      const bad = verifyHostKeySignature({ algorithm: c.algorithm, hostKeyBlob: tampered, signatureBlob: sig, H });
      expect(bad.verified).toBe(true);
      expect(bad.certificate!.caSignatureVerified).toBe(false);
      // The plain algorithm name does not accept a certificate blob.
      expect(verifyHostKeySignature({ algorithm: c.plain, hostKeyBlob: certBlob, signatureBlob: sig, H }).verified).toBe(false);
    });
  }
});

describe('malformed key files', () => {
  it('say what is wrong', () => {
    expect(() => parseOpenSshPrivateKey('hello')).toThrow(/not an OpenSSH private key file/);
    expect(() => parseOpenSshPrivateKey('-----BEGIN OPENSSH PRIVATE KEY-----\nAAAA\n-----END OPENSSH PRIVATE KEY-----')).toThrow(/openssh-key-v1/);
    const truncated = Buffer.concat([Buffer.from('openssh-key-v1\0'), Buffer.from([0, 0, 0, 4])]).toString('base64');
    expect(() => parseOpenSshPrivateKey(`-----BEGIN OPENSSH PRIVATE KEY-----\n${truncated}\n-----END OPENSSH PRIVATE KEY-----`)).toThrow(HostKeyError);
  });
});
