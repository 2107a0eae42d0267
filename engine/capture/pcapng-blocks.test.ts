/**
 * pcapng details (draft-ietf-opsawg-pcapng): timestamp resolutions and offsets (§4.2 if_tsresol, if_tsoffset),
 * Simple Packet Blocks (§4.4), the obsolete Packet Block (Appendix A), a file cut inside a block, secrets of another
 * type, a link type sshlens cannot read, a gzip stream cut short, and misuse of the reader.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { CaptureReader, readCapture } from './reader.ts';
import { block, PcapngWriter } from './pcapng-writer.ts';
import { unitsToTimestamp } from './timestamps.ts';
import { concat, encapsulate, FIXTURES, ipv4, oracleSegments, oracleStreams, pcapFile, streamsOf, tcpSegment } from './test-helpers.ts';
import type { CaptureEvent } from './events.ts';

const present = existsSync(FIXTURES);
const only = <T extends CaptureEvent['type']>(events: CaptureEvent[], type: T) =>
  events.filter((e): e is Extract<CaptureEvent, { type: T }> => e.type === type);
const le32 = (v: number) => Uint8Array.of(v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, v >>> 24);
const le16 = (v: number) => Uint8Array.of(v & 0xff, v >> 8);

describe('timestamps (if_tsresol, if_tsoffset)', () => {
  const split = (units: bigint) => [Number(units >> 32n), Number(units & 0xffffffffn)] as const;
  it.each([
    ['microseconds (default 6)', 1_700_000_000_123_456n, 6, 0n, { seconds: 1_700_000_000, nanoseconds: 123_456_000 }],
    ['nanoseconds (9)', 1_700_000_000_123_456_789n, 9, 0n, { seconds: 1_700_000_000, nanoseconds: 123_456_789 }],
    ['milliseconds (3)', 1_700_000_000_123n, 3, 0n, { seconds: 1_700_000_000, nanoseconds: 123_000_000 }],
    ['picoseconds (12), truncated to the nanosecond', 1_000_000n * 10n ** 12n + 123_456_789_012n, 12, 0n, { seconds: 1_000_000, nanoseconds: 123_456_789 }],
    ['2^-20 seconds (0x94)', 5n * 2n ** 20n + 2n ** 19n, 0x94, 0n, { seconds: 5, nanoseconds: 500_000_000 }],
    ['2^-30 seconds, truncated', 2n ** 30n + 1n, 0x9e, 0n, { seconds: 1, nanoseconds: 0 }],
    ['an if_tsoffset of 1 000 000 000 s', 5_000_001n, 6, 1_000_000_000n, { seconds: 1_000_000_005, nanoseconds: 1000 }],
  ])('%s', (_, units, tsresol, offset, expected) => {
    const [high, low] = split(units);
    expect(unitsToTimestamp(high, low, tsresol, offset)).toEqual(expected);
  });
});

describe.skipIf(!present)('pcapng blocks', () => {
  const segments = present ? oracleSegments(readFileSync(join(FIXTURES, 'ns_c25519_chacha20.pcap'))) : [];
  const ethernet = segments.map((s) => encapsulate({ kind: 'ethernet' }, ipv4(s, tcpSegment(s))));
  const writer = new PcapngWriter();

  it('Simple and obsolete Packet Blocks carry the same session', () => {
    const parts = [writer.sectionHeader(), writer.interface(1, 'eth0', 65535)];
    ethernet.forEach((data, i) => {
      if (i % 2 === 0) parts.push(block(3, [le32(data.length), data]));
      else parts.push(block(2, [concat([le16(0), le16(0), le32(0), le32(0), le32(data.length), le32(data.length)]), data]));
    });
    const events = readCapture(concat(parts));
    const oracle = oracleStreams(segments);
    const streams = streamsOf(events, 1);
    expect([streams.clientBytes, streams.serverBytes]).toEqual([oracle.client, oracle.server]);
    expect(only(events, 'warning')).toEqual([]);
  });

  it('a file cut inside an Enhanced Packet Block keeps what came before and the captured part of that frame', () => {
    const blocks = [writer.sectionHeader(), writer.interface(1), ...segments.map((s, i) => writer.packet(s.time, ethernet[i]))];
    const whole = concat(blocks);
    const cutAt = blocks.slice(0, 12).reduce((sum, b) => sum + b.length, 0) + 28 + 60; // 60 bytes into frame 11's data
    const events = readCapture(whole.subarray(0, cutAt));
    const offset = cutAt - 28 - 60;
    expect(only(events, 'warning').map((w) => w.message)[0]).toBe(`the file is truncated: frame 11, pcapng block type 0x00000006 at file offset ${offset} has ${28 + 60} of its ${blocks[12].length} bytes`);
    const oracle = oracleStreams(segments);
    const streams = streamsOf(events, 1);
    expect(streams.clientBytes).toEqual(oracle.client.subarray(0, streams.clientBytes.length));
    expect(streams.serverBytes).toEqual(oracle.server.subarray(0, streams.serverBytes.length));
    // Every byte of frames 1..10 is there.
    const before = segments.slice(0, 10).reduce((sum, s) => sum + s.payload.length, 0);
    expect(streams.clientBytes.length + streams.serverBytes.length).toBeGreaterThanOrEqual(before);
  });

  it('pcapng with nothing but a DSB of another type, and a link type sshlens cannot read', () => {
    const events = readCapture(concat([writer.sectionHeader(), writer.secrets('CLIENT_RANDOM 00 11\n', 0x544c534b), writer.interface(147), writer.packet({ seconds: 1, nanoseconds: 0 }, new Uint8Array(20)), writer.packet({ seconds: 2, nanoseconds: 0 }, new Uint8Array(20))]));
    const dsbOffset = writer.sectionHeader().length;
    expect(only(events, 'warning').map((w) => w.message)).toEqual([
      `Decryption Secrets Block of type 0x544c534b (not SSH) at file offset ${dsbOffset} ignored`,
      'frame 1: link type 147 is not supported (Ethernet, Linux cooked SLL/SLL2, BSD loopback and raw IP are)',
    ]);
    expect(events.at(-1)).toMatchObject({ type: 'summary', frames: 2, message: 'no SSH found in this capture: 2 frames, no TCP connection with data' });
  });

  it('a pcapng block with an impossible length is a clear error', () => {
    const bad = concat([writer.sectionHeader(), le32(6), le32(13), new Uint8Array(8)]);
    expect(() => readCapture(bad)).toThrow(`pcapng block at file offset ${writer.sectionHeader().length} (type 0x00000006) has an impossible length 13`);
  });

  it('a gzip stream cut short: what was decompressed is read, and a warning says so', () => {
    const file = pcapFile(segments.map((s, i) => ({ time: s.time, data: ethernet[i] })), 1);
    const compressed = gzipSync(file);
    const events = readCapture(compressed.subarray(0, Math.floor(compressed.length * 0.8)));
    expect(only(events, 'warning').some((w) => w.message.startsWith('the gzip stream ends early'))).toBe(true);
    expect(only(events, 'connection')).toHaveLength(1);
  });

  it('a multi-member gzip file (two gzip files concatenated, RFC 1952 §2.2) reads as one', () => {
    const file = pcapFile(segments.map((s, i) => ({ time: s.time, data: ethernet[i] })), 1);
    const half = Math.floor(file.length / 2);
    const events = readCapture(concat([gzipSync(file.subarray(0, half)), gzipSync(file.subarray(half))]));
    const oracle = oracleStreams(segments);
    const streams = streamsOf(events, 1);
    expect([streams.clientBytes, streams.serverBytes]).toEqual([oracle.client, oracle.server]);
    expect(only(events, 'warning')).toEqual([]);
  });

  it('the reader refuses pushes after finish, and files too short to tell', () => {
    const reader = new CaptureReader(() => {});
    reader.push(pcapFile([], 1));
    reader.finish();
    expect(() => reader.push(new Uint8Array(4))).toThrow('push() after finish()');
    expect(() => readCapture(Uint8Array.of(0xd4, 0xc3))).toThrow('not a pcap or pcapng file: it is only 2 bytes long');
    expect(() => readCapture(new Uint8Array(0))).toThrow('not a pcap or pcapng file: it is only 0 bytes long');
  });
});
