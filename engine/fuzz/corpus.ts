/**
 * @module fuzz/corpus
 * The seed inputs the fuzz targets mutate, built from the real captures (../shared/fixtures/openssh-ssh2) and their
 * key logs: the files themselves, the same frames rewritten as pcapng and gzip, each direction's TCP stream after
 * the identification line with the keys of each key epoch, every message payload, key logs, a JSON key file for a
 * capture cut after its key exchange, and traces as JSON. The caller reads the files (engine code does no I/O).
 * Small seeds keep cases fast without changing what is checked: windows of a few consecutive frames of each capture
 * (pcap and pcapng, with the file's own header blocks), each capture's TCP segments parsed once, and traces of the
 * smallest captures beside the whole ones.
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
import { concatBytes as concat } from '../wire/hex.ts';

export interface CaptureSeed {
  name: string;
  bytes: Uint8Array;
  /** The old-format key log (`<cookie> <hex private value>`, the one Wireshark 4.0 reads). */
  keyLog: string;
  /** The same secrets as `<cookie> SHARED_SECRET <hex K>` and `<cookie> PRIVATE_KEY <hex x>` lines, when present. */
  sharedSecretKeyLog?: string;
  privateKeyLog?: string;
  lengthFields: LengthField[];
}

/** A small file made of a capture's header (blocks) and a few consecutive frames. */
export interface WindowSeed {
  name: string;
  bytes: Uint8Array;
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
  /** Windows of FRAMES_PER_WINDOW frames of every pcap, with the pcap header. */
  pcapWindows: WindowSeed[];
  /** Windows of the pcapngs: every block before the first packet block (SHB, IDB, DSB...), then a few packet blocks. */
  pcapngWindows: WindowSeed[];
  gzips: Uint8Array[];
  streams: StreamSeed[];
  /** Message payloads (message number first) as they were decoded from the captures. */
  payloads: Uint8Array[];
  keyLogs: string[];
  /** A capture that begins after its key exchange, and the JSON key file that decodes it. */
  midSession: { capture: Uint8Array; keyFile: string }[];
  traceJson: string[];
  /** The same traces cut down: the first packet of each message (at most SMALL_TRACE_PACKETS), a few segments. */
  traceJsonSmall: string[];
}

export interface CorpusFile {
  name: string;
  bytes: Uint8Array;
}

const utf8 = new TextDecoder();

/** Builds the corpus from the fixture files (NAME.pcap with NAME.oldformat.keylog etc.). */
export function buildCorpus(files: CorpusFile[]): FuzzCorpus {
  const byName = new Map(files.map((f) => [f.name, f.bytes]));
  const corpus: FuzzCorpus = { pcaps: [], pcapngs: [], pcapWindows: [], pcapngWindows: [], gzips: [], streams: [], payloads: [], keyLogs: [], midSession: [], traceJson: [], traceJsonSmall: [] };
  const traces: { size: number; json: string }[] = [];
  const payloads = new Map<string, Uint8Array>();
  for (const file of files) {
    if (file.name.endsWith('.keylog')) corpus.keyLogs.push(utf8.decode(file.bytes));
    if (file.name.endsWith('.pcapng')) corpus.pcapngs.push({ name: file.name, bytes: file.bytes, lengthFields: pcapngLengthFields(file.bytes) });
    if (!file.name.endsWith('.pcap')) continue;
    const name = file.name.slice(0, -'.pcap'.length);
    const keyLog = byName.get(`${name}.oldformat.keylog`);
    if (!keyLog) continue;
    const keyLogText = utf8.decode(keyLog);
    const form = (suffix: string) => (byName.has(`${name}.${suffix}.keylog`) ? utf8.decode(byName.get(`${name}.${suffix}.keylog`)!) : undefined);
    const sharedSecretKeyLog = form('shared_secret');
    const privateKeyLog = form('private_key');
    corpus.pcaps.push({
      name, bytes: file.bytes, keyLog: keyLogText, ...(sharedSecretKeyLog ? { sharedSecretKeyLog } : {}), ...(privateKeyLog ? { privateKeyLog } : {}), lengthFields: pcapLengthFields(file.bytes),
    });
    corpus.pcapWindows.push(...pcapWindows(name, file.bytes));
    const trace = decodeCapture(file.bytes, [{ name: 'keylog', text: keyLogText }]);
    const [session] = trace.sessions;
    if (!session) continue;
    for (const p of session.packets) {
      const payload = p.decompressed ?? (p.plaintext && p.layout ? p.plaintext.subarray(p.layout.payload.start, p.layout.payload.end) : undefined);
      if (payload && payloads.size < 2000) payloads.set(toHex(payload.subarray(0, 64)) + payload.length, payload);
    }
    corpus.streams.push(...streamSeeds(name, file.bytes, session));
    traces.push({ size: file.bytes.length, json: traceToJson(trace) });
    if (corpus.pcapngs.length < 3) corpus.pcapngs.push(asPcapng(name, file.bytes, keyLogText));
    if (corpus.gzips.length < 2) corpus.gzips.push(gzipSync(file.bytes));
    if (name === 'ns_c25519_chacha20' || name === 'strict_c25519_chacha20') corpus.midSession.push(midSession(file.bytes, session));
  }
  corpus.payloads = [...payloads.values()];
  // The traces of the two smallest captures and, for rekeys, SFTP and compression, of the smallest such capture.
  const bySize = traces.sort((a, b) => a.size - b.size);
  corpus.traceJson = bySize.slice(0, 2).map((t) => t.json);
  for (const feature of ['"SSH_MSG_KEXINIT"[^]*"SSH_MSG_KEXINIT"[^]*"SSH_MSG_KEXINIT"', 'sftp', 'zlib@openssh.com']) {
    const t = bySize.find((x) => new RegExp(feature).test(x.json));
    if (t && !corpus.traceJson.includes(t.json)) corpus.traceJson.push(t.json);
  }
  corpus.traceJsonSmall = corpus.traceJson.map(smallTrace);
  corpus.pcapngWindows = corpus.pcapngs.flatMap((p) => pcapngWindows(p.name, p.bytes));
  return corpus;
}

