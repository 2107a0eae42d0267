/**
 * The layer stack of one packet, and the byte coordinates that tie the layers together. Every layer's bytes are
 * addressed *packet-relative* (0 = the packet's first byte on the wire); a message field's span is payload-relative,
 * so it moves by layout.payload.start (RFC 4253 §6: packet_length, padding_length, payload, padding, MAC). The stream
 * offset of a byte is packet.stream.start plus its packet-relative offset; a TCP segment covers a stream span.
 * With compression (RFC 4253 §6.2) the fields describe the decompressed payload and cannot be mapped to the wire.
 */
import type { DecodedField } from '../../engine/trace/fields.ts';
import type { PacketLayout, PacketRecord, SegmentRecord, SessionRecord, Span } from '../../engine/trace/model.ts';

export type LayerId = 'tcp' | 'wire' | 'packet' | 'payload' | 'fields';
export const LAYER_IDS: readonly LayerId[] = ['tcp', 'wire', 'packet', 'payload', 'fields'];

/** A field key names a byte range in any layer: `packet:<layout field>` or `message:<field path>`. */
export type FieldKey = string;

export interface Region {
  key: FieldKey;
  label: string;
  /** In the layer's own coordinates (index into its bytes). */
  start: number;
  end: number;
  /** Colour slot, so neighbours differ. */
  tone: number;
}

export interface LayerView {
  id: LayerId;
  title: string;
  explanation: string;
  bytes: Uint8Array | null;
  /** Offset shown for byte 0 (the stream offset for wire bytes, 0 otherwise). */
  labelBase: number;
  /** Where this layer's byte 0 sits in packet-relative coordinates, or null when it cannot be mapped (compression). */
  packetOffset: number | null;
  regions: Region[];
  note?: string;
}

export const LAYOUT_FIELDS: { name: keyof PacketLayout; label: string; doc: string; rfc: string }[] = [
  { name: 'packetLength', label: 'packet_length', doc: 'Length of the packet in bytes, not counting the MAC or the packet_length field itself.', rfc: 'RFC 4253 §6' },
  { name: 'paddingLength', label: 'padding_length', doc: 'Length of the random padding in bytes.', rfc: 'RFC 4253 §6' },
  { name: 'payload', label: 'payload', doc: 'The useful contents of the packet: the message, compressed when compression is on.', rfc: 'RFC 4253 §6' },
  { name: 'padding', label: 'padding', doc: 'Random padding (4 to 255 bytes) so that the packet is a multiple of the cipher block size or 8, whichever is larger; with an EtM MAC or an AEAD cipher the 4 bytes of packet_length are left out of that count.', rfc: 'RFC 4253 §6' },
  { name: 'mac', label: 'MAC / tag', doc: 'Message authentication code or AEAD tag. A MAC covers the sequence number and the unencrypted packet (RFC 4253 §6.4), with EtM the sequence number and the encrypted packet; an AEAD tag covers the encrypted packet, with packet_length as associated data (GCM, RFC 5647 §7.3) or as its own encrypted part (chacha20-poly1305).', rfc: 'RFC 4253 §6.4' },
];

export function layoutRegions(layout: PacketLayout | null): Region[] {
  if (!layout) return [];
  const out: Region[] = [];
  LAYOUT_FIELDS.forEach((field, tone) => {
    const span = layout[field.name];
    if (span && span.end > span.start) out.push({ key: `packet:${field.label}`, label: field.label, start: span.start, end: span.end, tone });
  });
  return out;
}

/** The leaves of a field tree, in order (they cover every payload byte once). */
export function leafFields(fields: readonly DecodedField[]): DecodedField[] {
  const out: DecodedField[] = [];
  const walk = (list: readonly DecodedField[]) => {
    for (const field of list) {
      if (field.children && field.children.length > 0) walk(field.children);
      else out.push(field);
    }
  };
  walk(fields);
  return out;
}

/** A field by path anywhere in the tree. */
export function findField(fields: readonly DecodedField[], path: string): DecodedField | undefined {
  for (const field of fields) {
    if (field.path === path) return field;
    const inner = field.children ? findField(field.children, path) : undefined;
    if (inner) return inner;
  }
  return undefined;
}

/** The deepest field whose span holds a payload-relative offset. */
export function fieldAt(fields: readonly DecodedField[], offset: number): DecodedField | undefined {
  for (const field of fields) {
    if (offset >= field.span.start && offset < field.span.end) {
      return (field.children && fieldAt(field.children, offset)) || field;
    }
  }
  return undefined;
}

/** The payload's position in the packet, or null when fields cannot be placed on the wire (compression, no layout). */
export function payloadOffset(packet: PacketRecord): number | null {
  if (!packet.layout || packet.decompressed) return null;
  return packet.layout.payload.start;
}

/** The packet-relative span of a field key, or null when it has none in this packet. */
export function packetSpanOfKey(packet: PacketRecord, key: FieldKey): Span | null {
  if (key.startsWith('packet:')) {
    const label = key.slice('packet:'.length);
    const entry = LAYOUT_FIELDS.find((field) => field.label === label);
    const span = entry && packet.layout ? packet.layout[entry.name] : null;
    return span ?? null;
  }
  if (key.startsWith('message:')) {
    const base = payloadOffset(packet);
    const field = packet.message ? findField(packet.message.fields, key.slice('message:'.length)) : undefined;
    if (base === null || !field) return null;
    return { start: base + field.span.start, end: base + field.span.end };
  }
  return null;
}

