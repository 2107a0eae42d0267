/**
 * The binary packet protocol against real OpenSSH 9.2 sshd (Debian's openssh-server) over loopback TCP, with the
 * engine's client on top of PacketReader/PacketWriter: every cipher, every MAC (encrypt-and-MAC and EtM, UMAC
 * included - no capture in the fixtures has UMAC), zlib@openssh.com (sshd dropped plain `zlib` in OpenSSH 7.4), a
 * rekey after authentication, with and without strict kex. sshd verifies every MAC/tag we send and we verify every one it sends, so a session that runs a
 * command to completion proves both directions byte-exact. Skipped, loudly, when sshd is missing.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateKey, startSshd, sshdAvailable, type PrivateSshd } from '../../cli/dev/sshd.ts';
import { execSession } from '../../cli/exec.ts';
import { parseOpenSshPrivateKey } from '../crypto/hostkey-file.ts';
import type { SigningKey } from '../crypto/hostkey.ts';
import { CIPHER_ALGORITHMS } from '../crypto/ciphers.ts';
import { MAC_ALGORITHMS } from '../crypto/macs.ts';

const available = sshdAvailable();
if (!available) console.warn('\n*** OpenSSH sshd missing: transport interop tests SKIPPED ***\n');

/** The registry's entries this OpenSSH implements, as `ssh -Q` lists them (9.2 has no "none", arcfour, blowfish, @ssh.com...). */
const openSshHas = (kind: 'cipher' | 'mac', names: string[]): string[] => {
  if (!available) return [];
  const known = execFileSync('/usr/bin/ssh', ['-Q', kind], { encoding: 'utf8' }).split('\n');
  return names.filter((n) => known.includes(n));
};
const ciphers = openSshHas('cipher', CIPHER_ALGORITHMS.map((c) => c.name));
const macs = openSshHas('mac', MAC_ALGORITHMS.map((m) => m.name));

describe.skipIf(!available)('PacketReader/PacketWriter against OpenSSH sshd', () => {
  let sshd: PrivateSshd;
  let key: SigningKey;
  let keyDir: string;
  beforeAll(async () => {
    keyDir = mkdtempSync(join(tmpdir(), 'sshlens-interop-'));
    const client = generateKey(keyDir, 'ed25519', 'client');
    key = parseOpenSshPrivateKey(readFileSync(client.file, 'utf8')).key;
    sshd = await startSshd({
      authorizedKeys: [client.publicKey],
      config: { Ciphers: ciphers.join(','), MACs: macs.join(','), Compression: 'yes' },
    });
  }, 30_000);
  afterAll(async () => {
    await sshd?.stop();
    rmSync(keyDir, { recursive: true, force: true });
  });

  async function run(cipher: string, mac: string, compression: string, options: { rekey?: boolean; strict?: boolean } = {}) {
    let stdout = '';
    const payload = 'x'.repeat(70_000); // several full packets each way
    const result = await execSession({
      host: '127.0.0.1', port: sshd.port, user: sshd.user, privateKey: key, command: 'wc -c; echo done',
      preferences: { cipher: [cipher], mac: [mac], compression: [compression] },
      stdin: new TextEncoder().encode(payload),
      onStdout: (d) => (stdout += new TextDecoder().decode(d)),
      ...(options.rekey ? { rekeyAfterAuth: true } : {}),
      ...(options.strict !== undefined ? { strictKex: options.strict } : {}),
    });
    expect(result.error).toBeUndefined();
    expect(result.exitStatus).toBe(0);
    expect(stdout.trim().split(/\s+/)).toEqual(['70000', 'done']);
  }

  it('covers every cipher and MAC issue 3 names (none dropped by the ssh -Q filter)', () => {
    expect(ciphers).toEqual(expect.arrayContaining(['chacha20-poly1305@openssh.com', 'aes128-gcm@openssh.com', 'aes256-gcm@openssh.com',
      'aes128-ctr', 'aes192-ctr', 'aes256-ctr', 'aes128-cbc', 'aes192-cbc', 'aes256-cbc', '3des-cbc']));
    const hmacs = ['hmac-sha1', 'hmac-sha1-96', 'hmac-sha2-256', 'hmac-sha2-512', 'hmac-md5', 'umac-64@openssh.com', 'umac-128@openssh.com'];
    expect(macs).toEqual(expect.arrayContaining([...hmacs, ...hmacs.map((m) => m.replace(/(@openssh\.com)?$/, '-etm@openssh.com'))]));
  });
  for (const cipher of ciphers) {
    it(`${cipher}`, () => run(cipher, 'hmac-sha2-256-etm@openssh.com', 'none'), 20_000);
  }
  for (const mac of macs) {
    it(`aes128-ctr + ${mac}`, () => run('aes128-ctr', mac, 'none'), 20_000);
  }
  it('3des-cbc + umac-64@openssh.com + zlib@openssh.com, rekeyed', () => run('3des-cbc', 'umac-64@openssh.com', 'zlib@openssh.com', { rekey: true }), 30_000);
  it('aes256-cbc + hmac-sha1-96 + zlib@openssh.com, rekeyed, strict kex off', () => run('aes256-cbc', 'hmac-sha1-96', 'zlib@openssh.com', { rekey: true, strict: false }), 30_000);
  it('chacha20-poly1305 + zlib@openssh.com, rekeyed', () => run('chacha20-poly1305@openssh.com', 'umac-128-etm@openssh.com', 'zlib@openssh.com', { rekey: true }), 30_000);
  it('aes128-gcm + zlib@openssh.com, rekeyed, strict kex off', () => run('aes128-gcm@openssh.com', 'hmac-md5', 'zlib@openssh.com', { rekey: true, strict: false }), 30_000);
});
