/**
 * @module connection/connection
 * The connection protocol for either role (RFC 4254): global requests (§4) with their replies, channels (§5) -
 * open, confirmation, failure, data and extended data, EOF, close, channel requests and their replies - and the
 * flow control of §5.2: data never overruns the peer's window and never exceeds its maximum packet size; what does
 * not fit waits for WINDOW_ADJUST; our own window is topped up once half of it has been consumed, so neither side
 * can stall. Decisions (accept a channel, a request, a global request) are policy hooks.
 */
import { encodeMessage, type DecodedMessage } from '../messages/index.ts';
import type { Transport } from '../endpoint/transport.ts';
import { LocalProtocolError, RemoteProtocolError } from '../endpoint/errors.ts';

/**
 * The receive window and maximum packet size this side announces for its channels (RFC 4254 §5.1). Larger than
 * OpenSSH's session defaults (channels.h: 2 MiB and 32 KiB): a bulk transfer then costs a quarter of the packets
 * and window adjustments. The packet size is the data of one CHANNEL_DATA; with its header and padding the packet
 * stays within the 256 KiB packet_length OpenSSH and this engine accept (binary-packet.ts DEFAULT_MAX_PACKET_LENGTH).
 * Peers announce their own sizes, and data sent to them keeps to those.
 */
export const DEFAULT_WINDOW = 8 * 1024 * 1024;
export const DEFAULT_MAX_PACKET = 256 * 1024 - 64;

export type OpenVerdict = true | { reason: number; description: string };

export interface ConnectionPolicy {
  /** Whether to accept a channel the peer opens (default: refuse, SSH_OPEN_ADMINISTRATIVELY_PROHIBITED). */
  channelOpen?(type: string, value: Record<string, unknown>): OpenVerdict;
  /** Whether to accept a channel request (default: refuse). */
  channelRequest?(channel: number, type: string, value: Record<string, unknown>): boolean;
  /** Whether to accept a global request; a number answers tcpip-forward with the bound port (default: refuse). */
  globalRequest?(name: string, value: Record<string, unknown>): boolean | number;
  /** Our receive window and packet size for new channels. */
  window?: number;
  maxPacket?: number;
}

interface Channel {
  local: number;
  remote: number | undefined;
  type: string;
  /** Bytes the peer may still send us. */
  localWindow: number;
  /** Bytes received since our last WINDOW_ADJUST. */
  consumed: number;
  remoteWindow: number;
  remoteMaxPacket: number;
  /** Data waiting for window, and requests queued behind it (so exit-status follows the output it ends). */
  pending: ({ data: Uint8Array; stderr: boolean } | { message: Uint8Array })[];
  wantEof: boolean;
  wantClose: boolean;
  eofSent: boolean;
  closeSent: boolean;
  closeReceived: boolean;
  requests: string[];
  /** CHANNEL_DATA and CHANNEL_EXTENDED_DATA headers for this channel, made once (see dataHeader). */
  headers?: { stdout: Uint8Array; stderr: Uint8Array };
}

/**
 * The fixed part of CHANNEL_DATA / CHANNEL_EXTENDED_DATA for one channel (RFC 4254 §5.2): the catalog encodes the
 * message with empty data; `data` is an SSH string and the last field (RFC 4251 §5), so the header's last four
 * bytes are its length, set per packet. The data itself then goes into the packet with a single copy.
 */
function dataHeaders(remote: number): { stdout: Uint8Array; stderr: Uint8Array } {
  const empty = new Uint8Array(0);
  return {
    stdout: encodeMessage('SSH_MSG_CHANNEL_DATA', { recipient_channel: remote, data: empty }),
    stderr: encodeMessage('SSH_MSG_CHANNEL_EXTENDED_DATA', { recipient_channel: remote, data_type_code: 1, data: empty }),
  };
}

function setStringLength(header: Uint8Array, length: number): void {
  const at = header.length - 4;
  header[at] = length >>> 24;
  header[at + 1] = length >>> 16;
  header[at + 2] = length >>> 8;
  header[at + 3] = length;
}

