/**
 * @module decoder/channels
 * Follows the connection protocol's channels (RFC 4254 §5) through a session's decoded messages: which side opened
 * each, both channel numbers, the requests and their replies (§5.4), data and extended data per direction (§5.2),
 * EOF and CLOSE (§5.3), and the flow-control windows over time (§5.2), for the channel views and the trace.
 *
 * A message names a channel by the *receiver's* number (recipient_channel): what the client sends carries the
 * server's number and vice versa. That number was announced in the receiver's own stream (its CHANNEL_OPEN or its
 * OPEN_CONFIRMATION, both carry sender_channel), so when that stream lost bytes (a TCP gap) a message naming an
 * unknown channel most likely follows an opening that was in the lost bytes: the tracker says so, and follows the
 * channel from that message on (data, requests, EOF, CLOSE, exit status), with its unknown parts left unknown.
 */
import type { ChannelRecord, Direction, Problem } from '../trace/model.ts';
import { inert } from './summary.ts';

export interface ChannelMessage {
  packet: number;
  direction: Direction;
  name: string;
  value: Record<string, unknown>;
  /** For a CHANNEL_DATA / EXTENDED_DATA kept without its bytes: how many there were. */
  dataLength?: number;
}

interface ChannelState {
  record: ChannelRecord;
  /** Bytes each side may still send: client = granted by the server, server = granted by the client. */
  window: { client: number; server: number };
  /** Requests waiting for a reply, per requesting side, oldest first. */
  pending: { client: number[]; server: number[] };
  /** False when the channel's opening or confirmation was lost: windows unknown, replies may answer lost requests. */
  complete: boolean;
}

/** Bytes of one direction the capture lost (a TCP gap). */
interface LostBytes {
  streamOffset: number;
  length: number;
}

/** A message naming a channel that was never opened, kept in case lost bytes are reported later and explain it. */
interface Unexplained {
  problem: Problem;
  /** The side whose channel number the message named (and whose stream announced it). */
  owner: Direction;
  /** The message (without its data bytes when the tracker keeps no data: memory stays bounded). */
  message: ChannelMessage;
}

const other = (d: Direction): Direction => (d === 'client' ? 'server' : 'client');

export interface ChannelTrackerOptions {
  /** Keep the bytes of CHANNEL_DATA / EXTENDED_DATA in the records (the JSON output needs them). Default true. */
  keepData?: boolean;
  /**
   * Keep an event per data, extended data and window adjust message (the UI's timelines). Default true; a streaming
   * decoder that keeps no packets turns it off, or a long transfer's events would grow with the capture. The other
   * events (open, requests, replies, EOF, close) are kept either way.
   */
  keepDataEvents?: boolean;
}

export class ChannelTracker {
  readonly channels: ChannelRecord[] = [];
  readonly problems: Problem[] = [];
  /** Open channels by the number each side gave them. */
  private readonly byId = { client: new Map<number, ChannelState>(), server: new Map<number, ChannelState>() };
  private readonly keepData: boolean;
  private readonly keepDataEvents: boolean;
  private readonly lost: Record<Direction, LostBytes[]> = { client: [], server: [] };
  private readonly unexplained: Unexplained[] = [];

  constructor(options: ChannelTrackerOptions = {}) {
    this.keepData = options.keepData ?? true;
    this.keepDataEvents = options.keepDataEvents ?? true;
  }

  /**
   * Bytes of one direction were lost from the capture (a TCP gap): later messages may name channels whose opening
   * was in the lost bytes. Called by the session decoder; the tracker uses it to word its problems.
   */
  lostBytes(direction: Direction, streamOffset: number, length: number): void {
    this.lost[direction].push({ streamOffset, length });
    // TCP reports a gap only when it gives up on the missing bytes (often at the end of the connection), so messages
    // naming this side's channels may have come before: their problems are withdrawn and the messages fed again,
    // now that lost bytes explain them.
    const again = this.unexplained.filter((u) => u.owner === direction);
    if (!again.length) return;
    const withdrawn = new Set(again.map((u) => u.problem));
    this.unexplained.splice(0, this.unexplained.length, ...this.unexplained.filter((u) => u.owner !== direction));
    this.problems.splice(0, this.problems.length, ...this.problems.filter((p) => !withdrawn.has(p)));
    for (const u of again) this.add(u.message);
  }

