/**
 * `sshlens exec [-p PORT] [-i KEYFILE | --password-env VAR] [--kex A] [--cipher A] [--mac A] [--hostkey A]
 * [--compression A] [--keylog FILE] [--pcap FILE] USER@HOST COMMAND`: runs COMMAND on a real SSH server with the
 * engine as the client (RFC 4254 §6.5 exec), prints its stdout and stderr, and exits with its exit status. The key
 * log (SHARED_SECRET form) and a pcapng recording with the keys inside are what `sshlens decode` reads back.
 * Exit status: the command's; 255 when the connection or authentication fails (as ssh does); 2 bad usage.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { parseOpenSshPrivateKey } from '../engine/crypto/hostkey-file.ts';
import type { SigningKey } from '../engine/crypto/hostkey.ts';
import type { AlgorithmPreferences } from '../engine/endpoint/algorithms.ts';
import type { ClientCredentials } from '../engine/auth/client.ts';
import { Client } from '../engine/endpoint/client.ts';
import type { HostKeyInfo } from '../engine/endpoint/events.ts';
import type { Negotiation } from '../engine/kex/negotiate.ts';
import { recordPcapng } from '../engine/endpoint/recording.ts';
import { SshlensError } from '../engine/errors.ts';
import { parseArgs, UsageError } from './args.ts';
import type { Command } from './commands.ts';
import { attach, connectTcp } from './tcp.ts';

export interface ExecOptions {
  host: string;
  port?: number;
  user: string;
  command: string;
  password?: string;
  privateKey?: SigningKey;
  preferences?: AlgorithmPreferences;
  strictKex?: boolean;
  /** Bytes sent to the command's standard input, then EOF. */
  stdin?: Uint8Array;
  onStdout?: (data: Uint8Array) => void;
  onStderr?: (data: Uint8Array) => void;
  /** Trust only this host key fingerprint (SHA256:...); default: any key whose signature verifies. */
  hostKeyFingerprint?: string;
  /** Start a new key exchange once authenticated (to exercise rekeying). */
  rekeyAfterAuth?: boolean;
  rekeyBytes?: number;
  pty?: boolean;
  /** Send a guessed kex INIT with KEXINIT (RFC 4253 §7 first_kex_packet_follows). */
  guessKex?: boolean;
  /** The authentication methods to try, in order (default publickey, password, keyboard-interactive). */
  methods?: string[];
  /** Keep every byte in client.transport.transcript, for a recording (default true; off keeps memory flat). */
  record?: boolean;
  /** Answers keyboard-interactive prompts (RFC 4256 §3.3); default: the password for every prompt. */
  keyboardInteractive?: ClientCredentials['keyboardInteractive'];
}

export interface ExecResult {
  exitStatus: number | null;
  exitSignal?: string;
  /** Why the session failed, when it did. */
  error?: string;
  hostKey?: HostKeyInfo;
  /** The first key exchange's negotiation (RFC 4253 §7.1). */
  negotiation?: Negotiation;
  client: Client;
}

