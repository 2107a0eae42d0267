/**
 * @module endpoint/server
 * The sans-I/O SSH server: transport with its host keys, user authentication decided by policy hooks (auth/server),
 * and the connection protocol (RFC 4254). By default it accepts session channels and the session requests of §6;
 * what runs in a session is the application's business (see simulate/builtin-commands). After authentication it
 * announces its host keys (OpenSSH hostkeys-00@openssh.com).
 */
import { ServerAuth, type ServerAuthPolicy } from '../auth/server.ts';
import type { ConnectionPolicy } from '../connection/connection.ts';
import { signingKeyBlob, type SigningKey } from '../crypto/hostkey.ts';
import { encodeMessage, type DecodedMessage } from '../messages/index.ts';
import type { AlgorithmPreferences } from './algorithms.ts';
import { pick } from './client.ts';
import { Endpoint } from './endpoint.ts';
import { systemRandom, type RandomBytes } from './rng.ts';

export interface ServerOptions {
  hostKeys: SigningKey[];
  auth: ServerAuthPolicy;
  policy?: ConnectionPolicy;
  preferences?: AlgorithmPreferences;
  random?: RandomBytes;
  clock?: () => number;
  strictKex?: boolean;
  extInfo?: boolean;
  software?: string;
  rekeyBytes?: number;
  /** Keep the transcript of every byte (default true; see TransportOptions.record). */
  record?: boolean;
  serverSigAlgs?: string[];
  /** Send hostkeys-00@openssh.com after authentication (default true). */
  announceHostKeys?: boolean;
}

const SESSION_REQUESTS = ['pty-req', 'env', 'exec', 'shell', 'subsystem', 'window-change', 'signal'];

export class Server extends Endpoint {
  readonly auth: ServerAuth;

  constructor(private readonly options: ServerOptions) {
    super({
      role: 'server', random: options.random ?? systemRandom, clock: options.clock ?? (() => Date.now()), hostKeys: options.hostKeys,
      ...pick(options, ['preferences', 'strictKex', 'extInfo', 'software', 'rekeyBytes', 'serverSigAlgs', 'record']),
    }, {
      channelOpen: (type) => (type === 'session' ? true : { reason: 1, description: `${type} channels are not allowed` }),
      channelRequest: (_channel, type) => SESSION_REQUESTS.includes(type),
      ...options.policy,
    });
    this.auth = new ServerAuth(this.transport, options.auth);
  }

  protected route(message: DecodedMessage, payload: Uint8Array): void {
    const n = message.number;
    if (n === 5 || (n >= 50 && n <= 79)) {
      const before = this.auth.done;
      this.auth.handle(message, payload);
      if (!before && this.auth.done && (this.options.announceHostKeys ?? true)) {
        this.transport.send(encodeMessage('SSH_MSG_GLOBAL_REQUEST', {
          request_name: 'hostkeys-00@openssh.com', want_reply: false, hostkeys: this.options.hostKeys.map((k) => ({ key: signingKeyBlob(k) })),
        }));
      }
      return;
    }
    if (n >= 80 && n <= 127) this.connection.handle(message);
  }

  /** RFC 4254 §6.10: the command's exit status. */
  exitStatus(channel: number, status: number): void {
    this.connection.request(channel, 'exit-status', { exit_status: status >>> 0 }, false);
  }
  exitSignal(channel: number, signal: string, message = ''): void {
    this.connection.request(channel, 'exit-signal', { signal, core_dumped: false, error_message: message, language: '' }, false);
  }
  /** RFC 4254 §7.2: a connection arrived on a port the client asked us to forward. */
  openForwardedTcpip(connectedAddress: string, connectedPort: number, originatorAddress: string, originatorPort: number): number {
    return this.connection.openChannel('forwarded-tcpip', {
      connected_address: connectedAddress, connected_port: connectedPort, originator_address: originatorAddress, originator_port: originatorPort,
    });
  }
}