  /** Feeds one decoded message; messages that are not about channels are ignored. */
  add(message: ChannelMessage): void {
    const { direction, value, packet } = message;
    switch (message.name) {
      case 'SSH_MSG_CHANNEL_OPEN':
        return this.open(message);
      case 'SSH_MSG_CHANNEL_OPEN_CONFIRMATION': {
        const state = this.pendingOpen(message);
        if (!state) return;
        const id = num(value.sender_channel);
        state.record[direction === 'client' ? 'clientId' : 'serverId'] = id;
        this.byId[direction].set(id, state);
        // The confirmer's initial window is what the opener may send.
        state.window[other(direction)] = num(value.initial_window_size);
        this.event(state, message, 'confirmation', `channel ${id}`);
        return;
      }
      case 'SSH_MSG_CHANNEL_OPEN_FAILURE': {
        const state = this.pendingOpen(message);
        if (!state) return;
        this.byId[other(direction)].delete(num(value.recipient_channel));
        this.event(state, message, 'failure', String(value.description ?? ''));
        return;
      }
      case 'SSH_MSG_CHANNEL_WINDOW_ADJUST': {
        const state = this.lookup(message);
        if (!state) return;
        const add = num(value.bytes_to_add);
        state.window[other(direction)] += add;
        if (this.keepDataEvents) this.event(state, message, 'window-adjust', `+${add}`, add);
        return;
      }
      case 'SSH_MSG_CHANNEL_DATA':
      case 'SSH_MSG_CHANNEL_EXTENDED_DATA': {
        const state = this.lookup(message);
        if (!state) return;
        const data = value.data instanceof Uint8Array ? value.data : new Uint8Array(0);
        const length = message.dataLength ?? data.length;
        state.window[direction] -= length;
        if (state.complete && state.window[direction] < 0) {
          this.problem(message, 'window-overrun', `the ${direction} sent ${-state.window[direction]} byte(s) more than the channel window allowed (RFC 4254 §5.2)`);
        }
        const extended = message.name === 'SSH_MSG_CHANNEL_EXTENDED_DATA';
        if (this.keepData) {
          const key = `${direction}${extended ? 'Extended' : ''}Data` as 'clientData' | 'serverData' | 'clientExtendedData' | 'serverExtendedData';
          state.record[key].push(data);
        }
        if (this.keepDataEvents) this.event(state, message, extended ? 'extended-data' : 'data', `${length} bytes`, length);
        return;
      }
      case 'SSH_MSG_CHANNEL_EOF': {
        const state = this.lookup(message);
        if (state) this.event(state, message, 'eof', 'EOF');
        return;
      }
      case 'SSH_MSG_CHANNEL_CLOSE': {
        const state = this.lookup(message);
        if (state) this.event(state, message, 'close', 'CLOSE');
        return;
      }
      case 'SSH_MSG_CHANNEL_REQUEST': {
        const state = this.lookup(message);
        if (!state) return;
        const request = String(value.request_type ?? '');
        const wantReply = value.want_reply === true;
        state.record.requests.push({ packet, direction, request, wantReply, value: requestArguments(value) });
        if (wantReply) state.pending[direction].push(state.record.requests.length - 1);
        if (request === 'exit-status') state.record.exitStatus = num(value.exit_status);
        if (request === 'exit-signal') state.record.exitSignal = String(value.signal ?? '');
        this.event(state, message, 'request', request);
        return;
      }
      case 'SSH_MSG_CHANNEL_SUCCESS':
      case 'SSH_MSG_CHANNEL_FAILURE': {
        const state = this.lookup(message);
        if (!state) return;
        const index = state.pending[other(direction)].shift();
        const reply = message.name === 'SSH_MSG_CHANNEL_SUCCESS' ? 'success' : 'failure';
        if (index === undefined && state.complete) {
          this.problem(message, 'unexpected-reply', `CHANNEL_${reply.toUpperCase()} from the ${direction} answers no pending request`);
        } else if (index !== undefined) {
          state.record.requests[index].reply = reply;
        }
        this.event(state, message, 'reply', reply);
        return;
      }
    }
  }