export class Connection {
  private readonly channels = new Map<number, Channel>();
  private nextId = 0;
  private readonly globalPending: string[] = [];
  private noMoreSessions = false;

  constructor(private readonly transport: Transport, private readonly policy: ConnectionPolicy = {}) {
    transport.pendingGlobalRequest = () => this.globalPending[0];
  }

  private get window(): number {
    return this.policy.window ?? DEFAULT_WINDOW;
  }

  /** Opens a channel (RFC 4254 §5.1): `session`, `direct-tcpip`, `forwarded-tcpip`... with its type-specific fields. */
  openChannel(channelType: string, fields: Record<string, unknown> = {}): number {
    const local = this.nextId++;
    this.channels.set(local, this.newChannel(local, undefined, channelType, 0, 0));
    this.transport.send(encodeMessage('SSH_MSG_CHANNEL_OPEN', {
      channel_type: channelType, sender_channel: local, initial_window_size: this.window,
      maximum_packet_size: this.policy.maxPacket ?? DEFAULT_MAX_PACKET, ...fields,
    }));
    return local;
  }

  /** A channel request (RFC 4254 §5.4); with want_reply the answer arrives as a `channel-reply` event. */
  request(channel: number, type: string, fields: Record<string, unknown> = {}, wantReply = true): void {
    const c = this.open(channel);
    if (wantReply) c.requests.push(type);
    c.pending.push({ message: encodeMessage('SSH_MSG_CHANNEL_REQUEST', { recipient_channel: c.remote, request_type: type, want_reply: wantReply, ...fields }) });
    this.flush(c);
  }

  /** Data (stderr: extended data type 1), sent as the peer's window and packet size allow (RFC 4254 §5.2). */
  write(channel: number, data: Uint8Array, stderr = false): void {
    const c = this.open(channel);
    if (c.wantEof || c.wantClose) throw new LocalProtocolError('channel-eof', `channel ${channel} is past EOF`);
    if (data.length) c.pending.push({ data, stderr });
    this.flush(c);
  }

  /** Bytes written but not yet sent for want of window. */
  queued(channel: number): number {
    return this.channels.get(channel)?.pending.reduce((n, p) => n + ('data' in p ? p.data.length : 0), 0) ?? 0;
  }

  eof(channel: number): void {
    const c = this.open(channel);
    c.wantEof = true;
    this.flush(c);
  }

  close(channel: number): void {
    const c = this.channels.get(channel);
    if (!c || c.wantClose) return;
    c.wantClose = true;
    if (c.remote === undefined) return;
    this.flush(c);
  }

  /** A global request (RFC 4254 §4). */
  globalRequest(name: string, fields: Record<string, unknown> = {}, wantReply = true): void {
    if (wantReply) this.globalPending.push(name);
    this.transport.send(encodeMessage('SSH_MSG_GLOBAL_REQUEST', { request_name: name, want_reply: wantReply, ...fields }));
  }

  /** Whether a channel is still open. */
  isOpen(channel: number): boolean {
    return this.channels.has(channel);
  }

  private newChannel(local: number, remote: number | undefined, type: string, remoteWindow: number, remoteMaxPacket: number): Channel {
    return {
      local, remote, type, localWindow: this.window, consumed: 0, remoteWindow, remoteMaxPacket, pending: [],
      wantEof: false, wantClose: false, eofSent: false, closeSent: false, closeReceived: false, requests: [],
    };
  }

  private open(channel: number): Channel {
    const c = this.channels.get(channel);
    if (!c || c.remote === undefined) throw new LocalProtocolError('no-channel', `channel ${channel} is not open`);
    return c;
  }

