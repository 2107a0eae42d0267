/**
 * Key and signature blobs (RFC 4253 §6.6, RFC 5656 §3.1, RFC 8709, PROTOCOL.certkeys) against real things:
 * the RFC 8032 §7.1 Ed25519 TEST 1 vector and the RFC 6979 §A.2.5 P-256 vector, wrapped in SSH blobs and verified
 * with noble from the decoded fields; and keys, a certificate and signatures made by the real OpenSSH ssh-keygen.
 */
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ed25519 } from '@noble/curves/ed25519.js';
import { p256 } from '@noble/curves/nist.js';
import { WireWriter, fromHex, concatBytes, WireReader } from '../wire/index.ts';
import { decodePublicKeyBlob, decodeSignatureBlob } from './blobs.ts';
import type { FieldNode } from './codec.ts';

const hex = (s: string) => fromHex(s.replace(/\s/g, ''))!;

/** The leaves of a field tree, in order. */
function leaves(nodes: FieldNode[]): FieldNode[] {
  return nodes.flatMap((n) => (n.children ? leaves(n.children) : [n]));
}
function expectExactCover(nodes: FieldNode[], start: number, end: number): void {
  let at = start;
  for (const leaf of leaves(nodes)) {
    expect(leaf.span.start, leaf.path).toBe(at);
    at = leaf.span.end;
  }
  expect(at).toBe(end);
}

describe('RFC vectors wrapped in SSH blobs', () => {
  it('Ed25519 (RFC 8032 §7.1 TEST 1): the decoded key verifies the decoded signature', () => {
    const pk = hex('d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a');
    const sig = hex(`e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b`);
    const keyBlob = new WireWriter().text('ssh-ed25519').string(pk).finish();
    const sigBlob = new WireWriter().text('ssh-ed25519').string(sig).finish();
    const key = decodePublicKeyBlob(keyBlob, 100);
    const signature = decodeSignatureBlob(sigBlob);
    expect(key.error).toBeUndefined();
    expect(key.value.type).toBe('ssh-ed25519');
    expect(signature.value.format).toBe('ssh-ed25519');
    expect(ed25519.verify(signature.value.signature as Uint8Array, new Uint8Array(0), key.value.key as Uint8Array)).toBe(true);
    expect(key.fields.map((f) => [f.path, f.span.start, f.span.end])).toEqual([['type', 100, 115], ['key', 115, 151]]);
  });

  it('ECDSA P-256 (RFC 6979 §A.2.5, SHA-256, "sample"): r and s come out as numbers that verify', () => {
    const Q = hex(`04 60FED4BA255A9D31C961EB74C6356D68C049B8923B61FA6CE669622E60F29FB6
      7903FE1008B8BC99A41AE9E95628BC64F2F1B20C2D7E9F5177A3C294D4462299`);
    const r = 0xefd48b2aacb6a8fd1140dd9cd45e81d69d2c877b56aaf991c34d0ea84eaf3716n;
    const s = 0xf7cb1c942d657c41d436c7a1b6e29f65f3e900dbb9aff4064dc4ab2f843acda8n;
    const keyBlob = new WireWriter().text('ecdsa-sha2-nistp256').text('nistp256').string(Q).finish();
    const inner = new WireWriter().mpint(r).mpint(s).finish();
    const sigBlob = new WireWriter().text('ecdsa-sha2-nistp256').string(inner).finish();
    const key = decodePublicKeyBlob(keyBlob);
    const sig = decodeSignatureBlob(sigBlob);
    expect(key.value).toMatchObject({ type: 'ecdsa-sha2-nistp256', curve: 'nistp256' });
    const rs = sig.value.signature as { r: bigint; s: bigint };
    expect([rs.r, rs.s]).toEqual([r, s]);
    const compact = concatBytes(fromHex(rs.r.toString(16).padStart(64, '0'))!, fromHex(rs.s.toString(16).padStart(64, '0'))!);
    const ok = p256.verify(compact, new TextEncoder().encode('sample'), key.value.Q as Uint8Array, { lowS: false });
    expect(ok).toBe(true);
    expectExactCover(sig.fields, 0, sigBlob.length);
  });

  it('an unknown key type decodes as unknown with its raw bytes', () => {
    const b = new WireWriter().text('ssh-future').string(hex('0102')).finish();
    const d = decodePublicKeyBlob(b);
    expect(d.error).toBeUndefined();
    expect(d.unknown).toBe(true);
    expect(d.value.data).toEqual(hex('000000020102'));
  });

  it('a truncated blob keeps what it decoded and says where it stopped', () => {
    const b = new WireWriter().text('ssh-rsa').mpint(65537n).finish();
    const d = decodePublicKeyBlob(b.subarray(0, b.length - 1));
    expect(d.value.type).toBe('ssh-rsa');
    expect(d.error).toMatchObject({ code: 'length-beyond-buffer', path: 'e', offset: 11 });
    expectExactCover(d.fields, 0, b.length - 1);
  });
});

