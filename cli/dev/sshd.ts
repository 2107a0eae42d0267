/**
 * A private OpenSSH sshd for tests, recordings and benchmarks: its own configuration, host keys, authorized_keys
 * and pid file in a temporary folder, listening on a free loopback port. Never touches the system's sshd.
 * Needs Debian's openssh-server (cli/dev/ensure-system-packages.sh installs it when missing).
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const SSHD_PATH = process.env.SSHD_PATH ?? '/usr/sbin/sshd';
export const SSH_KEYGEN_PATH = process.env.SSH_KEYGEN_PATH ?? '/usr/bin/ssh-keygen';

export type KeyType = 'ed25519' | 'ecdsa' | 'rsa';

export interface SshdOptions {
  /** Host key types to generate (default ed25519). */
  hostKeys?: KeyType[];
  /** Extra sshd_config lines, e.g. { KexAlgorithms: 'curve25519-sha256', Ciphers: 'aes128-ctr' }. */
  config?: Record<string, string>;
  /** Public keys (OpenSSH one-line form) allowed to log in as the current user. */
  authorizedKeys?: string[];
}

export interface PrivateSshd {
  port: number;
  dir: string;
  hostKeyFiles: string[];
  /** The server's host public keys, OpenSSH one-line form. */
  hostPublicKeys: string[];
  user: string;
  stop(): Promise<void>;
}

export function sshdAvailable(): boolean {
  return existsSync(SSHD_PATH) && existsSync(SSH_KEYGEN_PATH);
}

/** Generates an OpenSSH key pair in `dir`; returns the private key path and the public key line. */
export function generateKey(dir: string, type: KeyType, name: string, passphrase = ''): { file: string; publicKey: string } {
  const file = join(dir, name);
  const bits = type === 'rsa' ? ['-b', '2048'] : type === 'ecdsa' ? ['-b', '256'] : [];
  execFileSync(SSH_KEYGEN_PATH, ['-q', '-t', type, ...bits, '-N', passphrase, '-C', `sshlens-${name}`, '-f', file]);
  return { file, publicKey: readFileSync(`${file}.pub`, 'utf8').trim() };
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

export async function startSshd(options: SshdOptions = {}): Promise<PrivateSshd> {
  if (!sshdAvailable()) throw new Error(`OpenSSH sshd not found at ${SSHD_PATH}: run cli/dev/ensure-system-packages.sh`);
  mkdirSync('/run/sshd', { recursive: true }); // sshd's privilege separation directory
  const dir = mkdtempSync(join(tmpdir(), 'sshlens-sshd-'));
  const hostKeys = (options.hostKeys ?? ['ed25519']).map((type) => generateKey(dir, type, `host_${type}`));
  writeFileSync(join(dir, 'authorized_keys'), (options.authorizedKeys ?? []).join('\n') + '\n', { mode: 0o600 });
  const port = await freePort();
  const config: Record<string, string> = {
    ListenAddress: '127.0.0.1',
    Port: String(port),
    PidFile: join(dir, 'sshd.pid'),
    AuthorizedKeysFile: join(dir, 'authorized_keys'),
    StrictModes: 'no',
    UsePAM: 'no',
    PermitRootLogin: 'yes',
    PasswordAuthentication: 'no',
    KbdInteractiveAuthentication: 'no',
    LogLevel: 'ERROR',
    Subsystem: 'sftp internal-sftp',
    ...options.config,
  };
  const lines = hostKeys.map((k) => `HostKey ${k.file}`);
  for (const [key, value] of Object.entries(config)) lines.push(`${key} ${value}`);
  const configFile = join(dir, 'sshd_config');
  writeFileSync(configFile, lines.join('\n') + '\n');
  const child: ChildProcess = spawn(SSHD_PATH, ['-D', '-e', '-f', configFile], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk) => (stderr += String(chunk)));
  await waitForBanner(port, child, () => stderr);
  return {
    port,
    dir,
    hostKeyFiles: hostKeys.map((k) => k.file),
    hostPublicKeys: hostKeys.map((k) => k.publicKey),
    user: process.env.USER ?? 'root',
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function waitForBanner(port: number, child: ChildProcess, stderr: () => string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`sshd exited with ${child.exitCode}: ${stderr().trim()}`);
    const banner = await new Promise<string>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      let data = '';
      socket.on('data', (chunk) => {
        data += String(chunk);
        if (data.includes('\n')) socket.destroy();
      });
      socket.on('close', () => resolve(data));
      socket.on('error', () => resolve(''));
      socket.setTimeout(1000, () => socket.destroy());
    });
    if (banner.startsWith('SSH-')) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  child.kill('SIGKILL');
  throw new Error(`sshd did not answer on port ${port} within 10 s: ${stderr().trim()}`);
}
