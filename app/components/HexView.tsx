/**
 * A hex view of one layer's bytes: offset, 16 bytes a row, their ASCII. Bytes are shaded by the field (region) they
 * belong to; the highlighted span (the hovered or selected field) lights up; clicking a byte, or moving the cursor
 * with the arrow keys and pressing Enter, selects its field. Long layers are windowed.
 */
import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import type { Span } from '../../engine/trace/model.ts';
import type { Region } from '../lib/layers.ts';
import { hexByte, offsetLabel } from '../lib/format.ts';
import { useVirtualRows } from '../lib/useVirtualRows.ts';

export interface HexViewProps {
  label: string;
  bytes: Uint8Array;
  regions: readonly Region[];
  /** Offset printed for byte 0. */
  labelBase?: number;
  highlight?: Span | null;
  selected?: Span | null;
  onHoverByte?: (offset: number | null) => void;
  onSelectByte?: (offset: number) => void;
}

const ROW = 16;
const ROW_HEIGHT = 20;
const OVERSCAN = 2;

function regionIndex(regions: readonly Region[], length: number): Int16Array {
  const index = new Int16Array(length).fill(-1);
  regions.forEach((region, i) => index.fill(i, Math.max(0, region.start), Math.min(length, region.end)));
  return index;
}

export function HexView({ label, bytes, regions, labelBase = 0, highlight = null, selected = null, onHoverByte, onSelectByte }: HexViewProps) {
  const container = useRef<HTMLDivElement>(null);
  const rows = Math.ceil(bytes.length / ROW);
  const view = useVirtualRows(container, rows, ROW_HEIGHT, OVERSCAN);
  const [cursor, setCursor] = useState<number | null>(null);
  const owner = regionIndex(regions, bytes.length);

  // Bring the highlighted or selected bytes into view.
  const target = selected?.start ?? null;
  useEffect(() => {
    if (target !== null) view.scrollTo(Math.floor(target / ROW));
  }, [target]); // eslint-disable-line react-hooks/exhaustive-deps

  const inSpan = (span: Span | null, i: number) => span !== null && i >= span.start && i < span.end;
  const onKeyDown = (event: KeyboardEvent) => {
    const moves: Record<string, number> = { ArrowLeft: -1, ArrowRight: 1, ArrowUp: -ROW, ArrowDown: ROW, PageUp: -ROW * 8, PageDown: ROW * 8 };
    if (event.key in moves || event.key === 'Home' || event.key === 'End') {
      event.preventDefault();
      const from = cursor ?? selected?.start ?? 0;
      const next = event.key === 'Home' ? 0 : event.key === 'End' ? bytes.length - 1 : Math.min(bytes.length - 1, Math.max(0, from + moves[event.key]));
      setCursor(next);
      onHoverByte?.(next);
      view.scrollTo(Math.floor(next / ROW));
    } else if ((event.key === 'Enter' || event.key === ' ') && cursor !== null) {
      event.preventDefault();
      onSelectByte?.(cursor);
    }
  };
  const cursorRegion = cursor !== null && owner[cursor] >= 0 ? regions[owner[cursor]] : null;

  const lines = [];
  for (let row = view.start; row < view.end; row++) {
    const from = row * ROW;
    const cells = [];
    const ascii: { classes: string; text: string; from: number }[] = [];
    for (let i = from; i < Math.min(from + ROW, bytes.length); i++) {
      const tone = owner[i] >= 0 ? regions[owner[i]].tone % 6 : -1;
      const classes = ['hx-b', tone >= 0 ? `tone-${tone}` : '', inSpan(highlight, i) ? 'hx-hl' : '', inSpan(selected, i) ? 'hx-sel' : '', cursor === i ? 'hx-cur' : '']
        .filter(Boolean).join(' ');
      const byte = bytes[i];
      cells.push(
        <span key={i} className={classes} data-offset={i} onMouseEnter={() => onHoverByte?.(i)} onClick={() => onSelectByte?.(i)}>
          {hexByte(byte)}
        </span>,
      );
      // The ASCII column is drawn in runs of bytes that look the same: half the elements, the same highlighting.
      const char = byte >= 0x20 && byte < 0x7f ? String.fromCharCode(byte) : '·';
      const last = ascii[ascii.length - 1];
      if (last && last.classes === classes) last.text += char;
      else ascii.push({ classes, text: char, from: i });
    }
    lines.push(
      <div key={row} className="hx-row" style={{ top: row * ROW_HEIGHT, height: ROW_HEIGHT }}>
        <span className="hx-off">{offsetLabel(labelBase + from)}</span>
        <span className="hx-bytes">{cells}</span>
        <span className="hx-ascii" aria-hidden="true">{ascii.map((run) => <span key={run.from} className={run.classes.replace('hx-b', 'hx-a')}>{run.text}</span>)}</span>
      </div>,
    );
  }

  return (
    <div className="hexview">
      <div
        ref={container}
        className="hx-scroll"
        role="group"
        tabIndex={0}
        aria-label={`${label}: ${bytes.length} bytes. Arrow keys move through the bytes, Enter selects the field of a byte.`}
        onKeyDown={onKeyDown}
        onMouseLeave={() => onHoverByte?.(null)}
        style={{ maxHeight: Math.min(rows, 12) * ROW_HEIGHT + 4 }}
      >
        <div className="hx-content" style={{ height: view.total }}>{lines}</div>
      </div>
      <div className="sr-only" aria-live="polite">
        {cursor !== null ? `byte ${labelBase + cursor}: 0x${hexByte(bytes[cursor])}${cursorRegion ? `, ${cursorRegion.label}` : ''}` : ''}
      </div>
    </div>
  );
}
