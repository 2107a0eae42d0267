/**
 * @module endpoint/recording
 * A session the engine ran, written as a capture: pcapng (capture/pcapng-writer) with synthesized Ethernet / IPv4
 * (RFC 791) / TCP (RFC 9293) frames carrying the two byte streams exactly as they were sent - handshake, data
 * segments with running sequence and acknowledgement numbers, FIN both ways - and the key log in a Decryption
 * Secrets Block, so `sshlens decode` and Wireshark read it like a real capture.
 */
import { PcapngWriter } from '../capture/pcapng-writer.ts';
import type { Endpoint as Address } from '../trace/model.ts';
import type { TranscriptChunk } from './transport.ts';
import { msToTimestamp } from './trace.ts';
import { concatByteList as concat } from '../wire/hex.ts';

const LINKTYPE_ETHERNET = 1;
/** Data per TCP segment: keeps every IPv4 datagram well under 65535 bytes. */
const SEGMENT = 32768;
const FLAGS = { fin: 0x01, syn: 0x02, psh: 0x08, ack: 0x10 } as const;

function ipv4Bytes(address: string): Uint8Array {
  const parts = address.split('.').map(Number);
  if (parts.length !== 4 || parts.some((p) => !(p >= 0 && p <= 255))) return Uint8Array.of(127, 0, 0, 1);
  return Uint8Array.from(parts);
}

/** RFC 1071 Internet checksum. */
function checksum(parts: Uint8Array[]): number {
  let sum = 0;
  let odd: number | undefined;
  for (const p of parts) {
    for (let i = 0; i < p.length; i++) {
      if (odd === undefined) odd = p[i];
      else {
        sum += (odd << 8) | p[i];
        odd = undefined;
      }
    }
  }
  if (odd !== undefined) sum += odd << 8;
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}

interface Side {
  ip: Uint8Array;
  port: number;
  mac: number;
  seq: number;
}

function frame(from: Side, to: Side, flags: number, data: Uint8Array, ipId: number): Uint8Array {
  const tcpLength = 20 + data.length;
  const out = new Uint8Array(14 + 20 + tcpLength);
  const view = new DataView(out.buffer);
  // Ethernet II: locally administered addresses, EtherType IPv4.
  out.set([0x02, 0, 0, 0, 0, to.mac, 0x02, 0, 0, 0, 0, from.mac], 0);
  view.setUint16(12, 0x0800);
  const ip = out.subarray(14, 34);
  ip[0] = 0x45;
  view.setUint16(16, 20 + tcpLength);
  view.setUint16(18, ipId & 0xffff);
  view.setUint16(20, 0x4000); // don't fragment
  ip[8] = 64;
  ip[9] = 6;
  ip.set(from.ip, 12);
  ip.set(to.ip, 16);
  view.setUint16(24, checksum([ip]));
  const tcp = out.subarray(34);
  view.setUint16(34, from.port);
  view.setUint16(36, to.port);
  view.setUint32(38, from.seq >>> 0);
  view.setUint32(42, flags & FLAGS.ack ? to.seq >>> 0 : 0);
  tcp[12] = 5 << 4;
  tcp[13] = flags;
  view.setUint16(48, 65535);
  tcp.set(data, 20);
  const pseudo = new Uint8Array(12);
  pseudo.set(from.ip, 0);
  pseudo.set(to.ip, 4);
  pseudo[9] = 6;
  new DataView(pseudo.buffer).setUint16(10, tcpLength);
  view.setUint16(50, checksum([pseudo, tcp]));
  return out;
}

export interface RecordingInput {
  transcript: readonly TranscriptChunk[];
  keyLog: string;
  client?: Address;
  server?: Address;
  /** Milliseconds since the Unix epoch of time 0 of the transcript's clock (default 0: the clock is wall time). */
  epoch?: number;
}

/** The whole pcapng file. */
export function recordPcapng(input: RecordingInput): Uint8Array {
  const w = new PcapngWriter();
  const blocks: Uint8Array[] = [w.sectionHeader('sshlens engine'), w.interface(LINKTYPE_ETHERNET, 'sshlens'), w.secrets(input.keyLog)];
  const c = input.client ?? { address: '127.0.0.1', port: 50000 };
  const s = input.server ?? { address: '127.0.0.1', port: 22 };
  const client: Side = { ip: ipv4Bytes(c.address), port: c.port, mac: 1, seq: 1000 };
  const server: Side = { ip: ipv4Bytes(s.address), port: s.port, mac: 2, seq: 5000 };
  const epoch = input.epoch ?? 0;
  const first = input.transcript[0]?.time ?? 0;
  const last = input.transcript[input.transcript.length - 1]?.time ?? first;
  let ipId = 1;
  const push = (time: number, from: Side, to: Side, flags: number, data: Uint8Array = new Uint8Array(0)) => {
    blocks.push(w.packet(msToTimestamp(epoch + time), frame(from, to, flags, data, ipId++)));
    from.seq = (from.seq + data.length + (flags & (FLAGS.syn | FLAGS.fin) ? 1 : 0)) >>> 0;
  };
  push(first, client, server, FLAGS.syn);
  push(first, server, client, FLAGS.syn | FLAGS.ack);
  push(first, client, server, FLAGS.ack);
  for (const chunk of input.transcript) {
    const [from, to] = chunk.sender === 'client' ? [client, server] : [server, client];
    for (let at = 0; at < chunk.bytes.length; at += SEGMENT) {
      push(chunk.time, from, to, FLAGS.ack | FLAGS.psh, chunk.bytes.subarray(at, Math.min(chunk.bytes.length, at + SEGMENT)));
    }
  }
  push(last, client, server, FLAGS.fin | FLAGS.ack);
  push(last, server, client, FLAGS.fin | FLAGS.ack);
  push(last, client, server, FLAGS.ack);
  return concat(blocks);
}
