/**
 * The engine's client logging in to Debian's OpenSSH sshd with a system account's password (RFC 4252 §8) and by
 * keyboard-interactive (RFC 4256), then running a command. sshd checks passwords against the system's account
 * database, so the test makes its own account, `sshlens-test`, with a fresh random password per run (idempotent:
 * created once, password reset each run, locked again afterwards). Two private sshds (cli/dev/sshd.ts):
 * - UsePAM no: sshd reads /etc/shadow itself; only password authentication is possible;
 * - UsePAM yes: password and keyboard-interactive both go through PAM (/etc/pam.d/sshd), whose prompt is
 *   "Password: ".
 * Needs root (useradd, chpasswd), as on CI; skipped, loudly, otherwise or when sshd is missing.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sshdAvailable, startSshd, type PrivateSshd } from './dev/sshd.ts';
import { execSession, type ExecOptions } from './exec.ts';
import type { KeyboardPrompt } from '../engine/auth/client.ts';

const ACCOUNT = 'sshlens-test';
const isRoot = process.getuid?.() === 0;
const tools = existsSync('/usr/sbin/useradd') && existsSync('/usr/sbin/chpasswd') && existsSync('/usr/sbin/usermod');
const available = sshdAvailable() && isRoot && tools;
if (!available) {
  console.warn(`\n*** password and keyboard-interactive against sshd SKIPPED: ${!sshdAvailable() ? 'OpenSSH sshd missing' : !isRoot ? 'not root (the test makes a system account)' : 'useradd/chpasswd missing'} ***\n`);
}

/** Creates the account once; sets a new random password (chpasswd), unlocked. Returns the password. */
function prepareAccount(): string {
  if (spawnSync('id', ['-u', ACCOUNT]).status !== 0) {
    execFileSync('/usr/sbin/useradd', ['--create-home', '--shell', '/bin/sh', '--comment', 'sshlens interop tests', ACCOUNT]);
  }
  const password = `sl-${randomBytes(12).toString('base64url')}`;
  execFileSync('/usr/sbin/chpasswd', { input: `${ACCOUNT}:${password}\n` });
  execFileSync('/usr/sbin/usermod', ['--unlock', ACCOUNT]);
  return password;
}

const utf8 = (chunks: Uint8Array[]) => Buffer.concat(chunks).toString('utf8');

/** Runs `command` as the account with the engine's client; collects stdout and stderr. */
async function run(sshd: PrivateSshd, options: Partial<ExecOptions> & { command: string }) {
  const stdout: Uint8Array[] = [];
  const stderr: Uint8Array[] = [];
  const result = await execSession({
    host: '127.0.0.1', port: sshd.port, user: ACCOUNT, ...options,
    onStdout: (d) => stdout.push(d), onStderr: (d) => stderr.push(d),
  });
  return { ...result, stdout: utf8(stdout), stderr: utf8(stderr) };
}

describe.skipIf(!available)('engine client against OpenSSH sshd: password and keyboard-interactive', () => {
  let password: string;
  let shadowSshd: PrivateSshd;
  let pamSshd: PrivateSshd;

  beforeAll(async () => {
    password = prepareAccount();
    shadowSshd = await startSshd({ config: { UsePAM: 'no', PasswordAuthentication: 'yes', KbdInteractiveAuthentication: 'no' } });
    pamSshd = await startSshd({ config: { UsePAM: 'yes', PasswordAuthentication: 'yes', KbdInteractiveAuthentication: 'yes' } });
  }, 60_000);

  afterAll(async () => {
    await shadowSshd?.stop();
    await pamSshd?.stop();
    // No usable password is left behind on the machine.
    if (available) execFileSync('/usr/sbin/usermod', ['--lock', ACCOUNT]);
  });

  // The command proves who ran it and that arguments, output and the exit status all travel.
  const command = 'id -un; echo "args: $0 $1"; exit 7';

  it('password, checked by sshd against /etc/shadow (UsePAM no)', async () => {
    const r = await run(shadowSshd, { command: `sh -c '${command}' one two`, password, methods: ['password'] });
    expect(r.error).toBeUndefined();
    expect(r.stdout).toBe(`${ACCOUNT}\nargs: one two\n`);
    expect(r.exitStatus).toBe(7);
    expect(r.negotiation?.ok).toBe(true);
  }, 30_000);

  it('password through PAM (UsePAM yes)', async () => {
    const r = await run(pamSshd, { command: 'id -un; echo out; echo err >&2; exit 3', password, methods: ['password'] });
    expect(r.error).toBeUndefined();
    expect(r.stdout).toBe(`${ACCOUNT}\nout\n`);
    expect(r.stderr).toBe('err\n');
    expect(r.exitStatus).toBe(3);
  }, 30_000);

  it('keyboard-interactive through PAM: one "Password:" prompt, not echoed', async () => {
    const seen: KeyboardPrompt[][] = [];
    const r = await run(pamSshd, {
      command: 'id -un; exit 0', methods: ['keyboard-interactive'],
      keyboardInteractive: (prompts) => {
        seen.push(prompts);
        return prompts.map(() => password);
      },
    });
    expect(r.error).toBeUndefined();
    expect(r.stdout).toBe(`${ACCOUNT}\n`);
    expect(r.exitStatus).toBe(0);
    // RFC 4256 §3.2: OpenSSH relays PAM's conversation; pam_unix asks once for the password, echo off.
    expect(seen.length).toBeGreaterThanOrEqual(1);
    const asked = seen.flat();
    expect(asked).toContainEqual({ prompt: expect.stringMatching(/password/i), echo: false });
  }, 30_000);

  it('a wrong password is rejected, with a message that says so', async () => {
    for (const sshd of [shadowSshd, pamSshd]) {
      const r = await run(sshd, { command: 'true', password: `${password}-wrong`, methods: ['password'] });
      expect(r.exitStatus).toBeNull();
      expect(r.stdout).toBe('');
      expect(r.error).toMatch(new RegExp(`^authentication failed: the server rejected password for user ${ACCOUNT} \\(it allows: .*password`));
    }
  }, 60_000);

  it('a wrong keyboard-interactive answer is rejected too', async () => {
    const r = await run(pamSshd, { command: 'true', methods: ['keyboard-interactive'], keyboardInteractive: (prompts) => prompts.map(() => 'not the password') });
    expect(r.exitStatus).toBeNull();
    expect(r.error).toMatch(/^authentication failed: the server rejected keyboard-interactive for user sshlens-test/);
  }, 60_000);
});
