/**
 * @module endpoint/trace
 * Turns a session the engine ran (simulated or live) into the same trace a capture gives: the two byte streams,
 * as the endpoint wrote and received them, go through the capture decoder's SessionDecoder with the endpoint's key
 * log (SHARED_SECRET per key exchange). So simulated, live and captured sessions are one model by construction -
 * the decoder recomputes H, the keys and every field from the bytes, and nothing is taken on the engine's word.
 */
import { SessionDecoder } from '../decoder/session.ts';
import { KeyStore } from '../decoder/key-store.ts';
import { registryKeySizer } from '../decoder/key-sizes.ts';
import { createFramer } from '../decoder/transport-framer.ts';
import { writeKeyLog } from '../keys/keylog.ts';
import type { Endpoint as Address, PacketRecord, SessionRecord, Timestamp, Trace, TraceSource } from '../trace/model.ts';
import type { KeyLogRecord, TranscriptChunk } from './transport.ts';

export interface TraceInput {
  source: TraceSource;
  transcript: readonly TranscriptChunk[];
  keyLog: readonly KeyLogRecord[];
  client?: Address;
  server?: Address;
  /** Called after each decoded packet with the session as it stands then. */
  onPacket?: (session: SessionRecord, packet: PacketRecord) => void;
}

export const msToTimestamp = (ms: number): Timestamp => ({ seconds: Math.floor(ms / 1000), nanoseconds: Math.round((ms % 1000) * 1e6) });

/** The trace of one engine session. */
export function buildTrace(input: TraceInput): Trace {
  const keys = new KeyStore();
  if (input.keyLog.length) keys.addKeyLog(writeKeyLog([...input.keyLog]), 'engine key log');
  const decoder = new SessionDecoder(
    0,
    input.client ?? { address: '127.0.0.1', port: 50000 },
    input.server ?? { address: '127.0.0.1', port: 22 },
    { keyLog: keys, sizer: registryKeySizer, createFramer: (direction, offset) => createFramer(direction, offset) },
    input.onPacket ? { packet: input.onPacket } : {},
  );
  const offsets = { client: 0, server: 0 };
  input.transcript.forEach((chunk, i) => {
    decoder.data(chunk.sender, offsets[chunk.sender], chunk.bytes, { frame: i + 1, time: msToTimestamp(chunk.time) });
    offsets[chunk.sender] += chunk.bytes.length;
  });
  decoder.end();
  return { format: 'sshlens-trace', version: 1, source: input.source, sessions: [decoder.record], problems: [...keys.problems] };
}

/** A copy of the session record as it stands now, sharing the packets already decoded (they do not change). */
export function snapshotSession(s: SessionRecord): SessionRecord {
  return {
    ...s,
    identification: { ...s.identification },
    kex: s.kex.map((k) => ({ ...k, packets: { ...k.packets, messages: [...k.packets.messages] }, problems: [...k.problems] })),
    packets: [...s.packets],
    channels: s.channels.map((c) => ({
      ...c, requests: c.requests.map((r) => ({ ...r })), events: [...c.events],
      clientData: [...c.clientData], serverData: [...c.serverData], clientExtendedData: [...c.clientExtendedData], serverExtendedData: [...c.serverExtendedData],
    })),
    segments: { client: [...s.segments.client], server: [...s.segments.server] },
    problems: [...s.problems],
  };
}
