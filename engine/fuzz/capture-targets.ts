/**
 * @module fuzz/capture-targets
 * Fuzz targets for the capture layers: pcap and pcapng files (and gzip around them) through the CaptureReader, TCP
 * reassembly from generated segments, and the whole capture decoder with key logs. Beyond the shared invariant,
 * every connection's data and gap events must tile each direction's stream: contiguous offsets from 0, no byte
 * delivered twice, no more bytes delivered than were sent.
 */
import fc from 'fast-check';
import { gzipSync } from 'fflate';
import { CaptureReader, type CaptureReaderOptions } from '../capture/reader.ts';
import type { CaptureEvent } from '../capture/events.ts';
import { encapsulate, FLAG, ipv4, ipv6, oracleSegments, pcapFile, splitSegments, tcpSegment, type OracleSegment } from '../capture/test-helpers.ts';
import { CaptureDecoder, decodeCapture } from '../decoder/capture-decoder.ts';
import { KeyStore } from '../decoder/key-store.ts';
import { traceToDecodeJson } from '../trace/decode-json.ts';
import { mutate, randomChunks } from './mutate.ts';
import { check, defineTarget, sampleOne } from './target.ts';

export interface CaptureInput {
  bytes: Uint8Array;
  /** Push the file in chunks of these sizes (one push of everything when absent). */
  chunks?: number[];
  limits?: CaptureReaderOptions['limits'];
}

const chunkSizes = (bytes: Uint8Array, random: import('./random.ts').FuzzRandom) => randomChunks(bytes, random).map((c) => c.length);

function* pieces(input: { bytes: Uint8Array; chunks?: number[] }): Generator<Uint8Array> {
  if (!input.chunks) return yield input.bytes;
  let at = 0;
  for (const n of input.chunks) {
    yield input.bytes.subarray(at, at + n);
    at += n;
  }
  if (at < input.bytes.length) yield input.bytes.subarray(at);
}

/** Checks that each connection's data and gaps tile its streams; returns the bytes delivered per direction. */
function streamChecker() {
  const next = new Map<string, number>();
  return (event: CaptureEvent) => {
    if (event.type !== 'data' && event.type !== 'gap') return;
    const key = `${event.connection} ${event.direction}`;
    const expected = next.get(key) ?? event.streamOffset;
    check(event.streamOffset === expected, `connection ${event.connection} ${event.direction}: ${event.type} at stream offset ${event.streamOffset}, expected ${expected}`);
    const length = event.type === 'data' ? event.bytes.length : event.length;
    check(length > 0 || event.type === 'gap', `connection ${event.connection} ${event.direction}: empty data event at ${event.streamOffset}`);
    next.set(key, expected + length);
  };
}

function readAll(input: CaptureInput): void {
  const checkStreams = streamChecker();
  const reader = new CaptureReader(checkStreams, input.limits ? { limits: input.limits } : {});
  for (const piece of pieces(input)) reader.push(piece);
  reader.finish();
}

const saveCapture = (extension: string) => (input: CaptureInput) => ({ bytes: input.bytes, extension });

export const pcapTarget = defineTarget<CaptureInput>({
  name: 'pcap',
  about: 'CaptureReader on mutated real pcap files (and gzip of them), pushed whole or in random chunks',
  generate(corpus, random) {
    const gzip = random.chance(0.1) && corpus.gzips.length > 0;
    // Mostly a few frames of a real pcap (the same parsing per frame, less time per case), else a whole file.
    const window = !gzip && random.chance(0.75) && corpus.pcapWindows.length > 0;
    const seed = gzip ? { bytes: random.pick(corpus.gzips), lengthFields: [], name: '' } : window ? random.pick(corpus.pcapWindows) : random.pick(corpus.pcaps);
    const donors = window ? corpus.pcapWindows : corpus.pcaps;
    const { bytes, steps } = mutate(seed.bytes, random, { lengthFields: seed.lengthFields, donors: { length: donors.length, at: (i) => donors[i].bytes } });
    const input: CaptureInput = { bytes };
    if (random.chance(0.3)) input.chunks = chunkSizes(bytes, random);
    return { input, steps: [gzip ? 'gzip of a real pcap' : `real pcap ${seed.name}`, ...steps, ...(input.chunks ? [`pushed in ${input.chunks.length} chunks`] : [])] };
  },
  run: readAll,
  save: saveCapture('pcap'),
  size: (input) => input.bytes.length,
});

