/**
 * A whole trace (a trace JSON the user opened, a bundled sample) replayed as if it were being decoded: a live trace
 * that grows a slice of packets at a time, with the segments, channel events, data and requests and the key
 * exchanges (RFC 4253 §7) that those packets account for, so the worker streams it to the page in batches
 * (trace-stream.ts) exactly as it streams a capture, and a large trace never reaches the page in one task.
 */
import type { ChannelRecord, Direction, SessionRecord, Trace } from '../../engine/trace/model.ts';

/** Packets per slice. */
export const SLICE_PACKETS = 1000;

interface Cursor {
  packets: number;
  segments: Record<Direction, number>;
  /** Per channel: events and data chunks moved, and events moved per direction and kind. */
  channels: { events: number; data: Record<DataKey, number>; kinds: Map<string, number> }[];
}

type DataKey = 'clientData' | 'serverData' | 'clientExtendedData' | 'serverExtendedData';
/** Which events a data array's chunks belong to (one chunk per data message). */
const DATA_EVENTS: Record<DataKey, { direction: Direction; kind: 'data' | 'extended-data' }> = {
  clientData: { direction: 'client', kind: 'data' },
  serverData: { direction: 'server', kind: 'data' },
  clientExtendedData: { direction: 'client', kind: 'extended-data' },
  serverExtendedData: { direction: 'server', kind: 'extended-data' },
};

/**
 * Calls `between(live)` after each slice; the live trace's arrays hold only what was added since the last call when
 * the caller drains them (as TraceStreamer does), or everything so far when it does not. Ends with the whole trace.
 */
export function replayTrace(whole: Trace, between: (live: Trace) => void, slice = SLICE_PACKETS): void {
  const live: Trace = { ...whole, sessions: [], problems: [...whole.problems] };
  whole.sessions.forEach((session) => {
    const own: SessionRecord = {
      ...session, kex: [], packets: [], channels: [], segments: { client: [], server: [] }, problems: [...session.problems],
    };
    live.sessions.push(own);
    const cursor: Cursor = { packets: 0, segments: { client: 0, server: 0 }, channels: [] };
    do {
      const upto = Math.min(session.packets.length, cursor.packets + slice);
      grow(session, own, cursor, upto);
      between(live);
    } while (cursor.packets < session.packets.length);
  });
  if (whole.sessions.length === 0) between(live);
}

function grow(whole: SessionRecord, own: SessionRecord, cursor: Cursor, upto: number): void {
  const all = upto === whole.packets.length;
  const streamEnd: Record<Direction, number> = { client: -1, server: -1 };
  for (let i = cursor.packets; i < upto; i++) {
    const packet = whole.packets[i];
    own.packets.push(packet);
    streamEnd[packet.direction] = Math.max(streamEnd[packet.direction], packet.stream.end);
  }
  cursor.packets = upto;
  for (const direction of ['client', 'server'] as const) {
    const segments = whole.segments[direction];
    while (cursor.segments[direction] < segments.length && (all || segments[cursor.segments[direction]].stream.start < streamEnd[direction])) {
      own.segments[direction].push(segments[cursor.segments[direction]++]);
    }
  }
  // A key exchange once every packet it names has arrived (the views look them up).
  own.kex = whole.kex.filter((kex) => all || [kex.packets.clientKexinit, kex.packets.serverKexinit, kex.packets.clientNewKeys, kex.packets.serverNewKeys,
    ...kex.packets.messages].every((packet) => packet === undefined || packet < upto));
  for (let c = 0; c < whole.channels.length; c++) {
    const channel = whole.channels[c];
    if (c === own.channels.length) {
      if (!all && !(channel.events.length > 0 && channel.events[0].packet < upto)) break;
      own.channels.push(emptyChannel(channel));
      cursor.channels.push({ events: 0, data: { clientData: 0, serverData: 0, clientExtendedData: 0, serverExtendedData: 0 }, kinds: new Map() });
    }
    growChannel(channel, own.channels[c], cursor.channels[c], upto, all);
  }
}

function emptyChannel(channel: ChannelRecord): ChannelRecord {
  return { ...channel, requests: [], events: [], clientData: [], serverData: [], clientExtendedData: [], serverExtendedData: [] };
}

function growChannel(whole: ChannelRecord, own: ChannelRecord, cursor: Cursor['channels'][number], upto: number, all: boolean): void {
  const counts = cursor.kinds;
  while (cursor.events < whole.events.length && (all || whole.events[cursor.events].packet < upto)) {
    const event = whole.events[cursor.events++];
    own.events.push(event);
    const key = `${event.direction}:${event.kind}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  own.requests = all ? whole.requests : whole.requests.filter((request) => request.packet < upto);
  for (const key of Object.keys(DATA_EVENTS) as DataKey[]) {
    const { direction, kind } = DATA_EVENTS[key];
    const chunks = whole[key];
    const target = all ? chunks.length : Math.min(chunks.length, counts.get(`${direction}:${kind}`) ?? 0);
    while (cursor.data[key] < target) own[key].push(chunks[cursor.data[key]++]);
  }
}
