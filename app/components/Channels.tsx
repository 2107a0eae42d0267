/**
 * Channels (RFC 4254 §5): per channel a timeline of its events (open, requests, data each way, window adjusts, EOF,
 * close) and a chart of the flow-control windows over time (§5.2). d3 computes scales and the step line; React draws.
 * Long channels stay cheap to draw: past a few hundred events the timeline shows one mark per few pixels (with how
 * many events it stands for) and the window chart keeps each pixel column's extremes, both from a summary that grows
 * with the channel (lib/channel-summary.ts), so a render costs the events since the last one, not all of them; many
 * channels are shown a page at a time.
 */
import { useMemo, useState, type KeyboardEvent } from 'react';
import { curveStepAfter, line, scaleLinear } from 'd3';
import type { ChannelEventRecord, ChannelRecord, SessionRecord } from '../../engine/trace/model.ts';
import { useSelection } from '../state/selection.tsx';
import { InertText } from './InertText.tsx';
import { bytesAsText } from '../lib/inert.ts';
import { channelSummary, keepWindowExtremes, type LaneBucket } from '../lib/channel-summary.ts';

const WIDTH = 640;
const LANE = 26;
/** Up to this many events, one mark each; beyond, one mark per BIN pixels. */
const MAX_MARKS = 300;
const BIN = 4;
const PAGE = 20;

export function Channels({ session }: { session: SessionRecord }) {
  const [shown, setShown] = useState(PAGE);
  if (session.channels.length === 0) return <p className="muted">No channels were opened in this session.</p>;
  const rest = session.channels.length - shown;
  return (
    <section className="channels" aria-label="Channels">
      {session.channels.slice(0, shown).map((channel, i) => <ChannelView key={i} index={i} channel={channel} session={session} />)}
      {rest > 0 && (
        <button type="button" onClick={() => setShown((n) => n + PAGE)}>Show {Math.min(PAGE, rest)} more of {rest} further channels</button>
      )}
    </section>
  );
}

function joined(chunks: Uint8Array[]): string {
  const total = chunks.reduce((n, c) => n + c.length, 0);
  const all = new Uint8Array(Math.min(total, 4096));
  let at = 0;
  for (const chunk of chunks) {
    if (at >= all.length) break;
    const part = chunk.subarray(0, all.length - at);
    all.set(part, at);
    at += part.length;
  }
  const text = bytesAsText(all);
  return (text ?? `<${total} bytes, not UTF-8>`) + (total > all.length ? `… (${total} bytes)` : '');
}

function ChannelView({ channel, index, session }: { channel: ChannelRecord; index: number; session: SessionRecord }) {
  const { selection, select } = useSelection();
  const summary = channelSummary(channel.events);
  const { first, last } = summary;
  const x = useMemo(() => scaleLinear().domain([first, Math.max(last, first + 1)]).range([40, WIDTH - 20]), [first, last]);
  const laneY = { client: 20, server: 20 + LANE };
  const label = `Channel ${index}: ${channel.type}, client #${channel.clientId ?? '?'}, server #${channel.serverId ?? '?'}`;

  return (
    <section className="channel card" aria-label={label}>
      <h3>{label}; opened by the {channel.opener}{channel.exitStatus !== null ? `; exit status ${channel.exitStatus}` : ''}{channel.exitSignal ? `; signal ${channel.exitSignal}` : ''}</h3>
      {channel.requests.length > 0 && (
        <ul className="ch-requests">
          {channel.requests.map((request) => (
            <li key={request.packet}>
              <span className={`dir-${request.direction}`}>{request.direction}</span> asks <strong><InertText text={request.request} /></strong>
              {request.wantReply ? ` → ${request.reply ?? 'no reply seen'}` : ''}
              {typeof request.value.command === 'string' && <> <code><InertText text={request.value.command} /></code></>}
            </li>
          ))}
        </ul>
      )}
      <svg className="ch-timeline" viewBox={`0 0 ${WIDTH} ${20 + LANE * 2}`} role="group" aria-label={`Timeline of ${channel.events.length} events, from message ${first} to ${last}`}>
        <text x={0} y={laneY.client + 4} className="ch-lane dir-client">C→S</text>
        <text x={0} y={laneY.server + 4} className="ch-lane dir-server">S→C</text>
        <line x1={40} x2={WIDTH - 20} y1={laneY.client} y2={laneY.client} className="ch-axis" />
        <line x1={40} x2={WIDTH - 20} y1={laneY.server} y2={laneY.server} className="ch-axis" />
        {channel.events.length <= MAX_MARKS
          ? channel.events.map((event, i) => (
            <EventMark key={i} event={event} cx={x(event.packet)} cy={laneY[event.direction]} selected={selection.message === event.packet}
              onSelect={() => select({ message: event.packet })} />
          ))
          : binLanes(summary.lanes(), x).map((bin) => (
            <BinMark key={`${bin.direction}-${bin.cx}`} bin={bin} cy={laneY[bin.direction]}
              selected={selection.message !== null && selection.message >= bin.first && selection.message <= bin.last}
              onSelect={() => select({ message: bin.first })} />
          ))}
      </svg>
      <WindowChart events={summary.windowPoints()} x={x} />
      <details>
        <summary>Data each way</summary>
        <p>Client sent: <code className="ch-bytes"><InertText text={joined(channel.clientData)} max={2000} /></code></p>
        <p>Server sent: <code className="ch-bytes"><InertText text={joined(channel.serverData)} max={2000} /></code></p>
        {channel.serverExtendedData.length > 0 && <p>Server stderr: <code className="ch-bytes"><InertText text={joined(channel.serverExtendedData)} max={2000} /></code></p>}
      </details>
      <p className="muted">{session.packets.length > 0 ? `${channel.events.length} events` : ''}</p>
    </section>
  );
}

