/**
 * Real captures transformed into the other shapes a capture can take - other file formats and byte orders, link
 * layers, IPv6, gzip, chunked input - and into damaged ones: reordered, duplicated, overlapping, lost and
 * conflicting segments, a cut file, random bytes, several interleaved connections, a capture that starts mid-session.
 * Every expectation comes from the independent reading of the original file (test-helpers.ts oracleSegments).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { CaptureError } from './errors.ts';
import type { CaptureEvent } from './events.ts';
import { block, options, PcapngWriter } from './pcapng-writer.ts';
import { readCapture, readCaptureChunks } from './reader.ts';
import {
  concat, encapsulate, FIXTURES, FLAG, streamsOf, ipv4, ipv6, linkTypeOf, oracleSegments, oracleStreams, pcapFile, splitSegments, tcpSegment,
  type Link, type OracleSegment,
} from './test-helpers.ts';

const present = existsSync(FIXTURES);
const load = (name: string) => readFileSync(join(FIXTURES, name));
const BASE = 'ns_rsa_c25519_chacha20.pcap';

function frames(segments: OracleSegment[], link: Link = { kind: 'ethernet' }, ip: 4 | 6 = 4) {
  return segments.map((s) => ({ time: s.time, data: encapsulate(link, ip === 4 ? ipv4(s, tcpSegment(s)) : ipv6(s, tcpSegment(s))) }));
}

function only<T extends CaptureEvent['type']>(events: CaptureEvent[], type: T) {
  return events.filter((e): e is Extract<CaptureEvent, { type: T }> => e.type === type);
}

/** One SSH connection whose streams equal the oracle's, no gaps, no warnings. */
function expectSameSession(events: CaptureEvent[], segments: OracleSegment[], client?: { address: string }) {
  const oracle = oracleStreams(segments);
  const [connection, ...more] = only(events, 'connection');
  expect(more).toEqual([]);
  expect(connection).toMatchObject({ ssh: true, roleEvidence: 'syn', client: { port: oracle.clientPort, ...client }, server: { port: oracle.serverPort } });
  const streams = streamsOf(events, connection.id);
  expect(only(events, 'warning')).toEqual([]);
  expect(streams.gaps).toEqual([]);
  expect(streams.clientBytes).toEqual(oracle.client);
  expect(streams.serverBytes).toEqual(oracle.server);
  return { connection, streams };
}

