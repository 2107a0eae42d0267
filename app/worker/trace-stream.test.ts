/**
 * Streaming a trace from the worker to the page (trace-stream.ts -> structured clone -> trace-assembly.ts) gives the
 * same trace as decoding the capture in one go: checked on real OpenSSH captures from ../shared/fixtures (read in
 * place), pushed a few hundred bytes at a time so that every kind of record crosses batch boundaries, and on a
 * generated multi-MiB capture. Each batch's byte arrays must not drag the capture's buffer along.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { CaptureDecoder, decodeCapture } from '../../engine/decoder/capture-decoder.ts';
import { KeyStore } from '../../engine/decoder/key-store.ts';
import { traceToJson } from '../../engine/trace/json.ts';
import { fixturesDir } from '../../vite.config.ts';
import { generateCapture } from '../e2e/generate-capture.ts';
import { TraceAssembler } from '../lib/trace-assembly.ts';
import type { PacketRecord } from '../../engine/trace/model.ts';
import type { TraceBatch } from './protocol.ts';
import { decodeWithEngine } from './engine-decoder.ts';
import { TraceStreamer } from './trace-stream.ts';

const captures = path.join(fixturesDir, 'openssh-ssh2');
const NAMES = ['ns_c25519_chacha20', 'ns_c25519_chacha20_rekey', 'ns_c25519_chacha20_sftp', 'ns_c25519_aes128ctr_sha256etm'];
const have = existsSync(path.join(captures, `${NAMES[0]}.pcap`));

/** Every Uint8Array reachable from a batch. */
function views(value: unknown, out: Uint8Array[] = [], seen = new Set<object>()): Uint8Array[] {
  if (value === null || typeof value !== 'object' || seen.has(value)) return out;
  seen.add(value);
  if (value instanceof Uint8Array) out.push(value);
  else for (const item of Object.values(value)) views(item, out, seen);
  return out;
}

function stream(capture: Uint8Array, keyLog: string, chunk: number) {
  const keys = new KeyStore();
  keys.addFile(keyLog, 'keys.log');
  const decoder = new CaptureDecoder(keys, { kind: 'capture', name: 'c', keySources: ['keys.log'] });
  const streamer = new TraceStreamer(decoder.trace);
  const assembler = new TraceAssembler();
  const batches: TraceBatch[] = [];
  /** Bytes each batch transfers. */
  const sizes: number[] = [];
  const take = () => {
    const { batch, arena } = streamer.take();
    // One buffer per batch, holding every byte array of it.
    for (const view of views(batch)) expect(view.buffer).toBe(arena);
    // A big capture's buffer would cost the page its whole size per batch: no view may keep it (small ones may).
    if (capture.buffer.byteLength >= 64 * 1024) for (const view of views(batch)) expect(view.buffer).not.toBe(capture.buffer);
    batches.push(batch);
    sizes.push(arena?.byteLength ?? 0);
    assembler.apply(structuredClone(batch));
  };
  for (let at = 0; at < capture.length; at += chunk) {
    decoder.push(capture.subarray(at, at + chunk));
    if (streamer.hasNews()) take();
  }
  decoder.finish();
  take();
  return { trace: assembler.trace, batches, sizes };
}

describe.skipIf(!have)('streamed traces equal whole ones (real OpenSSH captures)', () => {
  for (const name of NAMES) {
    test(name, () => {
      const capture = new Uint8Array(readFileSync(path.join(captures, `${name}.pcap`)));
      const keyLog = readFileSync(path.join(captures, `${name}.shared_secret.keylog`), 'utf8');
      const whole = decodeCapture(capture, [{ name: 'keys.log', text: keyLog }], 'c');
      whole.problems.length = 0; // decodeCapture adds the key store's problems; the streamed decoder does not
      const { trace, batches } = stream(capture, keyLog, 700);
      expect(batches.filter((b) => b.sessions.some((s) => s.packets.length > 0)).length).toBeGreaterThan(5);
      expect(traceToJson(trace)).toBe(traceToJson(whole));
      // The page reads a packet's heavy parts from its JSON on demand (lib/packed-packet.ts): each view of a packet
      // sees what the decoder made.
      trace.sessions.forEach((session, s) => session.packets.forEach((packet, i) => expect(opened(packet)).toEqual(opened(whole.sessions[s].packets[i]))));
    });
  }
});

/** Every property of a packet a view reads, light and heavy (read through the getters of a packed one). */
function opened(p: PacketRecord) {
  const m = p.message;
  return {
    index: p.index, direction: p.direction, sequence: p.sequence, epoch: p.epoch, time: p.time, stream: p.stream, frames: p.frames, cipher: p.cipher,
    mac: p.mac, compression: p.compression, layout: p.layout, wire: p.wire, plaintext: p.plaintext, decompressed: p.decompressed, macStatus: p.macStatus,
    error: p.error, message: m && { number: m.number, name: m.name, summary: m.summary, value: m.value, fields: m.fields, unknown: m.unknown, error: m.error },
  };
}

describe('a generated capture of a few MiB', () => {
  const capture = generateCapture({ bytes: 3 << 20, maxPacket: 4096 });
  const whole = decodeCapture(capture, [], 'generated.pcapng');

  test('streams in batches that sum to the whole trace, each far smaller than the capture', () => {
    const { trace, sizes } = stream(capture, '', 256 * 1024);
    expect(traceToJson(trace)).toBe(traceToJson({ ...whole, source: trace.source }));
    expect(whole.sessions[0].packets.length).toBeGreaterThan(700);
    expect(sizes.length).toBeGreaterThan(5);
    for (const size of sizes) expect(size).toBeLessThan(capture.length / 4);
  });

  test('decodeWithEngine hands the live trace over after every chunk, the first after 64 KiB', async () => {
    const seen: number[] = [];
    let first = -1;
    const trace = await decodeWithEngine({ name: 'generated.pcapng', bytes: capture }, [], () => {}, (live) => {
      const streamer = new TraceStreamer(live);
      if (first < 0 && streamer.hasNews()) first = seen.length;
      seen.push(live.sessions[0]?.packets.length ?? 0);
    });
    expect(first).toBe(0);
    expect(seen[0]).toBeGreaterThan(0);
    expect(seen.length).toBeGreaterThan(3);
    expect(trace.sessions[0].packets.length).toBe(whole.sessions[0].packets.length);
  });
});
