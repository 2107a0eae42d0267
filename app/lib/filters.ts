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
    if (needle && !index.text(i).includes(needle)) continue;
    out.push(i);
  }
  return out;
}
