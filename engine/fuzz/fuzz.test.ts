/**
 * The fuzz library checked against the real captures (../shared/fixtures/openssh-ssh2, read in place): the length
 * fields it finds are the real ones (pcap/pcapng framing, IPv4 total length, SSH packet_length - RFC 4253 §6), cases
 * are reproducible from (seed, index), the runner tells typed errors from bugs, slow cases and memory growth; then a
 * short seeded run of every target (`npm run fuzz` runs them long).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { getHeapStatistics } from 'node:v8';
import { describe, expect, it } from 'vitest';
import { FIXTURES } from '../capture/test-helpers.ts';
import { CaptureError } from '../capture/errors.ts';
import { CaptureReader } from '../capture/reader.ts';
import type { CaptureEvent } from '../capture/events.ts';
import { traceFromJson } from '../trace/json.ts';
import { buildCorpus, FRAMES_PER_WINDOW, SMALL_TRACE_PACKETS, type FuzzCorpus } from './corpus.ts';
import { pcapLengthFields, pcapngLengthFields, sshLengthFields } from './length-fields.ts';
import { mutate } from './mutate.ts';
import { caseRandom } from './random.ts';
import { runCase, runTarget } from './runner.ts';
import { check, defineTarget } from './target.ts';
import { FUZZ_TARGETS } from './targets.ts';

const present = existsSync(FIXTURES);
const load = (name: string) => new Uint8Array(readFileSync(join(FIXTURES, name)));
const CAPTURES = ['ns_c25519_chacha20', 'strict_c25519_chacha20', 'ns_c25519_aes128ctr_sha256etm', 'ns_c25519_aes128cbc_sha256', 'ns_rsa_c25519_chacha20_zlib', 'ns_dh14sha1_chacha20'];
let corpus: FuzzCorpus | undefined;
const getCorpus = () =>
  (corpus ??= buildCorpus([
    ...CAPTURES.flatMap((n) => [`${n}.pcap`, `${n}.oldformat.keylog`, `${n}.shared_secret.keylog`]),
    'ns_rsa_c25519_chacha20.dsb.pcapng',
  ].map((name) => ({ name, bytes: load(name) }))));
const memory = () => {
  const s = getHeapStatistics();
  return s.used_heap_size + s.external_memory;
};

describe.skipIf(!present)('length fields found from the formats', () => {
  it('pcap: incl_len tiles the file; IPv4 total length is incl_len minus the Ethernet header', () => {
    const file = load('ns_c25519_chacha20.pcap');
    const view = new DataView(file.buffer);
    const fields = pcapLengthFields(file);
    let at = 24;
    const records = fields.filter((f) => f.name === 'pcap record incl_len');
    for (const f of records) {
      expect(f.offset).toBe(at + 8);
      at += 16 + view.getUint32(f.offset, true);
    }
    expect(at).toBe(file.length);
    const totals = fields.filter((f) => f.name === 'IPv4 total length').map((f) => view.getUint16(f.offset, false));
    expect(totals).toEqual(records.map((f) => view.getUint32(f.offset, true) - 14));
  });

  it('pcapng: each block total length is repeated at its end and the blocks tile the file', () => {
    const file = load('ns_rsa_c25519_chacha20.dsb.pcapng');
    const view = new DataView(file.buffer);
    const fields = pcapngLengthFields(file);
    const leading = fields.filter((f) => f.name === 'pcapng block total length');
    const trailing = fields.filter((f) => f.name === 'pcapng trailing block total length');
    expect(leading.length).toBe(trailing.length);
    let at = 0;
    leading.forEach((f, i) => {
      expect(f.offset).toBe(at + 4);
      const total = view.getUint32(f.offset, true);
      expect(view.getUint32(trailing[i].offset, true)).toBe(total);
      at += total;
    });
    expect(at).toBe(file.length);
    expect(fields.filter((f) => f.name === 'pcapng DSB secrets length')).toHaveLength(1);
  });

  it('SSH: packet_length fields tile each cleartext stream up to and including NEWKEYS (RFC 4253 §6, §7.3)', () => {
    const streams = getCorpus().streams.filter((s) => s.name === 'ns_c25519_chacha20');
    expect(streams.map((s) => s.direction).sort()).toEqual(['client', 'server']);
    for (const s of streams) {
      const lengths = s.lengthFields.filter((f) => f.name === 'SSH packet_length');
      let at = 0;
      for (const f of lengths) {
        expect(f.offset).toBe(at);
        at += 4 + new DataView(s.bytes.buffer, s.bytes.byteOffset).getUint32(at, false);
      }
      const last = lengths[lengths.length - 1].offset;
      expect(s.bytes[last + 5]).toBe(21); // SSH_MSG_NEWKEYS
      expect(s.bytes[lengths[0].offset + 5]).toBe(20); // SSH_MSG_KEXINIT first
    }
  });
});

describe.skipIf(!present)('small seeds are real inputs', () => {
  /** The events a whole capture file gives the CaptureReader. */
  const read = (bytes: Uint8Array) => {
    const events: CaptureEvent[] = [];
    const reader = new CaptureReader((e) => events.push(e));
    reader.push(bytes);
    reader.finish();
    return events;
  };

  const frameCount = (events: CaptureEvent[]) => events.reduce((n, e) => (e.type === 'summary' ? e.frames : n), 0);

  it(`pcap and pcapng windows: ${FRAMES_PER_WINDOW} frames of the real file each, read without a warning, covering every frame once`, () => {
    const corpus = getCorpus();
    for (const [windows, files] of [[corpus.pcapWindows, corpus.pcaps], [corpus.pcapngWindows, corpus.pcapngs]] as const) {
      let frames = 0;
      for (const w of windows) {
        const events = read(w.bytes);
        expect(events.filter((e) => e.type === 'warning')).toEqual([]);
        const n = frameCount(events);
        expect(n).toBeGreaterThan(0);
        expect(n).toBeLessThanOrEqual(FRAMES_PER_WINDOW);
        frames += n;
      }
      expect(frames).toBe(files.reduce((sum, f) => sum + frameCount(read(f.bytes)), 0));
    }
  });

  it('small traces are traces: read back by traceFromJson, one packet per message name', () => {
    const corpus = getCorpus();
    expect(corpus.traceJsonSmall).toHaveLength(corpus.traceJson.length);
    for (const text of corpus.traceJsonSmall) {
      const packets = traceFromJson(text).sessions[0].packets;
      expect(packets.length).toBeGreaterThan(5);
      expect(packets.length).toBeLessThanOrEqual(SMALL_TRACE_PACKETS);
      expect(new Set(packets.map((p) => p.message?.name)).size).toBe(packets.length);
    }
  });
});

