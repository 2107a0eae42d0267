/** What the engine offers by default (RFC 4253 §7.1 KEXINIT lists): OpenSSH 9.x's kex order plus the hybrids. */
import { describe, expect, it } from 'vitest';
import { buildProposal, DEFAULT_PREFERENCES, SUPPORTED } from './algorithms.ts';

describe('default kex list', () => {
  it('is OpenSSH 9.x myproposal.h order with the post-quantum hybrids ahead, and offers nothing exotic', () => {
    const p = buildProposal({ role: 'client', cookie: new Uint8Array(16), preferences: {}, strictKex: false, extInfo: false });
    expect(p.kex_algorithms.slice(3)).toEqual([
      'curve25519-sha256', 'curve25519-sha256@libssh.org', 'ecdh-sha2-nistp256', 'ecdh-sha2-nistp384', 'ecdh-sha2-nistp521',
      'diffie-hellman-group-exchange-sha256', 'diffie-hellman-group16-sha512', 'diffie-hellman-group18-sha512',
      'diffie-hellman-group14-sha256',
    ]);
    expect(p.kex_algorithms.slice(0, 3)).toEqual(['mlkem768x25519-sha256', 'sntrup761x25519-sha512', 'sntrup761x25519-sha512@openssh.com']);
    for (const name of p.kex_algorithms) expect(name).not.toMatch(/@ssh\.com|curve448|1\.3\.132|group1[57]-|sha1$/);
  });
  it('every default is supported, and an exotic method can still be asked for', () => {
    for (const name of DEFAULT_PREFERENCES.kex) expect(SUPPORTED.kex).toContain(name);
    const asked = ['diffie-hellman-group17-sha512', 'curve448-sha512', 'diffie-hellman-group14-sha256@ssh.com'];
    const p = buildProposal({ role: 'server', cookie: new Uint8Array(16), preferences: { kex: asked }, strictKex: true, extInfo: false });
    expect(p.kex_algorithms).toEqual([...asked, 'kex-strict-s-v00@openssh.com']);
    expect(() => buildProposal({ role: 'client', cookie: new Uint8Array(16), preferences: { kex: ['rsa2048-sha256'] }, strictKex: false, extInfo: false })).toThrow(/RFC 4432 RSA key exchange\) is decoded by sshlens but its engine cannot run it/);
    expect(SUPPORTED.kex).not.toContain('rsa1024-sha1');
    expect(() => buildProposal({ role: 'client', cookie: new Uint8Array(16), preferences: { kex: ['no-such-kex'] }, strictKex: false, extInfo: false })).toThrow(/unknown kex algorithm "no-such-kex"/);
  });
});
