/**
 * The layers of the selected message, stacked (not tabbed): TCP segments -> stream bytes -> SSH binary packet ->
 * payload -> fields. One field key highlights the same bytes in every layer; clicking a byte in any layer selects
 * the field it belongs to, and the field tree follows.
 */
import { memo, useMemo } from 'react';
import type { PacketRecord, SessionRecord, Span } from '../../engine/trace/model.ts';
import {
  buildLayers, fieldAt, findField, keyAtPacketOffset, LAYOUT_FIELDS, layoutRegions, packetSpanOfKey, spanInLayer,
  type FieldKey, type LayerView,
} from '../lib/layers.ts';
import { scaleLinear } from 'd3';
import { useSelection } from '../state/selection.tsx';
import { FieldTree, messageTreeFields, type TreeField } from './FieldTree.tsx';
import { HexView } from './HexView.tsx';
import { InertText } from './InertText.tsx';
import { PacketCrypto } from './PacketCrypto.tsx';

/** A field key's span in one layer's own coordinates. */
function spanOf(packet: PacketRecord, layer: LayerView, key: FieldKey | null): Span | null {
  if (!key) return null;
  if (layer.id === 'payload' && key.startsWith('message:') && packet.message) {
    const field = findField(packet.message.fields, key.slice('message:'.length));
    return field ? { start: field.span.start, end: field.span.end } : null;
  }
  if (key.startsWith('segment:')) {
    const region = layer.regions.find((r) => r.key === key);
    return region ? { start: region.start, end: region.end } : null;
  }
  return spanInLayer(layer, packetSpanOfKey(packet, key));
}

function keyAt(packet: PacketRecord, layer: LayerView, offset: number): FieldKey | null {
  if (layer.id === 'payload') {
    const field = packet.message ? fieldAt(packet.message.fields, offset) : undefined;
    return field ? `message:${field.path}` : null;
  }
  return layer.packetOffset === null ? null : keyAtPacketOffset(packet, offset + layer.packetOffset);
}

function packetTreeFields(packet: PacketRecord): TreeField[] {
  return layoutRegions(packet.layout).map((region) => {
    const entry = LAYOUT_FIELDS.find((field) => field.label === region.label)!;
    const value = region.label === 'packet_length' || region.label === 'padding_length'
      ? (packet.plaintext ? readUint(packet.plaintext, region.start, region.end) : undefined) : undefined;
    return { key: region.key, name: region.label, type: region.end - region.start <= 4 ? `uint${(region.end - region.start) * 8}` : 'bytes', start: region.start, end: region.end, value, doc: entry.doc, rfc: entry.rfc };
  });
}

function readUint(bytes: Uint8Array, start: number, end: number): number {
  let value = 0;
  for (let i = start; i < end; i++) value = value * 256 + bytes[i];
  return value;
}

export const DEFAULT_LAYER_STACK_LABEL = 'Layers of the selected message';

export interface LayerStackProps {
  session: SessionRecord;
  packetIndex: number;
  annotate?: boolean;
  /**
   * The stack's landmark name. Give each stack on a page its own (landmarks must be told apart); a stack with its own
   * label also adds it to the names of the regions inside it.
   */
  label?: string;
}

/**
 * While a capture streams in, the session object changes with every batch; the selected packet's layers do not
 * (its segments arrived before it), so the stack re-renders only when its own inputs change.
 */
function sameInputs(a: LayerStackProps, b: LayerStackProps): boolean {
  if (a.packetIndex !== b.packetIndex || a.annotate !== b.annotate || a.label !== b.label) return false;
  if (a.session === b.session) return true;
  return a.session.packets[a.packetIndex] === b.session.packets[b.packetIndex] && a.session.kex === b.session.kex
    && a.session.segments === b.session.segments && a.session.id === b.session.id;
}

