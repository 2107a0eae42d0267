/**
 * @module simulate/builtin-commands
 * What runs inside the engine server's sessions (RFC 4254 §6): a small built-in command set - never a real system
 * shell - for `sshlens serve`, the simulator and the tests. exec runs one command; shell reads lines and runs each
 * (echo, cat, env, sha256sum, bytes N, exit N). Commands that read standard input (cat, sha256sum) run until EOF.
 * direct-tcpip channels (§7.2) reach a built-in echo service.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { toHex } from '../wire/index.ts';
import type { EndpointEvent } from '../endpoint/events.ts';
import type { Server } from '../endpoint/server.ts';

export const BUILTIN_COMMANDS = ['echo', 'cat', 'env', 'sha256sum', 'bytes N', 'exit N'] as const;

const encoder = new TextEncoder();

interface Running {
  name: 'cat' | 'sha256sum';
  hash?: ReturnType<typeof sha256.create>;
}

interface SessionState {
  env: Map<string, string>;
  pty?: { columns: number; rows: number };
  mode: 'idle' | 'exec' | 'shell' | 'echo-service';
  running?: Running;
  line: string;
  done: boolean;
}

/** `bytes N`: N bytes of a repeating, recognisable pattern. */
export function patternBytes(n: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < Math.min(n, 26); i++) out[i] = 0x61 + i;
  // The pattern repeats every 26 bytes: copy what is there onto the rest, doubling each time.
  for (let have = 26; have < n; have *= 2) out.copyWithin(have, 0, Math.min(have, n - have));
  return out;
}

export class BuiltinSessions {
  private readonly sessions = new Map<number, SessionState>();

  constructor(private readonly server: Server) {}

  /** Feed every event of the server here. */
  handle(event: EndpointEvent): void {
    switch (event.type) {
      case 'channel-open':
        this.sessions.set(event.channel, { env: new Map(), mode: event.channelType === 'direct-tcpip' ? 'echo-service' : 'idle', line: '', done: false });
        return;
      case 'channel-request': {
        const s = this.sessions.get(event.channel);
        if (!s || !event.accepted) return;
        const v = event.value;
        if (event.request === 'env') s.env.set(String(v.name), String(v.value));
        else if (event.request === 'pty-req') s.pty = { columns: v.width_chars as number, rows: v.height_rows as number };
        else if (event.request === 'window-change') {
          s.pty = { columns: v.width_chars as number, rows: v.height_rows as number };
          if (s.mode === 'shell') this.out(event.channel, `[window ${s.pty.columns}x${s.pty.rows}]\r\n`);
        } else if (event.request === 'signal') this.finish(event.channel, s, 128 + 2, `killed by SIG${String(v.signal)}`);
        else if (event.request === 'exec') {
          s.mode = 'exec';
          this.run(event.channel, s, String(v.command));
        } else if (event.request === 'shell') {
          s.mode = 'shell';
          this.out(event.channel, 'sshlens built-in shell: echo, cat, env, sha256sum, bytes N, exit N\r\n$ ');
        } else if (event.request === 'subsystem') {
          this.server.write(event.channel, `sshlens: no subsystem ${String(v.subsystem)}\n`, true);
          this.finish(event.channel, s, 1);
        }
        return;
      }
      case 'channel-data': {
        const s = this.sessions.get(event.channel);
        if (!s || s.done) return;
        if (s.mode === 'echo-service') return this.server.write(event.channel, event.data);
        if (s.running) return this.input(event.channel, s, event.data);
        if (s.mode === 'shell') return this.shellInput(event.channel, s, new TextDecoder().decode(event.data));
        return;
      }
      case 'channel-eof': {
        const s = this.sessions.get(event.channel);
        if (!s || s.done) return;
        if (s.mode === 'echo-service') {
          s.done = true;
          this.server.eof(event.channel);
          this.server.close(event.channel);
          return;
        }
        if (s.running) {
          if (s.running.hash) this.out(event.channel, `${toHex(s.running.hash.digest())}  -\n`);
          s.running = undefined;
          this.finish(event.channel, s, 0);
        } else if (s.mode === 'shell') this.finish(event.channel, s, 0);
        return;
      }
      case 'channel-close':
        this.sessions.delete(event.channel);
        return;
    }
  }

  private out(channel: number, text: string | Uint8Array, stderr = false): void {
    this.server.write(channel, typeof text === 'string' ? encoder.encode(text) : text, stderr);
  }

  private input(channel: number, s: SessionState, data: Uint8Array): void {
    if (s.running!.hash) s.running!.hash.update(data);
    else this.out(channel, data);
  }

  private shellInput(channel: number, s: SessionState, text: string): void {
    s.line += text;
    for (let nl = s.line.search(/[\r\n]/); nl >= 0 && !s.done && !s.running; nl = s.line.search(/[\r\n]/)) {
      const line = s.line.slice(0, nl);
      s.line = s.line.slice(nl + 1);
      if (line.trim() === '') continue;
      this.out(channel, `${line}\r\n`);
      this.run(channel, s, line);
      if (!s.done && !s.running) this.out(channel, '$ ');
    }
  }

  /** Runs one command line; exec sessions end with its exit status, shell sessions go on. */
  private run(channel: number, s: SessionState, commandLine: string): void {
    const [name = '', ...args] = commandLine.trim().split(/\s+/);
    const exec = s.mode === 'exec';
    const status = (code: number) => (exec ? this.finish(channel, s, code) : undefined);
    const nl = exec ? '\n' : '\r\n';
    switch (name) {
      case 'echo':
        this.out(channel, args.join(' ') + nl);
        return status(0);
      case 'env':
        this.out(channel, [...s.env].map(([k, v]) => `${k}=${v}${nl}`).join(''));
        return status(0);
      case 'bytes': {
        const n = Number(args[0]);
        if (!Number.isSafeInteger(n) || n < 0) {
          this.out(channel, `sshlens: bytes: "${args[0] ?? ''}" is not a byte count${nl}`, true);
          return status(2);
        }
        this.out(channel, patternBytes(n));
        return status(0);
      }
      case 'exit': {
        const code = Number(args[0] ?? 0);
        return this.finish(channel, s, Number.isInteger(code) ? code & 0xff : 2);
      }
      case 'cat':
        s.running = { name: 'cat' };
        return;
      case 'sha256sum':
        s.running = { name: 'sha256sum', hash: sha256.create() };
        return;
      default:
        this.out(channel, `sshlens: ${name}: command not found (built-ins: ${BUILTIN_COMMANDS.join(', ')})${nl}`, true);
        return status(127);
    }
  }

  private finish(channel: number, s: SessionState, code: number, signalMessage?: string): void {
    if (s.done) return;
    s.done = true;
    if (!this.server.connection.isOpen(channel)) return;
    if (signalMessage) this.server.exitSignal(channel, 'INT', signalMessage);
    else this.server.exitStatus(channel, code);
    this.server.eof(channel);
    this.server.close(channel);
  }
}
