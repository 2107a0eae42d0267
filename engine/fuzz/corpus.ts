/**
 * @module fuzz/corpus
 * The seed inputs the fuzz targets mutate, built from the real captures (../shared/fixtures/openssh-ssh2) and their
 * key logs: the files themselves, the same frames rewritten as pcapng and gzip, each direction's TCP stream after
 * the identification line with the keys of each key epoch, every message payload, key logs, a JSON key file for a
 * capture cut after its key exchange, and traces as JSON. The caller reads the files (engine code does no I/O).
 */
import { gzipSync } from 'fflate';
import { readCapture } from '../capture/reader.ts';
import { PcapngWriter } from '../capture/pcapng-writer.ts';
import { decodeCapture } from '../decoder/capture-decoder.ts';
import type { Direction, DirectionKeys } from '../transport/binary-packet.ts';
import type { SessionRecord } from '../trace/model.ts';
import { traceToJson } from '../trace/json.ts';
import { toHex } from '../wire/index.ts';
import { pcapLengthFields, pcapngLengthFields, sshLengthFields, type LengthField } from './length-fields.ts';
import { concat } from './mutate.ts';

export interface CaptureSeed {
  name: string;
  bytes: Uint8Array;
  keyLog: string;
  lengthFields: LengthField[];
}

export interface StreamSeed {
  name: string;
  direction: Direction;
  /** The direction's bytes after its identification line. */
  bytes: Uint8Array;
  startOffset: number;
  /** Keys after each NEWKEYS of this direction. */
  epochs: DirectionKeys[];
  strict: boolean;
  lengthFields: LengthField[];
}

export interface FuzzCorpus {
  pcaps: CaptureSeed[];
  pcapngs: { name: string; bytes: Uint8Array; lengthFields: LengthField[] }[];
  gzips: Uint8Array[];
  streams: StreamSeed[];
  /** Message payloads (message number first) as they were decoded from the captures. */
  payloads: Uint8Array[];
  keyLogs: string[];
  /** A capture that begins after its key exchange, and the JSON key file that decodes it. */
  midSession: { capture: Uint8Array; keyFile: string }[];
  traceJson: string[];
}

export interface CorpusFile {
  name: string;
  bytes: Uint8Array;
}

const utf8 = new TextDecoder();

/** Builds the corpus from the fixture files (NAME.pcap with NAME.oldformat.keylog etc.). */
export function buildCorpus(files: CorpusFile[]): FuzzCorpus {
  const byName = new Map(files.map((f) => [f.name, f.bytes]));
  const corpus: FuzzCorpus = { pcaps: [], pcapngs: [], gzips: [], streams: [], payloads: [], keyLogs: [], midSession: [], traceJson: [] };
  const payloads = new Map<string, Uint8Array>();
  for (const file of files) {
    if (file.name.endsWith('.keylog')) corpus.keyLogs.push(utf8.decode(file.bytes));
    if (file.name.endsWith('.pcapng')) corpus.pcapngs.push({ name: file.name, bytes: file.bytes, lengthFields: pcapngLengthFields(file.bytes) });
    if (!file.name.endsWith('.pcap')) continue;
    const name = file.name.slice(0, -'.pcap'.length);
    const keyLog = byName.get(`${name}.oldformat.keylog`);
    if (!keyLog) continue;
    const keyLogText = utf8.decode(keyLog);
    corpus.pcaps.push({ name, bytes: file.bytes, keyLog: keyLogText, lengthFields: pcapLengthFields(file.bytes) });
    const trace = decodeCapture(file.bytes, [{ name: 'keylog', text: keyLogText }]);
    const [session] = trace.sessions;
    if (!session) continue;
    for (const p of session.packets) {
      const payload = p.decompressed ?? (p.plaintext && p.layout ? p.plaintext.subarray(p.layout.payload.start, p.layout.payload.end) : undefined);
      if (payload && payloads.size < 2000) payloads.set(toHex(payload.subarray(0, 64)) + payload.length, payload);
    }
    corpus.streams.push(...streamSeeds(name, file.bytes, session));
    if (corpus.traceJson.length < 2) corpus.traceJson.push(traceToJson(trace));
    if (corpus.pcapngs.length < 3) corpus.pcapngs.push(asPcapng(name, file.bytes, keyLogText));
    if (corpus.gzips.length < 2) corpus.gzips.push(gzipSync(file.bytes));
    if (name === 'ns_c25519_chacha20' || name === 'strict_c25519_chacha20') corpus.midSession.push(midSession(file.bytes, session));
  }
  corpus.payloads = [...payloads.values()];
  return corpus;
}

