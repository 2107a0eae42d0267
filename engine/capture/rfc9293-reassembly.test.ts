/**
 * Properties of one direction's reassembly (RFC 9293 §3.4, §3.10.7.4), checked with fast-check over random
 * streams cut into random segments that arrive in any order, any number of times, some never, with sequence
 * numbers that may wrap past 2^32.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { StreamReassembler, type StreamEvent } from './reassembly.ts';

interface Piece { offset: number; length: number }

/** Runs the reassembler; returns the events and the rebuilt stream (gap bytes left as `undefined`). */
function run(stream: Uint8Array, isn: number, arrivals: Piece[], limits = { maxBufferedBytes: 1 << 30, retransmitCheckWindow: 4096 }, fin = true) {
  const events: StreamEvent<number>[] = [];
  const reassembler = new StreamReassembler<number>((e) => events.push(e), limits);
  reassembler.synchronize(isn);
  arrivals.forEach((piece, frame) => {
    const isLast = fin && piece.offset + piece.length === stream.length;
    reassembler.segment((isn + 1 + piece.offset) >>> 0, stream.subarray(piece.offset, piece.offset + piece.length), frame, 54, piece.length, isLast);
  });
  reassembler.finish();
  const rebuilt: (number | undefined)[] = [];
  let next = 0;
  for (const e of events) {
    if (e.kind === 'data') {
      expect(e.offset).toBe(next);
      expect(e.seq).toBe((isn + 1 + e.offset) >>> 0);
      rebuilt.push(...e.bytes);
      next += e.bytes.length;
    } else if (e.kind === 'gap') {
      expect(e.offset).toBe(next);
      rebuilt.push(...new Array(e.length).fill(undefined));
      next += e.length;
    }
  }
  return { events, rebuilt };
}

/** A stream, its cut into consecutive pieces, and an initial sequence number (near 2^32 half the time). */
const cutStream = fc
  .tuple(fc.uint8Array({ minLength: 1, maxLength: 600 }), fc.array(fc.integer({ min: 1, max: 80 }), { minLength: 1, maxLength: 40 }), fc.oneof(fc.nat(2 ** 32 - 1), fc.integer({ min: 2 ** 32 - 700, max: 2 ** 32 - 1 })))
  .map(([stream, sizes, isn]) => {
    const pieces: Piece[] = [];
    for (let offset = 0, i = 0; offset < stream.length; i++) {
      const length = Math.min(sizes[i % sizes.length], stream.length - offset);
      pieces.push({ offset, length });
      offset += length;
    }
    return { stream, pieces, isn };
  });

