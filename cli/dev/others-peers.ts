/**
 * The programs cli/dev/record-others.ts records SSH sessions between: starting and stopping each server (Dropbear,
 * the engine's, AsyncSSH's, OpenSSH's sshd) and running each client (paramiko, AsyncSSH, libssh, the engine, plink,
 * dbclient), each reporting what it negotiated and received so the decoded capture can be checked against it. The
 * side we control writes the Wireshark key log (`<cookie> SHARED_SECRET <K>`, SSH-FACTS.md).
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, rmSync, chmodSync, mkdirSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client, type ClientOptions } from '../../engine/endpoint/client.ts';
import type { AlgorithmPreferences } from '../../engine/endpoint/algorithms.ts';
import { generateHostKey, type SigningKey } from '../../engine/crypto/hostkey.ts';
import { parseOpenSshPrivateKey } from '../../engine/crypto/hostkey-file.ts';
import { systemRandom } from '../../engine/endpoint/rng.ts';
import type { NegotiatedAlgorithms } from '../../engine/trace/model.ts';
import { startServe } from '../serve.ts';
import { attach, connectTcp } from '../tcp.ts';
import { freePort, startSshd, type KeyType } from './sshd.ts';

const HERE = dirname(fileURLToPath(import.meta.url));
const PEER_PY = join(HERE, 'others_peer.py');
const PYTHON = '/usr/bin/python3';
export const PASSWORD = 'sshlens others';

/** What the side we control says happened: the algorithms of each key exchange, the outputs and exit statuses. */
export interface Expected {
  kex: Partial<NegotiatedAlgorithms>[];
  /** Text each exec's stdout must contain, in channel order (server data). */
  outputs: string[];
  exitStatuses: number[];
}

// ------------------------------------------------------------------ processes

export interface Running {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number | null>;
}

export function run(command: string, args: string[], options: { env?: NodeJS.ProcessEnv; cwd?: string } = {}): Running {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], env: options.env ?? process.env, cwd: options.cwd });
  let out = '';
  let err = '';
  child.stdout!.on('data', (c) => (out += String(c)));
  child.stderr!.on('data', (c) => (err += String(c)));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, stdout: () => out, stderr: () => err, exited };
}

export async function finished(p: Running, what: string, timeoutMs = 30_000): Promise<void> {
  const timer = setTimeout(() => p.child.kill('SIGKILL'), timeoutMs);
  const code = await p.exited;
  clearTimeout(timer);
  if (code !== 0) throw new Error(`${what} exited with ${code}: ${(p.stderr() + p.stdout()).trim().slice(-1500)}`);
}

export async function stop(p: Running): Promise<void> {
  if (p.child.exitCode === null && p.child.signalCode === null) {
    p.child.kill('SIGTERM');
    await p.exited;
  }
}