function directionKeys(session: SessionRecord, direction: Direction): DirectionKeys[] {
  const c2s = direction === 'client';
  return session.kex.filter((k) => k.algorithms && k.keys).map((k) => ({
    cipher: c2s ? k.algorithms!.cipherClientToServer : k.algorithms!.cipherServerToClient,
    mac: c2s ? k.algorithms!.macClientToServer : k.algorithms!.macServerToClient,
    compression: c2s ? k.algorithms!.compressionClientToServer : k.algorithms!.compressionServerToClient,
    key: c2s ? k.keys!.keyClientToServer : k.keys!.keyServerToClient,
    iv: c2s ? k.keys!.ivClientToServer : k.keys!.ivServerToClient,
    macKey: c2s ? k.keys!.macKeyClientToServer : k.keys!.macKeyServerToClient,
  }));
}

/** Each direction's stream after the identification line, from the capture reader's data events. */
function streamSeeds(name: string, capture: Uint8Array, session: SessionRecord): StreamSeed[] {
  const parts: Record<Direction, Uint8Array[]> = { client: [], server: [] };
  for (const e of readCapture(capture)) if (e.type === 'data' && e.connection === 1) parts[e.direction].push(e.bytes);
  return (['client', 'server'] as const).flatMap((direction) => {
    const start = session.identification[direction]?.stream.end;
    if (start === undefined) return [];
    const bytes = concat(...parts[direction]).subarray(start);
    return [{ name, direction, bytes, startOffset: start, epochs: directionKeys(session, direction), strict: session.kex[0]?.strict ?? false, lengthFields: sshLengthFields(bytes) }];
  });
}

/** The same frames as a pcapng (SHB, IDB, one EPB each) with the key log in a Decryption Secrets Block. */
function asPcapng(name: string, pcap: Uint8Array, keyLog: string): { name: string; bytes: Uint8Array; lengthFields: LengthField[] } {
  const view = new DataView(pcap.buffer, pcap.byteOffset, pcap.byteLength);
  const writer = new PcapngWriter();
  const blocks = [writer.sectionHeader(), writer.interface(view.getUint32(20, true)), writer.secrets(keyLog)];
  for (let at = 24; at + 16 <= pcap.length;) {
    const caplen = view.getUint32(at + 8, true);
    const time = { seconds: view.getUint32(at, true), nanoseconds: view.getUint32(at + 4, true) * 1000 };
    blocks.push(writer.packet(time, pcap.subarray(at + 16, at + 16 + caplen), view.getUint32(at + 12, true)));
    at += 16 + caplen;
  }
  const bytes = concat(...blocks);
  return { name: `${name}.pcapng`, bytes, lengthFields: pcapngLengthFields(bytes) };
}

/**
 * The capture cut just before the client's SERVICE_REQUEST (after the first NEWKEYS each way), and a JSON key file
 * of the derived keys in force there. Only for chacha20-poly1305, whose state at a packet boundary is the key and
 * the sequence number alone (a CTR or GCM IV would have to be advanced to the cut).
 */
function midSession(pcap: Uint8Array, session: SessionRecord): { capture: Uint8Array; keyFile: string } {
  const request = session.packets.find((p) => p.message?.name === 'SSH_MSG_SERVICE_REQUEST')!;
  const firstFrame = request.frames[0];
  const view = new DataView(pcap.buffer, pcap.byteOffset, pcap.byteLength);
  let at = 24;
  for (let frame = 1; frame < firstFrame; frame++) at += 16 + view.getUint32(at + 8, true);
  const capture = concat(pcap.subarray(0, 24), pcap.subarray(at));
  const direction = (d: Direction) => {
    const [keys] = directionKeys(session, d);
    const first = session.packets.find((p) => p.direction === d && p.frames[0] >= firstFrame)!;
    const keptBefore = session.segments[d].filter((g) => g.frame >= firstFrame && g.stream.start < first.stream.start).reduce((n, g) => n + g.stream.end - g.stream.start, 0);
    return {
      cipher: keys.cipher, ...(keys.mac ? { mac: keys.mac, macKey: toHex(keys.macKey) } : {}), encryptionKey: toHex(keys.key),
      ...(keys.iv.length ? { iv: toHex(keys.iv) } : {}), sequenceNumber: first.sequence, streamOffset: keptBefore,
    };
  };
  const keyFile = JSON.stringify({
    format: 'sshlens-session-keys', version: 1,
    sessions: [{ client: `${session.client.address}:${session.client.port}`, server: `${session.server.address}:${session.server.port}`, strictKex: session.kex[0]?.strict ?? false, clientToServer: direction('client'), serverToClient: direction('server') }],
  }, null, 1);
  return { capture, keyFile };
}

