/**
 * `sshlens exec` and `sshlens serve` as a user runs them (child processes through tsx): exec against the engine's
 * server with a password, its output and exit status, its key log and its pcapng recording - which `sshlens decode`
 * must read back with every packet decrypted; serve started as a command, reached by the engine client, printing
 * its ephemeral host key's fingerprint; and the usage errors.
 */
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execSession } from './exec.ts';
import { main } from './main.ts';
import { startServe, type RunningServer } from './serve.ts';
import { decodeCapture } from '../engine/decoder/capture-decoder.ts';
import { parseKeyLog } from '../engine/keys/keylog.ts';

const CLI = join(import.meta.dirname, 'sshlens.ts');
const TSX = join(import.meta.dirname, '..', 'node_modules', '.bin', 'tsx');

function sshlens(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(TSX, [CLI, ...args], { env: { ...process.env, ...env } }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

describe('sshlens exec against the engine server', () => {
  let server: RunningServer;
  const dir = mkdtempSync(join(tmpdir(), 'sshlens-exec-'));
  beforeAll(async () => {
    server = await startServe({ password: 'hunter2', user: 'alice', keylog: join(dir, 'server.keys') });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('prints stdout and stderr, exits with the status, writes a key log and a pcapng that sshlens decode reads', async () => {
    const keylog = join(dir, 'client.keys');
    const pcap = join(dir, 'session.pcapng');
    const r = await sshlens(['exec', '-p', String(server.port), '--password-env', 'PW', '--cipher', 'aes256-gcm@openssh.com', '--kex', 'ecdh-sha2-nistp256',
      '--keylog', keylog, '--pcap', pcap, 'alice@127.0.0.1', 'echo', 'hello', 'there'], { PW: 'hunter2' });
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('hello there\n');
    expect(r.code).toBe(0);
    const failing = await sshlens(['exec', '-p', String(server.port), '--password-env', 'PW', 'alice@127.0.0.1', 'exit', '9'], { PW: 'hunter2' });
    expect(failing.code).toBe(9);

    const keys = parseKeyLog(readFileSync(keylog, 'utf8'));
    expect(keys.problems).toEqual([]);
    // ecdh-sha2-nistp256: only the SHARED_SECRET line (Wireshark takes no private key for it).
    expect(keys.entries).toHaveLength(1);
    expect(keys.entries[0].kind).toBe('shared-secret');
    // The server logged the same K under its own cookie.
    expect(parseKeyLog(readFileSync(join(dir, 'server.keys'), 'utf8')).entries.some((e) => e.value.join() === keys.entries[0].value.join())).toBe(true);

    const trace = decodeCapture(new Uint8Array(readFileSync(pcap)), [], 'session.pcapng');
    const session = trace.sessions[0];
    expect(trace.problems).toEqual([]);
    expect(session.problems).toEqual([]);
    expect(session.kex[0].algorithms).toMatchObject({ kex: 'ecdh-sha2-nistp256', cipherClientToServer: 'aes256-gcm@openssh.com' });
    expect(session.packets.every((p) => p.macStatus === 'ok' || p.epoch === 0)).toBe(true);
    expect(session.channels[0].requests.map((q) => q.request)).toContain('exec');

    const decoded = await sshlens(['decode', pcap]);
    expect(decoded.code).toBe(0);
    expect(decoded.stdout).toContain('SSH_MSG_CHANNEL_DATA');
  }, 60_000);

  it('a wrong password exits 255 with the reason', async () => {
    const r = await sshlens(['exec', '-p', String(server.port), '--password-env', 'PW', 'alice@127.0.0.1', 'echo'], { PW: 'wrong' });
    expect(r.code).toBe(255);
    expect(r.stderr).toMatch(/authentication failed/);
  }, 30_000);

  it('usage errors exit 2', async () => {
    expect(await main(['exec', 'alice@127.0.0.1'])).toBe(2);
    expect(await main(['exec', '--password-env', 'NOPE_NOT_SET', 'alice@127.0.0.1', 'echo'])).toBe(2);
    expect(await main(['exec', '-p', 'x', '--password-env', 'PATH', 'alice@127.0.0.1', 'echo'])).toBe(2);
    expect(await main(['serve', '--port', '0'])).toBe(2);
  });
});

describe('sshlens serve', () => {
  it('listens, prints its ephemeral host key fingerprint, serves the built-in commands, stops on SIGTERM', async () => {
    const child = spawn(TSX, [CLI, 'serve', '--port', '0', '--user', 'bob', '--password-env', 'PW'], { env: { ...process.env, PW: 's3cret' } });
    let out = '';
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const port = await new Promise<number>((resolve, reject) => {
      child.stdout.on('data', (d) => {
        out += String(d);
        const m = /listening on 127\.0\.0\.1:(\d+)[\s\S]*SHA256:/.exec(out);
        if (m) resolve(Number(m[1]));
      });
      child.once('exit', () => reject(new Error(`serve exited: ${out}`)));
    });
    expect(out).toMatch(/host key ssh-ed25519 SHA256:[A-Za-z0-9+/]{43} \(ephemeral\)/);
    const fingerprint = /SHA256:[A-Za-z0-9+/]{43}/.exec(out)![0];
    const chunks: Uint8Array[] = [];
    const r = await execSession({
      host: '127.0.0.1', port, user: 'bob', password: 's3cret', command: 'bytes 100000', hostKeyFingerprint: fingerprint,
      onStdout: (d) => chunks.push(d),
    });
    expect(r.exitStatus).toBe(0);
    expect(chunks.reduce((n, c) => n + c.length, 0)).toBe(100000);
    const wrongUser = await execSession({ host: '127.0.0.1', port, user: 'eve', password: 's3cret', command: 'echo' });
    expect(wrongUser.error).toMatch(/authentication failed/);
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  }, 60_000);
});
