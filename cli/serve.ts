/**
 * `sshlens serve [--host H] [--port P] [--host-key FILE]... [--user NAME] [--password-env VAR]
 * [--authorized-keys FILE] [--keylog FILE]`: the engine as an SSH server (RFC 4253, 4252, 4254) on 127.0.0.1 unless
 * told otherwise, with an ephemeral ed25519 host key when none is given (its fingerprint printed). Sessions get the
 * built-in command set (engine/simulate/builtin-commands: echo, cat, env, sha256sum, bytes N, exit N), never a real
 * shell. The key log of every session served can be appended to a file.
 */
import { appendFileSync, readFileSync } from 'node:fs';
import { createServer, type AddressInfo, type Server as NetServer } from 'node:net';
import { parseOpenSshPrivateKey } from '../engine/crypto/hostkey-file.ts';
import { fingerprintSha256, generateHostKey, signingKeyBlob, type SigningKey } from '../engine/crypto/hostkey.ts';
import type { AlgorithmPreferences } from '../engine/endpoint/algorithms.ts';
import { systemRandom } from '../engine/endpoint/rng.ts';
import { Server } from '../engine/endpoint/server.ts';
import { formatKeyLogLine } from '../engine/keys/keylog.ts';
import { BuiltinSessions } from '../engine/simulate/builtin-commands.ts';
import { equalBytes } from '../engine/wire/index.ts';
import { parseArgs, UsageError } from './args.ts';
import type { Command } from './commands.ts';
import { attach } from './tcp.ts';

export interface ServeOptions {
  host?: string;
  port?: number;
  hostKeys?: SigningKey[];
  /** Only this user may log in (default: any name). */
  user?: string;
  password?: string;
  /** Public key blobs allowed to log in. */
  authorizedKeys?: Uint8Array[];
  /** Appends each key exchange's key log line here. */
  keylog?: string;
  preferences?: AlgorithmPreferences;
  strictKex?: boolean;
  /** Called with each finished connection's server endpoint (tests read transcripts and key logs from it). */
  onSession?: (server: Server) => void;
  /**
   * Keep each connection's transcript of every byte (default false: a long session would hold all it carried; a
   * test that builds a trace from onSession's endpoint asks for it).
   */
  record?: boolean;
}

export interface RunningServer {
  port: number;
  host: string;
  hostKeys: SigningKey[];
  fingerprints: string[];
  close(): Promise<void>;
}

/** Parses an OpenSSH authorized_keys file: the key blob of every `type base64 [comment]` line (options not supported). */
export function parseAuthorizedKeys(text: string): Uint8Array[] {
  const blobs: Uint8Array[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const fields = line.split(/\s+/);
    const at = fields.findIndex((f) => /^(ssh-|ecdsa-|sk-)/.test(f));
    if (at >= 0 && fields[at + 1]) blobs.push(new Uint8Array(Buffer.from(fields[at + 1], 'base64')));
  }
  return blobs;
}

export async function startServe(o: ServeOptions): Promise<RunningServer> {
  const hostKeys = o.hostKeys?.length ? o.hostKeys : [generateHostKey('ssh-ed25519', systemRandom)];
  const userOk = (user: string) => o.user === undefined || user === o.user;
  const net: NetServer = createServer((socket) => {
    const server = new Server({
      hostKeys, record: o.record ?? false,
      ...(o.preferences ? { preferences: o.preferences } : {}),
      ...(o.strictKex !== undefined ? { strictKex: o.strictKex } : {}),
      auth: {
        ...(o.password !== undefined ? { password: (user: string, password: string) => userOk(user) && password === o.password } : {}),
        ...(o.password !== undefined ? { keyboardInteractive: (user: string) => (userOk(user) ? { prompts: [{ prompt: 'Password: ', echo: false }], check: (r: string[]) => r[0] === o.password } : null) } : {}),
        ...(o.authorizedKeys?.length ? { publicKey: (user: string, blob: Uint8Array) => userOk(user) && o.authorizedKeys!.some((k) => equalBytes(k, blob)) } : {}),
      },
    });
    const sessions = new BuiltinSessions(server);
    let logged = 0;
    const run = attach(server, socket, (event) => {
      sessions.handle(event);
      if (event.type === 'kex-complete' && o.keylog) {
        const lines = server.transport.keyLog.slice(logged).map((e) => formatKeyLogLine(e) + '\n').join('');
        logged = server.transport.keyLog.length;
        appendFileSync(o.keylog, lines);
      }
    });
    void run.closed.then(() => o.onSession?.(server));
  });
  await new Promise<void>((resolve, reject) => {
    net.once('error', reject);
    net.listen(o.port ?? 0, o.host ?? '127.0.0.1', () => resolve());
  });
  const address = net.address() as AddressInfo;
  return {
    port: address.port, host: address.address, hostKeys, fingerprints: hostKeys.map((k) => fingerprintSha256(signingKeyBlob(k))),
    close: () => new Promise((resolve) => net.close(() => resolve())),
  };
}