const SHAPES: Record<ChannelEventRecord['kind'], string> = {
  open: 'O', confirmation: '✓', failure: '✗', request: 'R', reply: 'r', data: 'D', 'extended-data': 'E', 'window-adjust': 'W', eof: 'EOF', close: 'X',
};

/** Enter or Space on a focused mark selects it, as a click does (the marks are buttons for keyboard users too). */
function activateOnKey(onSelect: () => void) {
  return (e: KeyboardEvent) => {
    if (e.key !== 'Enter' && e.key !== ' ') return;
    e.preventDefault();
    onSelect();
  };
}

function EventMark({ event, cx, cy, selected, onSelect }: { event: ChannelEventRecord; cx: number; cy: number; selected: boolean; onSelect: () => void }) {
  return (
    <g className={`ch-event ch-${event.kind}${selected ? ' ch-selected' : ''}`} onClick={onSelect} onKeyDown={activateOnKey(onSelect)}
      role="button" tabIndex={0} aria-pressed={selected} aria-label={`message ${event.packet}: ${event.kind} ${event.detail}`}>
      <title>{`message ${event.packet}: ${event.kind} ${event.detail}`}</title>
      <circle cx={cx} cy={cy} r={selected ? 8 : 6} />
      <text x={cx} y={cy - 9} textAnchor="middle">{SHAPES[event.kind]}</text>
    </g>
  );
}

interface Bin {
  direction: ChannelEventRecord['direction'];
  cx: number;
  first: number;
  last: number;
  count: number;
  kinds: Map<ChannelEventRecord['kind'], number>;
}

/** The summary's groups of events merged per lane into columns BIN pixels wide. */
function binLanes(lanes: readonly LaneBucket[], x: (packet: number) => number): Bin[] {
  const bins = new Map<number, Bin>();
  for (const lane of lanes) {
    const cx = Math.round(x(lane.first) / BIN) * BIN;
    const key = lane.direction === 'client' ? cx : -1 - cx;
    let bin = bins.get(key);
    if (!bin) bins.set(key, (bin = { direction: lane.direction, cx, first: lane.first, last: lane.last, count: 0, kinds: new Map() }));
    bin.first = Math.min(bin.first, lane.first);
    bin.last = Math.max(bin.last, lane.last);
    bin.count += lane.count;
    for (const [kind, n] of lane.kinds) bin.kinds.set(kind, (bin.kinds.get(kind) ?? 0) + n);
  }
  return [...bins.values()];
}

function BinMark({ bin, cy, selected, onSelect }: { bin: Bin; cy: number; selected: boolean; onSelect: () => void }) {
  const kinds = [...bin.kinds].map(([kind, n]) => `${n} ${kind}`).join(', ');
  const main = [...bin.kinds].sort((a, b) => b[1] - a[1])[0][0];
  return (
    <g className={`ch-event ch-${main}${selected ? ' ch-selected' : ''}`} onClick={onSelect} onKeyDown={activateOnKey(onSelect)}
      role="button" tabIndex={0} aria-pressed={selected} aria-label={`messages ${bin.first} to ${bin.last}: ${kinds}`}>
      <title>{`messages ${bin.first} to ${bin.last}: ${kinds}`}</title>
      <circle cx={bin.cx} cy={cy} r={selected ? 6 : 4} />
    </g>
  );
}

/** At most a few points per pixel column: the first, last and extreme windows of each side, in order. */
function thinPoints(points: ChannelEventRecord[], x: (packet: number) => number): ChannelEventRecord[] {
  if (points.length <= 2000) return points;
  const keep = new Set<ChannelEventRecord>();
  let column: ChannelEventRecord[] = [];
  const flush = () => {
    keepWindowExtremes(column, keep);
    column = [];
  };
  let at = NaN;
  for (const event of points) {
    const px = Math.round(x(event.packet));
    if (px !== at) flush();
    at = px;
    column.push(event);
  }
  flush();
  return points.filter((event) => keep.has(event));
}

/** The window each side may still send into, after every event (RFC 4254 §5.2), as two step lines. */
function WindowChart({ events, x }: { events: ChannelEventRecord[]; x: (packet: number) => number }) {
  const points = thinPoints(events, x);
  let max = 1;
  for (const event of points) max = Math.max(max, event.window!.client, event.window!.server);
  const height = 110;
  const y = scaleLinear().domain([0, max]).range([height - 16, 8]).nice();
  const path = (side: 'client' | 'server') =>
    line<ChannelEventRecord>().x((event) => x(event.packet)).y((event) => y(event.window![side])).curve(curveStepAfter)(points) ?? '';
  if (points.length === 0) return null;
  return (
    <figure className="ch-window">
      <svg viewBox={`0 0 ${WIDTH} ${height}`} role="img" aria-label={`Window sizes over time; largest ${max} bytes`}>
        {y.ticks(3).map((tick) => (
          <g key={tick}>
            <line x1={40} x2={WIDTH - 20} y1={y(tick)} y2={y(tick)} className="ch-grid" />
            <text x={36} y={y(tick) + 4} textAnchor="end" className="ch-tick">{tick >= 1024 ? `${Math.round(tick / 1024)}K` : tick}</text>
          </g>
        ))}
        <path d={path('client')} className="ch-line ch-line-client" />
        <path d={path('server')} className="ch-line ch-line-server" strokeDasharray="6 3" />
      </svg>
      <figcaption className="muted">
        Window left for data sent by the <span className="dir-client">client (solid)</span> and by the <span className="dir-server">server (dashed)</span>.
      </figcaption>
    </figure>
  );
}
