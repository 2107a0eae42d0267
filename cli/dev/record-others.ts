/**
 * Records SSH sessions between implementations other than OpenSSH + ssh2, on loopback with tcpdump, each with a
 * Wireshark key log (`<cookie> SHARED_SECRET <K>`, SSH-FACTS.md) written by whichever side we control:
 * - the engine (engine/endpoint Client, or cli/serve.ts's server), which writes key logs itself;
 * - paramiko or AsyncSSH, instrumented by cli/dev/others_peer.py where each computes K.
 * The other side is Dropbear (`dropbear`, `dbclient`), PuTTY (`plink`), paramiko, AsyncSSH or OpenSSH's sshd.
 *
 * `npx tsx cli/dev/record-others.ts [OUTDIR] [NAME-FILTER]` records every scenario (NAME.pcap, NAME.keylog and
 * NAME.expected.json), decodes each with the project's decoder and prints what did not decode; traces/others/ holds a
 * few such recordings as offline goldens. cli/dev/others.test.ts runs a slice of them under vitest
 * (SSHLENS_OTHERS=full for all). Needs root (tcpdump; dropbear logs in as root inside a private mount namespace
 * whose /root and /etc/shadow are temporary files), and cli/dev/ensure-system-packages.sh others.
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, rmSync, chmodSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client, type ClientOptions } from '../../engine/endpoint/client.ts';
import type { AlgorithmPreferences } from '../../engine/endpoint/algorithms.ts';
import { generateHostKey, type SigningKey } from '../../engine/crypto/hostkey.ts';
import { parseOpenSshPrivateKey } from '../../engine/crypto/hostkey-file.ts';
import { systemRandom } from '../../engine/endpoint/rng.ts';
import { decodeCapture } from '../../engine/decoder/capture-decoder.ts';
import type { NegotiatedAlgorithms, Trace } from '../../engine/trace/model.ts';
import { startServe } from '../serve.ts';
import { attach, connectTcp } from '../tcp.ts';
import { freePort, generateKey, startSshd, type KeyType } from './sshd.ts';
import { startTcpdump } from './record-ssh2.ts';

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

export interface Recorded {
  pcap: Uint8Array;
  keyLog: string;
  expected: Expected;
  /** Software versions of both sides, for the report. */
  note: string;
}

export interface Scenario {
  name: string;
  about: string;
  /** In the fast slice that `npm test` runs. */
  fast?: boolean;
  /** Known not to decode yet, and why: the recorder still runs it and reports; the test leaves it out. */
  pending?: string;
  run(work: string): Promise<Recorded>;
}

// ------------------------------------------------------------------ processes

interface Running {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number | null>;
}

function run(command: string, args: string[], options: { env?: NodeJS.ProcessEnv; cwd?: string } = {}): Running {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], env: options.env ?? process.env, cwd: options.cwd });
  let out = '';
  let err = '';
  child.stdout!.on('data', (c) => (out += String(c)));
  child.stderr!.on('data', (c) => (err += String(c)));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, stdout: () => out, stderr: () => err, exited };
}

async function finished(p: Running, what: string, timeoutMs = 30_000): Promise<void> {
  const timer = setTimeout(() => p.child.kill('SIGKILL'), timeoutMs);
  const code = await p.exited;
  clearTimeout(timer);
  if (code !== 0) throw new Error(`${what} exited with ${code}: ${(p.stderr() + p.stdout()).trim().slice(-1500)}`);
}

async function stop(p: Running): Promise<void> {
  if (p.child.exitCode === null && p.child.signalCode === null) {
    p.child.kill('SIGTERM');
    await p.exited;
  }
}