export const pcapngTarget = defineTarget<CaptureInput>({
  name: 'pcapng',
  about: 'CaptureReader on mutated pcapng files (the real DSB capture, real frames rewritten as pcapng with a DSB)',
  generate(corpus, random) {
    const window = random.chance(0.75) && corpus.pcapngWindows.length > 0;
    const seeds = window ? corpus.pcapngWindows : corpus.pcapngs;
    const seed = random.pick(seeds);
    const { bytes, steps } = mutate(seed.bytes, random, { lengthFields: seed.lengthFields, donors: { length: seeds.length, at: (i) => seeds[i].bytes } });
    const gzip = random.chance(0.05);
    const input: CaptureInput = { bytes: gzip ? gzipSync(bytes) : bytes };
    if (random.chance(0.3)) input.chunks = chunkSizes(input.bytes, random);
    return { input, steps: [seed.name, ...steps, ...(gzip ? ['then gzip'] : []), ...(input.chunks ? [`pushed in ${input.chunks.length} chunks`] : [])] };
  },
  run: readAll,
  save: saveCapture('pcapng'),
  size: (input) => input.bytes.length,
});

/** Generated TCP connections: seq numbers anywhere (wrap included), any flags, overlaps, repeats, gaps. */
const segmentArb = fc.record({
  connection: fc.integer({ min: 0, max: 2 }),
  fromClient: fc.boolean(),
  seqDelta: fc.oneof(fc.integer({ min: -3000, max: 3000 }), fc.constantFrom(0, 1, -1, 0x7fffffff, 0x80000000, -0x80000000)),
  flags: fc.oneof(fc.constant(FLAG.ack | FLAG.psh), fc.integer({ min: 0, max: 63 })),
  payload: fc.oneof(
    fc.uint8Array({ maxLength: 300 }),
    fc.constantFrom('SSH-2.0-OpenSSH_9.2\r\n', 'SSH-2.0-x\n', 'SSH-1.99-y\r\n', 'hello\r\n', 'SSH-').map((s) => new TextEncoder().encode(s)),
  ),
});
const connectionArb = fc.record({
  ipv6: fc.boolean(),
  bases: fc.array(fc.oneof(fc.nat({ max: 0xffffffff }), fc.constantFrom(0, 0xffffffff, 0xfffffff0, 0x7fffffff)), { minLength: 6, maxLength: 6 }),
  ports: fc.array(fc.oneof(fc.integer({ min: 0, max: 65535 }), fc.constant(22)), { minLength: 6, maxLength: 6 }),
  segments: fc.array(segmentArb, { maxLength: 60 }),
  maxBufferedBytes: fc.option(fc.integer({ min: 0, max: 5000 })),
});

export const tcpTarget = defineTarget<CaptureInput>({
  name: 'tcp',
  about: 'TCP reassembly: generated connections (fast-check) and real segments reordered, repeated, forged, dropped, with seq numbers shifted to wrap',
  generate(corpus, random) {
    let segments: OracleSegment[];
    let limits: CaptureInput['limits'];
    const steps: string[] = [];
    if (random.chance(0.5)) {
      const g = sampleOne(connectionArb, random);
      const seq = g.bases.slice();
      segments = g.segments.map((s, i) => {
        const side = s.connection * 2 + (s.fromClient ? 0 : 1);
        seq[side] = (seq[side] + s.seqDelta + (i % 3 === 0 ? s.payload.length : 0)) >>> 0;
        const [src, dst] = s.fromClient ? [s.connection * 2, s.connection * 2 + 1] : [s.connection * 2 + 1, s.connection * 2];
        return {
          frameIndex: i + 1, time: { seconds: 1700000000 + i, nanoseconds: 0 }, source: Uint8Array.of(10, 0, 0, src + 1), destination: Uint8Array.of(10, 0, 0, dst + 1),
          sourcePort: g.ports[src], destinationPort: g.ports[dst], seq: seq[side], ack: 0, flags: s.flags, window: 512, payload: s.payload,
        };
      });
      if (g.maxBufferedBytes !== null) limits = { maxBufferedBytes: g.maxBufferedBytes };
      steps.push(`generated: ${segments.length} segments${g.ipv6 ? ' over IPv6' : ''}${limits ? `, maxBufferedBytes ${g.maxBufferedBytes}` : ''}`);
      if (g.ipv6) return { input: { bytes: build(segments, true), ...(limits ? { limits } : {}) }, steps };
    } else {
      const seed = random.pick(corpus.pcaps);
      const shift = random.pick([0, 0xffffffff - random.below(20000), random.uint32()]);
      segments = splitSegments(segmentsOf(seed.bytes), random.between(1, 1500)).map((s) => ({ ...s, seq: (s.seq + shift) >>> 0 }));
      const edits = random.between(1, 12);
      for (let i = 0; i < edits && segments.length > 1; i++) {
        const at = random.below(segments.length);
        const what = random.below(5);
        if (what === 0) segments.splice(at, 1);
        else if (what === 1) segments.splice(random.below(segments.length), 0, segments[at]);
        else if (what === 2) { const [s] = segments.splice(at, 1); segments.splice(random.below(segments.length + 1), 0, s); }
        else if (what === 3 && segments[at].payload.length) { const payload = segments[at].payload.slice(); payload[random.below(payload.length)] ^= 0xff; segments.splice(random.below(segments.length + 1), 0, { ...segments[at], payload }); }
        else segments[at] = { ...segments[at], flags: random.below(64) };
        steps.push(['drop', 'repeat', 'move', 'forge a retransmission of', 'change the flags of'][what] + ` segment ${at}`);
      }
      if (random.chance(0.2)) limits = { maxBufferedBytes: random.below(20000) };
      steps.unshift(`${seed.name} split, seq shifted by ${shift}${limits ? `, maxBufferedBytes ${limits.maxBufferedBytes}` : ''}`);
    }
    return { input: { bytes: build(segments, false), ...(limits ? { limits } : {}) }, steps };
  },
  run: readAll,
  save: saveCapture('pcap'),
  size: (input) => input.bytes.length,
});

