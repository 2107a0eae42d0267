/**
 * `npm run traces`: records the bundled sample sessions (traces/) with the project's own engine against a private
 * OpenSSH sshd on loopback (or OpenSSH's `ssh` against the engine's server, for password login, and the engine on
 * both sides for ML-KEM, which OpenSSH 9.2 lacks). tcpdump captures each session; the engine writes the key log.
 * Each sample is traces/NAME.pcap + traces/NAME.keylog, and traces/expected/NAME.json is the decoded trace the
 * offline test (cli/dev/traces.test.ts) compares the decoder's output with. Needs root, tcpdump, openssh-server.
 */
import { spawn } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { Client, type ClientOptions } from '../../engine/endpoint/client.ts';
import type { EndpointEvent } from '../../engine/endpoint/events.ts';
import { parseOpenSshPrivateKey } from '../../engine/crypto/hostkey-file.ts';
import { decodeCapture } from '../../engine/decoder/capture-decoder.ts';
import { traceToJson } from '../../engine/trace/json.ts';
import { installNodeCrypto } from '../node-crypto.ts';
import { startServe } from '../serve.ts';
import { attach, connectTcp } from '../tcp.ts';
import { generateKey, startSshd, type PrivateSshd } from './sshd.ts';
import { startTcpdump } from './record-ssh2.ts';

const TRACES = join(process.cwd(), 'traces');
const EXPECTED = join(TRACES, 'expected');
const text = new TextEncoder();

type Script = (client: Client, event: EndpointEvent, state: Record<string, number>) => void;

interface EngineClientSample {
  name: string;
  about: string;
  sshd: { hostKeys?: ('ed25519' | 'rsa' | 'ecdsa')[]; config?: Record<string, string> };
  client: (key: string) => Omit<ClientOptions, 'acceptHostKey'>;
  script: Script;
}

/** Runs `command` on a session channel once authenticated; disconnects when the channel closes. */
const execScript = (command: string, extra?: (client: Client, channel: number) => void): Script => (client, e, state) => {
  if (e.type === 'auth-success') state.channel = client.openSession();
  if (e.type === 'channel-open-confirmed' && e.channel === state.channel) {
    extra?.(client, e.channel);
    client.exec(e.channel, command);
  }
  if (e.type === 'channel-close') client.disconnect('done');
  if (e.type === 'auth-exhausted') client.disconnect('authentication failed');
};

const key = (file: string) => parseOpenSshPrivateKey(readFileSync(file, 'utf8')).key;

