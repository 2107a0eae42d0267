/**
 * @module capture/test-helpers
 * For the capture tests only: an independent reading of the real fixture captures (classic pcap, Ethernet, IPv4,
 * TCP, read with fixed offsets and nothing from this folder's parsers), and builders that re-encapsulate their TCP
 * segments in other files, link layers and IP versions, or split, reorder, duplicate and drop them.
 */
import { readFileSync } from 'node:fs';
import type { CaptureEvent } from './events.ts';
import type { Timestamp } from './records.ts';

/** The real captures, beside the checkout (../shared/fixtures), read in place. */
export const FIXTURES = decodeURIComponent(new URL('../../../shared/fixtures/openssh-ssh2', import.meta.url).pathname);

/** Per direction of one connection: the data (checked to be contiguous and in order), the gaps, the identification lines. */
export function streamsOf(events: CaptureEvent[], connection: number) {
  const parts = { client: [] as Uint8Array[], server: [] as Uint8Array[] };
  const next = { client: 0, server: 0 };
  const gaps: Extract<CaptureEvent, { type: 'gap' }>[] = [];
  const identification: Extract<CaptureEvent, { type: 'identification' }>[] = [];
  for (const e of events) {
    if (!('connection' in e) || e.connection !== connection) continue;
    if (e.type === 'data' || e.type === 'gap') {
      if (e.streamOffset !== next[e.direction]) throw new Error(`${e.type} at ${e.streamOffset}, expected ${next[e.direction]}`);
      if (e.type === 'data') parts[e.direction].push(e.bytes);
      else gaps.push(e);
      next[e.direction] += e.type === 'data' ? e.bytes.length : e.length;
    } else if (e.type === 'identification') identification.push(e);
  }
  return { gaps, identification, clientBytes: concat(parts.client), serverBytes: concat(parts.server) };
}

export interface OracleSegment {
  frameIndex: number;
  time: Timestamp;
  source: Uint8Array; // 4 bytes
  destination: Uint8Array;
  sourcePort: number;
  destinationPort: number;
  seq: number;
  ack: number;
  flags: number;
  window: number;
  payload: Uint8Array;
}

/** Reads a little-endian microsecond classic pcap of Ethernet/IPv4/TCP frames with fixed offsets. */
export function oracleSegments(file: Uint8Array): OracleSegment[] {
  file = new Uint8Array(file); // a plain copy: a node Buffer's slice() would be a view into the caller's file
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
  if (view.getUint32(0, true) !== 0xa1b2c3d4 || view.getUint32(20, true) !== 1) throw new Error('oracle reads LE microsecond Ethernet pcap only');
  const out: OracleSegment[] = [];
  let at = 24;
  let index = 0;
  while (at + 16 <= file.length) {
    const seconds = view.getUint32(at, true);
    const micro = view.getUint32(at + 4, true);
    const length = view.getUint32(at + 8, true);
    const frame = file.subarray(at + 16, at + 16 + length);
    at += 16 + length;
    index++;
    const f = new DataView(frame.buffer, frame.byteOffset, frame.length);
    if (f.getUint16(12) !== 0x0800) continue;
    const ihl = (frame[14] & 0x0f) * 4;
    const total = f.getUint16(16);
    if (frame[14 + 9] !== 6) continue;
    const tcp = 14 + ihl;
    const dataOffset = (frame[tcp + 12] >> 4) * 4;
    out.push({
      frameIndex: index,
      time: { seconds, nanoseconds: micro * 1000 },
      source: frame.slice(26, 30),
      destination: frame.slice(30, 34),
      sourcePort: f.getUint16(tcp),
      destinationPort: f.getUint16(tcp + 2),
      seq: f.getUint32(tcp + 4),
      ack: f.getUint32(tcp + 8),
      flags: frame[tcp + 13],
      window: f.getUint16(tcp + 14),
      payload: frame.slice(tcp + dataOffset, 14 + total),
    });
  }
  return out;
}