describe('keys, a certificate and signatures made by OpenSSH ssh-keygen', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sshlens-blobs-'));
  const keygen = (...args: string[]) => execFileSync('ssh-keygen', ['-q', ...args], { cwd: dir, stdio: 'pipe' });
  const pubBlob = (file: string) => Uint8Array.from(Buffer.from(readFileSync(join(dir, file), 'utf8').split(' ')[1], 'base64'));
  const kinds: [string, string[], string][] = [
    ['rsa', ['-t', 'rsa', '-b', '2048'], 'ssh-rsa'],
    ['ed25519', ['-t', 'ed25519'], 'ssh-ed25519'],
    ['p256', ['-t', 'ecdsa', '-b', '256'], 'ecdsa-sha2-nistp256'],
    ['p384', ['-t', 'ecdsa', '-b', '384'], 'ecdsa-sha2-nistp384'],
    ['p521', ['-t', 'ecdsa', '-b', '521'], 'ecdsa-sha2-nistp521'],
  ];
  for (const [file, args, type] of kinds) keygen(...args, '-N', '', '-f', file);

  for (const [file, , type] of kinds) {
    it(`${type} public key and an SSHSIG signature blob`, () => {
      const b = pubBlob(`${file}.pub`);
      const d = decodePublicKeyBlob(b);
      expect(d.error).toBeUndefined();
      expect(d.unknown).toBe(false);
      expect(d.value.type).toBe(type);
      expectExactCover(d.fields, 0, b.length);

      // ssh-keygen -Y sign writes an SSHSIG (OpenSSH PROTOCOL.sshsig) whose last field is a signature blob.
      const armored = execFileSync('ssh-keygen', ['-Y', 'sign', '-f', file, '-n', 'file'], { cwd: dir, input: 'hello', stdio: 'pipe' }).toString();
      const sshsig = Uint8Array.from(Buffer.from(armored.split('\n').filter((l) => l && !l.startsWith('-----')).join(''), 'base64'));
      const r = new WireReader(sshsig.subarray(6));
      r.uint32('version');
      expect(r.string('publickey')).toEqual(b);
      r.string('namespace');
      r.string('reserved');
      r.string('hash');
      const sig = decodeSignatureBlob(r.string('signature'));
      expect(sig.error).toBeUndefined();
      expect(sig.value.format).toBe(type === 'ssh-rsa' ? 'rsa-sha2-512' : type);
      if (type.startsWith('ecdsa')) expect(typeof (sig.value.signature as { r: unknown }).r).toBe('bigint');
    });
  }

  it('a user certificate with options, principals and validity, every field as ssh-keygen was told', () => {
    keygen('-t', 'ed25519', '-N', '', '-f', 'ca');
    keygen('-s', 'ca', '-I', 'alice@example', '-n', 'alice,bob', '-V', '20250101000000:20260101000000', '-z', '42',
      '-O', 'force-command=/bin/date', '-O', 'source-address=10.0.0.0/8', '-O', 'no-pty', 'p256.pub');
    const b = pubBlob('p256-cert.pub');
    const d = decodePublicKeyBlob(b);
    rmSync(dir, { recursive: true, force: true });
    expect(d.error).toBeUndefined();
    expect(d.unknown).toBe(false);
    expectExactCover(d.fields, 0, b.length);
    const v = d.value as Record<string, any>;
    expect(v.type).toBe('ecdsa-sha2-nistp256-cert-v01@openssh.com');
    expect(v.curve).toBe('nistp256');
    expect(v.serial).toBe(42n);
    expect(v.cert_type).toBe(1);
    expect(v.key_id).toBe('alice@example');
    expect(v.valid_principals.principals.map((p: { name: string }) => p.name)).toEqual(['alice', 'bob']);
    expect(v.critical_options.options).toEqual([
      { name: 'force-command', data: { command: '/bin/date' } },
      { name: 'source-address', data: { addresses: '10.0.0.0/8' } },
    ]);
    expect(v.extensions.extensions.map((e: { name: string }) => e.name)).toEqual([
      'permit-X11-forwarding', 'permit-agent-forwarding', 'permit-port-forwarding', 'permit-user-rc',
    ]);
    expect(v.signature_key.type).toBe('ssh-ed25519');
    expect(v.signature.format).toBe('ssh-ed25519');
    // The CA signature covers the certificate blob up to (not including) the signature field.
    const sigNode = d.fields.find((f) => f.name === 'signature')!;
    const signed = b.subarray(0, sigNode.span.start);
    expect(ed25519.verify(v.signature.signature, signed, v.signature_key.key)).toBe(true);
  });
});