const SAMPLES: EngineClientSample[] = [
  {
    name: 'publickey-exec', about: 'ed25519 public-key login, env (refused) and exec, curve25519 + chacha20-poly1305, strict kex',
    sshd: {}, client: (k) => ({ credentials: { user: 'root', privateKey: key(k) }, preferences: { kex: ['curve25519-sha256'] } }),
    script: execScript('echo hello from sshlens; uname -s', (c, ch) => c.env(ch, 'LANG', 'C')),
  },
  {
    name: 'pty-shell-resize', about: 'public-key login, a pty and a shell, the window resized, then exit',
    sshd: { hostKeys: ['ecdsa'] }, client: (k) => ({ credentials: { user: 'root', privateKey: key(k) }, preferences: { cipher: ['aes128-gcm@openssh.com'] } }),
    script: (client, e, state) => {
      if (e.type === 'auth-success') state.channel = client.openSession();
      if (e.type === 'channel-open-confirmed') {
        client.pty(e.channel, { term: 'xterm-256color', columns: 80, rows: 24 });
        client.shell(e.channel);
      }
      if (e.type === 'channel-reply' && e.request === 'shell') client.write(state.channel, text.encode('stty size\n'));
      // Resize once the shell has answered with the first size, then ask again and leave.
      if (e.type === 'channel-data' && !state.resized && new TextDecoder().decode(e.data).includes('24 80')) {
        state.resized = 1;
        client.resize(state.channel, 132, 43);
        client.write(state.channel, text.encode('stty size; exit\n'));
      }
      if (e.type === 'channel-close') client.disconnect('done');
    },
  },
  {
    name: 'rekey', about: 'a second key exchange after login (aes256-ctr + hmac-sha2-256-etm), then exec',
    sshd: {}, client: (k) => ({ credentials: { user: 'root', privateKey: key(k) }, preferences: { cipher: ['aes256-ctr'], mac: ['hmac-sha2-256-etm@openssh.com'] } }),
    script: (client, e, state) => {
      if (e.type === 'auth-success') client.rekey();
      if (e.type === 'kex-complete' && e.index === 1) state.channel = client.openSession();
      if (e.type === 'channel-open-confirmed') client.exec(e.channel, 'echo after the rekey');
      if (e.type === 'channel-close') client.disconnect('done');
    },
  },
  {
    name: 'port-forwarding', about: 'a local forward (direct-tcpip) to an echo server and a remote forward request (tcpip-forward, port 0)',
    sshd: { config: { AllowTcpForwarding: 'yes' } }, client: (k) => ({ credentials: { user: 'root', privateKey: key(k) } }),
    script: (client, e, state) => {
      if (e.type === 'auth-success') {
        client.forwardPort('127.0.0.1', 0);
        state.channel = client.openDirectTcpip('127.0.0.1', state.echoPort, '127.0.0.1', 50000);
      }
      if (e.type === 'channel-open-confirmed') client.write(e.channel, text.encode('ping through the tunnel\n'));
      if (e.type === 'channel-data') client.close(e.channel);
      if (e.type === 'channel-close') client.disconnect('done');
    },
  },
  {
    name: 'failed-login', about: 'a wrong password refused by OpenSSH, then the client gives up',
    sshd: { config: { PasswordAuthentication: 'yes', MaxAuthTries: '3' } },
    client: () => ({ credentials: { user: 'root', password: 'not the password', methods: ['password'] } }),
    script: execScript('true'),
  },
  {
    name: 'compression', about: 'zlib@openssh.com, starting after USERAUTH_SUCCESS, on a command with repetitive output',
    sshd: { config: { Compression: 'yes' } }, client: (k) => ({ credentials: { user: 'root', privateKey: key(k) }, preferences: { compression: ['zlib@openssh.com'] } }),
    script: execScript('seq 1 400'),
  },
  {
    name: 'sntrup761', about: 'post-quantum hybrid key exchange sntrup761x25519-sha512@openssh.com with OpenSSH',
    sshd: {}, client: (k) => ({ credentials: { user: 'root', privateKey: key(k) }, preferences: { kex: ['sntrup761x25519-sha512@openssh.com'] } }),
    script: execScript('echo post-quantum'),
  },
];

async function echoServer(): Promise<{ port: number; close(): void }> {
  const server = createServer((socket) => socket.pipe(socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as { port: number }).port, close: () => server.close() };
}

async function runEngineClient(port: number, options: Omit<ClientOptions, 'acceptHostKey'>, script: Script, state: Record<string, number>): Promise<Client> {
  const client = new Client({ ...options, acceptHostKey: () => true });
  const socket = await connectTcp('127.0.0.1', port);
  const run = attach(client, socket, (event) => script(client, event, state));
  await run.closed;
  return client;
}

function save(name: string, pcapTmp: string, keyLog: string): void {
  renameSync(pcapTmp, join(TRACES, `${name}.pcap`));
  writeFileSync(join(TRACES, `${name}.keylog`), keyLog);
  const trace = decodeCapture(new Uint8Array(readFileSync(join(TRACES, `${name}.pcap`))), [{ name: `${name}.keylog`, text: keyLog }], `${name}.pcap`);
  writeFileSync(join(EXPECTED, `${name}.json`), traceToJson(trace, 1) + '\n');
  const problems = [...trace.problems, ...trace.sessions.flatMap((s) => [...s.problems, ...s.kex.flatMap((k) => k.problems)])];
  console.log(`  ${name}: ${trace.sessions[0]?.packets.length ?? 0} packets, ${problems.length} problem(s)${problems.length ? ': ' + problems.map((p) => p.message).join('; ') : ''}`);
}