export const FLAG = { fin: 1, syn: 2, rst: 4, psh: 8, ack: 16 } as const;

export function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, p) => sum + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

const u16 = (v: number) => Uint8Array.of(v >> 8, v & 0xff);
const u32be = (v: number) => Uint8Array.of(v >>> 24, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff);
const u32le = (v: number) => Uint8Array.of(v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, v >>> 24);

/** A 20-byte TCP header (checksum left 0: nothing here checks it) and the payload. */
export function tcpSegment(s: OracleSegment): Uint8Array {
  return concat([u16(s.sourcePort), u16(s.destinationPort), u32be(s.seq), u32be(s.ack), Uint8Array.of(0x50, s.flags), u16(s.window), u16(0), u16(0), s.payload]);
}

/** IPv4 with `optionWords` 4-byte words of options (NOPs then End of Options). */
export function ipv4(s: OracleSegment, tcp: Uint8Array, optionWords = 0): Uint8Array {
  const options = new Uint8Array(optionWords * 4).fill(1);
  if (optionWords > 0) options[options.length - 1] = 0;
  const headerLength = 20 + options.length;
  return concat([Uint8Array.of(0x40 | (headerLength / 4), 0), u16(headerLength + tcp.length), u16(0), u16(0x4000), Uint8Array.of(64, 6), u16(0), s.source, s.destination, options, tcp]);
}

/** IPv6, addresses 2001:db8::<last IPv4 byte> with the port in the interface id, optionally behind a hop-by-hop and a destination-options header. */
export function ipv6(s: OracleSegment, tcp: Uint8Array, extensionHeaders = false): Uint8Array {
  const address = (v4: Uint8Array, port: number) => concat([Uint8Array.of(0x20, 0x01, 0x0d, 0xb8), new Uint8Array(8), Uint8Array.of(v4[3], 0), u16(port)]);
  const extensions = extensionHeaders ? concat([Uint8Array.of(60, 0, 1, 4, 0, 0, 0, 0), Uint8Array.of(6, 1, 1, 12, ...new Array(12).fill(0))]) : new Uint8Array(0);
  const payload = concat([extensions, tcp]);
  return concat([u32be(0x60000000), u16(payload.length), Uint8Array.of(extensionHeaders ? 0 : 6, 64), address(s.source, s.sourcePort), address(s.destination, s.destinationPort), payload]);
}

export type Link =
  | { kind: 'ethernet'; vlans?: number[]; qinq?: boolean }
  | { kind: 'sll' }
  | { kind: 'sll2' }
  | { kind: 'null'; littleEndian: boolean; inet6Family?: number }
  | { kind: 'loop' }
  | { kind: 'raw'; linkType: number };

export const LINK_TYPE_OF = { ethernet: 1, sll: 113, sll2: 276, null: 0, loop: 108 } as const;

export function linkTypeOf(link: Link): number {
  return link.kind === 'raw' ? link.linkType : LINK_TYPE_OF[link.kind];
}

/** Wraps an IP packet in a link-layer header. */
export function encapsulate(link: Link, ip: Uint8Array): Uint8Array {
  const v6 = ip[0] >> 4 === 6;
  const etherType = v6 ? 0x86dd : 0x0800;
  switch (link.kind) {
    case 'ethernet': {
      const tags = (link.vlans ?? []).map((vlan, i) => concat([u16(i === 0 && link.qinq ? 0x88a8 : 0x8100), u16(vlan)]));
      // The tag's type field precedes its TCI: dst, src, [type TCI]..., type.
      return concat([new Uint8Array(6).fill(2), new Uint8Array(6).fill(4), ...tags.map((t) => t), u16(etherType), ip]);
    }
    case 'sll':
      return concat([u16(0), u16(772), u16(6), new Uint8Array(8), u16(etherType), ip]);
    case 'sll2':
      return concat([u16(etherType), u16(0), u32be(1), u16(772), Uint8Array.of(0, 6), new Uint8Array(8), ip]);
    case 'null': {
      const family = v6 ? (link.inet6Family ?? 30) : 2;
      return concat([link.littleEndian ? u32le(family) : u32be(family), ip]);
    }
    case 'loop':
      return concat([u32be(v6 ? 24 : 2), ip]);
    case 'raw':
      return ip;
  }
}

