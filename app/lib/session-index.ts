/**
 * Per-session facts the ladder and the message list need for every packet - its phase (phases.ts), whether its
 * direction's key epoch changed there, its channel, its message type, its searchable text - kept per packets array
 * and extended from where they stopped. A session that streams in (trace-assembly.ts appends to the same array)
 * costs each batch only its new packets, never the whole session again.
 */
import type { PacketRecord, SessionRecord } from '../../engine/trace/model.ts';
import { inertString } from './inert.ts';
import { phaseOfNumber, type Phase } from './phases.ts';

export interface SessionIndex {
  phases: Phase[];
  /** True where a packet's direction's key epoch differs from that direction's previous packet. */
  epochChange: boolean[];
  /** Packet index -> channel index (into session.channels). */
  channels: Map<number, number>;
  /** Message names seen, sorted. */
  types: string[];
  /** Lower-cased searchable text (name, summary, sequence, direction) of packet `i`, made on first use. */
  text(i: number): string;
}

interface Cache extends SessionIndex {
  /** Packets indexed so far. */
  done: number;
  phase: Phase;
  lastEpoch: { client: number; server: number };
  typeSet: Set<string>;
  texts: string[];
  /** Channel events and requests indexed so far, per channel. */
  channelDone: { events: number; requests: number }[];
  /** The channels array last indexed (a new array means a channel changed). */
  channelsSeen: SessionRecord['channels'] | null;
}

const caches = new WeakMap<readonly PacketRecord[], Cache>();

export function sessionIndex(session: SessionRecord): SessionIndex {
  const packets = session.packets;
  let cache = caches.get(packets);
  if (!cache) {
    const texts: string[] = [];
    cache = {
      phases: [], epochChange: [], channels: new Map(), types: [], done: 0, phase: 'transport', lastEpoch: { client: 0, server: 0 },
      typeSet: new Set(), texts, channelDone: [], channelsSeen: null,
      text: (i) => (texts[i] ??= searchText(packets[i])),
    };
    caches.set(packets, cache);
  }
  extendPackets(cache, packets);
  if (cache.channelsSeen !== session.channels) extendChannels(cache, session);
  return cache;
}

function extendPackets(cache: Cache, packets: readonly PacketRecord[]): void {
  if (cache.done === packets.length) return;
  let newType = false;
  for (let i = cache.done; i < packets.length; i++) {
    const packet = packets[i];
    const number = packet.message?.number;
    const own = number === undefined ? null : phaseOfNumber(number);
    if (own) cache.phase = own;
    cache.phases.push(own ?? cache.phase);
    cache.epochChange.push(packet.epoch !== cache.lastEpoch[packet.direction]);
    cache.lastEpoch[packet.direction] = packet.epoch;
    const name = packet.message?.name;
    if (name && !cache.typeSet.has(name)) {
      cache.typeSet.add(name);
      newType = true;
    }
  }
  cache.done = packets.length;
  if (newType) cache.types = [...cache.typeSet].sort();
}

function extendChannels(cache: Cache, session: SessionRecord): void {
  session.channels.forEach((channel, index) => {
    const done = (cache.channelDone[index] ??= { events: 0, requests: 0 });
    for (let i = done.events; i < channel.events.length; i++) cache.channels.set(channel.events[i].packet, index);
    for (let i = done.requests; i < channel.requests.length; i++) cache.channels.set(channel.requests[i].packet, index);
    done.events = channel.events.length;
    done.requests = channel.requests.length;
  });
  cache.channelsSeen = session.channels;
}

function searchText(packet: PacketRecord): string {
  const name = packet.message?.name ?? '';
  return `${name} ${inertString(packet.message?.summary ?? '')} #${packet.sequence} ${packet.direction}`.toLowerCase();
}
