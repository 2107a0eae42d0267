/**
 * The engine against a second, independent implementation: the ssh2 npm package (1.17), both ways over loopback.
 * ssh2's client runs a command on the engine's server; the engine's client runs a command on an ssh2 server.
 * A few algorithm combinations each way, so a bug that happens to agree with OpenSSH's reading would still show.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client as Ssh2Client, Server as Ssh2Server, type Algorithms } from 'ssh2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execSession } from './exec.ts';
import { startServe, type RunningServer } from './serve.ts';
import { SUPPORTED } from '../engine/endpoint/algorithms.ts';

const ROWS: { kex: string; cipher: string; mac: string }[] = [
  { kex: 'curve25519-sha256', cipher: 'chacha20-poly1305@openssh.com', mac: 'hmac-sha2-256' },
  { kex: 'ecdh-sha2-nistp384', cipher: 'aes256-gcm@openssh.com', mac: 'hmac-sha2-256' },
  { kex: 'diffie-hellman-group-exchange-sha256', cipher: 'aes128-ctr', mac: 'hmac-sha2-512-etm@openssh.com' },
  { kex: 'diffie-hellman-group14-sha256', cipher: 'aes256-cbc', mac: 'hmac-sha1' },
];

const algorithms = (r: (typeof ROWS)[number]) =>
  ({ kex: [r.kex], cipher: [r.cipher], hmac: [r.mac], serverHostKey: ['ssh-ed25519', 'ecdsa-sha2-nistp256'] }) as unknown as Algorithms;

const keygen = existsSync('/usr/bin/ssh-keygen');
/** ssh2's server has no group exchange ("Group exchange not implemented for server"). */
const SERVER_ROWS = ROWS.filter((r) => !r.kex.includes('group-exchange'));

describe('ssh2 client against the engine server', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServe({ password: 'pw', preferences: { cipher: SUPPORTED.cipher, mac: SUPPORTED.mac } });
  });
  afterAll(async () => {
    await server?.close();
  });
  for (const row of ROWS) {
    it(`${row.kex} ${row.cipher} ${row.mac}`, async () => {
      const output = await new Promise<{ out: string; code: number }>((resolve, reject) => {
        const c = new Ssh2Client();
        c.on('ready', () => {
          c.exec('sha256sum', (err, stream) => {
            if (err) return reject(err);
            let out = '';
            stream.on('data', (d: Buffer) => (out += d.toString()));
            stream.on('exit', (code: number) => stream.on('close', () => {
              c.end();
              resolve({ out, code });
            }));
            stream.end('abc');
          });
        });
        c.on('error', reject);
        c.connect({ host: '127.0.0.1', port: server.port, username: 'x', password: 'pw', algorithms: algorithms(row) });
      });
      expect(output).toEqual({ out: 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad  -\n', code: 0 });
    });
  }
});

describe.skipIf(!keygen)('engine client against an ssh2 server', () => {
  let ssh2: Ssh2Server;
  let port: number;
  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sshlens-ssh2-'));
    execFileSync('/usr/bin/ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(dir, 'host')]);
    ssh2 = new Ssh2Server({ hostKeys: [readFileSync(join(dir, 'host'))], algorithms: { kex: SERVER_ROWS.map((r) => r.kex), cipher: SERVER_ROWS.map((r) => r.cipher), hmac: SERVER_ROWS.map((r) => r.mac) } as unknown as Algorithms }, (conn) => {
      conn.on('authentication', (ctx) => (ctx.method === 'password' && ctx.password === 'pw' ? ctx.accept() : ctx.reject(['password'])));
      conn.on('ready', () => {
        conn.on('session', (accept) => {
          const session = accept();
          session.on('exec', (acceptExec, _reject, info) => {
            const stream = acceptExec();
            stream.write(`ran ${info.command}\n`);
            stream.stderr.write('to stderr\n');
            stream.exit(5);
            stream.end();
          });
        });
      });
      conn.on('error', () => {});
    });
    await new Promise<void>((resolve) => ssh2.listen(0, '127.0.0.1', () => resolve()));
    port = (ssh2.address() as AddressInfo).port;
  });
  afterAll(() => {
    ssh2?.close();
  });
  for (const row of SERVER_ROWS) {
    it(`${row.kex} ${row.cipher} ${row.mac}`, async () => {
      let out = '';
      let err = '';
      const result = await execSession({
        host: '127.0.0.1', port, user: 'u', password: 'pw', command: 'hello', preferences: { kex: [row.kex], cipher: [row.cipher], mac: [row.mac] },
        onStdout: (d) => (out += new TextDecoder().decode(d)), onStderr: (d) => (err += new TextDecoder().decode(d)),
      });
      expect(result.error).toBeUndefined();
      expect(result.exitStatus).toBe(5);
      expect(out).toBe('ran hello\n');
      expect(err).toBe('to stderr\n');
    });
  }
});