  private flush(c: Channel): void {
    if (c.remote === undefined || c.closeSent) return;
    while (c.pending.length) {
      const head = c.pending[0];
      if ('message' in head) {
        c.pending.shift();
        this.transport.send(head.message);
        continue;
      }
      if (c.remoteWindow === 0) break;
      const size = Math.min(head.data.length, c.remoteWindow, c.remoteMaxPacket);
      const piece = head.data.subarray(0, size);
      if (size === head.data.length) c.pending.shift();
      else head.data = head.data.subarray(size);
      c.remoteWindow -= size;
      c.headers ??= dataHeaders(c.remote);
      // A fresh copy of the header per packet: a held message (during a rekey) keeps its own.
      const header = (head.stderr ? c.headers.stderr : c.headers.stdout).slice();
      setStringLength(header, size);
      this.transport.send(header, piece);
    }
    if (c.pending.length) return;
    if (c.wantEof && !c.eofSent && !c.closeReceived) {
      c.eofSent = true;
      this.transport.send(encodeMessage('SSH_MSG_CHANNEL_EOF', { recipient_channel: c.remote }));
    }
    if (c.wantClose && !c.closeSent) {
      c.closeSent = true;
      this.transport.send(encodeMessage('SSH_MSG_CHANNEL_CLOSE', { recipient_channel: c.remote }));
      if (c.closeReceived) this.channels.delete(c.local);
    }
  }

  private channelOf(value: Record<string, unknown>): Channel {
    const id = value.recipient_channel as number;
    const c = this.channels.get(id);
    if (!c) throw new RemoteProtocolError('unknown-channel', `the peer named channel ${id}, which is not open`);
    return c;
  }

  handle(message: DecodedMessage): void {
    const v = message.value;
    if (message.error) throw new RemoteProtocolError('bad-message', `${message.name} is malformed: ${message.error.message}`);
    switch (message.name) {
      case 'SSH_MSG_GLOBAL_REQUEST': return this.peerGlobalRequest(v);
      case 'SSH_MSG_REQUEST_SUCCESS':
      case 'SSH_MSG_REQUEST_FAILURE': {
        const name = this.globalPending.shift() ?? '';
        return this.transport.emit({ type: 'global-reply', name, success: message.number === 81, value: v });
      }
      case 'SSH_MSG_CHANNEL_OPEN': return this.peerOpen(v);
      case 'SSH_MSG_CHANNEL_OPEN_CONFIRMATION': {
        const c = this.channelOf(v);
        c.remote = v.sender_channel as number;
        c.remoteWindow = v.initial_window_size as number;
        c.remoteMaxPacket = v.maximum_packet_size as number;
        this.transport.emit({ type: 'channel-open-confirmed', channel: c.local });
        return this.flush(c);
      }
      case 'SSH_MSG_CHANNEL_OPEN_FAILURE': {
        const c = this.channelOf(v);
        this.channels.delete(c.local);
        return this.transport.emit({ type: 'channel-open-failed', channel: c.local, reason: v.reason_code as number, description: String(v.description) });
      }
      case 'SSH_MSG_CHANNEL_WINDOW_ADJUST': {
        const c = this.channelOf(v);
        c.remoteWindow = Math.min(2 ** 32 - 1, c.remoteWindow + (v.bytes_to_add as number));
        return this.flush(c);
      }
      case 'SSH_MSG_CHANNEL_DATA':
      case 'SSH_MSG_CHANNEL_EXTENDED_DATA': return this.data(this.channelOf(v), v.data as Uint8Array, message.number === 95);
      case 'SSH_MSG_CHANNEL_EOF':
        return this.transport.emit({ type: 'channel-eof', channel: this.channelOf(v).local });
      case 'SSH_MSG_CHANNEL_CLOSE': {
        const c = this.channelOf(v);
        c.closeReceived = true;
        c.pending.length = 0;
        this.transport.emit({ type: 'channel-close', channel: c.local });
        c.wantClose = true;
        if (c.closeSent) this.channels.delete(c.local);
        else this.flush(c);
        return;
      }
      case 'SSH_MSG_CHANNEL_REQUEST': return this.peerRequest(this.channelOf(v), v);
      case 'SSH_MSG_CHANNEL_SUCCESS':
      case 'SSH_MSG_CHANNEL_FAILURE': {
        const c = this.channelOf(v);
        return this.transport.emit({ type: 'channel-reply', channel: c.local, request: c.requests.shift() ?? '', success: message.number === 99 });
      }
    }
  }