export const serveCommand: Command = {
  name: 'serve',
  summary: 'run the engine as an SSH server with a small built-in command set',
  help: [
    'Usage: sshlens serve [--host H] [--port P] [--host-key FILE]... [--user NAME] [--password-env VAR]',
    '                     [--authorized-keys FILE] [--keylog FILE]',
    '',
    'Serves SSH with sshlens\'s own server. exec and shell run built-in commands only: echo, cat, env,',
    'sha256sum, bytes N, exit N - never a system shell.',
    '',
    '  --host H              listen address (default 127.0.0.1)',
    '  --port P              port (default 2222; 0 picks a free one)',
    '  --host-key FILE       OpenSSH private host key (repeatable); default an ephemeral ed25519 key',
    '  --user NAME           the only user name accepted (default: any)',
    '  --password-env VAR    accept the password in environment variable VAR',
    '  --authorized-keys F   accept the public keys in F (OpenSSH authorized_keys format)',
    '  --keylog FILE         append the key log of every session (Wireshark SHARED_SECRET form)',
  ].join('\n'),
  run: runServe,
};

async function runServe(args: string[]): Promise<number> {
  const { options } = parseArgs(args, [
    { name: 'host', value: true }, { name: 'port', value: true }, { name: 'host-key', value: true, repeatable: true },
    { name: 'user', value: true }, { name: 'password-env', value: true }, { name: 'authorized-keys', value: true }, { name: 'keylog', value: true },
  ]);
  const port = options.port === undefined ? 2222 : Number(options.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`"${String(options.port)}" is not a port number`);
  let password: string | undefined;
  if (typeof options['password-env'] === 'string') {
    password = process.env[options['password-env']];
    if (password === undefined) throw new UsageError(`environment variable ${options['password-env']} is not set`);
  }
  const authorizedKeys = typeof options['authorized-keys'] === 'string' ? parseAuthorizedKeys(readFileSync(options['authorized-keys'], 'utf8')) : undefined;
  if (password === undefined && !authorizedKeys?.length) throw new UsageError('give --password-env VAR or --authorized-keys FILE, or nobody can log in');
  const hostKeys = ((options['host-key'] as string[] | undefined) ?? []).map((file) =>
    parseOpenSshPrivateKey(readFileSync(file, 'utf8'), process.env.SSHLENS_PASSPHRASE).key);
  const running = await startServe({
    host: typeof options.host === 'string' ? options.host : '127.0.0.1', port, hostKeys,
    ...(typeof options.user === 'string' ? { user: options.user } : {}),
    ...(password !== undefined ? { password } : {}), ...(authorizedKeys ? { authorizedKeys } : {}),
    ...(typeof options.keylog === 'string' ? { keylog: options.keylog } : {}),
  });
  process.stdout.write(`sshlens serve: listening on ${running.host}:${running.port}\n`);
  running.hostKeys.forEach((k, i) => process.stdout.write(`  host key ${k.type} ${running.fingerprints[i]}${hostKeys.length ? '' : ' (ephemeral)'}\n`));
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await running.close();
  return 0;
}