async function recordEngineClient(sample: EngineClientSample, clientKey: { file: string; publicKey: string }): Promise<void> {
  const sshd: PrivateSshd = await startSshd({ hostKeys: sample.sshd.hostKeys ?? ['ed25519'], config: sample.sshd.config ?? {}, authorizedKeys: [clientKey.publicKey] });
  const echo = await echoServer();
  const tmp = join(TRACES, `.${sample.name}.pcap`);
  try {
    const capture = await startTcpdump(sshd.port, tmp);
    const client = await runEngineClient(sshd.port, sample.client(clientKey.file), sample.script, { echoPort: echo.port });
    await capture.stop();
    save(sample.name, tmp, client.keyLogText());
  } finally {
    echo.close();
    await sshd.stop();
  }
}

/** OpenSSH's ssh logs in with a password to the engine's server; the server writes the key log. */
async function recordPasswordLogin(dir: string): Promise<void> {
  const keylog = join(dir, 'server.keylog');
  writeFileSync(keylog, '');
  const server = await startServe({ password: 'correct horse battery staple', keylog });
  const askpass = join(dir, 'askpass.sh');
  writeFileSync(askpass, '#!/bin/sh\necho "correct horse battery staple"\n');
  chmodSync(askpass, 0o700);
  const tmp = join(TRACES, '.password-exec.pcap');
  const capture = await startTcpdump(server.port, tmp);
  await new Promise<void>((resolve, reject) => {
    const ssh = spawn('ssh', ['-F', 'none', '-o', 'StrictHostKeyChecking=no', '-o', 'UserKnownHostsFile=/dev/null', '-o', 'PreferredAuthentications=password',
      '-o', 'PubkeyAuthentication=no', '-p', String(server.port), 'student@127.0.0.1', 'echo hello from OpenSSH'], {
      env: { ...process.env, SSH_ASKPASS: askpass, SSH_ASKPASS_REQUIRE: 'force', DISPLAY: ':0' }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    ssh.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`ssh exited with ${code}`))));
  });
  await capture.stop();
  await server.close();
  save('password-exec', tmp, readFileSync(keylog, 'utf8'));
}

/** ML-KEM hybrid kex: OpenSSH 9.2 lacks mlkem768x25519-sha256, so the engine is on both sides. */
async function recordMlkem(clientKey: string): Promise<void> {
  const server = await startServe({ authorizedKeys: [], password: 'pq', preferences: { kex: ['mlkem768x25519-sha256'] } });
  const tmp = join(TRACES, '.mlkem768.pcap');
  const capture = await startTcpdump(server.port, tmp);
  void clientKey;
  const client = await runEngineClient(server.port, { credentials: { user: 'student', password: 'pq', methods: ['password'] }, preferences: { kex: ['mlkem768x25519-sha256'] } },
    execScript('echo post-quantum'), {});
  await capture.stop();
  await server.close();
  save('mlkem768', tmp, client.keyLogText());
}

async function main(): Promise<void> {
  installNodeCrypto();
  mkdirSync(EXPECTED, { recursive: true });
  const dir = join(process.cwd(), 'node_modules/.cache/sshlens-traces');
  mkdirSync(dir, { recursive: true });
  const clientKey = generateKey(dir, 'ed25519', `client-${Date.now()}`);
  const only = process.argv[2];
  console.log('recording sample traces into traces/');
  for (const sample of SAMPLES) if (!only || only === sample.name) await recordEngineClient(sample, clientKey);
  if (!only || only === 'password-exec') await recordPasswordLogin(dir);
  if (!only || only === 'mlkem768') await recordMlkem(clientKey.file);
}

await main();
