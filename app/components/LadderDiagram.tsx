/**
 * The ladder (sequence) diagram: a client lane and a server lane, one arrow per message, grouped by phase
 * (identification, key exchange, authentication, connection), with each packet's sequence number and key epoch.
 * Click or use the arrow keys to select; the diagram is windowed, so long sessions stay fast. d3 computes the scales;
 * React draws the SVG.
 */
import { useEffect, useId, useMemo, useRef, type KeyboardEvent } from 'react';
import { scaleLinear, scalePoint } from 'd3';
import type { Direction, SessionRecord } from '../../engine/trace/model.ts';
import { packetPhases, PHASE_LABELS, shortName, type Phase } from '../lib/phases.ts';
import { useVirtualRows } from '../lib/useVirtualRows.ts';
import { useSelection } from '../state/selection.tsx';
import { inertString } from '../lib/inert.ts';

const ROW = 30;
const WIDTH = 460;
const BAND = 96;

type Row =
  | { kind: 'id'; direction: Direction; phase: Phase; text: string }
  | { kind: 'packet'; index: number; phase: Phase; epochChange: boolean };

export function LadderDiagram({ session, focusPhase }: { session: SessionRecord; focusPhase?: Phase }) {
  const { selection, hover, select, setHover } = useSelection();
  const id = useId();
  const rows = useMemo<Row[]>(() => {
    const out: Row[] = [];
    for (const direction of ['client', 'server'] as const) {
      const record = session.identification[direction];
      if (record) out.push({ kind: 'id', direction, phase: 'identification', text: inertString(record.line, 60) });
    }
    const phases = packetPhases(session.packets);
    const lastEpoch = { client: 0, server: 0 };
    session.packets.forEach((packet, index) => {
      const epochChange = packet.epoch !== lastEpoch[packet.direction];
      lastEpoch[packet.direction] = packet.epoch;
      out.push({ kind: 'packet', index, phase: phases[index], epochChange });
    });
    return focusPhase ? out.filter((row) => row.phase === focusPhase) : out;
  }, [session, focusPhase]);

  const packetRows = useMemo(() => rows.flatMap((row, i) => (row.kind === 'packet' ? [i] : [])), [rows]);
  const container = useRef<HTMLDivElement>(null);
  const view = useVirtualRows(container, rows.length, ROW);
  const x = useMemo(() => scalePoint<Direction>().domain(['client', 'server']).range([BAND + 50, WIDTH - 40]), []);
  const y = useMemo(() => scaleLinear().domain([0, rows.length]).range([0, rows.length * ROW]), [rows.length]);
  const selectedRow = rows.findIndex((row) => row.kind === 'packet' && row.index === selection.message);

  useEffect(() => {
    if (selectedRow >= 0) view.scrollTo(selectedRow);
  }, [selectedRow]); // eslint-disable-line react-hooks/exhaustive-deps

  const onKeyDown = (event: KeyboardEvent) => {
    const step: Record<string, number> = { ArrowDown: 1, ArrowUp: -1, PageDown: 10, PageUp: -10, Home: -Infinity, End: Infinity };
    if (!(event.key in step) || packetRows.length === 0) return;
    event.preventDefault();
    const at = packetRows.indexOf(selectedRow);
    const next = Math.min(packetRows.length - 1, Math.max(0, (at < 0 ? -1 : at) + step[event.key]));
    const row = rows[packetRows[next]];
    if (row.kind === 'packet') select({ message: row.index });
  };

  // Phase bands: runs of rows with the same phase, clipped to the window.
  const bands: { phase: Phase; from: number; to: number }[] = [];
  for (let i = view.start; i < view.end; i++) {
    const last = bands[bands.length - 1];
    if (last && last.phase === rows[i].phase && last.to === i) last.to = i + 1;
    else bands.push({ phase: rows[i].phase, from: i, to: i + 1 });
  }

  const marks = [];
  for (let i = view.start; i < view.end; i++) {
    const row = rows[i];
    const top = y(i);
    const mid = top + ROW / 2 + 4;
    if (row.kind === 'id') {
      const from = x(row.direction)!;
      const to = x(row.direction === 'client' ? 'server' : 'client')!;
      marks.push(
        <g key={`id-${row.direction}`} className={`ld-arrow ld-${row.direction}`}>
          <line x1={from} x2={to} y1={mid} y2={mid} markerEnd={`url(#${id}-head-${row.direction})`} strokeDasharray="4 3" />
          <text x={(from + to) / 2} y={mid - 5} textAnchor="middle" className="ld-label">{row.text.slice(0, 34)}</text>
        </g>,
      );
      continue;
    }
    const packet = session.packets[row.index];
    const from = x(packet.direction)!;
    const to = x(packet.direction === 'client' ? 'server' : 'client')!;
    const isSelected = row.index === selection.message;
    const isHovered = row.index === hover.message;
    const name = shortName(packet.message?.name);
    marks.push(
      <g
        key={row.index}
        id={`${id}-m-${row.index}`}
        role="option"
        aria-selected={isSelected}
        className={`ld-arrow ld-${packet.direction}${isSelected ? ' ld-selected' : ''}${isHovered ? ' ld-hover' : ''}`}
        onClick={() => select({ message: row.index })}
        onMouseEnter={() => setHover({ message: row.index })}
      >
        <title>{`${row.index}: ${packet.direction} to ${packet.direction === 'client' ? 'server' : 'client'}, ${name}, sequence ${packet.sequence}, key epoch ${packet.epoch}`}</title>
        <rect x={BAND} y={top} width={WIDTH - BAND} height={ROW} className="ld-hit" />
        <line x1={from} x2={to} y1={mid} y2={mid} markerEnd={`url(#${id}-head-${packet.direction})`} />
        <text x={(from + to) / 2} y={mid - 5} textAnchor="middle" className="ld-label">{name}</text>
        <text x={packet.direction === 'client' ? from - 6 : from + 6} y={mid + 4} textAnchor={packet.direction === 'client' ? 'end' : 'start'} className="ld-seq">
          #{packet.sequence}
        </text>
        {row.epochChange && (
          <text x={packet.direction === 'client' ? from - 6 : from + 6} y={mid - 8} textAnchor={packet.direction === 'client' ? 'end' : 'start'} className="ld-epoch">
            keys {packet.epoch}
          </text>
        )}
      </g>,
    );
  }

  return (
    <section className="ladder" aria-label="Ladder diagram">
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
