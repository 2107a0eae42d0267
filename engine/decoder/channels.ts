/**
 * @module decoder/channels
 * Follows the connection protocol's channels (RFC 4254 §5) through a session's decoded messages: which side opened
 * each, both channel numbers, the requests and their replies (§5.4), data and extended data per direction (§5.2),
 * EOF and CLOSE (§5.3), and the flow-control windows over time (§5.2), for the channel views and the trace.
 *
 * A message names a channel by the *receiver's* number (recipient_channel): what the client sends carries the
 * server's number and vice versa.
 */
import type { ChannelRecord, Direction, Problem } from '../trace/model.ts';

export interface ChannelMessage {
  packet: number;
  direction: Direction;
  name: string;
  value: Record<string, unknown>;
}

interface ChannelState {
  record: ChannelRecord;
  /** Bytes each side may still send: client = granted by the server, server = granted by the client. */
  window: { client: number; server: number };
  /** Requests waiting for a reply, per requesting side, oldest first. */
  pending: { client: number[]; server: number[] };
}

const other = (d: Direction): Direction => (d === 'client' ? 'server' : 'client');

export interface ChannelTrackerOptions {
  /** Keep the bytes of CHANNEL_DATA / EXTENDED_DATA in the records (the JSON output needs them). Default true. */
  keepData?: boolean;
}

export class ChannelTracker {
  readonly channels: ChannelRecord[] = [];
  readonly problems: Problem[] = [];
  /** Open channels by the number each side gave them. */
  private readonly byId = { client: new Map<number, ChannelState>(), server: new Map<number, ChannelState>() };
  private readonly keepData: boolean;

  constructor(options: ChannelTrackerOptions = {}) {
    this.keepData = options.keepData ?? true;
  }

  /**
   * Bytes of one direction were lost from the capture (a TCP gap): later messages may name channels whose opening
   * was in the lost bytes. Called by the session decoder; the tracker uses it to word its problems.
   */
  lostBytes(_direction: Direction, _streamOffset: number, _length: number): void {
    // Filled in by the robustness work (issue 8).
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
        this.event(state, message, 'window-adjust', `+${add}`, add);
        return;
      }
      case 'SSH_MSG_CHANNEL_DATA':
      case 'SSH_MSG_CHANNEL_EXTENDED_DATA': {
        const state = this.lookup(message);
        if (!state) return;
        const data = value.data instanceof Uint8Array ? value.data : new Uint8Array(0);
        state.window[direction] -= data.length;
        if (state.window[direction] < 0) {
          this.problem(message, 'window-overrun', `the ${direction} sent ${-state.window[direction]} byte(s) more than the channel window allowed (RFC 4254 §5.2)`);
        }
        const extended = message.name === 'SSH_MSG_CHANNEL_EXTENDED_DATA';
        if (this.keepData) {
          const key = `${direction}${extended ? 'Extended' : ''}Data` as 'clientData' | 'serverData' | 'clientExtendedData' | 'serverExtendedData';
          state.record[key].push(data);
        }
        this.event(state, message, extended ? 'extended-data' : 'data', `${data.length} bytes`, data.length);
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
        if (index === undefined) {
          this.problem(message, 'unexpected-reply', `CHANNEL_${reply.toUpperCase()} from the ${direction} answers no pending request`);
        } else {
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
    const state: ChannelState = { record, window: { client: 0, server: 0 }, pending: { client: [], server: [] } };
    // The opener's initial window is what the other side may send.
    state.window[other(direction)] = num(value.initial_window_size);
    this.channels.push(record);
    this.byId[direction].set(id, state);
    this.event(state, { ...message, packet }, 'open', record.type);
  }

  /** The channel an OPEN_CONFIRMATION / OPEN_FAILURE answers: the opener's number is its recipient_channel. */
  private pendingOpen(message: ChannelMessage): ChannelState | undefined {
    const opener = other(message.direction);
    const state = this.byId[opener].get(num(message.value.recipient_channel));
    if (!state || state.record.opener !== opener) {
      this.problem(message, 'unknown-channel', `${message.name} names channel ${num(message.value.recipient_channel)}, which the ${opener} never opened`);
      return undefined;
    }
    return state;
  }

  private lookup(message: ChannelMessage): ChannelState | undefined {
    const receiver = other(message.direction);
    const id = num(message.value.recipient_channel);
    const state = this.byId[receiver].get(id);
    if (!state) this.problem(message, 'unknown-channel', `${message.name} names channel ${id}, which the ${receiver} has not opened`);
    return state;
  }

  private event(state: ChannelState, message: ChannelMessage, kind: ChannelRecord['events'][number]['kind'], detail: string, bytes?: number): void {
    state.record.events.push({
      packet: message.packet,
      direction: message.direction,
      kind,
      detail,
      ...(bytes === undefined ? {} : { bytes }),
      window: { ...state.window },
    });
  }

  private problem(message: ChannelMessage, code: string, text: string): void {
    this.problems.push({ code, message: text, direction: message.direction, packet: message.packet, severity: 'warning' });
  }
}

function num(value: unknown): number {
  return typeof value === 'number' ? value : 0;
}

/** The request-specific part of a CHANNEL_REQUEST value (without the fields every request has). */
function requestArguments(value: Record<string, unknown>): Record<string, unknown> {
  const { recipient_channel: _r, request_type: _t, want_reply: _w, ...rest } = value;
  void _r; void _t; void _w;
  return rest;
}