  private open(message: ChannelMessage): void {
    const { direction, value, packet } = message;
    const id = num(value.sender_channel);
    const { channel_type, sender_channel: _s, initial_window_size: _w, maximum_packet_size: _m, ...openValue } = value;
    void _s; void _w; void _m;
    const record: ChannelRecord = {
      type: String(channel_type ?? ''),
      opener: direction,
      clientId: direction === 'client' ? id : null,
      serverId: direction === 'server' ? id : null,
      openValue: { ...openValue, maximumPacketSize: value.maximum_packet_size },
      requests: [],
      events: [],
      clientData: [],
      serverData: [],
      clientExtendedData: [],
      serverExtendedData: [],
      exitStatus: null,
    };
    const state: ChannelState = { record, window: { client: 0, server: 0 }, pending: { client: [], server: [] }, complete: true };
    // The opener's initial window is what the other side may send.
    state.window[other(direction)] = num(value.initial_window_size);
    this.channels.push(record);
    this.byId[direction].set(id, state);
    this.event(state, { ...message, packet }, 'open', record.type);
  }

  /** The channel an OPEN_CONFIRMATION / OPEN_FAILURE answers: the opener's number is its recipient_channel. */
  private pendingOpen(message: ChannelMessage): ChannelState | undefined {
    const opener = other(message.direction);
    const id = num(message.value.recipient_channel);
    const state = this.byId[opener].get(id);
    if (state && state.record.opener === opener) return state;
    if (!state && this.lost[opener].length) {
      // The opener's CHANNEL_OPEN was lost: follow the channel from its confirmation.
      this.problem(message, 'channel-opening-lost', this.lostOpeningText(message, opener, true));
      return this.adopt(opener, id, opener);
    }
    this.unknown(message, opener, `${message.name} names channel ${id}, which the ${opener} never opened`);
    return undefined;
  }

  private lookup(message: ChannelMessage): ChannelState | undefined {
    const receiver = other(message.direction);
    const id = num(message.value.recipient_channel);
    const state = this.byId[receiver].get(id);
    if (state) return state;
    if (!this.lost[receiver].length) {
      this.unknown(message, receiver, `${message.name} names channel ${id}, which the ${receiver} has not opened`);
      return undefined;
    }
    // The receiver announced `id` in its CHANNEL_OPEN or its OPEN_CONFIRMATION, and its stream lost bytes. The one
    // channel the sender opened that never got a confirmation is the sender's own: take it. Otherwise the receiver
    // opened it.
    const sender = message.direction;
    const waiting = [...this.byId[sender].values()].filter((s) => s.record.opener === sender && s.record[receiver === 'client' ? 'clientId' : 'serverId'] === null);
    if (waiting.length === 1) {
      const [unconfirmed] = waiting;
      unconfirmed.record[receiver === 'client' ? 'clientId' : 'serverId'] = id;
      unconfirmed.complete = false;
      this.byId[receiver].set(id, unconfirmed);
      this.problem(message, 'channel-opening-lost', `${this.lostOpeningText(message, receiver, false, 'OPEN_CONFIRMATION')}; taken to be the ${sender}'s channel ${num(unconfirmed.record[sender === 'client' ? 'clientId' : 'serverId'])} (${inertType(unconfirmed.record.type)}), the only one the ${receiver} had not confirmed`);
      return unconfirmed;
    }
    this.problem(message, 'channel-opening-lost', this.lostOpeningText(message, receiver, true));
    return this.adopt(receiver, id, receiver);
  }