async function waitForPort(port: number, p: Running, what: string): Promise<void> {
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

interface ServerHandle {
  port: number;
  /** SHA256 fingerprints of its host keys (plink wants one to trust). */
  fingerprints: string[];
  /** The key log the server wrote, when it is the side we control. */
  keyLog(): string;
  expected?(): Promise<Pick<Expected, 'kex'>>;
  stop(): Promise<void>;
  note: string;
}

type DropbearKey = 'ed25519' | 'ecdsa' | 'rsa';

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
function forcedAlgorithms(p: AlgorithmPreferences): Partial<NegotiatedAlgorithms> {
  const out: Partial<NegotiatedAlgorithms> = {};
  const one = (list?: string[]) => (list?.length === 1 ? list[0] : undefined);
  if (one(p.kex)) out.kex = one(p.kex)!;
  if (one(p.hostKey)) out.hostKey = one(p.hostKey)!;
  if (one(p.cipher)) out.cipherClientToServer = out.cipherServerToClient = one(p.cipher)!;
  if (one(p.mac)) out.macClientToServer = out.macServerToClient = one(p.mac)!;
  if (one(p.compression)) out.compressionClientToServer = out.compressionServerToClient = one(p.compression)!;
  return out;
}

/** AsyncSSH as the server (others_peer.py --role server), instrumented for its key log; it makes its own host key. */
export async function startAsyncsshServer(work: string, options: { hostKeyType?: string; algorithms?: PeerAlgorithms } = {}): Promise<ServerHandle> {
  const dir = mkdtempSync(join(work, 'asyncssh-server-'));
  const keylog = join(dir, 'server.keylog');
  writeFileSync(keylog, '');
  const p = run(PYTHON, [PEER_PY, '--lib', 'asyncssh', '--role', 'server', '--password', PASSWORD, '--host-key-type', options.hostKeyType ?? 'ssh-ed25519', '--keylog', keylog, ...peerAlgorithmArgs(options.algorithms)]);
  const listening = await new Promise<{ listening: number; fingerprints: string[] }>((resolve, reject) => {
    const timer = setInterval(() => {
      const line = p.stdout().split('\n').find((l) => l.startsWith('{"listening"'));
      if (line) { clearInterval(timer); resolve(JSON.parse(line)); }
      if (p.child.exitCode !== null) { clearInterval(timer); reject(new Error(`asyncssh server exited: ${p.stderr()} ${p.stdout()}`)); }
    }, 20);
  });
  return {
    port: listening.listening, fingerprints: listening.fingerprints, keyLog: () => readFileSync(keylog, 'utf8'), note: 'AsyncSSH server',
    async expected() {
      await finished(p, 'asyncssh server', 15_000);
      return { kex: peerResult(p).kex };
    },
    async stop() { await stop(p); rmSync(dir, { recursive: true, force: true }); },
  };
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

function peerAlgorithmArgs(a: PeerAlgorithms = {}): string[] {
  const out: string[] = [];
  if (a.kex) out.push('--kex', a.kex.join(','));
  if (a.cipher) out.push('--cipher', a.cipher.join(','));
  if (a.mac) out.push('--mac', a.mac.join(','));
  if (a.hostKey) out.push('--host-key-alg', a.hostKey.join(','));
  if (a.compression) out.push('--compression', a.compression.join(','));
  return out;
}

interface PeerResult {
  kex: Partial<NegotiatedAlgorithms>[];
  outputs?: string[];
  exitStatuses?: number[];
  version?: string;
}

function peerResult(p: Running): PeerResult {
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

/** paramiko or AsyncSSH as the client with its own key log, or libssh (through ctypes), which writes none. */
async function pythonClient(lib: 'paramiko' | 'asyncssh' | 'libssh', work: string, port: number, plan: ClientPlan, algorithms?: PeerAlgorithms): Promise<{ keyLog: string; result: PeerResult }> {
  const keylog = join(mkdtempSync(join(work, `${lib}-`)), 'client.keylog');
  writeFileSync(keylog, '');
  const p = run(PYTHON, [PEER_PY, '--lib', lib, '--port', String(port), '--user', 'root',
    ...(plan.key ? ['--key', plan.key] : ['--password', PASSWORD]), ...plan.commands.flatMap((c) => ['--command', c]),
    ...(plan.rekey ? ['--rekey'] : []), '--keylog', keylog, ...peerAlgorithmArgs(algorithms)]);
  await finished(p, `${lib} client`);
  return { keyLog: readFileSync(keylog, 'utf8'), result: peerResult(p) };
}

/** The engine's Client: exec each command in turn (a rekey before the second with plan.rekey). */
async function engineClient(port: number, plan: ClientPlan, options: Partial<ClientOptions> = {}): Promise<{ keyLog: string; expected: Expected }> {
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
async function plinkClient(work: string, port: number, fingerprint: string, command: string, settings: Record<string, string> = {}): Promise<{ stdout: string; log: string }> {
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
async function dbclientRun(port: number, command: string, args: string[] = []): Promise<string> {
  const p = run('dbclient', ['-y', '-y', '-p', String(port), ...args, 'root@127.0.0.1', command], { env: { ...process.env, DROPBEAR_PASSWORD: PASSWORD } });
  await finished(p, 'dbclient');
  return p.stdout();
}

// ------------------------------------------------------------------ recording

async function record(work: string, server: ServerHandle, client: (port: number) => Promise<{ keyLog?: string; expected?: Partial<Expected> }>): Promise<Recorded> {
  const pcapFile = join(mkdtempSync(join(work, 'pcap-')), 'session.pcap');
  try {
    const capture = await startTcpdump(server.port, pcapFile);
    let result: Awaited<ReturnType<typeof client>>;
    try {
      result = await client(server.port);
    } finally {
      await capture.stop();
    }
    const fromServer = server.expected ? await server.expected() : undefined;
    const expected: Expected = { kex: result.expected?.kex ?? fromServer?.kex ?? [], outputs: result.expected?.outputs ?? [], exitStatuses: result.expected?.exitStatuses ?? [] };
    return { pcap: new Uint8Array(readFileSync(pcapFile)), keyLog: (result.keyLog ?? '') + server.keyLog(), expected, note: server.note };
  } finally {
    await server.stop();
  }
}

const echo = (word: string) => `echo ${word}`;

/** A scenario: the engine client against Dropbear's server. */
const engineToDropbear = (name: string, about: string, hostKeys: DropbearKey[], preferences: AlgorithmPreferences, extra: { rekey?: boolean; key?: boolean; fast?: boolean; guess?: boolean } = {}): Scenario => ({
  name, about, fast: extra.fast,
  async run(work) {
    const key = extra.key ? generateKey(mkdtempSync(join(work, 'key-')), 'ed25519', 'client') : undefined;
    const server = await startDropbear(work, { hostKeys, ...(key ? { authorizedKeys: [key.publicKey] } : {}) });
    const commands = extra.rekey ? ['echo before-rekey', 'echo after-rekey; exit 3'] : ['echo hello-dropbear; exit 3'];
    return record(work, server, async (port) => {
      const r = await engineClient(port, { commands, rekey: extra.rekey, ...(key ? { key: key.file } : {}) }, { preferences, ...(extra.guess ? { guessKex: true } : {}) });
      return { keyLog: r.keyLog, expected: { ...r.expected, outputs: commands.map((c) => c.split(';')[0].slice(5) + '\n') } };
    });
  },
});

/** A scenario: paramiko or AsyncSSH against Dropbear's server or OpenSSH's sshd. */
const pythonTo = (lib: 'paramiko' | 'asyncssh', target: 'dropbear' | 'sshd' | 'asyncssh', name: string, about: string, algorithms: PeerAlgorithms, extra: { rekey?: boolean; fast?: boolean; hostKeys?: DropbearKey[]; pending?: string } = {}): Scenario => ({
  name, about, fast: extra.fast, pending: extra.pending,
  async run(work) {
    const key = generateKey(mkdtempSync(join(work, 'key-')), 'ed25519', 'client');
    const server = target === 'dropbear'
      ? await startDropbear(work, { hostKeys: extra.hostKeys ?? ['ed25519'], authorizedKeys: [key.publicKey] })
      : target === 'sshd' ? await startOpenSshd({ hostKeys: extra.hostKeys ?? ['ed25519'], authorizedKeys: [key.publicKey] })
        : await startAsyncsshServer(work, { algorithms });
    const commands = extra.rekey ? ['echo before-rekey', 'echo after-rekey; exit 4'] : [`echo hello-from-${lib}; exit 4`];
    return record(work, server, async (port) => {
      const usesKey = target === 'sshd' || (lib === 'asyncssh' && target === 'dropbear');
      const r = await pythonClient(lib, work, port, { commands, rekey: extra.rekey, ...(usesKey ? { key: key.file } : {}) }, algorithms);
      return { keyLog: r.keyLog, expected: { kex: r.result.kex, outputs: commands.map((c) => c.split(';')[0].slice(5) + '\n'), exitStatuses: r.result.exitStatuses ?? [] } };
    });
  },
});

/** A scenario: plink against the engine's server or AsyncSSH's. */
const plinkTo = (target: 'engine' | 'asyncssh', name: string, about: string, settings: Record<string, string>, options: { hostKey?: 'ssh-ed25519' | 'ecdsa-sha2-nistp256' | 'ssh-rsa'; asyncsshHostKey?: string; preferences?: AlgorithmPreferences; asyncssh?: PeerAlgorithms; fast?: boolean; pending?: string } = {}): Scenario => ({
  name, about, fast: options.fast, pending: options.pending,
  async run(work) {
    const server = target === 'engine'
      ? await startEngineServer(work, { hostKey: options.hostKey ?? 'ssh-ed25519', ...(options.preferences ? { preferences: options.preferences } : {}) })
      : await startAsyncsshServer(work, { hostKeyType: options.asyncsshHostKey ?? options.hostKey ?? 'ssh-ed25519', algorithms: options.asyncssh ?? {} });
    return record(work, server, async (port) => {
      await plinkClient(work, port, server.fingerprints[0], 'echo hello-from-plink', settings);
      return { expected: { outputs: ['hello-from-plink\n'], exitStatuses: [0] } };
    });
  },
});

/** A scenario: libssh (through ctypes) against the engine's server, which writes the key log. */
const libsshToEngine = (name: string, about: string, algorithms: PeerAlgorithms, options: { hostKey?: 'ssh-ed25519' | 'ecdsa-sha2-nistp256' | 'ssh-rsa'; preferences?: AlgorithmPreferences; fast?: boolean } = {}): Scenario => ({
  name, about, fast: options.fast,
  async run(work) {
    const server = await startEngineServer(work, { hostKey: options.hostKey ?? 'ssh-ed25519', ...(options.preferences ? { preferences: options.preferences } : {}) });
    return record(work, server, async (port) => {
      const r = await pythonClient('libssh', work, port, { commands: ['echo hello-from-libssh', 'exit 5'] }, algorithms);
      return { expected: { outputs: r.result.outputs ?? [], exitStatuses: r.result.exitStatuses ?? [] } };
    });
  },
});

/** A scenario: dbclient against the engine's server. */
const dbclientToEngine = (name: string, about: string, args: string[], options: { hostKey?: 'ssh-ed25519' | 'ecdsa-sha2-nistp256' | 'ssh-rsa'; preferences?: AlgorithmPreferences; fast?: boolean } = {}): Scenario => ({
  name, about, fast: options.fast,
  async run(work) {
    const server = await startEngineServer(work, { hostKey: options.hostKey ?? 'ssh-ed25519', ...(options.preferences ? { preferences: options.preferences } : {}) });
    return record(work, server, async (port) => {
      await dbclientRun(port, 'echo hello-from-dbclient', args);
      return { expected: { outputs: ['hello-from-dbclient\n'], exitStatuses: [0] } };
    });
  },
});

export const SCENARIOS: Scenario[] = [
  // Dropbear server, engine client
  engineToDropbear('engine-dropbear-c25519-chacha', 'engine -> dropbear: curve25519, chacha20-poly1305, ed25519 host key, password', ['ed25519'], {}, { fast: true }),
  engineToDropbear('engine-dropbear-ecdh-aesctr-rekey', 'engine -> dropbear: ecdh-sha2-nistp256, aes128-ctr + hmac-sha2-256, ecdsa host key, public key, a rekey', ['ecdsa'],
    { kex: ['ecdh-sha2-nistp256'], cipher: ['aes128-ctr'], mac: ['hmac-sha2-256'] }, { rekey: true, key: true, fast: true }),
  engineToDropbear('engine-dropbear-dh14-rsa', 'engine -> dropbear: diffie-hellman-group14-sha256, aes256-ctr + hmac-sha1, rsa-sha2-256', ['rsa'],
    { kex: ['diffie-hellman-group14-sha256'], cipher: ['aes256-ctr'], mac: ['hmac-sha1'], hostKey: ['rsa-sha2-256'] }),
  engineToDropbear('engine-dropbear-guess-wrong', 'engine -> dropbear: a first_kex_packet_follows guess that is wrong (ecdh-sha2-nistp384 first, Dropbear prefers curve25519)', ['ed25519'],
    { kex: ['ecdh-sha2-nistp384', 'curve25519-sha256'] }, { guess: true }),
  engineToDropbear('engine-dropbear-ssh-rsa-zlib', 'engine -> dropbear: ssh-rsa (SHA-1) signatures, ecdh-sha2-nistp521, zlib@openssh.com', ['rsa'],
    { kex: ['ecdh-sha2-nistp521'], hostKey: ['ssh-rsa'], compression: ['zlib@openssh.com'] }),
  // paramiko and AsyncSSH clients
  pythonTo('paramiko', 'dropbear', 'paramiko-dropbear-c25519-ctr', 'paramiko -> dropbear: curve25519-sha256@libssh.org, aes128-ctr + hmac-sha2-256, password', {}, { fast: true }),
  pythonTo('paramiko', 'dropbear', 'paramiko-dropbear-dh14sha1-rekey', 'paramiko -> dropbear: diffie-hellman-group14-sha1, aes256-ctr + hmac-sha1, ssh-rsa, a rekey',
    { kex: ['diffie-hellman-group14-sha1'], cipher: ['aes256-ctr'], mac: ['hmac-sha1'], hostKey: ['ssh-rsa'] }, { rekey: true, hostKeys: ['rsa'] }),
  pythonTo('asyncssh', 'dropbear', 'asyncssh-dropbear-chacha', 'asyncssh -> dropbear: curve25519-sha256, chacha20-poly1305, public key', {}, { fast: true }),
  pythonTo('asyncssh', 'dropbear', 'asyncssh-dropbear-ecdh384-rekey', 'asyncssh -> dropbear: ecdh-sha2-nistp384, aes256-ctr + hmac-sha2-256, ecdsa host key, a rekey',
    { kex: ['ecdh-sha2-nistp384'], cipher: ['aes256-ctr'], mac: ['hmac-sha2-256'] }, { rekey: true, hostKeys: ['ecdsa'] }),
  pythonTo('paramiko', 'sshd', 'paramiko-openssh-gex-etm', 'paramiko -> OpenSSH: diffie-hellman-group-exchange-sha256, aes192-ctr + hmac-sha2-512-etm, rsa-sha2-512',
    { kex: ['diffie-hellman-group-exchange-sha256'], cipher: ['aes192-ctr'], mac: ['hmac-sha2-512-etm@openssh.com'], hostKey: ['rsa-sha2-512'] }, { hostKeys: ['rsa'], fast: true }),
  pythonTo('paramiko', 'sshd', 'paramiko-openssh-dh16-zlib', 'paramiko -> OpenSSH: diffie-hellman-group16-sha512, aes128-ctr + hmac-sha2-512, zlib@openssh.com after auth',
    { kex: ['diffie-hellman-group16-sha512'], cipher: ['aes128-ctr'], mac: ['hmac-sha2-512'], compression: ['zlib@openssh.com'] }),
  pythonTo('asyncssh', 'sshd', 'asyncssh-openssh-gcm-rekey', 'asyncssh -> OpenSSH: curve25519-sha256, aes256-gcm, strict kex, a rekey', { cipher: ['aes256-gcm@openssh.com'] }, { rekey: true }),
  pythonTo('asyncssh', 'sshd', 'asyncssh-openssh-umac-ecdsa', 'asyncssh -> OpenSSH: ecdh-sha2-nistp521, aes128-ctr + umac-128-etm, ecdsa host key',
    { kex: ['ecdh-sha2-nistp521'], cipher: ['aes128-ctr'], mac: ['umac-128-etm@openssh.com'] }, { hostKeys: ['ecdsa'] }),
  pythonTo('asyncssh', 'sshd', 'asyncssh-openssh-default', 'asyncssh -> OpenSSH: both sides\' defaults (curve25519, chacha20-poly1305, strict kex)', {}),
  pythonTo('asyncssh', 'asyncssh', 'asyncssh-asyncssh-secp256k1', 'asyncssh -> asyncssh: ecdh-sha2-1.3.132.0.10 (secp256k1), aes128-gcm', { kex: ['ecdh-sha2-1.3.132.0.10'], cipher: ['aes128-gcm@openssh.com'] }),
  pythonTo('asyncssh', 'asyncssh', 'asyncssh-asyncssh-sshcom-dh', 'asyncssh -> asyncssh: diffie-hellman-group14-sha256@ssh.com, aes192-ctr + hmac-sha2-512, zlib@openssh.com',
    { kex: ['diffie-hellman-group14-sha256@ssh.com'], cipher: ['aes192-ctr'], mac: ['hmac-sha2-512'], compression: ['zlib@openssh.com'] }),
  pythonTo('asyncssh', 'asyncssh', 'asyncssh-asyncssh-sshcom-mac', 'asyncssh -> asyncssh: hmac-sha256@ssh.com', { cipher: ['aes128-ctr'], mac: ['hmac-sha256@ssh.com'] }),
  pythonTo('asyncssh', 'asyncssh', 'asyncssh-asyncssh-gex-sha512', 'asyncssh -> asyncssh: diffie-hellman-group-exchange-sha512@ssh.com, rekey',
    { kex: ['diffie-hellman-group-exchange-sha512@ssh.com'] }, { rekey: true }),
  // PuTTY's plink
  plinkTo('engine', 'plink-engine-default', 'plink -> engine: PuTTY 0.78 defaults, password', {}, { fast: true }),
  plinkTo('engine', 'plink-engine-ecdh-aesgcm', 'plink -> engine: ecdh-sha2-nistp256, aes256-gcm, ecdsa host key', {}, { hostKey: 'ecdsa-sha2-nistp256', preferences: { kex: ['ecdh-sha2-nistp256'], cipher: ['aes256-gcm@openssh.com'] } }),
  plinkTo('engine', 'plink-engine-dh-cbc', 'plink -> engine: diffie-hellman-group14-sha1, aes256-cbc + hmac-sha1, ssh-rsa', {}, { hostKey: 'ssh-rsa', preferences: { kex: ['diffie-hellman-group14-sha1'], cipher: ['aes256-cbc'], mac: ['hmac-sha1'] } }),
  plinkTo('asyncssh', 'plink-asyncssh-default', 'plink -> asyncssh: both sides\' defaults (curve448-sha512, aes256-ctr + hmac-sha2-256)', {}, { fast: true }),
  plinkTo('engine', 'plink-engine-chacha-zlib', 'plink -> engine: chacha20-poly1305, zlib from NEWKEYS (RFC 4253), PuTTY\'s IGNORE before the password',
    { Cipher: 'chacha20,aes,WARN', Compression: '1' }, { preferences: { compression: ['zlib', 'none'] } }),
  plinkTo('asyncssh', 'plink-asyncssh-curve448', 'plink -> asyncssh: curve448-sha512', {}, { asyncssh: { kex: ['curve448-sha512'] } }),
  plinkTo('asyncssh', 'plink-asyncssh-rsa-kex', 'plink -> asyncssh: rsa2048-sha256 key exchange (RFC 4432)', {}, { asyncssh: { kex: ['rsa2048-sha256'] } }),
  plinkTo('asyncssh', 'plink-asyncssh-ed448', 'plink -> asyncssh: ssh-ed448 host key (RFC 8709), PuTTY\'s first choice', {}, { asyncsshHostKey: 'ssh-ed448' }),
  plinkTo('asyncssh', 'plink-asyncssh-dss', 'plink -> asyncssh: ssh-dss host key (RFC 4253 §6.6)', {}, { asyncsshHostKey: 'ssh-dss' }),
  plinkTo('asyncssh', 'plink-asyncssh-3des-cbc', 'plink -> asyncssh: 3des-cbc + hmac-sha1', { Cipher: '3des,WARN' }, { asyncssh: { cipher: ['3des-cbc'], mac: ['hmac-sha1'] } }),
  plinkTo('asyncssh', 'plink-asyncssh-blowfish', 'plink -> asyncssh: blowfish-cbc', { Cipher: 'blowfish,WARN' }, { asyncssh: { cipher: ['blowfish-cbc'] } }),
  plinkTo('asyncssh', 'plink-asyncssh-arcfour', 'plink -> asyncssh: arcfour256 (RFC 4345)', { Cipher: 'arcfour,WARN' }, { asyncssh: { cipher: ['arcfour256'] } }),
  plinkTo('asyncssh', 'plink-asyncssh-group17', 'plink -> asyncssh: diffie-hellman-group17-sha512', {}, { asyncssh: { kex: ['diffie-hellman-group17-sha512'] } }),
  // libssh
  libsshToEngine('libssh-engine-default', 'libssh 0.10 -> engine: both sides\' defaults, two execs (exit 5)', {}, { fast: true }),
  libsshToEngine('libssh-engine-ecdh-gcm', 'libssh 0.10 -> engine: ecdh-sha2-nistp384, aes128-gcm, rsa-sha2-512', { kex: ['ecdh-sha2-nistp384'], cipher: ['aes128-gcm@openssh.com'] }, { hostKey: 'ssh-rsa' }),
  libsshToEngine('libssh-engine-dh16-etm', 'libssh 0.10 -> engine: diffie-hellman-group16-sha512, aes256-ctr + hmac-sha2-512-etm', { kex: ['diffie-hellman-group16-sha512'], cipher: ['aes256-ctr'], mac: ['hmac-sha2-512-etm@openssh.com'] }),
  // Dropbear's dbclient
  dbclientToEngine('dbclient-engine-default', 'dbclient -> engine: Dropbear\'s defaults (curve25519 with a kexguess2 guess, chacha20-poly1305)', [], { fast: true }),
  dbclientToEngine('dbclient-engine-ecdh-ctr', 'dbclient -> engine: ecdh-sha2-nistp521 (a wrong guess), aes256-ctr + hmac-sha2-256, rsa', ['-c', 'aes256-ctr', '-m', 'hmac-sha2-256'], { hostKey: 'ssh-rsa', preferences: { kex: ['ecdh-sha2-nistp521'] } }),
  dbclientToEngine('dbclient-engine-dh14', 'dbclient -> engine: diffie-hellman-group14-sha256, aes128-ctr + hmac-sha1, ecdsa', ['-c', 'aes128-ctr', '-m', 'hmac-sha1'], { hostKey: 'ecdsa-sha2-nistp256', preferences: { kex: ['diffie-hellman-group14-sha256'] } }),
];

// ------------------------------------------------------------------ checking

/** Everything about a decoded recording that is not as it should be, in words (empty when all is well). */
export function checkDecoded(trace: Trace, expected: Expected): string[] {
  const problems: string[] = [...trace.problems.filter((p) => p.severity === 'error').map((p) => `capture: ${p.message}`)];
  if (trace.sessions.length !== 1) return [...problems, `expected one SSH session, found ${trace.sessions.length}`];
  const [s] = trace.sessions;
  for (const p of s.problems) if (p.severity === 'error') problems.push(`session: ${p.code}: ${p.message}`);
  for (const p of s.packets) {
    const at = `packet ${p.index} (${p.direction} seq ${p.sequence}${p.message ? ' ' + p.message.name : ''})`;
    if (p.error) problems.push(`${at}: ${p.error}`);
    if (p.epoch > 0 && p.macStatus !== 'ok') problems.push(`${at}: MAC/tag ${p.macStatus}`);
    if (!p.message) problems.push(`${at}: no message`);
    else if (p.message.error) problems.push(`${at}: ${p.message.error}`);
    else if (p.message.unknown) problems.push(`${at}: unknown message ${p.message.number}`);
  }
  if (s.kex.length !== expected.kex.length) problems.push(`expected ${expected.kex.length} key exchange(s), decoded ${s.kex.length}`);
  s.kex.forEach((k, i) => {
    for (const p of k.problems) if (p.severity === 'error') problems.push(`kex ${i}: ${p.code}: ${p.message}`);
    if (!k.hostKey?.verified) problems.push(`kex ${i}: host key signature not verified${k.hostKey ? ` (${k.hostKey.reason})` : ''}`);
    const want = expected.kex[i];
    if (!want) return;
    for (const [slot, value] of Object.entries(want)) {
      if (value === undefined) continue;
      const got = k.algorithms?.[slot as keyof NegotiatedAlgorithms] ?? null;
      if (got !== value) problems.push(`kex ${i}: ${slot} decoded as ${got}, the peer used ${value}`);
    }
  });
  const sessions = s.channels.filter((c) => c.type === 'session');
  const text = (parts: Uint8Array[]) => new TextDecoder().decode(Buffer.concat(parts));
  expected.outputs.forEach((out, i) => {
    const data = sessions[i] ? text(sessions[i].serverData) : '';
    if (!data.includes(out)) problems.push(`channel ${i}: server data ${JSON.stringify(data)} lacks ${JSON.stringify(out)}`);
  });
  expected.exitStatuses.forEach((status, i) => {
    if (sessions[i]?.exitStatus !== status) problems.push(`channel ${i}: exit status ${sessions[i]?.exitStatus} decoded, ${status} expected`);
  });
  return problems;
}

export function decodeRecorded(name: string, r: Recorded): Trace {
  return decodeCapture(r.pcap, [{ name: `${name}.keylog`, text: r.keyLog }], `${name}.pcap`);
}

async function main(): Promise<void> {
  const out = process.argv[2] ?? join(tmpdir(), 'sshlens-others');
  const filter = process.argv[3];
  mkdirSync(out, { recursive: true });
  const work = mkdtempSync(join(tmpdir(), 'sshlens-others-work-'));
  let failures = 0;
  for (const scenario of SCENARIOS) {
    if (filter && !scenario.name.includes(filter)) continue;
    try {
      const r = await scenario.run(work);
      writeFileSync(join(out, `${scenario.name}.pcap`), r.pcap);
      writeFileSync(join(out, `${scenario.name}.keylog`), r.keyLog);
      // What the offline replay (cli/dev/others.test.ts, traces/others/) checks the decoded capture against.
      writeFileSync(join(out, `${scenario.name}.expected.json`), JSON.stringify({ about: scenario.about, ...(scenario.pending ? { pending: scenario.pending } : {}), ...r.expected }, null, 1) + '\n');
      const problems = checkDecoded(decodeRecorded(scenario.name, r), r.expected);
      if (problems.length) failures++;
      console.log(`${problems.length ? 'FAIL' : 'ok  '} ${scenario.name}: ${scenario.about}${scenario.pending ? ` [pending: ${scenario.pending}]` : ''}${problems.length ? '\n    ' + problems.slice(0, 8).join('\n    ') : ''}`);
    } catch (error) {
      failures++;
      console.log(`ERR  ${scenario.name}: ${(error as Error).message}`);
    }
  }
  rmSync(work, { recursive: true, force: true });
  console.log(`recordings in ${out}; ${failures} scenario(s) with problems`);
  process.exitCode = failures ? 1 : 0;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main();