/** Runs one command over a real TCP connection. Resolves when the connection is closed. */
export async function execSession(o: ExecOptions): Promise<ExecResult> {
  const client = new Client({
    credentials: {
      user: o.user, ...(o.password !== undefined ? { password: o.password } : {}), ...(o.privateKey ? { privateKey: o.privateKey } : {}),
      methods: o.methods ?? ['publickey', 'password', 'keyboard-interactive'],
      ...(o.keyboardInteractive ? { keyboardInteractive: o.keyboardInteractive }
        : o.password !== undefined ? { keyboardInteractive: (prompts) => prompts.map(() => o.password!) } : {}),
    },
    ...(o.preferences ? { preferences: o.preferences } : {}),
    ...(o.strictKex !== undefined ? { strictKex: o.strictKex } : {}),
    ...(o.rekeyBytes !== undefined ? { rekeyBytes: o.rekeyBytes } : {}),
    ...(o.guessKex ? { guessKex: true } : {}),
    ...(o.record === false ? { record: false } : {}),
    acceptHostKey: (info) => o.hostKeyFingerprint === undefined || info.fingerprint === o.hostKeyFingerprint,
  });
  const socket = await connectTcp(o.host, o.port ?? 22);
  const result: ExecResult = { exitStatus: null, client };
  let channel = -1;
  let rekeyed = !o.rekeyAfterAuth;
  const rejected: string[] = [];
  let allowed: string[] = [];
  const run = attach(client, socket, (e) => {
    switch (e.type) {
      case 'kex-complete':
        result.hostKey = e.hostKey;
        result.negotiation ??= e.negotiation;
        return;
      case 'auth-success':
        if (!rekeyed) {
          rekeyed = true;
          client.rekey();
        }
        channel = client.openSession();
        return;
      case 'auth-failure':
        rejected.push(e.method);
        allowed = e.methodsLeft;
        return;
      case 'auth-exhausted':
        result.error = rejected.length
          ? `authentication failed: the server rejected ${rejected.join(', then ')} for user ${o.user} (it allows: ${allowed.join(', ') || 'nothing more'})`
          : `authentication failed: none of the methods tried (${o.methods?.join(', ') ?? 'publickey, password, keyboard-interactive'}) is one the server allows for user ${o.user}`;
        return;
      case 'channel-open-confirmed':
        if (o.pty) client.pty(channel);
        return client.exec(channel, o.command);
      case 'channel-open-failed':
        result.error = `the server refused the session channel: ${e.description}`;
        return client.disconnect('session refused');
      case 'channel-reply':
        if (e.request !== 'exec') return;
        if (!e.success) {
          result.error = `the server refused to run the command`;
          return client.close(channel);
        }
        if (!client.connection.isOpen(channel)) return;
        if (o.stdin?.length) client.write(channel, o.stdin);
        return client.eof(channel);
      case 'channel-data':
        return (e.stream === 'stdout' ? o.onStdout : o.onStderr)?.(e.data);
      case 'channel-request':
        if (e.request === 'exit-status') result.exitStatus = e.value.exit_status as number;
        if (e.request === 'exit-signal') result.exitSignal = String(e.value.signal);
        return;
      case 'channel-close':
        return client.disconnect('command finished');
      case 'disconnect':
        if (e.by === 'peer' || e.reason !== 11) result.error ??= `${e.by === 'peer' ? 'the server' : 'sshlens'} disconnected: ${e.description} (reason ${e.reason})`;
        return;
    }
  });
  await run.closed;
  if (!client.closed && result.exitStatus === null) result.error ??= 'the server closed the connection';
  return result;
}

export const execCommand: Command = {
  name: 'exec',
  summary: 'run a command on an SSH server with the engine as the client',
  help: [
    'Usage: sshlens exec [-p PORT] [-i KEYFILE | --password-env VAR] [options] USER@HOST COMMAND',
    '',
    'Runs COMMAND over SSH with sshlens\'s own client, prints its output and exits with its exit status.',
    '',
    '  -p, --port PORT        server port (default 22)',
    '  -i, --identity FILE    OpenSSH private key file (passphrase from $SSHLENS_PASSPHRASE when encrypted)',
    '  --password-env VAR     take the password from environment variable VAR',
    '  --kex A, --cipher A, --mac A, --hostkey A, --compression A',
    '                         offer only algorithm A (comma-separated lists are allowed)',
    '  --no-strict-kex        do not offer strict kex (kex-strict-c-v00@openssh.com)',
    '  --host-key-fingerprint SHA256:...   trust only this host key (default: any key whose signature verifies)',
    '  --stdin                send standard input to the command',
    '  --rekey                start a new key exchange after authentication',
    '  --keylog FILE          write the key log: SHARED_SECRET lines, and for DH and curve25519 also the',
    '                         <cookie> <private key> lines Wireshark 4.0 needs',
    '  --pcap FILE            write the session as pcapng, keys inside (read it with sshlens decode)',
    '',
    'Exit status: the command\'s; 255 connection or authentication failure; 2 bad usage.',
  ].join('\n'),
  run: runExec,
};

const list = (v: unknown) => (typeof v === 'string' ? v.split(',') : undefined);