export interface BuiltFrame {
  time: Timestamp;
  data: Uint8Array;
  originalLength?: number;
}

/** A classic pcap file. */
export function pcapFile(frames: BuiltFrame[], linkType: number, options: { nanoseconds?: boolean; bigEndian?: boolean } = {}): Uint8Array {
  const u32 = options.bigEndian ? u32be : u32le;
  const u16e = (v: number) => (options.bigEndian ? u16(v) : Uint8Array.of(v & 0xff, v >> 8));
  const magic = options.nanoseconds ? 0xa1b23c4d : 0xa1b2c3d4;
  const parts: Uint8Array[] = [u32(magic), u16e(2), u16e(4), u32(0), u32(0), u32(262144), u32(linkType)];
  for (const frame of frames) {
    const fraction = options.nanoseconds ? frame.time.nanoseconds : Math.floor(frame.time.nanoseconds / 1000);
    parts.push(u32(frame.time.seconds), u32(fraction), u32(frame.data.length), u32(frame.originalLength ?? frame.data.length), frame.data);
  }
  return concat(parts);
}

/** Splits each payload into pieces of at most `size` bytes (sequence numbers adjusted), keeping SYN/FIN on the right piece. */
export function splitSegments(segments: OracleSegment[], size: number): OracleSegment[] {
  const out: OracleSegment[] = [];
  for (const s of segments) {
    if (s.payload.length <= size) {
      out.push(s);
      continue;
    }
    for (let at = 0; at < s.payload.length; at += size) {
      const last = at + size >= s.payload.length;
      out.push({ ...s, seq: (s.seq + at) >>> 0, flags: last ? s.flags : s.flags & ~FLAG.fin, payload: s.payload.subarray(at, at + size) });
    }
  }
  return out;
}

/** The byte stream each direction sent, from the oracle's segments in order: [client (SYN sender), server]. */
export function oracleStreams(segments: OracleSegment[]): { client: Uint8Array; server: Uint8Array; clientPort: number; serverPort: number } {
  const syn = segments.find((s) => s.flags & FLAG.syn && !(s.flags & FLAG.ack))!;
  const fromClient = (s: OracleSegment) => s.sourcePort === syn.sourcePort;
  return {
    client: concat(segments.filter(fromClient).map((s) => s.payload)),
    server: concat(segments.filter((s) => !fromClient(s)).map((s) => s.payload)),
    clientPort: syn.sourcePort,
    serverPort: syn.destinationPort,
  };
}

/**
 * A capture's segments without the handshake, and with the server on a port above the client's: returns the
 * rebuilt pcap, the client's port and the server's new port.
 */
export function withoutHandshake(path: string): { pcap: Uint8Array; clientPort: number; serverPort: number } {
  const segments = oracleSegments(readFileSync(path));
  const syn = segments.find((s) => s.flags & FLAG.syn && !(s.flags & FLAG.ack))!;
  const [client, server] = [syn.sourcePort, syn.destinationPort];
  // The server's new port is above the client's, so the lower-port guess would name the wrong side.
  const moved = server < client ? Math.min(65535, client + 1000) : server;
  const port = (p: number) => (p === server ? moved : p);
  const kept: OracleSegment[] = segments
    .filter((s) => !(s.flags & FLAG.syn))
    .map((s) => ({ ...s, sourcePort: port(s.sourcePort), destinationPort: port(s.destinationPort) }));
  const pcap = pcapFile(kept.map((s) => ({ time: s.time, data: encapsulate({ kind: 'ethernet' }, ipv4(s, tcpSegment(s))) })), 1);
  return { pcap, clientPort: client, serverPort: moved };
}
