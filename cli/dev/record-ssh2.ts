/**
 * Records real SSH sessions for samples and benchmarks: the ssh2 npm package as the client against a private OpenSSH
 * sshd (cli/dev/sshd.ts), captured on loopback by tcpdump, with a key log in Wireshark's SHARED_SECRET form.
 *
 * ssh2 cannot write key logs, so node:crypto is instrumented before ssh2 loads: the KEXINIT cookie is read when ssh2
 * fills it (randomFillSync on a KEXINIT payload) and K when ssh2 computes it (x25519 diffieHellman, ECDH and DH
 * computeSecret). The same approach made the reference captures in ../shared/fixtures/openssh-ssh2/.
 */
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import { writeFileSync } from 'node:fs';
import type { Client as Ssh2Client, ConnectConfig } from 'ssh2';

interface KeyLogEntry {
  cookie: string;
  secret: string;
  /** The client's X25519 private key (hex), for Wireshark's old `<cookie> <private key>` form. */
  privateKey?: string;
}

const keyLog: KeyLogEntry[] = [];
let lastCookie: string | null = null;
let lastX25519Private: string | undefined;
let instrumented = false;

/** Minimal unsigned big-endian hex, as the SHARED_SECRET key log form wants it. */
function minimalHex(bytes: Uint8Array): string {
  const hex = Buffer.from(bytes).toString('hex').replace(/^(00)+/, '');
  return hex === '' ? '00' : hex;
}

function recordSecret(secret: Uint8Array): void {
  if (lastCookie) keyLog.push({ cookie: lastCookie, secret: minimalHex(secret), ...(lastX25519Private ? { privateKey: lastX25519Private } : {}) });
  lastX25519Private = undefined;
}

/** Patches node:crypto so that ssh2's key exchanges are logged. Must run before ssh2 is imported. */
function instrumentCrypto(): void {
  if (instrumented) return;
  instrumented = true;
  const c = crypto as unknown as Record<string, unknown>;
  const randomFillSync = crypto.randomFillSync;
  c.randomFillSync = (buffer: Uint8Array, offset?: number, size?: number) => {
    const result = randomFillSync(buffer, offset, size);
    if (offset === 1 && size === 16 && buffer[0] === 20) lastCookie = Buffer.from(buffer.subarray(1, 17)).toString('hex');
    return result;
  };
  const generateKeyPairSync = crypto.generateKeyPairSync as (...args: unknown[]) => { privateKey: crypto.KeyObject };
  c.generateKeyPairSync = (...args: unknown[]) => {
    const pair = generateKeyPairSync(...args);
    if (args[0] === 'x25519') {
      const d = (pair.privateKey.export({ format: 'jwk' }) as { d?: string }).d;
      if (d) lastX25519Private = Buffer.from(d, 'base64url').toString('hex');
    }
    return pair;
  };
  const diffieHellman = crypto.diffieHellman;
  c.diffieHellman = (options: Parameters<typeof crypto.diffieHellman>[0]) => {
    const secret = diffieHellman(options);
    recordSecret(secret);
    return secret;
  };
  const wrap = <T extends { computeSecret: (...args: never[]) => Buffer }>(make: (...args: never[]) => T) =>
    (...args: never[]) => {
      const object = make(...args);
      const computeSecret = object.computeSecret.bind(object);
      object.computeSecret = ((...inner: never[]) => {
        const secret = computeSecret(...inner);
        recordSecret(secret);
        return secret;
      }) as T['computeSecret'];
      return object;
    };
  c.createECDH = wrap(crypto.createECDH as never);
  c.createDiffieHellman = wrap(crypto.createDiffieHellman as never);
  c.createDiffieHellmanGroup = wrap(crypto.createDiffieHellmanGroup as never);
}

export interface Capture {
  stop(): Promise<void>;
}

/** Starts tcpdump on the loopback interface for one TCP port; resolves once it is listening. */
export async function startTcpdump(port: number, file: string): Promise<Capture> {
  const child = spawn('tcpdump', ['-i', 'lo', '--immediate-mode', '-B', '131072', '-U', '-s', '0', '-w', file, `tcp port ${port}`], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  await new Promise<void>((resolve, reject) => {
    child.stderr.on('data', (chunk) => {
      stderr += String(chunk);
      if (stderr.includes('listening on')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`tcpdump exited with ${code}: ${stderr.trim()}`)));
  });
  return {
    async stop() {
      await new Promise((r) => setTimeout(r, 200)); // let the last FIN/ACK reach the capture
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGINT');
      await exited;
    },
  };
}

export interface SessionPlan {
  /** Commands run one after the other on session channels; with rekeyAfter, a rekey follows that command. */
  commands: string[];
  rekeyAfter?: number;
  /** Read and discard this many bytes from each command's stdout (bulk transfers). */
}

/** Runs one ssh2 client session; resolves with the stdout of each command. */
export async function runSsh2Session(config: ConnectConfig, plan: SessionPlan): Promise<string[]> {
  instrumentCrypto();
  const { Client } = (await import('ssh2')).default as unknown as { Client: new () => Ssh2Client };
  const client = new Client();
  const outputs: string[] = [];
  await new Promise<void>((resolve, reject) => {
    client.on('error', reject);
    client.on('ready', async () => {
      try {
        for (let i = 0; i < plan.commands.length; i++) {
          outputs.push(await execOne(client, plan.commands[i]));
          if (plan.rekeyAfter === i) {
            // ssh2 has no public rekey call on the client; its protocol object starts one and the client emits 'handshake' when it completes.
            const done = new Promise<void>((r) => client.once('handshake', () => r()));
            (client as unknown as { _protocol: { rekey(): void } })._protocol.rekey();
            await done;
          }
        }
        client.end();
      } catch (error) {
        reject(error);
      }
    });
    client.on('close', () => resolve());
    client.connect(config);
  });
  return outputs;
}

function execOne(client: Ssh2Client, command: string): Promise<string> {
  return new Promise((resolve, reject) => {
    client.exec(command, (err, stream) => {
      if (err) return reject(err);
      let length = 0;
      let head = '';
      stream.on('data', (chunk: Buffer) => {
        length += chunk.length;
        if (head.length < 4096) head += chunk.toString('latin1');
      });
      stream.stderr.on('data', () => {});
      stream.on('close', () => resolve(length > 4096 ? `${length} bytes` : head));
    });
  });
}

/** The key-log entries gathered since the last call, one per key exchange; forgets them. */
export function takeKeyLog(): KeyLogEntry[] {
  return keyLog.splice(0, keyLog.length);
}

/**
 * Key-log text: `old` is Wireshark 4.0's `<cookie> <private key>` form (curve25519 sessions only), else the
 * SHARED_SECRET form.
 */
export function keyLogText(entries: KeyLogEntry[], form: 'shared-secret' | 'old' = 'shared-secret'): string {
  return entries.map((e) => (form === 'old' ? `${e.cookie} ${e.privateKey ?? ''}` : `${e.cookie} SHARED_SECRET ${e.secret}`) + '\n').join('');
}

/** Writes the key log gathered since the last call (SHARED_SECRET form) and forgets it; returns the line count. */
export function writeKeyLog(file: string): number {
  const entries = takeKeyLog();
  writeFileSync(file, keyLogText(entries));
  return entries.length;
}