describe('TCP reassembly properties', () => {
  it('any permutation with any duplication gives the original stream, no gap, no conflict', () => {
    fc.assert(
      fc.property(cutStream.chain(({ stream, pieces, isn }) =>
        fc.tuple(fc.constant(stream), fc.constant(isn), fc.shuffledSubarray([...pieces, ...pieces, ...pieces], { minLength: 3 * pieces.length }).chain((all) => fc.shuffledSubarray(all, { minLength: pieces.length }).map((some) => [...pieces, ...some])).chain((arr) => fc.shuffledSubarray(arr, { minLength: arr.length })))),
      ([stream, isn, arrivals]) => {
        const { events, rebuilt } = run(stream, isn, arrivals);
        expect(Uint8Array.from(rebuilt as number[])).toEqual(stream);
        expect(events.filter((e) => e.kind !== 'data')).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });

  it('overlapping segments of the same bytes, in any order, give the original stream', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 400 }), fc.array(fc.tuple(fc.nat(399), fc.integer({ min: 1, max: 120 })), { maxLength: 60 }), fc.nat(2 ** 32 - 1), (stream, extra, isn) => {
        const cover: Piece[] = [{ offset: 0, length: stream.length }];
        const overlaps = extra.filter(([o]) => o < stream.length).map(([offset, length]) => ({ offset, length: Math.min(length, stream.length - offset) }));
        const { events, rebuilt } = run(stream, isn, [...overlaps, ...cover], undefined, false);
        expect(Uint8Array.from(rebuilt as number[])).toEqual(stream);
        expect(events.filter((e) => e.kind !== 'data')).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });

  it('lost segments become gaps exactly where no arriving segment covered a byte; nothing is invented', () => {
    fc.assert(
      fc.property(cutStream.chain(({ stream, pieces, isn }) => fc.tuple(fc.constant(stream), fc.constant(isn), fc.shuffledSubarray(pieces))), ([stream, isn, arrivals]) => {
        const { rebuilt } = run(stream, isn, arrivals);
        const covered = new Array(stream.length).fill(false);
        for (const p of arrivals) for (let i = p.offset; i < p.offset + p.length; i++) covered[i] = true;
        // Bytes after the last arrival are unknown unless the FIN came: the stream ends at the highest end seen.
        const end = Math.max(0, ...arrivals.map((p) => p.offset + p.length));
        expect(rebuilt.length).toBe(end);
        rebuilt.forEach((byte, i) => expect(byte).toBe(covered[i] ? stream[i] : undefined));
      }),
      { numRuns: 300 },
    );
  });

  it('a retransmission with other bytes is reported with its frame, the first bytes are kept', () => {
    const stream = Uint8Array.from({ length: 300 }, (_, i) => i & 0xff);
    const events: StreamEvent<string>[] = [];
    const reassembler = new StreamReassembler<string>((e) => events.push(e));
    reassembler.segment(1000, stream.subarray(0, 200), 'frame 1', 0);
    const forged = stream.slice(100, 250);
    forged[10] ^= 1;
    reassembler.segment(1100, forged, 'frame 2', 66);
    expect(events.map((e) => (e.kind === 'data' ? ['data', e.offset, e.bytes.length, e.frame, e.frameOffset] : e))).toEqual([
      ['data', 0, 200, 'frame 1', 0],
      { kind: 'conflict', offset: 100, length: 100, firstDifference: 110, frame: 'frame 2' },
      ['data', 200, 50, 'frame 2', 166],
    ]);
  });

  it('retransmissions are checked against the last window of delivered bytes, across the ring growing and wrapping', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 12000 }), fc.nat(2 ** 32 - 1), fc.nat(), fc.nat(), fc.boolean(), (streamLength, isn, a, b, flip) => {
        // Streams up to ~12 KB, so that a 4 KiB window grows (2 KiB -> 4 KiB) and wraps.
        const stream = Uint8Array.from({ length: streamLength }, (_, i) => (i * 131 + (i >> 8) + a) & 0xff);
        const window = 4096;
        const events: StreamEvent<number>[] = [];
        const reassembler = new StreamReassembler<number>((e) => events.push(e), { maxBufferedBytes: 1 << 20, retransmitCheckWindow: window });
        reassembler.synchronize(isn);
        for (let offset = 0, i = 0; offset < stream.length; i++) {
          const length = Math.min(1 + ((a + i * 37) % 700), stream.length - offset);
          reassembler.segment((isn + 1 + offset) >>> 0, stream.subarray(offset, offset + length), i, 0);
          offset += length;
        }
        // Re-send a range that lies inside the window, with one byte changed or not.
        const from = Math.max(0, stream.length - window) + (a % Math.min(window, stream.length));
        const length = Math.max(1, Math.min(stream.length - from, 1 + (b % 300)));
        const copy = new Uint8Array(stream.subarray(from, from + length));
        const flipAt = b % length;
        if (flip) copy[flipAt] ^= 0x80;
        reassembler.segment((isn + 1 + from) >>> 0, copy, 999, 0);
        const conflicts = events.filter((e) => e.kind === 'conflict');
        expect(conflicts).toEqual(flip ? [{ kind: 'conflict', offset: from, length, firstDifference: from + flipAt, frame: 999 }] : []);
      }),
      { numRuns: 300 },
    );
  });

  it('the out-of-order buffer stays within its limit: the oldest hole is given up as a gap', () => {
    const stream = Uint8Array.from({ length: 1000 }, (_, i) => (i * 7) & 0xff);
    const events: StreamEvent<number>[] = [];
    const reassembler = new StreamReassembler<number>((e) => events.push(e), { maxBufferedBytes: 250, retransmitCheckWindow: 0 });
    reassembler.synchronize(0);
    // Bytes 0..100 never come; 100..1000 arrive in 100-byte segments.
    for (let offset = 100; offset < 1000; offset += 100) reassembler.segment(1 + offset, stream.subarray(offset, offset + 100), offset / 100, 0);
    // Given up when the third segment arrives (300 held > 250); the gap names the frame right after the hole.
    expect(events[0]).toEqual({ kind: 'gap', offset: 0, length: 100, frame: 1 });
    expect(events.slice(1).every((e) => e.kind === 'data')).toBe(true);
    expect(reassembler.next).toBe(1000);
  });

  it('a capture that starts mid-stream: the first segment seen is offset 0; older bytes are dropped and reported', () => {
    const events: StreamEvent<number>[] = [];
    const reassembler = new StreamReassembler<number>((e) => events.push(e));
    reassembler.segment(5000, Uint8Array.of(1, 2, 3), 1, 0);
    reassembler.segment(4998, Uint8Array.of(8, 9, 1, 2, 3, 4), 2, 0);
    expect(events.map((e) => (e.kind === 'data' ? [e.offset, [...e.bytes]] : e))).toEqual([
      [0, [1, 2, 3]],
      { kind: 'before-start', length: 2, frame: 2 },
      [3, [4]],
    ]);
  });
});