export const SMALL_TRACE_PACKETS = 12;

/** A trace JSON with each session's packets cut to the first of each message name, and its segments to four a side. */
function smallTrace(json: string): string {
  const trace = JSON.parse(json) as { sessions: { packets: { message?: { name?: string } }[]; segments: Record<string, unknown[]> }[] };
  for (const session of trace.sessions) {
    const seen = new Set<string | undefined>();
    session.packets = session.packets.filter((p) => !seen.has(p.message?.name) && seen.add(p.message?.name)).slice(0, SMALL_TRACE_PACKETS);
    for (const side of Object.keys(session.segments)) session.segments[side] = session.segments[side].slice(0, 4);
  }
  return JSON.stringify(trace);
}

/** Frames per window seed: enough for a handshake step and its TCP acknowledgements. */
export const FRAMES_PER_WINDOW = 6;

/** Windows of consecutive frames of a classic pcap, each with the file's 24-byte header. */
function pcapWindows(name: string, pcap: Uint8Array): WindowSeed[] {
  const view = new DataView(pcap.buffer, pcap.byteOffset, pcap.byteLength);
  const starts: number[] = [];
  for (let at = 24; at + 16 <= pcap.length; at += 16 + view.getUint32(at + 8, true)) starts.push(at);
  starts.push(pcap.length);
  const out: WindowSeed[] = [];
  for (let i = 0; i + 1 < starts.length; i += FRAMES_PER_WINDOW) {
    const end = starts[Math.min(i + FRAMES_PER_WINDOW, starts.length - 1)];
    const bytes = concat(pcap.subarray(0, 24), pcap.subarray(starts[i], end));
    out.push({ name: `${name}.pcap frames ${i + 1}..${i + Math.min(FRAMES_PER_WINDOW, starts.length - 1 - i)}`, bytes, lengthFields: pcapLengthFields(bytes) });
  }
  return out;
}

/** Windows of a little-endian pcapng: its leading non-packet blocks, then FRAMES_PER_WINDOW blocks at a time. */
function pcapngWindows(name: string, file: Uint8Array): WindowSeed[] {
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
  const blocks: { type: number; start: number; end: number }[] = [];
  for (let at = 0; at + 12 <= file.length;) {
    const length = view.getUint32(at + 4, true);
    if (length < 12 || at + length > file.length) break;
    blocks.push({ type: view.getUint32(at, true), start: at, end: at + length });
    at += length;
  }
  const first = blocks.findIndex((b) => b.type === 6 || b.type === 3 || b.type === 2);
  if (first <= 0) return [];
  const head = file.subarray(0, blocks[first].start);
  const out: WindowSeed[] = [];
  for (let i = first; i < blocks.length; i += FRAMES_PER_WINDOW) {
    const last = blocks[Math.min(i + FRAMES_PER_WINDOW, blocks.length) - 1];
    const bytes = concat(head, file.subarray(blocks[i].start, last.end));
    out.push({ name: `${name} blocks ${i + 1}..${Math.min(i + FRAMES_PER_WINDOW, blocks.length)}`, bytes, lengthFields: pcapngLengthFields(bytes) });
  }
  return out;
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