export async function waitForPort(port: number, p: Running, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if (p.child.exitCode !== null) throw new Error(`${what} exited with ${p.child.exitCode}: ${p.stderr().trim()}`);
    try {
      const socket = await connectTcp('127.0.0.1', port, 500);
      const banner = await new Promise<string>((resolve) => {
        let data = '';
        socket.on('data', (c) => { data += String(c); if (data.includes('\n')) socket.destroy(); });
        socket.on('close', () => resolve(data));
        socket.setTimeout(1000, () => socket.destroy());
      });
      if (banner.startsWith('SSH-')) return;
    } catch { /* not yet listening */ }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${what} did not answer on port ${port}: ${p.stderr().trim()}`);
}

// ------------------------------------------------------------------ servers

export interface ServerHandle {
  port: number;
  /** SHA256 fingerprints of its host keys (plink wants one to trust). */
  fingerprints: string[];
  /** The key log the server wrote, when it is the side we control. */
  keyLog(): string;
  expected?(): Promise<Pick<Expected, 'kex'>>;
  stop(): Promise<void>;
  note: string;
}

export type DropbearKey = 'ed25519' | 'ecdsa' | 'rsa';

/**
 * Dropbear in a private mount namespace: /root is a temporary home with the client's authorized_keys, and
 * /etc/shadow a copy in which root's password is PASSWORD, so both auth methods work without touching the system.
 */
export async function startDropbear(work: string, options: { hostKeys?: DropbearKey[]; authorizedKeys?: string[] } = {}): Promise<ServerHandle> {
  const dir = mkdtempSync(join(work, 'dropbear-'));
  const home = join(dir, 'home');
  mkdirSync(join(home, '.ssh'), { recursive: true, mode: 0o700 });
  chmodSync(home, 0o700);
  writeFileSync(join(home, '.ssh', 'authorized_keys'), (options.authorizedKeys ?? []).join('\n') + '\n', { mode: 0o600 });
  const hash = execFileSync('openssl', ['passwd', '-6', PASSWORD], { encoding: 'utf8' }).trim();
  const shadow = readFileSync('/etc/shadow', 'utf8').split('\n').map((l) => (l.startsWith('root:') ? l.replace(/^root:[^:]*:/, `root:${hash}:`) : l)).join('\n');
  writeFileSync(join(dir, 'shadow'), shadow, { mode: 0o640 });
  const keys = (options.hostKeys ?? ['ed25519']).map((type) => {
    const file = join(dir, `host_${type}`);
    execFileSync('dropbearkey', ['-t', type, ...(type === 'ecdsa' ? ['-s', '256'] : type === 'rsa' ? ['-s', '2048'] : []), '-f', file], { stdio: 'ignore' });
    return file;
  });
  const port = await freePort();
  const script = 'mount --bind "$1" /root && mount --bind "$2" /etc/shadow && shift 2 && exec "$@"';
  const p = run('unshare', ['-m', '--propagation', 'private', 'sh', '-c', script, 'sh', home, join(dir, 'shadow'),
    '/usr/sbin/dropbear', '-F', '-E', '-m', ...keys.flatMap((k) => ['-r', k]), '-p', `127.0.0.1:${port}`, '-P', join(dir, 'pid')]);
  await waitForPort(port, p, 'dropbear');
  const version = execFileSync('/usr/sbin/dropbear', ['-V'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim() || 'dropbear';
  return {
    port, fingerprints: [], keyLog: () => '', note: version,
    async stop() { await stop(p); rmSync(dir, { recursive: true, force: true }); },
  };
}

/**
 * TinySSH's tinysshd, which serves one connection on its standard input and output (as from inetd): a loopback
 * listener here starts one per connection, in a private mount namespace whose /root is a temporary home holding the
 * client's authorized_keys (tinysshd has public-key login only, ed25519 keys only).
 */
export async function startTinysshd(work: string, options: { authorizedKeys: string[]; args?: string[] }): Promise<ServerHandle> {
  const dir = mkdtempSync(join(work, 'tinysshd-'));
  const home = join(dir, 'home');
  mkdirSync(join(home, '.ssh'), { recursive: true, mode: 0o700 });
  chmodSync(home, 0o700);
  writeFileSync(join(home, '.ssh', 'authorized_keys'), options.authorizedKeys.join('\n') + '\n', { mode: 0o600 });
  execFileSync('tinysshd-makekey', [join(dir, 'keys')], { stdio: 'ignore' });
  const children: Running[] = [];
  const server = createServer((socket) => {
    const child = spawn('unshare', ['-m', '--propagation', 'private', 'sh', '-c', 'mount --bind "$1" /root && shift && exec "$@"', 'sh', home,
      '/usr/sbin/tinysshd', ...(options.args ?? []), join(dir, 'keys')], { stdio: [socket, socket, 'pipe'] });
    let err = '';
    child.stderr!.on('data', (c) => (err += String(c)));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => { socket.destroy(); resolve(code); }));
    children.push({ child, stdout: () => '', stderr: () => err, exited });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    port, fingerprints: [], keyLog: () => '', note: 'tinysshd (TinySSH)',
    async stop() {
      server.close();
      await Promise.all(children.map((c) => stop(c)));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The engine's server (cli/serve.ts) with a key log; password and/or public-key login. */
export async function startEngineServer(work: string, options: { hostKey?: 'ssh-ed25519' | 'ecdsa-sha2-nistp256' | 'ssh-rsa'; preferences?: AlgorithmPreferences; authorizedKeys?: Uint8Array[] } = {}): Promise<ServerHandle> {
  const keylog = join(mkdtempSync(join(work, 'engine-server-')), 'server.keylog');
  writeFileSync(keylog, '');
  const hostKeys: SigningKey[] = [generateHostKey(options.hostKey ?? 'ssh-ed25519', systemRandom)];
  let done!: () => void;
  const sessionDone = new Promise<void>((resolve) => (done = resolve));
  const server = await startServe({
    hostKeys, password: PASSWORD, keylog, ...(options.preferences ? { preferences: options.preferences } : {}),
    ...(options.authorizedKeys ? { authorizedKeys: options.authorizedKeys } : {}),
    onSession: () => done(),
  });
  return {
    port: server.port, fingerprints: server.fingerprints, keyLog: () => readFileSync(keylog, 'utf8'), note: 'sshlens engine server',
    async expected() {
      // The engine shares its negotiation code with the decoder, so only what it was forced to use is checked.
      await Promise.race([sessionDone, new Promise((r) => setTimeout(r, 2000))]);
      const lines = readFileSync(keylog, 'utf8').split('\n').filter(Boolean);
      return { kex: lines.map(() => forcedAlgorithms(options.preferences ?? {})) };
    },
    stop: () => server.close(),
  };
}

/** The algorithms a preference list of one entry forces, as the decoder's slots name them. */
export function forcedAlgorithms(p: AlgorithmPreferences): Partial<NegotiatedAlgorithms> {
  const out: Partial<NegotiatedAlgorithms> = {};
  const one = (list?: string[]) => (list?.length === 1 ? list[0] : undefined);
  if (one(p.kex)) out.kex = one(p.kex)!;
  if (one(p.hostKey)) out.hostKey = one(p.hostKey)!;
  if (one(p.cipher)) out.cipherClientToServer = out.cipherServerToClient = one(p.cipher)!;
  if (one(p.mac)) out.macClientToServer = out.macServerToClient = one(p.mac)!;
  if (one(p.compression)) out.compressionClientToServer = out.compressionServerToClient = one(p.compression)!;
  return out;
}

/**
 * AsyncSSH or Twisted Conch as the server (others_peer.py --role server), instrumented for its key log; it makes its
 * own host key and serves one connection.
 */
export async function startPythonServer(lib: 'asyncssh' | 'conch', work: string, options: { hostKeyType?: string; algorithms?: PeerAlgorithms } = {}): Promise<ServerHandle> {
  const dir = mkdtempSync(join(work, `${lib}-server-`));
  const keylog = join(dir, 'server.keylog');
  writeFileSync(keylog, '');
  const p = run(PYTHON, [PEER_PY, '--lib', lib, '--role', 'server', '--password', PASSWORD, '--host-key-type', options.hostKeyType ?? 'ssh-ed25519', '--keylog', keylog, ...peerAlgorithmArgs(options.algorithms)]);
  const listening = await new Promise<{ listening: number; fingerprints: string[] }>((resolve, reject) => {
    const timer = setInterval(() => {
      const line = p.stdout().split('\n').find((l) => l.startsWith('{"listening"'));
      if (line) { clearInterval(timer); resolve(JSON.parse(line)); }
      if (p.child.exitCode !== null) { clearInterval(timer); reject(new Error(`${lib} server exited: ${p.stderr()} ${p.stdout()}`)); }
    }, 20);
  });
  return {
    port: listening.listening, fingerprints: listening.fingerprints, keyLog: () => readFileSync(keylog, 'utf8'), note: `${lib} server`,
    async expected() {
      await finished(p, `${lib} server`, 15_000);
      return { kex: peerResult(p).kex };
    },
    async stop() { await stop(p); rmSync(dir, { recursive: true, force: true }); },
  };
}

const ERLANG = join(HERE, 'others_erlang.escript');
const GO_SOURCE = join(HERE, 'others_go');

/** Algorithm choices as others_erlang.escript and others_go take them: `kex=a,b;cipher=c` (or `-` for defaults). */
function lineAlgorithms(a: PeerAlgorithms = {}): string {
  const slots = Object.entries({ kex: a.kex, cipher: a.cipher, mac: a.mac, public_key: a.hostKey, compression: a.compression })
    .filter(([, names]) => names?.length).map(([slot, names]) => `${slot}=${names!.join(',')}`);
  return slots.length ? slots.join(';') : '-';
}

/** Builds cli/dev/others_go against Debian's golang.org/x/crypto sources (GOPATH mode); the binary's path. */
function buildGoPeer(work: string): string {
  const binary = join(mkdtempSync(join(work, 'go-')), 'others_go');
  execFileSync('go', ['build', '-o', binary, '.'], {
    cwd: GO_SOURCE, stdio: 'pipe',
    env: { ...process.env, GO111MODULE: 'off', GOPATH: '/usr/share/gocode', GOCACHE: join(tmpdir(), 'sshlens-gocache'), GOFLAGS: '' },
  });
  return binary;
}

/** A server that speaks the line protocol of others_erlang.escript and others_go: `listening PORT`; one connection. */
async function startLineServer(name: string, command: string, args: string[], cleanup: string): Promise<ServerHandle> {
  const p = run(command, args);
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setInterval(() => {
      const match = /^listening (\d+)$/m.exec(p.stdout());
      if (match) { clearInterval(timer); resolve(Number(match[1])); }
      if (p.child.exitCode !== null) { clearInterval(timer); reject(new Error(`${name} exited: ${p.stderr()} ${p.stdout()}`)); }
    }, 20);
  });
  return {
    port, fingerprints: [], keyLog: () => '', note: name,
    async stop() { await stop(p); rmSync(cleanup, { recursive: true, force: true }); },
  };
}

/** A client that speaks the line protocol: `output HEX` and `status N` per command; its outputs and exit statuses. */
async function lineClient(name: string, command: string, args: string[]): Promise<Pick<Expected, 'outputs' | 'exitStatuses'>> {
  const p = run(command, args);
  await finished(p, name);
  const lines = p.stdout().split('\n');
  return {
    outputs: lines.filter((l) => l.startsWith('output ')).map((l) => Buffer.from(l.slice(7), 'hex').toString('latin1')),
    exitStatuses: lines.filter((l) => l.startsWith('status ')).map((l) => Number(l.slice(7))),
  };
}

/** Erlang/OTP's ssh daemon (others_erlang.escript), password login, host keys made by ssh-keygen; one connection. */
export async function startErlangServer(work: string, options: { hostKeys?: KeyType[]; algorithms?: PeerAlgorithms } = {}): Promise<ServerHandle> {
  const dir = mkdtempSync(join(work, 'erlang-'));
  for (const type of options.hostKeys ?? ['ed25519']) {
    execFileSync('ssh-keygen', ['-q', '-t', type, ...(type === 'rsa' ? ['-b', '2048'] : []), '-N', '', '-f', join(dir, `ssh_host_${type}_key`)]);
  }
  return startLineServer('Erlang/OTP ssh daemon', 'escript', [ERLANG, 'server', dir, 'root', PASSWORD, lineAlgorithms(options.algorithms)], dir);
}

/** Erlang/OTP's ssh client: one exec per command, password login. */
export function erlangClient(port: number, commands: string[], algorithms?: PeerAlgorithms): Promise<Pick<Expected, 'outputs' | 'exitStatuses'>> {
  return lineClient('erlang ssh client', 'escript', [ERLANG, 'client', String(port), 'root', PASSWORD, lineAlgorithms(algorithms), ...commands]);
}

/** Go's x/crypto/ssh server (others_go): password login, a generated host key; one connection. */
export async function startGoServer(work: string, options: { hostKey?: 'ed25519' | 'ecdsa' | 'rsa'; algorithms?: PeerAlgorithms } = {}): Promise<ServerHandle> {
  const binary = buildGoPeer(work);
  return startLineServer('Go x/crypto/ssh server', binary, ['server', PASSWORD, options.hostKey ?? 'ed25519', lineAlgorithms(options.algorithms)], dirname(binary));
}

/** Go's x/crypto/ssh client: one exec per command, password login. */
export async function goClient(work: string, port: number, commands: string[], algorithms?: PeerAlgorithms): Promise<Pick<Expected, 'outputs' | 'exitStatuses'>> {
  const binary = buildGoPeer(work);
  try {
    return await lineClient('Go x/crypto/ssh client', binary, ['client', String(port), PASSWORD, lineAlgorithms(algorithms), ...commands]);
  } finally {
    rmSync(dirname(binary), { recursive: true, force: true });
  }
}

export async function startOpenSshd(options: { hostKeys?: KeyType[]; config?: Record<string, string>; authorizedKeys?: string[] } = {}): Promise<ServerHandle> {
  const sshd = await startSshd({ hostKeys: options.hostKeys ?? ['ed25519'], config: { PasswordAuthentication: 'no', ...options.config }, authorizedKeys: options.authorizedKeys ?? [] });
  return { port: sshd.port, fingerprints: [], keyLog: () => '', note: 'OpenSSH sshd', stop: () => sshd.stop() };
}

// ------------------------------------------------------------------ clients

export interface PeerAlgorithms {
  kex?: string[];
  cipher?: string[];
  mac?: string[];
  hostKey?: string[];
  compression?: string[];
}

export function peerAlgorithmArgs(a: PeerAlgorithms = {}): string[] {
  const out: string[] = [];
  if (a.kex) out.push('--kex', a.kex.join(','));
  if (a.cipher) out.push('--cipher', a.cipher.join(','));
  if (a.mac) out.push('--mac', a.mac.join(','));
  if (a.hostKey) out.push('--host-key-alg', a.hostKey.join(','));
  if (a.compression) out.push('--compression', a.compression.join(','));
  return out;
}

export interface PeerResult {
  kex: Partial<NegotiatedAlgorithms>[];
  outputs?: string[];
  exitStatuses?: number[];
  version?: string;
}

export function peerResult(p: Running): PeerResult {
  const line = p.stdout().split('\n').find((l) => l.startsWith('{"result"') || l.startsWith('{"error"'));
  if (!line) throw new Error(`others_peer.py gave no result: ${p.stderr().trim().slice(-1500)}`);
  const parsed = JSON.parse(line) as { result?: PeerResult; error?: string };
  if (parsed.error) throw new Error(`others_peer.py: ${parsed.error}`);
  return parsed.result!;
}

export interface ClientPlan {
  commands: string[];
  rekey?: boolean;
  /** Public-key login with this OpenSSH private key file instead of the password. */
  key?: string;
}

/**
 * paramiko, AsyncSSH or Twisted Conch as the client with its own key log, or libssh or libssh2 (through ctypes),
 * which write none.
 */
export async function pythonClient(lib: 'paramiko' | 'asyncssh' | 'libssh' | 'libssh2' | 'conch', work: string, port: number, plan: ClientPlan, algorithms?: PeerAlgorithms): Promise<{ keyLog: string; result: PeerResult }> {
  const keylog = join(mkdtempSync(join(work, `${lib}-`)), 'client.keylog');
  writeFileSync(keylog, '');
  const p = run(PYTHON, [PEER_PY, '--lib', lib, '--port', String(port), '--user', 'root',
    ...(plan.key ? ['--key', plan.key] : ['--password', PASSWORD]), ...plan.commands.flatMap((c) => ['--command', c]),
    ...(plan.rekey ? ['--rekey'] : []), '--keylog', keylog, ...peerAlgorithmArgs(algorithms)]);
  await finished(p, `${lib} client`);
  return { keyLog: readFileSync(keylog, 'utf8'), result: peerResult(p) };
}

/** The engine's Client: exec each command in turn (a rekey before the second with plan.rekey). */
export async function engineClient(port: number, plan: ClientPlan, options: Partial<ClientOptions> = {}): Promise<{ keyLog: string; expected: Expected }> {
  const credentials = plan.key
    ? { user: 'root', privateKey: parseOpenSshPrivateKey(readFileSync(plan.key, 'utf8')).key }
    : { user: 'root', password: PASSWORD, methods: ['password'] };
  const client = new Client({ credentials, acceptHostKey: () => true, ...options } as ClientOptions);
  const outputs: string[] = [];
  const exitStatuses: number[] = [];
  const kex: Partial<NegotiatedAlgorithms>[] = [];
  const decoder = new TextDecoder();
  let index = 0;
  let channel = -1;
  let output = '';
  const next = () => {
    if (index >= plan.commands.length) return client.disconnect('done');
    if (plan.rekey && index === 1 && kex.length === 1) return client.rekey();
    output = '';
    channel = client.openSession();
  };
  const socket = await connectTcp('127.0.0.1', port);
  const session = attach(client, socket, (e) => {
    if (e.type === 'kex-complete') {
      kex.push({ ...e.negotiation.winners } as Partial<NegotiatedAlgorithms>);
      if (e.index > 0) next();
    }
    if (e.type === 'auth-success') next();
    if (e.type === 'auth-exhausted') client.disconnect('authentication failed');
    if (e.type === 'channel-open-confirmed' && e.channel === channel) client.exec(channel, plan.commands[index]);
    if (e.type === 'channel-data' && e.channel === channel && e.stream === 'stdout') output += decoder.decode(e.data);
    if (e.type === 'channel-request' && e.channel === channel && e.request === 'exit-status') exitStatuses.push(Number(e.value.exit_status));
    if (e.type === 'channel-close' && e.channel === channel) {
      outputs.push(output);
      index++;
      next();
    }
  });
  const timer = setTimeout(() => socket.destroy(), 30_000);
  await session.closed;
  clearTimeout(timer);
  return { keyLog: client.keyLogText(), expected: { kex, outputs, exitStatuses } };
}

/** PuTTY's plink with a saved session (its only way to choose algorithms) in a temporary HOME. */
export async function plinkClient(work: string, port: number, fingerprint: string, command: string, settings: Record<string, string> = {}): Promise<{ stdout: string; log: string }> {
  const home = mkdtempSync(join(work, 'putty-'));
  mkdirSync(join(home, '.putty', 'sessions'), { recursive: true });
  const session: Record<string, string> = { Protocol: 'ssh', ...settings };
  writeFileSync(join(home, '.putty', 'sessions', 'sshlens'), Object.entries(session).map(([k, v]) => `${k}=${v}\n`).join(''));
  writeFileSync(join(home, 'pw'), PASSWORD + '\n');
  const p = run('plink', ['-load', 'sshlens', '-batch', '-no-antispoof', '-v', '-hostkey', fingerprint, '-pwfile', join(home, 'pw'), '-P', String(port), 'root@127.0.0.1', command], { env: { ...process.env, HOME: home } });
  // PuTTY's own bignum code ("unaccelerated") takes tens of seconds for group17/18's 6144/8192-bit DH on a loaded
  // 2-core machine: a 30 s limit killed a healthy session there.
  await finished(p, 'plink', 100_000);
  return { stdout: p.stdout(), log: p.stderr() };
}

/** Dropbear's dbclient; password from DROPBEAR_PASSWORD. */
export async function dbclientRun(port: number, command: string, args: string[] = []): Promise<string> {
  const p = run('dbclient', ['-y', '-y', '-p', String(port), ...args, 'root@127.0.0.1', command], { env: { ...process.env, DROPBEAR_PASSWORD: PASSWORD } });
  await finished(p, 'dbclient');
  return p.stdout();
}
