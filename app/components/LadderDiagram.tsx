/**
 * The ladder (sequence) diagram: a client lane and a server lane, one arrow per message, grouped by phase
 * (identification, key exchange, authentication, connection), with each packet's sequence number and key epoch.
 * Click or use the arrow keys to select; the diagram is windowed, so long sessions stay fast. d3 computes the scales;
 * React draws the SVG.
 */
import { useEffect, useId, useMemo, useRef, type KeyboardEvent } from 'react';
import { scaleLinear, scalePoint } from 'd3';
import type { Direction, SessionRecord } from '../../engine/trace/model.ts';
import { PHASE_LABELS, shortName, type Phase } from '../lib/phases.ts';
import { sessionIndex } from '../lib/session-index.ts';
import { useVirtualRows } from '../lib/useVirtualRows.ts';
import { useSelection } from '../state/selection.tsx';
import { inertString } from '../lib/inert.ts';

const ROW = 30;
const WIDTH = 460;
const BAND = 96;

/** A row: a packet index, or an identification line (ID_ROW.client / ID_ROW.server). */
const ID_ROW = { client: -1, server: -2 } as const;

interface Rows {
  focusPhase: Phase | undefined;
  ids: number;
  done: number;
  out: number[];
}
/** Rows per packets array, extended as a streaming session grows (its array only grows). */
const rowCache = new WeakMap<readonly unknown[], Rows>();

/** The identification rows, then the packets (of `focusPhase` only, when given); looks only at packets added since the last call. */
function ladderRows(session: SessionRecord, phases: readonly Phase[], focusPhase: Phase | undefined): number[] {
  const ids: number[] = [];
  if (!focusPhase || focusPhase === 'identification') {
    for (const direction of ['client', 'server'] as const) if (session.identification[direction]) ids.push(ID_ROW[direction]);
  }
  if (focusPhase === 'identification') return ids;
  let cache = rowCache.get(session.packets);
  if (!cache || cache.focusPhase !== focusPhase || cache.ids !== ids.length || cache.done > session.packets.length) {
    rowCache.set(session.packets, (cache = { focusPhase, ids: ids.length, done: 0, out: ids }));
  }
  for (let i = cache.done; i < session.packets.length; i++) if (!focusPhase || phases[i] === focusPhase) cache.out.push(i);
  cache.done = session.packets.length;
  return cache.out;
}