  /** A channel first seen after lost bytes: tracked from `message` on, its type, other number and windows unknown. */
  private adopt(owner: Direction, id: number, opener: Direction): ChannelState {
    const gap = this.lost[owner][this.lost[owner].length - 1];
    const record: ChannelRecord = {
      type: OPENING_LOST, opener,
      clientId: owner === 'client' ? id : null,
      serverId: owner === 'server' ? id : null,
      openValue: { openingLost: { direction: owner, streamOffset: gap.streamOffset, length: gap.length } },
      requests: [], events: [], clientData: [], serverData: [], clientExtendedData: [], serverExtendedData: [], exitStatus: null,
    };
    const state: ChannelState = { record, window: { client: 0, server: 0 }, pending: { client: [], server: [] }, complete: false };
    this.channels.push(record);
    this.byId[owner].set(id, state);
    return state;
  }

  /**
   * The problem text for a message naming `owner`'s unknown channel after `owner`'s stream lost bytes. `followed`:
   * the channel is tracked from this message on.
   */
  private lostOpeningText(message: ChannelMessage, owner: Direction, followed: boolean, lostMessage = 'CHANNEL_OPEN or OPEN_CONFIRMATION'): string {
    const gaps = this.lost[owner];
    const gap = gaps[gaps.length - 1];
    const more = gaps.length > 1 ? ` (the last of ${gaps.length} gaps)` : '';
    const what = message.name === 'SSH_MSG_CHANNEL_OPEN_CONFIRMATION' || message.name === 'SSH_MSG_CHANNEL_OPEN_FAILURE' ? 'CHANNEL_OPEN' : lostMessage;
    return `${message.name} names channel ${num(message.value.recipient_channel)} of the ${owner}, whose ${what} was probably in the ${gap.length} byte(s) lost from the ${owner}'s stream at offset ${gap.streamOffset}${more} or in what could not be framed after them, not missing from the session${followed ? '; the channel is followed from here, its type and flow-control windows unknown' : ''}`;
  }

  /** A message naming a channel nobody opened (and no lost bytes to explain it, so far). */
  private unknown(message: ChannelMessage, owner: Direction, text: string): void {
    this.problem(message, 'unknown-channel', text);
    const { data, ...rest } = message.value;
    const kept = this.keepData || !(data instanceof Uint8Array) ? message : { ...message, value: rest, dataLength: data.length };
    this.unexplained.push({ problem: this.problems[this.problems.length - 1], owner, message: kept });
  }

  private event(state: ChannelState, message: ChannelMessage, kind: ChannelRecord['events'][number]['kind'], detail: string, bytes?: number): void {
    // Built field by field (same key order): conditional spreads cost microseconds per call in V8 (node 20).
    const event: ChannelRecord['events'][number] = { packet: message.packet, direction: message.direction, kind, detail };
    if (bytes !== undefined) event.bytes = bytes;
    if (state.complete) event.window = { client: state.window.client, server: state.window.server };
    state.record.events.push(event);
  }

  private problem(message: ChannelMessage, code: string, text: string): void {
    this.problems.push({ code, message: text, direction: message.direction, packet: message.packet, severity: 'warning' });
  }
}

/** The type shown for a channel whose CHANNEL_OPEN (and so its channel_type) was lost. */
export const OPENING_LOST = '(opening lost)';

/** A channel type from the wire, quoted and made inert (see summary.ts). */
const inertType = (type: string) => (type ? `"${inert(type, 40)}"` : 'no type');

function num(value: unknown): number {
  return typeof value === 'number' ? value : 0;
}

/** The request-specific part of a CHANNEL_REQUEST value (without the fields every request has). */
function requestArguments(value: Record<string, unknown>): Record<string, unknown> {
  const { recipient_channel: _r, request_type: _t, want_reply: _w, ...rest } = value;
  void _r; void _t; void _w;
  return rest;
}
