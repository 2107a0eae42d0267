/**
 * @module endpoint/endpoint
 * What the Client and the Server share: one Transport (RFC 4253), one Connection (RFC 4254), the sans-I/O surface
 * after h11 - receiveData(bytes), nextEvent(), dataToSend() - and the session's record (transcript and key log) for
 * traces and `--keylog`.
 */
import { writeKeyLog } from '../keys/keylog.ts';
import { Connection, type ConnectionPolicy } from '../connection/connection.ts';
import type { DecodedMessage } from '../messages/index.ts';
import { REASON } from './errors.ts';
import type { EndpointEvent } from './events.ts';
import { Transport, type TransportOptions } from './transport.ts';

export abstract class Endpoint {
  readonly transport: Transport;
  readonly connection: Connection;

  constructor(options: TransportOptions, policy: ConnectionPolicy) {
    this.transport = new Transport(options);
    this.connection = new Connection(this.transport, policy);
    this.transport.upper = (message, payload) => this.route(message, payload);
  }

  protected abstract route(message: DecodedMessage, payload: Uint8Array): void;

  /** Sends the identification line and KEXINIT. */
  start(): this {
    this.transport.start();
    return this;
  }

  receiveData(bytes: Uint8Array): void {
    this.transport.receiveData(bytes);
  }

  nextEvent(): EndpointEvent | undefined {
    return this.transport.nextEvent();
  }

  /** All events available now. */
  events(): EndpointEvent[] {
    const out: EndpointEvent[] = [];
    for (let e = this.nextEvent(); e; e = this.nextEvent()) out.push(e);
    return out;
  }

  dataToSend(): Uint8Array {
    return this.transport.dataToSend();
  }

  /** What dataToSend would return, as the list of its pieces (no joined copy): for in-memory pairs and writev. */
  takeOutput(): Uint8Array[] {
    return this.transport.takeOutput();
  }

  get closed(): boolean {
    return this.transport.closed;
  }

  rekey(): void {
    this.transport.rekey();
  }

  disconnect(description = 'disconnected by application', reason: number = REASON.byApplication): void {
    this.transport.disconnect(reason, description);
  }

  // channels (RFC 4254 §5), for either side
  write(channel: number, data: Uint8Array | string, stderr = false): void {
    this.connection.write(channel, typeof data === 'string' ? new TextEncoder().encode(data) : data, stderr);
  }
  eof(channel: number): void {
    this.connection.eof(channel);
  }
  close(channel: number): void {
    this.connection.close(channel);
  }
  globalRequest(name: string, fields: Record<string, unknown> = {}, wantReply = true): void {
    this.connection.globalRequest(name, fields, wantReply);
  }

  /**
   * The key log of every key exchange so far, for `--keylog`: Wireshark's SHARED_SECRET form; with `wireshark40`,
   * the bare `<cookie> <private key>` form too, the only one Wireshark 4.0 reads (DH and curve25519 only).
   */
  keyLogText(options: { wireshark40?: boolean } = {}): string {
    const bare = options.wireshark40 ? this.transport.privateKeyLog.map((e) => ({ ...e, form: 'bare' as const })) : [];
    return writeKeyLog([...this.transport.keyLog, ...bare]);
  }
}