describe.skipIf(!present)('file formats', () => {
  const segments = present ? oracleSegments(load(BASE)) : [];

  it('nanosecond pcap keeps the nanoseconds exactly', () => {
    const withNanos = segments.map((s, i) => ({ ...s, time: { seconds: s.time.seconds, nanoseconds: s.time.nanoseconds + 1 + i } }));
    const events = readCapture(pcapFile(frames(withNanos), 1, { nanoseconds: true }));
    expectSameSession(events, withNanos);
    const times = only(events, 'data').map((e) => [e.frame.index, e.frame.time]);
    for (const [index, time] of times) expect(time).toEqual(withNanos[(index as number) - 1].time);
  });

  it('big-endian pcap, microseconds and nanoseconds', () => {
    expectSameSession(readCapture(pcapFile(frames(segments), 1, { bigEndian: true })), segments);
    expectSameSession(readCapture(pcapFile(frames(segments), 1, { bigEndian: true, nanoseconds: true })), segments);
  });

  it('pcapng: two sections of either byte order, two interfaces each, NRB, DSB, unknown blocks', () => {
    const half = Math.floor(segments.length / 2);
    const little = new PcapngWriter(true);
    const big = new PcapngWriter(false);
    const parts: Uint8Array[] = [little.sectionHeader()];
    // Interface 0: Ethernet with the default microsecond resolution (no if_tsresol), built by hand.
    parts.push(block(1, [Uint8Array.of(1, 0, 0, 0, 0, 0, 4, 0), options([[2, new TextEncoder().encode('eth0')]])]));
    parts.push(little.interface(101, 'raw0')); // interface 1: raw IP, nanoseconds
    parts.push(block(4, [Uint8Array.of(1, 0, 14, 0, 127, 0, 0, 1, ...new TextEncoder().encode('localhost\0'), 0, 0, 0, 0)])); // NRB
    parts.push(block(0x0bad, [new Uint8Array(8)])); // unknown block type: skipped
    segments.slice(0, half).forEach((s, i) => {
      const ip = ipv4(s, tcpSegment(s));
      if (i % 2 === 0) {
        const micros = BigInt(s.time.seconds) * 1_000_000n + BigInt(s.time.nanoseconds / 1000);
        const ts = new Uint8Array(8);
        new DataView(ts.buffer).setUint32(0, Number(micros >> 32n), true);
        new DataView(ts.buffer).setUint32(4, Number(micros & 0xffffffffn), true);
        const data = encapsulate({ kind: 'ethernet' }, ip);
        const header = new Uint8Array(20);
        const view = new DataView(header.buffer);
        view.setUint32(0, 0, true);
        header.set(ts.subarray(0, 8), 4);
        view.setUint32(12, data.length, true);
        view.setUint32(16, data.length, true);
        parts.push(block(6, [header, data]));
      } else parts.push(little.packet(s.time, ip, ip.length, 1));
    });
    parts.push(big.sectionHeader('second section'));
    parts.push(big.interface(276, 'any'));
    parts.push(big.secrets('00112233445566778899aabbccddeeff 01\n'));
    parts.push(big.interface(0, 'lo0'));
    parts.push(block(5, [new Uint8Array(12)], false)); // Interface Statistics Block: skipped
    segments.slice(half).forEach((s, i) => {
      const ip = ipv4(s, tcpSegment(s));
      parts.push(i % 2 === 0 ? big.packet(s.time, encapsulate({ kind: 'sll2' }, ip), undefined, 0) : big.packet(s.time, encapsulate({ kind: 'null', littleEndian: false }, ip), undefined, 1));
    });
    const events = readCapture(concat(parts));
    expectSameSession(events, segments);
    expect(only(events, 'name')).toEqual([{ type: 'name', address: '127.0.0.1', names: ['localhost'] }]);
    expect(only(events, 'secrets').map((e) => e.text)).toEqual(['00112233445566778899aabbccddeeff 01\n']);
    const data = only(events, 'data');
    expect(new Set(data.map((e) => `${e.frame.section}/${e.frame.interfaceId}/${e.frame.interfaceName}/${e.frame.linkType}`))).toEqual(
      new Set(['0/0/eth0/1', '0/1/raw0/101', '1/0/any/276', '1/1/lo0/0']),
    );
    for (const e of data) expect(e.frame.time).toEqual(segments[e.frame.index - 1].time);
  });

  it('gzip, pushed whole and in small chunks', () => {
    const compressed = gzipSync(load(BASE));
    expectSameSession(readCapture(compressed), segments);
    const chunks = Array.from({ length: Math.ceil(compressed.length / 97) }, (_, i) => compressed.subarray(i * 97, i * 97 + 97));
    expectSameSession([...readCaptureChunks(chunks)], segments);
  });

  it('the frames option hands out every frame with its bytes', () => {
    const file = new Uint8Array(load(BASE)); // a plain Uint8Array, so views compare equal to the data events' views
    const events = readCapture(file, { frames: true });
    const frameEvents = only(events, 'frame');
    expect(frameEvents.map((f) => f.frame.index)).toEqual(segments.map((_, i) => i + 1));
    for (const f of frameEvents) expect(f.bytes.length).toBe(f.frame.capturedLength);
    // A data event's frameOffset points at its bytes inside the frame.
    for (const d of only(events, 'data')) {
      const frame = frameEvents[d.frame.index - 1].bytes;
      expect(frame.subarray(d.frameOffset, d.frameOffset + d.bytes.length)).toEqual(d.bytes);
    }
  });

  it('pcapng gives the same events however the file is chunked', () => {
    const file = new Uint8Array(load('ns_rsa_c25519_chacha20.dsb.pcapng')); // not a Buffer, whose toJSON would differ
    const strip = (events: CaptureEvent[]) => JSON.stringify(events, (key, value) => (value instanceof Uint8Array ? Array.from(value).join(',') : value));
    const whole = strip(readCapture(file));
    for (const size of [1, 5, 13, 4096]) {
      const chunks = Array.from({ length: Math.ceil(file.length / size) }, (_, i) => file.slice(i * size, i * size + size));
      expect(strip([...readCaptureChunks(chunks)])).toBe(whole);
    }
  });

  it('gives the same events however the file is chunked', () => {
    const file = load(BASE);
    const whole = readCapture(file);
    for (const size of [1, 7, 16, 24, 1000]) {
      const chunks = Array.from({ length: Math.ceil(file.length / size) }, (_, i) => file.slice(i * size, i * size + size));
      const chunked = [...readCaptureChunks(chunks)];
      expect(chunked.map((e) => e.type)).toEqual(whole.map((e) => e.type));
      expectSameSession(chunked, segments);
    }
  });
});