const parsedSegments = new WeakMap<Uint8Array, OracleSegment[]>();
/** A real capture's TCP segments, parsed once per capture (not once per case); callers copy what they change. */
function segmentsOf(capture: Uint8Array): OracleSegment[] {
  let segments = parsedSegments.get(capture);
  if (!segments) parsedSegments.set(capture, (segments = oracleSegments(capture)));
  return segments;
}

function build(segments: OracleSegment[], v6: boolean): Uint8Array {
  return pcapFile(segments.map((s) => ({ time: s.time, data: encapsulate({ kind: 'ethernet' }, v6 ? ipv6(s, tcpSegment(s)) : ipv4(s, tcpSegment(s))) })), 1);
}

export interface DecoderInput extends CaptureInput {
  keyLog?: string;
  keyLogName?: string;
}

export const captureDecoderTarget = defineTarget<DecoderInput>({
  name: 'capture-decoder',
  about: 'decodeCapture / CaptureDecoder (capture to trace, decrypting with the key log) on mutated real captures, then the --json view of the trace',
  generate(corpus, random) {
    const seed = random.pick(corpus.pcaps);
    const { bytes, steps } = mutate(seed.bytes, random, { lengthFields: seed.lengthFields, donors: { length: corpus.pcaps.length, at: (i) => corpus.pcaps[i].bytes } });
    const input: DecoderInput = { bytes };
    if (random.chance(0.85)) {
      // Every key-log form, mostly SHARED_SECRET: the private-value forms add a scalar multiplication or a modular
      // exponentiation per case (hundreds of ms for group exchange) without reaching more of the decoder.
      const form = random.below(10);
      const [text, suffix] = form === 0 || !seed.sharedSecretKeyLog ? [seed.keyLog, 'oldformat'] : form === 1 && seed.privateKeyLog ? [seed.privateKeyLog, 'private_key'] : [seed.sharedSecretKeyLog, 'shared_secret'];
      input.keyLog = text;
      input.keyLogName = `${seed.name}.${suffix}.keylog`;
    }
    if (random.chance(0.3)) input.chunks = chunkSizes(bytes, random);
    return { input, steps: [`${seed.name}.pcap`, ...steps, input.keyLog ? `with ${input.keyLogName}` : 'no key log', ...(input.chunks ? [`pushed in ${input.chunks.length} chunks`] : [])] };
  },
  run(input) {
    const keyFiles = input.keyLog ? [{ name: input.keyLogName!, text: input.keyLog }] : [];
    let trace;
    if (!input.chunks) trace = decodeCapture(input.bytes, keyFiles);
    else {
      const keys = new KeyStore();
      for (const f of keyFiles) keys.addFile(f.text, f.name);
      const decoder = new CaptureDecoder(keys, { kind: 'capture', name: 'fuzz' }, {}, { keepPackets: true });
      for (const piece of pieces(input)) decoder.push(piece);
      trace = decoder.finish();
    }
    traceToDecodeJson(trace);
  },
  save: saveCapture('pcap'),
  size: (input) => input.bytes.length,
});
