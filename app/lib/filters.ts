/** The message list's filters: phase, message type, direction, channel and a text search, as one predicate. */
import type { Direction, SessionRecord } from '../../engine/trace/model.ts';
import { inertString } from './inert.ts';
import { packetChannels, packetPhases, type Phase } from './phases.ts';

export interface MessageFilter {
  phase: Phase | 'all';
  /** A message name (SSH_MSG_*), or 'all'. */
  type: string;
  direction: Direction | 'all';
  /** A channel index into session.channels, or 'all'. */
  channel: number | 'all';
  search: string;
}

export const NO_FILTER: MessageFilter = { phase: 'all', type: 'all', direction: 'all', channel: 'all', search: '' };

/** Per-session facts the filters need, computed once per session. */
export interface FilterIndex {
  phases: Phase[];
  channels: Map<number, number>;
  /** Lower-cased searchable text per packet (name, summary, sequence, direction). */
  text: string[];
  types: string[];
}

export function buildFilterIndex(session: SessionRecord): FilterIndex {
  const types = new Set<string>();
  const text = session.packets.map((packet) => {
    const name = packet.message?.name ?? '';
    if (name) types.add(name);
    return `${name} ${inertString(packet.message?.summary ?? '')} #${packet.sequence} ${packet.direction}`.toLowerCase();
  });
  return { phases: packetPhases(session.packets), channels: packetChannels(session), text, types: [...types].sort() };
}

/** The indexes of the packets that pass the filter, in order. */
export function filterPackets(session: SessionRecord, index: FilterIndex, filter: MessageFilter): number[] {
  const needle = filter.search.trim().toLowerCase();
  const out: number[] = [];
  const packets = session.packets;
  for (let i = 0; i < packets.length; i++) {
    const packet = packets[i];
    if (filter.direction !== 'all' && packet.direction !== filter.direction) continue;
    if (filter.phase !== 'all' && index.phases[i] !== filter.phase) continue;
    if (filter.type !== 'all' && packet.message?.name !== filter.type) continue;
    if (filter.channel !== 'all' && index.channels.get(i) !== filter.channel) continue;
    if (needle && !index.text[i].includes(needle)) continue;
    out.push(i);
  }
  return out;
}