async function runExec(args: string[]): Promise<number> {
  const { options, positional } = parseArgs(args, [
    { name: 'port', short: 'p', value: true }, { name: 'identity', short: 'i', value: true }, { name: 'password-env', value: true },
    { name: 'kex', value: true }, { name: 'cipher', value: true }, { name: 'mac', value: true }, { name: 'hostkey', value: true },
    { name: 'compression', value: true }, { name: 'keylog', value: true }, { name: 'pcap', value: true }, { name: 'no-strict-kex' },
    { name: 'host-key-fingerprint', value: true }, { name: 'stdin' }, { name: 'rekey' },
  ]);
  if (positional.length < 2) throw new UsageError('give USER@HOST and COMMAND (see sshlens exec --help)');
  const [target, ...commandWords] = positional;
  const at = target.lastIndexOf('@');
  if (at <= 0) throw new UsageError(`"${target}" is not USER@HOST`);
  const user = target.slice(0, at);
  const host = target.slice(at + 1);
  const port = options.port === undefined ? 22 : Number(options.port);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new UsageError(`"${String(options.port)}" is not a port number`);
  let password: string | undefined;
  if (typeof options['password-env'] === 'string') {
    password = process.env[options['password-env']];
    if (password === undefined) throw new UsageError(`environment variable ${options['password-env']} is not set`);
  }
  let privateKey: SigningKey | undefined;
  if (typeof options.identity === 'string') {
    try {
      privateKey = parseOpenSshPrivateKey(readFileSync(options.identity, 'utf8'), process.env.SSHLENS_PASSPHRASE).key;
    } catch (error) {
      process.stderr.write(`sshlens exec: cannot use key ${options.identity}: ${error instanceof Error ? error.message : String(error)}\n`);
      return 255;
    }
  }
  if (!password && !privateKey) throw new UsageError('give -i KEYFILE or --password-env VAR');
  const preferences: AlgorithmPreferences = {};
  for (const [flag, slot] of [['kex', 'kex'], ['cipher', 'cipher'], ['mac', 'mac'], ['hostkey', 'hostKey'], ['compression', 'compression']] as const) {
    const names = list(options[flag]);
    if (names) preferences[slot] = names;
  }
  let stdin: Uint8Array | undefined;
  if (options.stdin === true) stdin = new Uint8Array(readFileSync(0));
  let result: ExecResult;
  try {
    result = await execSession({
      host, port, user, command: commandWords.join(' '), preferences, stdin,
      record: typeof options.pcap === 'string', // only a recording needs the bytes kept
      ...(password !== undefined ? { password } : {}), ...(privateKey ? { privateKey } : {}),
      ...(options['no-strict-kex'] ? { strictKex: false } : {}),
      ...(typeof options['host-key-fingerprint'] === 'string' ? { hostKeyFingerprint: options['host-key-fingerprint'] } : {}),
      ...(options.rekey ? { rekeyAfterAuth: true } : {}),
      onStdout: (d) => process.stdout.write(d),
      onStderr: (d) => process.stderr.write(d),
    });
  } catch (error) {
    if (error instanceof SshlensError || (error instanceof Error && error.message.startsWith('could not connect'))) {
      process.stderr.write(`sshlens exec: ${error.message}\n`);
      return 255;
    }
    throw error;
  }
  const t = result.client.transport;
  // SHARED_SECRET lines, plus the bare private-key lines Wireshark 4.0 needs where the method allows them.
  const keyLog = result.client.keyLogText({ wireshark40: true });
  if (typeof options.keylog === 'string') writeFileSync(options.keylog, keyLog);
  if (typeof options.pcap === 'string') {
    writeFileSync(options.pcap, recordPcapng({ transcript: t.transcript, keyLog, server: { address: host.match(/^\d+\.\d+\.\d+\.\d+$/) ? host : '127.0.0.1', port } }));
  }
  if (result.error) {
    process.stderr.write(`sshlens exec: ${result.error}\n`);
    if (result.exitStatus === null) return 255;
  }
  if (result.exitSignal) return 128 + 15;
  return result.exitStatus ?? 255;
}
