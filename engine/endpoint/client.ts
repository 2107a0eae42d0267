/**
 * @module endpoint/client
 * The sans-I/O SSH client: transport, user authentication (auth/client) and the connection protocol with the
 * session commands of RFC 4254 §6 (pty-req, env, shell, exec, subsystem, window-change, signal) and port forwarding
 * (§7: direct-tcpip, tcpip-forward). Authentication starts by itself after the first key exchange.
 */
import { ClientAuth, type ClientCredentials } from '../auth/client.ts';
import type { ConnectionPolicy } from '../connection/connection.ts';
import type { SigningKey } from '../crypto/hostkey.ts';
import type { DecodedMessage } from '../messages/index.ts';
import type { AlgorithmPreferences } from './algorithms.ts';
import { Endpoint } from './endpoint.ts';
import { LocalProtocolError } from './errors.ts';
import type { HostKeyInfo } from './events.ts';
import { seededRandom, systemRandom, type RandomBytes } from './rng.ts';

export interface ClientOptions {
  credentials: ClientCredentials;
  preferences?: AlgorithmPreferences;
  acceptHostKey?: (info: HostKeyInfo) => boolean;
  random?: RandomBytes;
  clock?: () => number;
  strictKex?: boolean;
  extInfo?: boolean;
  software?: string;
  rekeyBytes?: number;
  /** Keep the transcript of every byte (default true; see TransportOptions.record). */
  record?: boolean;
  gexRequest?: { min: number; n: number; max: number };
  /** Send a guessed kex INIT with KEXINIT (RFC 4253 §7 first_kex_packet_follows). */
  guessKex?: boolean;
  /** Decisions about what the server opens or asks (forwarded-tcpip, keepalives...). */
  policy?: ConnectionPolicy;
}

export interface PtyRequest {
  term?: string;
  columns?: number;
  rows?: number;
  /** RFC 4254 §8 opcode/argument pairs; TTY_OP_END is added. */
  modes?: { opcode: number; argument: number }[];
}

export class Client extends Endpoint {
  readonly auth: ClientAuth;

  constructor(options: ClientOptions) {
    super({
      role: 'client', random: options.random ?? systemRandom, clock: options.clock ?? (() => Date.now()),
      ...pick(options, ['preferences', 'acceptHostKey', 'strictKex', 'extInfo', 'software', 'rekeyBytes', 'gexRequest', 'guessKex', 'record']),
    }, {
      globalRequest: (name) => name === 'hostkeys-00@openssh.com',
      ...options.policy,
    });
    this.auth = new ClientAuth(this.transport, options.credentials);
    this.transport.onFirstKex = () => this.auth.start();
  }

  protected route(message: DecodedMessage, payload: Uint8Array): void {
    const n = message.number;
    if (n === 6 || (n >= 50 && n <= 79)) return this.auth.handle(message);
    if (n >= 80 && n <= 127) return this.connection.handle(message);
    void payload;
  }

  get authenticated(): boolean {
    return this.auth.done;
  }

  private ready(): void {
    if (!this.auth.done) throw new LocalProtocolError('not-authenticated', 'channels can be opened only after USERAUTH_SUCCESS (RFC 4252 §5.1)');
  }

  openSession(): number {
    this.ready();
    return this.connection.openChannel('session');
  }

  /** RFC 4254 §7.2: ask the server to connect to host:port for us (ssh -L). */
  openDirectTcpip(host: string, port: number, originatorAddress = '127.0.0.1', originatorPort = 0): number {
    this.ready();
    return this.connection.openChannel('direct-tcpip', { host, port, originator_address: originatorAddress, originator_port: originatorPort });
  }

  pty(channel: number, pty: PtyRequest = {}): void {
    const modes = [...(pty.modes ?? [{ opcode: 53, argument: 1 }]), { opcode: 0 }];
    this.connection.request(channel, 'pty-req', {
      term: pty.term ?? 'xterm-256color', width_chars: pty.columns ?? 80, height_rows: pty.rows ?? 24, width_pixels: 0, height_pixels: 0,
      terminal_modes: { modes },
    });
  }
  env(channel: number, name: string, value: string): void {
    this.connection.request(channel, 'env', { name, value });
  }
  exec(channel: number, command: string): void {
    this.connection.request(channel, 'exec', { command });
  }
  shell(channel: number): void {
    this.connection.request(channel, 'shell');
  }
  subsystem(channel: number, name: string): void {
    this.connection.request(channel, 'subsystem', { subsystem: name });
  }
  resize(channel: number, columns: number, rows: number): void {
    this.connection.request(channel, 'window-change', { width_chars: columns, height_rows: rows, width_pixels: 0, height_pixels: 0 }, false);
  }
  signal(channel: number, name: string): void {
    this.connection.request(channel, 'signal', { signal: name }, false);
  }
  keepalive(): void {
    this.connection.globalRequest('keepalive@openssh.com');
  }
  /** RFC 4254 §7.1 (ssh -R). */
  forwardPort(bindAddress: string, bindPort: number): void {
    this.connection.globalRequest('tcpip-forward', { bind_address: bindAddress, bind_port: bindPort });
  }
}

export function pick<T extends object, K extends keyof T>(o: T, keys: K[]): Pick<T, K> {
  const out = {} as Pick<T, K>;
  for (const k of keys) if (o[k] !== undefined) out[k] = o[k];
  return out;
}

export { seededRandom, type SigningKey };
