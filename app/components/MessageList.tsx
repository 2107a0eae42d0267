/**
 * The message list: one row per packet, windowed so 100 000+ rows scroll smoothly; filters by phase, message type,
 * direction and channel, and a text search. Arrow keys, Page Up/Down, Home and End move the selection.
 */
import { useEffect, useId, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import type { SessionRecord } from '../../engine/trace/model.ts';
import { buildFilterIndex, filterPackets, NO_FILTER, type MessageFilter } from '../lib/filters.ts';
import { PHASE_LABELS, shortName, type Phase } from '../lib/phases.ts';
import { useVirtualRows } from '../lib/useVirtualRows.ts';
import { useSelection } from '../state/selection.tsx';
import { InertText } from './InertText.tsx';

const ROW_HEIGHT = 24;
const PHASES: Phase[] = ['kex', 'auth', 'connection', 'transport'];

export function MessageList({ session, initialFilter = NO_FILTER }: { session: SessionRecord; initialFilter?: MessageFilter }) {
  const { selection, select, setHover } = useSelection();
  const [filter, setFilter] = useState<MessageFilter>(initialFilter);
  const index = useMemo(() => buildFilterIndex(session), [session]);
  const rows = useMemo(() => filterPackets(session, index, filter), [session, index, filter]);
  const container = useRef<HTMLDivElement>(null);
  const view = useVirtualRows(container, rows.length, ROW_HEIGHT);
  const id = useId();
  const selectedRow = selection.message === null ? -1 : rows.indexOf(selection.message);

  useEffect(() => {
    if (selectedRow >= 0) view.scrollTo(selectedRow);
  }, [selectedRow]); // eslint-disable-line react-hooks/exhaustive-deps

  const onKeyDown = (event: KeyboardEvent) => {
    const step: Record<string, number> = { ArrowDown: 1, ArrowUp: -1, PageDown: 20, PageUp: -20, Home: -Infinity, End: Infinity };
    if (!(event.key in step) || rows.length === 0) return;
    event.preventDefault();
    const from = selectedRow < 0 ? -1 : selectedRow;
    const next = Math.min(rows.length - 1, Math.max(0, from + step[event.key]));
    select({ message: rows[next] });
  };
  const set = (patch: Partial<MessageFilter>) => setFilter((current) => ({ ...current, ...patch }));

  const items = [];
  for (let row = view.start; row < view.end; row++) {
    const packetIndex = rows[row];
    const packet = session.packets[packetIndex];
    const isSelected = packetIndex === selection.message;
    items.push(
      <div
        key={packetIndex}
        id={`${id}-row-${packetIndex}`}
        role="option"
        aria-selected={isSelected}
        className={`ml-row dir-bg-${packet.direction}${isSelected ? ' ml-selected' : ''}`}
        style={{ top: row * ROW_HEIGHT, height: ROW_HEIGHT }}
        onClick={() => select({ message: packetIndex })}
        onMouseEnter={() => setHover({ message: packetIndex })}
      >
        <span className="ml-index">{packetIndex}</span>
        <span className={`ml-dir dir-${packet.direction}`}>{packet.direction === 'client' ? 'C→S' : 'S→C'}</span>
        <span className="ml-seq">#{packet.sequence}{packet.epoch > 0 ? ` e${packet.epoch}` : ''}</span>
        <span className="ml-name">{shortName(packet.message?.name)}</span>
        <span className="ml-summary"><InertText text={packet.message?.summary ?? packet.error ?? ''} max={100} /></span>
        <span className="ml-size muted">{packet.stream.end - packet.stream.start} B</span>
      </div>,
    );
  }

  return (
    <section className="message-list" aria-label="Messages">
      <div className="ml-filters" role="search">
        <label>Phase{' '}
          <select value={filter.phase} onChange={(e) => set({ phase: e.target.value as MessageFilter['phase'] })}>
            <option value="all">all</option>
            {PHASES.map((phase) => <option key={phase} value={phase}>{PHASE_LABELS[phase]}</option>)}
          </select>
        </label>
        <label>Type{' '}
          <select value={filter.type} onChange={(e) => set({ type: e.target.value })}>
            <option value="all">all</option>
            {index.types.map((type) => <option key={type} value={type}>{shortName(type)}</option>)}
          </select>
        </label>
        <label>Direction{' '}
          <select value={filter.direction} onChange={(e) => set({ direction: e.target.value as MessageFilter['direction'] })}>
            <option value="all">both</option>
            <option value="client">client → server</option>
            <option value="server">server → client</option>
          </select>
        </label>
        <label>Channel{' '}
          <select value={String(filter.channel)} onChange={(e) => set({ channel: e.target.value === 'all' ? 'all' : Number(e.target.value) })}>
            <option value="all">all</option>
            {session.channels.map((channel, i) => (
              <option key={i} value={i}>#{channel.clientId ?? '?'}/{channel.serverId ?? '?'} {channel.type}</option>
            ))}
          </select>
        </label>
        <label>Search{' '}
          <input type="search" value={filter.search} onChange={(e) => set({ search: e.target.value })} placeholder="name, text, #seq" />
        </label>
        <span className="muted" aria-live="polite">{rows.length} of {session.packets.length} messages</span>
      </div>
      <div
        ref={container}
        className="ml-scroll"
        role="listbox"
        tabIndex={0}
        aria-label={`Messages, ${rows.length} shown`}
        aria-activedescendant={selectedRow >= 0 && selectedRow >= view.start && selectedRow < view.end ? `${id}-row-${selection.message}` : undefined}
        onKeyDown={onKeyDown}
        onMouseLeave={() => setHover({ message: null })}
      >
        <div role="presentation" style={{ height: view.total, position: 'relative' }}>{items}</div>
      </div>
    </section>
  );
}
