/** The message list's filters: phase, message type, direction, channel and a text search, as one predicate. */
import type { Direction, SessionRecord } from '../../engine/trace/model.ts';
import type { Phase } from './phases.ts';
import { sessionIndex, type SessionIndex } from './session-index.ts';

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

/** Per-session facts the filters need, extended as the session grows (session-index.ts). */
export type FilterIndex = SessionIndex;

export function buildFilterIndex(session: SessionRecord): FilterIndex {
  return sessionIndex(session);
}

interface Filtered {
  filter: MessageFilter;
  done: number;
  out: number[];
}

/** The last filter's result per packets array, extended as a streaming session grows (its array only grows). */
const filtered = new WeakMap<readonly unknown[], Filtered>();

/**
 * The indexes of the packets that pass the filter, in order. Asked again with the same filter object for a session
 * whose packets array grew, it looks only at the new packets (and returns the same, extended array).
 */
export function filterPackets(session: SessionRecord, index: FilterIndex, filter: MessageFilter): number[] {
  const needle = filter.search.trim().toLowerCase();
  const packets = session.packets;
  let cache = filtered.get(packets);
  if (!cache || cache.filter !== filter || cache.done > packets.length) filtered.set(packets, (cache = { filter, done: 0, out: [] }));
  const out = cache.out;
  for (let i = cache.done; i < packets.length; i++) {
    const packet = packets[i];
    if (filter.direction !== 'all' && packet.direction !== filter.direction) continue;
    if (filter.phase !== 'all' && index.phases[i] !== filter.phase) continue;
    if (filter.type !== 'all' && packet.message?.name !== filter.type) continue;
    if (filter.channel !== 'all' && index.channels.get(i) !== filter.channel) continue;
    if (needle && !index.text(i).includes(needle)) continue;
    out.push(i);
  }
  cache.done = packets.length;
  return out;
}