/** `label` names the diagram's landmark; pages with several diagrams give each its own. */
export function LadderDiagram({ session, focusPhase, label = 'Ladder diagram' }: { session: SessionRecord; focusPhase?: Phase; label?: string }) {
  const { selection, hover, select, setHover } = useSelection();
  const id = useId();
  // The index extends with the session as it streams in; the rows are plain numbers, cheap to rebuild per batch.
  const index = useMemo(() => sessionIndex(session), [session]);
  const rows = useMemo<number[]>(() => ladderRows(session, index.phases, focusPhase), [session, index, focusPhase]);
  const phaseOf = (row: number): Phase => (row < 0 ? 'identification' : index.phases[row]);

  const container = useRef<HTMLDivElement>(null);
  const view = useVirtualRows(container, rows.length, ROW);
  const x = useMemo(() => scalePoint<Direction>().domain(['client', 'server']).range([BAND + 50, WIDTH - 40]), []);
  const y = useMemo(() => scaleLinear().domain([0, rows.length]).range([0, rows.length * ROW]), [rows.length]);
  const selectedRow = selection.message === null ? -1 : rows.indexOf(selection.message);
  const firstPacketRow = rows.findIndex((row) => row >= 0);

  useEffect(() => {
    if (selectedRow >= 0) view.scrollTo(selectedRow);
  }, [selectedRow]); // eslint-disable-line react-hooks/exhaustive-deps

  const onKeyDown = (event: KeyboardEvent) => {
    const step: Record<string, number> = { ArrowDown: 1, ArrowUp: -1, PageDown: 10, PageUp: -10, Home: -Infinity, End: Infinity };
    if (!(event.key in step) || firstPacketRow < 0) return;
    event.preventDefault();
    // Packet rows follow the identification rows, so positions from firstPacketRow on are all packets.
    const count = rows.length - firstPacketRow;
    const at = selectedRow < 0 ? -1 : selectedRow - firstPacketRow;
    const next = Math.min(count - 1, Math.max(0, at + step[event.key]));
    select({ message: rows[firstPacketRow + next] });
  };

  // Phase bands: runs of rows with the same phase, clipped to the window.
  const bands: { phase: Phase; from: number; to: number }[] = [];
  for (let i = view.start; i < view.end; i++) {
    const last = bands[bands.length - 1];
    const phase = phaseOf(rows[i]);
    if (last && last.phase === phase && last.to === i) last.to = i + 1;
    else bands.push({ phase, from: i, to: i + 1 });
  }

  const marks = [];
  for (let i = view.start; i < view.end; i++) {
    const row = rows[i];
    const top = y(i);
    const mid = top + ROW / 2 + 4;
    if (row < 0) {
      const direction: Direction = row === ID_ROW.client ? 'client' : 'server';
      const from = x(direction)!;
      const to = x(direction === 'client' ? 'server' : 'client')!;
      const text = inertString(session.identification[direction]?.line ?? '', 60);
      marks.push(
        <g key={`id-${direction}`} className={`ld-arrow ld-${direction}`}>
          <line x1={from} x2={to} y1={mid} y2={mid} markerEnd={`url(#${id}-head-${direction})`} strokeDasharray="4 3" />
          <text x={(from + to) / 2} y={mid - 5} textAnchor="middle" className="ld-label">{text.slice(0, 34)}</text>
        </g>,
      );
      continue;
    }
    const packet = session.packets[row];
    const epochChange = index.epochChange[row];
    const from = x(packet.direction)!;
    const to = x(packet.direction === 'client' ? 'server' : 'client')!;
    const isSelected = row === selection.message;
    const isHovered = row === hover.message;
    const name = shortName(packet.message?.name);
    marks.push(
      <g
        key={row}
        id={`${id}-m-${row}`}
        role="option"
        aria-selected={isSelected}
        className={`ld-arrow ld-${packet.direction}${isSelected ? ' ld-selected' : ''}${isHovered ? ' ld-hover' : ''}`}
        onClick={() => select({ message: row })}
        onMouseEnter={() => setHover({ message: row })}
      >
        <title>{`${row}: ${packet.direction} to ${packet.direction === 'client' ? 'server' : 'client'}, ${name}, sequence ${packet.sequence}, key epoch ${packet.epoch}`}</title>
        <rect x={BAND} y={top} width={WIDTH - BAND} height={ROW} className="ld-hit" />
        <line x1={from} x2={to} y1={mid} y2={mid} markerEnd={`url(#${id}-head-${packet.direction})`} />
        <text x={(from + to) / 2} y={mid - 5} textAnchor="middle" className="ld-label">{name}</text>
        <text x={packet.direction === 'client' ? from - 6 : from + 6} y={mid + 4} textAnchor={packet.direction === 'client' ? 'end' : 'start'} className="ld-seq">
          #{packet.sequence}
        </text>
        {epochChange && (
          <text x={packet.direction === 'client' ? from - 6 : from + 6} y={mid - 8} textAnchor={packet.direction === 'client' ? 'end' : 'start'} className="ld-epoch">
            keys {packet.epoch}
          </text>
        )}
      </g>,
    );
  }

  if (rows.length === 0) {
    // An empty listbox is an accessibility fault (a listbox needs options): say what is missing instead.
    return (
      <section className="ladder" aria-label={label}>
        <p className="muted ld-empty">
          {focusPhase ? `This session has no messages in the ${PHASE_LABELS[focusPhase].toLowerCase()} phase.` : 'This session has no messages yet.'}
        </p>
      </section>
    );
  }

  return (
    <section className="ladder" aria-label={label}>
      <div className="ld-head">
        <span style={{ left: x('client')! - 30 }} className="dir-client">Client</span>
        <span style={{ left: x('server')! - 30 }} className="dir-server">Server</span>
      </div>
      <div
        ref={container}
        className="ld-scroll"
        role="listbox"
        tabIndex={0}
        aria-label="Ladder diagram of the messages; arrow keys move the selection"
        aria-activedescendant={selectedRow >= view.start && selectedRow < view.end && selectedRow >= 0 ? `${id}-m-${selection.message}` : undefined}
        onKeyDown={onKeyDown}
        onMouseLeave={() => setHover({ message: null })}
      >
        <svg width="100%" viewBox={`0 0 ${WIDTH} ${Math.max(view.total, ROW)}`} style={{ height: Math.max(view.total, ROW) }} role="presentation" preserveAspectRatio="xMinYMin meet">
          <defs>
            {(['client', 'server'] as const).map((d) => (
              <marker key={d} id={`${id}-head-${d}`} viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
                <path d="M0,0 L10,5 L0,10 z" className={`ld-head-${d}`} />
              </marker>
            ))}
          </defs>
          {bands.map((band) => (
            <g key={`${band.phase}-${band.from}`} className={`ld-band ld-band-${band.phase}`}>
              <rect x={0} y={y(band.from)} width={BAND - 6} height={y(band.to) - y(band.from)} />
              <text x={6} y={y(band.from) + 16}>{PHASE_LABELS[band.phase]}</text>
            </g>
          ))}
          <line x1={x('client')} x2={x('client')} y1={0} y2={view.total} className="ld-lane" />
          <line x1={x('server')} x2={x('server')} y1={0} y2={view.total} className="ld-lane" />
          {marks}
        </svg>
      </div>
    </section>
  );
}