describe.skipIf(!present)('link layers and IP versions', () => {
  const segments = present ? oracleSegments(load(BASE)) : [];
  const links: Link[] = [
    { kind: 'ethernet', vlans: [100] },
    { kind: 'ethernet', vlans: [10, 20], qinq: true },
    { kind: 'sll' },
    { kind: 'sll2' },
    { kind: 'null', littleEndian: true },
    { kind: 'null', littleEndian: false },
    { kind: 'loop' },
    ...[101, 12, 14, 228].map((linkType) => ({ kind: 'raw', linkType }) as Link),
  ];
  for (const link of links) {
    it(`IPv4 over ${JSON.stringify(link)}`, () => expectSameSession(readCapture(pcapFile(frames(segments, link), linkTypeOf(link))), segments));
  }
  const v6links: Link[] = [{ kind: 'ethernet' }, { kind: 'ethernet', vlans: [7] }, { kind: 'sll' }, { kind: 'sll2' }, { kind: 'raw', linkType: 229 }, { kind: 'loop' },
    ...[10, 24, 28, 30].flatMap((inet6Family) => [true, false].map((littleEndian) => ({ kind: 'null', littleEndian, inet6Family }) as Link))];
  for (const link of v6links) {
    it(`IPv6 over ${JSON.stringify(link)}`, () => {
      expectSameSession(readCapture(pcapFile(frames(segments, link, 6), linkTypeOf(link))), segments, { address: '2001:db8::100:' + segments[0].sourcePort.toString(16) });
    });
  }
  it('IPv6 extension headers (hop-by-hop, destination options) are skipped', () => {
    const built = segments.map((s) => ({ time: s.time, data: encapsulate({ kind: 'ethernet' }, ipv6(s, tcpSegment(s), true)) }));
    expectSameSession(readCapture(pcapFile(built, 1)), segments);
  });
  it('IPv4 options are skipped', () => {
    const built = segments.map((s) => ({ time: s.time, data: encapsulate({ kind: 'ethernet' }, ipv4(s, tcpSegment(s), 3)) }));
    expectSameSession(readCapture(pcapFile(built, 1)), segments);
  });
  it('an IPv4 fragment is reported, not reassembled and not fatal', () => {
    const built = frames(segments);
    const fragment = built[5].data.slice();
    fragment[14 + 6] = 0x20; // MF set
    built.splice(5, 0, { time: built[5].time, data: fragment });
    const events = readCapture(pcapFile(built, 1));
    expect(only(events, 'warning').map((w) => w.message)).toEqual([expect.stringMatching(/^frame 6: IPv4 fragment 127\.0\.0\.1 -> 127\.0\.0\.1 .*not reassembled/)]);
    expect(only(events, 'connection')).toHaveLength(1);
  });
});