/** The field key of a packet-relative byte: the deepest message field inside the payload, else the layout field. */
export function keyAtPacketOffset(packet: PacketRecord, offset: number): FieldKey | null {
  const base = payloadOffset(packet);
  if (base !== null && packet.message && packet.layout && offset >= packet.layout.payload.start && offset < packet.layout.payload.end) {
    const field = fieldAt(packet.message.fields, offset - base);
    if (field) return `message:${field.path}`;
  }
  const region = layoutRegions(packet.layout).find((r) => offset >= r.start && offset < r.end);
  return region?.key ?? null;
}

/** The TCP segments that carried part of a packet, each clipped to the packet (packet-relative). */
export function packetSegments(packet: PacketRecord, segments: readonly SegmentRecord[]): (SegmentRecord & { within: Span })[] {
  const { start, end } = packet.stream;
  const out: (SegmentRecord & { within: Span })[] = [];
  // Segments are in stream order: binary-search the first one that ends after the packet starts.
  let lo = 0;
  let hi = segments.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (segments[mid].stream.end <= start) lo = mid + 1;
    else hi = mid;
  }
  for (let i = lo; i < segments.length && segments[i].stream.start < end; i++) {
    const s = segments[i];
    out.push({ ...s, within: { start: Math.max(s.stream.start, start) - start, end: Math.min(s.stream.end, end) - start } });
  }
  return out;
}

/** The bytes of the decrypted packet with the MAC/tag from the wire appended (what the receiver checked). */
function packetWithMac(packet: PacketRecord): Uint8Array | null {
  if (!packet.plaintext) return null;
  const mac = packet.layout?.mac;
  if (!mac || !packet.wire) return packet.plaintext;
  const out = new Uint8Array(packet.plaintext.length + (mac.end - mac.start));
  out.set(packet.plaintext, 0);
  out.set(packet.wire.subarray(mac.start, mac.end), packet.plaintext.length);
  return out;
}

/** Builds the stack for one packet: TCP segments -> stream bytes -> SSH packet -> payload -> fields. */
export function buildLayers(session: SessionRecord, packet: PacketRecord): LayerView[] {
  const segments = packetSegments(packet, session.segments[packet.direction]);
  const base = payloadOffset(packet);
  const payload = packet.decompressed ??
    (packet.plaintext && packet.layout ? packet.plaintext.subarray(packet.layout.payload.start, packet.layout.payload.end) : null);
  const encrypted = packet.cipher !== 'none';
  const leaves = packet.message ? leafFields(packet.message.fields) : [];
  return [
    {
      id: 'tcp', title: `TCP segments (${segments.length})`, bytes: packet.wire ?? null, labelBase: packet.stream.start, packetOffset: 0,
      explanation: 'The TCP segments that carried this packet; one SSH packet may span several segments, and one segment may carry several packets.',
      regions: segments.map((s, i) => ({ key: `segment:${s.frame}`, label: `frame ${s.frame}`, start: s.within.start, end: s.within.end, tone: i })),
    },
    {
      id: 'wire', title: encrypted ? 'Stream bytes (encrypted, as sent)' : 'Stream bytes (as sent, not encrypted)', bytes: packet.wire ?? null,
      labelBase: packet.stream.start, packetOffset: 0, regions: layoutRegions(packet.layout),
      explanation: `Bytes ${packet.stream.start} to ${packet.stream.end} of the ${packet.direction}'s TCP stream, cipher ${packet.cipher}${packet.mac ? `, MAC ${packet.mac}` : ''}.`,
    },
    {
      id: 'packet', title: 'SSH binary packet (decrypted)', bytes: packetWithMac(packet), labelBase: 0, packetOffset: 0,
      regions: layoutRegions(packet.layout),
      explanation: 'packet_length | padding_length | payload | random padding | MAC or AEAD tag (RFC 4253 §6).',
      note: packet.plaintext ? undefined : packet.error ?? 'This packet could not be decrypted.',
    },
    {
      id: 'payload', title: packet.decompressed ? `Payload (decompressed, ${packet.compression})` : 'Payload (the message)', bytes: payload,
      labelBase: 0, packetOffset: base,
      regions: leaves.map((field, i) => ({ key: `message:${field.path}`, label: field.name, start: field.span.start, end: field.span.end, tone: i % 6 })),
      explanation: 'The message: its number, then its fields (RFC 4251 §5 data types).',
      note: payload ? undefined : 'No payload: the packet was not decrypted.',
    },
    {
      id: 'fields', title: packet.message ? `Fields of ${packet.message.name}` : 'Fields', bytes: null, labelBase: 0, packetOffset: base, regions: [],
      explanation: 'Every field with its meaning and the RFC section that defines it.',
    },
  ];
}

/** Converts a packet-relative span to a layer's own coordinates (null when the layer cannot show it). */
export function spanInLayer(layer: LayerView, span: Span | null): Span | null {
  if (!span || layer.packetOffset === null || !layer.bytes) return null;
  const start = span.start - layer.packetOffset;
  const end = span.end - layer.packetOffset;
  if (end <= 0 || start >= layer.bytes.length) return null;
  return { start: Math.max(0, start), end: Math.min(layer.bytes.length, end) };
}
