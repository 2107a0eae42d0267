import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { CIPHER_ALGORITHMS } from '../engine/crypto/ciphers.ts';
import { MAC_ALGORITHMS } from '../engine/crypto/macs.ts';

const run = (...args: string[]) => spawnSync(process.execPath, ['cli/bin.js', 'algorithms', ...args], { encoding: 'utf8' });

describe('sshlens algorithms', () => {
  it('--json lists every registry entry per kind, including what issue 3 requires', () => {
    const r = run('--json');
    expect(r.status).toBe(0);
    const json = JSON.parse(r.stdout);
    const names = (kind: string) => json[kind].map((a: { name: string }) => a.name);
    expect(names('cipher')).toEqual(CIPHER_ALGORITHMS.map((c) => c.name));
    expect(names('mac')).toEqual(MAC_ALGORITHMS.map((m) => m.name));
    for (const kex of ['curve25519-sha256', 'curve25519-sha256@libssh.org', 'ecdh-sha2-nistp521', 'diffie-hellman-group1-sha1',
      'diffie-hellman-group18-sha512', 'diffie-hellman-group-exchange-sha1', 'mlkem768x25519-sha256', 'sntrup761x25519-sha512@openssh.com']) {
      expect(names('kex')).toContain(kex);
    }
    for (const mac of ['umac-64@openssh.com', 'umac-128-etm@openssh.com', 'hmac-md5-etm@openssh.com', 'hmac-sha1-96']) expect(names('mac')).toContain(mac);
    expect(names('compression')).toEqual(expect.arrayContaining(['none', 'zlib', 'zlib@openssh.com']));
    expect(names('hostkey')).toContain('ssh-ed25519-cert-v01@openssh.com');
  });
  it('one kind, one name per line, like ssh -Q', () => {
    const r = run('cipher');
    expect(r.stdout.trim().split('\n')).toContain('chacha20-poly1305@openssh.com');
    expect(run('ciphers').status).toBe(2);
  });
});