export const LayerStack = memo(function LayerStack({ session, packetIndex, annotate = false, label = DEFAULT_LAYER_STACK_LABEL }: LayerStackProps) {
  const { selection, hover, select, setHover } = useSelection();
  const packet = session.packets[packetIndex];
  const layers = useMemo(() => (packet ? buildLayers(session, packet) : []), [session, packet]);
  const scope = label === DEFAULT_LAYER_STACK_LABEL ? undefined : label;
  if (!packet) return <p className="muted">Select a message to see its layers.</p>;
  const highlightKey = hover.field ?? selection.field;
  const direction = packet.direction === 'client' ? 'client → server' : 'server → client';

  return (
    <section className="layer-stack" aria-label={label}>
      <h2>
        #{packetIndex} <span className={`dir-${packet.direction}`}>{direction}</span>{' '}
        {packet.message?.name ?? '(not decoded)'} <span className="muted">seq {packet.sequence}, key epoch {packet.epoch}</span>
      </h2>
      {packet.message?.summary && <p><InertText text={packet.message.summary} /></p>}
      {packet.error && <p className="error" role="alert"><InertText text={packet.error} /></p>}
      {packet.message?.error && <p className="error"><InertText text={packet.message.error} /></p>}
      <PacketCrypto session={session} packet={packet} scope={scope} />
      {layers.map((layer) => {
        const isSelectedLayer = selection.layer === layer.id;
        return (
          <section key={layer.id} className={`layer card${isSelectedLayer ? ' layer-selected' : ''}`} aria-label={scope ? `${layer.title} (${scope})` : layer.title} data-layer={layer.id}>
            <h3>
              <button type="button" aria-pressed={isSelectedLayer} onClick={() => select({ layer: layer.id })}>{layer.title}</button>
            </h3>
            <p className="muted layer-explanation">{layer.explanation}</p>
            {layer.id === 'tcp' && <SegmentMap packet={packet} layer={layer} highlight={spanOf(packet, layer, highlightKey)} selected={spanOf(packet, layer, selection.field)} />}
            {layer.note && <p className="warning">{layer.note}</p>}
            {layer.id === 'tcp' ? null : layer.id === 'fields' ? (
              <>
                <FieldTree label="Packet fields" fields={packetTreeFields(packet)} selected={selection.field} highlighted={highlightKey} annotate={annotate}
                  onSelect={(key) => select({ field: key, layer: 'fields' })} onHover={(key) => setHover({ field: key })} />
                {packet.message && (
                  <FieldTree label="Message fields" fields={messageTreeFields(packet.message.fields)} selected={selection.field} highlighted={highlightKey}
                    annotate={annotate} onSelect={(key) => select({ field: key, layer: 'fields' })} onHover={(key) => setHover({ field: key })} />
                )}
              </>
            ) : layer.bytes ? (
              <HexView
                label={layer.title}
                bytes={layer.bytes}
                regions={layer.regions}
                labelBase={layer.labelBase}
                highlight={spanOf(packet, layer, highlightKey)}
                selected={spanOf(packet, layer, selection.field)}
                onHoverByte={(offset) => setHover({ field: offset === null ? null : keyAt(packet, layer, offset) })}
                onSelectByte={(offset) => {
                  const key = keyAt(packet, layer, offset);
                  if (key) select({ field: key, layer: layer.id });
                }}
              />
            ) : null}
            {layer.bytes && layer.regions.length > 0 && layer.id !== 'tcp' && (
              <p className="legend muted">
                {layer.regions.filter((r) => r.key.startsWith('packet:')).map((r) => (
                  <span key={r.key} className={`legend-item tone-${r.tone % 6}`}>{r.label} {r.end - r.start}B</span>
                ))}
              </p>
            )}
          </section>
        );
      })}
    </section>
  );
}, sameInputs);

/**
 * Where the packet's bytes travelled: one bar per TCP segment, to scale (d3 scale, React SVG), with the highlighted
 * and selected bytes overlaid; the list beside it names each segment's frame and byte range.
 */
function SegmentMap({ packet, layer, highlight, selected }: { packet: PacketRecord; layer: LayerView; highlight: Span | null; selected: Span | null }) {
  const total = packet.stream.end - packet.stream.start;
  const x = scaleLinear().domain([0, Math.max(1, total)]).range([0, 600]);
  const overlay = (span: Span | null, className: string) =>
    span && <rect className={className} x={x(span.start)} width={Math.max(1.5, x(span.end) - x(span.start))} y={2} height={26} />;
  return (
    <>
      <svg className="segment-map" viewBox="0 0 600 30" preserveAspectRatio="none" role="img"
        aria-label={`${layer.regions.length} TCP segment(s) carried the packet's ${total} bytes`}>
        {layer.regions.map((region) => (
          <rect key={region.key} className={`seg tone-fill-${region.tone % 2}`} x={x(region.start)} width={Math.max(1, x(region.end) - x(region.start))} y={4} height={22} />
        ))}
        {overlay(highlight, 'seg-hl')}
        {overlay(selected, 'seg-sel')}
      </svg>
      <ol className="segments">
        {layer.regions.map((region) => (
          <li key={region.key}>{region.label}: packet bytes {region.start}..{region.end} ({region.end - region.start} of {total})</li>
        ))}
      </ol>
    </>
  );
}