  private data(c: Channel, data: Uint8Array, stderr: boolean): void {
    if (data.length > c.localWindow) {
      throw new RemoteProtocolError('window-overrun', `the peer sent ${data.length} bytes on channel ${c.local} with only ${c.localWindow} left in its window (RFC 4254 §5.2)`);
    }
    c.localWindow -= data.length;
    c.consumed += data.length;
    this.transport.emit({ type: 'channel-data', channel: c.local, data, stream: stderr ? 'stderr' : 'stdout' });
    if (c.consumed >= this.window / 2 && !c.closeReceived && !c.closeSent) {
      this.transport.send(encodeMessage('SSH_MSG_CHANNEL_WINDOW_ADJUST', { recipient_channel: c.remote, bytes_to_add: c.consumed }));
      c.localWindow += c.consumed;
      c.consumed = 0;
    }
  }

  private peerOpen(v: Record<string, unknown>): void {
    const type = String(v.channel_type);
    const verdict: OpenVerdict = type === 'session' && this.noMoreSessions
      ? { reason: 1, description: 'no-more-sessions@openssh.com was requested' }
      : this.policy.channelOpen?.(type, v) ?? { reason: 1, description: `${type} channels are not allowed` };
    if (verdict !== true) {
      this.transport.send(encodeMessage('SSH_MSG_CHANNEL_OPEN_FAILURE', { recipient_channel: v.sender_channel, reason_code: verdict.reason, description: verdict.description, language: '' }));
      return;
    }
    const local = this.nextId++;
    this.channels.set(local, this.newChannel(local, v.sender_channel as number, type, v.initial_window_size as number, v.maximum_packet_size as number));
    this.transport.send(encodeMessage('SSH_MSG_CHANNEL_OPEN_CONFIRMATION', {
      recipient_channel: v.sender_channel, sender_channel: local, initial_window_size: this.window, maximum_packet_size: this.policy.maxPacket ?? DEFAULT_MAX_PACKET,
    }));
    this.transport.emit({ type: 'channel-open', channel: local, channelType: type, value: v });
  }

  private peerRequest(c: Channel, v: Record<string, unknown>): void {
    const type = String(v.request_type);
    const wantReply = v.want_reply === true;
    const informational = type === 'exit-status' || type === 'exit-signal' || type === 'eow@openssh.com';
    const accepted = informational || (this.policy.channelRequest?.(c.local, type, v) ?? false);
    if (wantReply && !c.closeSent) {
      this.transport.send(encodeMessage(accepted ? 'SSH_MSG_CHANNEL_SUCCESS' : 'SSH_MSG_CHANNEL_FAILURE', { recipient_channel: c.remote }));
    }
    this.transport.emit({ type: 'channel-request', channel: c.local, request: type, value: v, wantReply, accepted });
  }

  private peerGlobalRequest(v: Record<string, unknown>): void {
    const name = String(v.request_name);
    const wantReply = v.want_reply === true;
    if (name === 'no-more-sessions@openssh.com') this.noMoreSessions = true;
    const verdict = name === 'no-more-sessions@openssh.com' ? true : this.policy.globalRequest?.(name, v) ?? false;
    if (wantReply) {
      if (verdict === false) this.transport.send(encodeMessage('SSH_MSG_REQUEST_FAILURE', {}));
      else if (typeof verdict === 'number') this.transport.send(encodeMessage('SSH_MSG_REQUEST_SUCCESS', { bound_port: verdict }, { globalRequest: 'tcpip-forward' }));
      else this.transport.send(encodeMessage('SSH_MSG_REQUEST_SUCCESS', {}));
    }
    this.transport.emit({ type: 'global-request', name, value: v, wantReply, accepted: verdict !== false });
  }
}