describe('mutations and cases', () => {
  it('a case is the same input every time from (seed, index) and the original is never changed', () => {
    const input = Uint8Array.from({ length: 500 }, (_, i) => i & 0xff);
    const copy = input.slice();
    const a = mutate(input, caseRandom(7, 123), { lengthFields: [{ offset: 10, size: 4, littleEndian: false, name: 'x' }] });
    const b = mutate(input, caseRandom(7, 123), { lengthFields: [{ offset: 10, size: 4, littleEndian: false, name: 'x' }] });
    expect(a).toEqual(b);
    expect(input).toEqual(copy);
    expect(mutate(input, caseRandom(7, 124)).steps).not.toEqual(a.steps);
  });

  it('length fields get the edge values across cases', () => {
    const seen = new Set<number>();
    for (let i = 0; i < 3000; i++) {
      const { bytes } = mutate(new Uint8Array(8), caseRandom(1, i), { lengthFields: [{ offset: 0, size: 4, littleEndian: false, name: 'len' }], maxMutations: 1 });
      if (bytes.length >= 4) seen.add(new DataView(bytes.buffer, bytes.byteOffset).getUint32(0, false));
    }
    for (const v of [0, 1, 2 ** 31, 2 ** 32 - 1]) expect(seen).toContain(v);
  });
});

describe('the runner', () => {
  const base = { about: '', generate: () => ({ input: new Uint8Array(10), steps: ['ten zero bytes'] }), save: (i: Uint8Array) => ({ bytes: i, extension: 'bin' }), size: (i: Uint8Array) => i.length };
  const empty = {} as FuzzCorpus;

  it('accepts a typed error, reports any other exception with its reproducer', () => {
    const typed = defineTarget({ ...base, name: 'typed', run: () => { throw new CaptureError('bad-block', 'bad'); } });
    expect(runTarget(typed, empty, { seed: 1, cases: 20 }).failureCount).toBe(0);
    const buggy = defineTarget({ ...base, name: 'buggy', run: (i: Uint8Array) => new DataView(i.buffer).getUint32(i.length) });
    const result = runTarget(buggy, empty, { seed: 5, cases: 3 });
    expect(result.failureCount).toBe(3);
    expect(result.failures[1]).toMatchObject({ target: 'buggy', seed: 5, index: 1, kind: 'exception', steps: ['ten zero bytes'], input: { extension: 'bin' } });
    expect(result.failures[1].message).toMatch(/^RangeError: /);
  });

  it('reports invariant violations, slow cases and memory growth', () => {
    const invariant = defineTarget({ ...base, name: 'inv', run: () => check(false, 'offsets out of step') });
    expect(runCase(invariant, empty, 1, 0)).toMatchObject({ kind: 'invariant', message: 'offsets out of step' });
    let t = 0;
    const slow = defineTarget({ ...base, name: 'slow', run: () => { t += 6000; } });
    expect(runCase(slow, empty, 1, 0, { now: () => t })).toMatchObject({ kind: 'slow', message: 'took 6000 ms (limit 5000 ms)' });
    let held: Uint8Array | undefined;
    const hungry = defineTarget({ ...base, name: 'hungry', run: () => { held = new Uint8Array(128 << 20); } });
    expect(runCase(hungry, empty, 1, 0, { memory })).toMatchObject({ kind: 'memory' });
    expect(held?.length).toBe(128 << 20);
  });
});

/** Cases per target in `npm test` (about a second each on a 2-core machine); `npm run fuzz` runs many more. */
const SHORT_RUN: Record<string, number> = {
  pcap: 150, pcapng: 150, tcp: 150, 'ssh-framing': 1000, 'ssh-decrypt': 40, messages: 1000, keylog: 1000, keyfile: 150, 'trace-json': 25, 'capture-decoder': 25,
};

describe.skipIf(!present)('a short seeded run of every target: typed errors only, bounded time and memory', () => {
  it('has a short run for every target', () => {
    expect(Object.keys(SHORT_RUN).sort()).toEqual(FUZZ_TARGETS.map((t) => t.name).sort());
  });
  for (const target of FUZZ_TARGETS) {
    it(target.name, () => {
      const result = runTarget(target, getCorpus(), { seed: 20261122, cases: SHORT_RUN[target.name], memory });
      const report = result.failures.map((f) => `case ${f.index} (${f.kind}): ${f.message}\n  made by: ${f.steps.join('; ')}\n  ${f.stack ?? ''}`);
      expect(report).toEqual([]);
      expect(result.cases).toBe(SHORT_RUN[target.name]);
    }, 60_000);
  }
});
