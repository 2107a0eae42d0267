/**
 * Damaged and unusual captures made from a real one: TCP segments reordered, duplicated, overlapping, lost or
 * retransmitted with other bytes (RFC 9293 §3.10.7.4), a cut file, random bytes, several interleaved connections
 * with a non-SSH one, a capture that starts after the handshake, a server that sends lines before its
 * identification (RFC 4253 §4.2), a snap length that cuts a frame, and the out-of-order buffer limit.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { gzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { isSshlensError } from '../errors.ts';
import type { CaptureEvent } from './events.ts';
import { readCapture, type CaptureReaderOptions } from './reader.ts';
import {
  concat, encapsulate, FIXTURES, FLAG, ipv4, oracleSegments, oracleStreams, pcapFile, splitSegments, streamsOf, tcpSegment,
  type BuiltFrame, type OracleSegment,
} from './test-helpers.ts';

const present = existsSync(FIXTURES);
const load = (name: string) => readFileSync(join(FIXTURES, name));
const only = <T extends CaptureEvent['type']>(events: CaptureEvent[], type: T) =>
  events.filter((e): e is Extract<CaptureEvent, { type: T }> => e.type === type);
const file = (segments: OracleSegment[]) =>
  pcapFile(segments.map((s) => ({ time: s.time, data: encapsulate({ kind: 'ethernet' }, ipv4(s, tcpSegment(s))) })), 1);
const read = (segments: OracleSegment[], options?: CaptureReaderOptions) => readCapture(file(segments), options);

/** A deterministic shuffle within windows of `window` elements (a linear congruential generator, seed fixed). */
function shuffleWithin<T>(items: T[], window: number, seed = 7): T[] {
  const out: T[] = [];
  let state = seed;
  for (let i = 0; i < items.length; i += window) {
    const part = items.slice(i, i + window);
    for (let j = part.length - 1; j > 0; j--) {
      state = (state * 1103515245 + 12345) % 2 ** 31;
      const k = state % (j + 1);
      [part[j], part[k]] = [part[k], part[j]];
    }
    out.push(...part);
  }
  return out;
}

/** Stream offset of a segment's first byte (the SYN's sequence number + 1 is offset 0). */
function offsetIn(segments: OracleSegment[], s: OracleSegment): number {
  const syn = segments.find((x) => x.flags & FLAG.syn && x.sourcePort === s.sourcePort)!;
  return (s.seq - syn.seq - 1) >>> 0;
}

describe.skipIf(!present)('damaged TCP', () => {
  const original = present ? oracleSegments(load('ns_rsa_c25519_chacha20.pcap')) : [];
  const oracle = present ? oracleStreams(original) : undefined!;
  const pieces = splitSegments(original, 100);
  const handshake = 3;

  function expectStreams(events: CaptureEvent[]) {
    const [connection] = only(events, 'connection');
    expect(connection).toMatchObject({ ssh: true, roleEvidence: 'syn', server: { port: 2222 } });
    const streams = streamsOf(events, connection.id);
    expect(streams.gaps).toEqual([]);
    expect(streams.clientBytes).toEqual(oracle.client);
    expect(streams.serverBytes).toEqual(oracle.server);
    expect(streams.identification.map((i) => i.streamOffset)).toEqual([0, 0]);
    return streams;
  }

  it('split into 100-byte segments', () => {
    expect(pieces.length).toBeGreaterThan(original.length + 40);
    expectStreams(read(pieces));
  });

  it('split into 1-byte segments (identification lines and packets cut everywhere)', () => {
    const events = read(splitSegments(original, 1));
    expectStreams(events);
    expect(only(events, 'data').every((e) => e.bytes.length === 1)).toBe(true);
  });

  it('reordered within windows of 8 segments', () => {
    const reordered = [...pieces.slice(0, handshake), ...shuffleWithin(pieces.slice(handshake), 8)];
    expect(reordered).not.toEqual(pieces);
    expectStreams(read(reordered));
    expect(only(read(reordered), 'warning')).toEqual([]);
  });

  it('every segment twice, the copy later', () => {
    const doubled = [...pieces.slice(0, handshake), ...shuffleWithin(pieces.slice(handshake).flatMap((s) => [s, s]), 12)];
    expectStreams(read(doubled));
    expect(only(read(doubled), 'warning')).toEqual([]);
  });

  it('overlapping segments (each also carries the next 50 bytes)', () => {
    const streamOf = (s: OracleSegment) => (s.sourcePort === oracle.clientPort ? oracle.client : oracle.server);
    const overlapping = pieces.map((s) => {
      if (s.payload.length === 0) return s;
      const offset = offsetIn(original, s);
      return { ...s, payload: streamOf(s).subarray(offset, offset + s.payload.length + 50) };
    });
    expectStreams(read([...overlapping.slice(0, handshake), ...shuffleWithin(overlapping.slice(handshake), 5)]));
  });

  it('a lost segment becomes a gap at its offset and length, never invented bytes', () => {
    const serverData = pieces.filter((s) => s.sourcePort === 2222 && s.payload.length === 100);
    const lost = serverData[Math.floor(serverData.length / 2)];
    const events = read(pieces.filter((s) => s !== lost));
    const [connection] = only(events, 'connection');
    const streams = streamsOf(events, connection.id);
    const offset = offsetIn(original, lost);
    expect(streams.gaps.map((g) => [g.direction, g.streamOffset, g.length])).toEqual([['server', offset, 100]]);
    expect(streams.serverBytes).toEqual(concat([oracle.server.subarray(0, offset), oracle.server.subarray(offset + 100)]));
    expect(streams.clientBytes).toEqual(oracle.client);
    expect(only(events, 'end')).toMatchObject([{ reason: 'capture-end', serverBytes: oracle.server.length }]);
  });

  it('a retransmission with different bytes is a warning naming its frame; the first copy is kept', () => {
    const at = pieces.findIndex((s, i) => i > 10 && s.sourcePort === 2222 && s.payload.length === 100);
    const forged = { ...pieces[at], payload: pieces[at].payload.slice() };
    forged.payload[42] ^= 0xff;
    const withForgery = [...pieces.slice(0, at + 3), forged, ...pieces.slice(at + 3)];
    const events = read(withForgery);
    expectStreams(events);
    const frameIndex = at + 4; // 1-based position of the forged copy
    const offset = offsetIn(original, forged);
    expect(only(events, 'warning').map((w) => [w.frame?.index, w.message])).toEqual([
      [frameIndex, `frame ${frameIndex}: TCP retransmission of server stream bytes ${offset}..${offset + 100} carries different bytes (from byte ${offset + 42}) than were delivered before; the first copy is kept`],
    ]);
  });

  it('out-of-order buffer limit: a segment held back too long is given up as a gap', () => {
    const clientData = pieces.filter((s) => s.sourcePort === oracle.clientPort && s.payload.length > 0);
    const late = clientData[3];
    const delayed = [...pieces.filter((s) => s !== late), late];
    // Without a limit small enough, the late segment fills the hole.
    expectStreams(read(delayed));
    const events = read(delayed, { limits: { maxBufferedBytes: 1000 } });
    const streams = streamsOf(events, 1);
    expect(streams.gaps.map((g) => [g.direction, g.streamOffset, g.length])).toEqual([['client', offsetIn(original, late), late.payload.length]]);
    expect(streams.serverBytes).toEqual(oracle.server);
  });

  it('fast-check: any permutation and duplication of the data segments gives the original streams', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 31 - 1 }), fc.integer({ min: 2, max: 40 }), fc.integer({ min: 20, max: 400 }), (seed, window, size) => {
        const split = splitSegments(original, size);
        const body = split.slice(handshake).flatMap((s, i) => ((seed >> (i % 16)) & 1 ? [s, s] : [s]));
        expectStreams(read([...split.slice(0, handshake), ...shuffleWithin(body, window, seed)]));
      }),
      { numRuns: 25 },
    );
  });
});

describe.skipIf(!present)('cut and foreign files', () => {
  const original = present ? load('ns_c25519_chacha20.pcap') : new Uint8Array();

  it('a truncated file yields what comes before the cut and a warning naming the frame and offset', () => {
    const segments = oracleSegments(original);
    // Cut in the middle of the data of frame 20.
    let at = 24;
    for (let frame = 1; frame < 20; frame++) at += 16 + new DataView(original.buffer, original.byteOffset + at + 8, 4).getUint32(0, true);
    const cut = original.subarray(0, at + 16 + 60);
    const events = readCapture(cut);
    expect(only(events, 'warning')[0].message).toBe(`the file is truncated: frame 20 at file offset ${at} has 60 of its ${new DataView(original.buffer, original.byteOffset + at + 8, 4).getUint32(0, true)} captured bytes`);
    const oracle = oracleStreams(segments);
    const streams = streamsOf(events, 1);
    expect(oracle.client.subarray(0, streams.clientBytes.length)).toEqual(streams.clientBytes);
    expect(oracle.server.subarray(0, streams.serverBytes.length)).toEqual(streams.serverBytes);
    expect(streams.clientBytes.length + streams.serverBytes.length).toBeGreaterThan(1000);
    expect(events.at(-1)).toMatchObject({ type: 'summary', sshConnections: 1 });
  });

  it('cut anywhere: never anything but events and warnings', () => {
    for (let length = 0; length < original.length; length += 37) {
      try {
        readCapture(original.subarray(0, length));
      } catch (error) {
        expect(isSshlensError(error) && length < 4).toBe(true);
      }
    }
  });

  it('random bytes: one clear error', () => {
    expect(() => readCapture(new TextEncoder().encode('<!DOCTYPE html>'))).toThrow('not a pcap or pcapng file: starts with 0x3c21444f ("<!DO")');
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 0, maxLength: 300 }), (bytes) => {
        fc.pre(!(bytes[0] === 0x1f && bytes[1] === 0x8b));
        try {
          readCapture(bytes);
        } catch (error) {
          expect(isSshlensError(error)).toBe(true);
          return;
        }
        // Random bytes that happen to start with a magic number may be read; nothing else may happen.
      }),
      { numRuns: 300 },
    );
  });

  it('fast-check: corrupted pcap, pcapng and gzip files give events or a CaptureError, never another exception', () => {
    const files = [original, load('ns_rsa_c25519_chacha20.dsb.pcapng'), gzipSync(original)];
    fc.assert(
      fc.property(fc.constantFrom(...files).chain((f) => fc.tuple(fc.constant(f), fc.array(fc.tuple(fc.nat(f.length - 1), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 20 }))), ([file, edits]) => {
        const bytes = new Uint8Array(file);
        for (const [at, value] of edits) bytes[at] = value;
        try {
          readCapture(bytes);
        } catch (error) {
          expect(isSshlensError(error)).toBe(true);
        }
      }),
      { numRuns: 600 },
    );
  });
});

/** A made-up TCP connection: handshake, then `exchanges` in order, then FIN both ways. */
function connection(client: [string, number], server: [string, number], exchanges: ['c' | 's', string][], syn = true): OracleSegment[] {
  const ip = (text: string) => Uint8Array.from(text.split('.').map(Number));
  const seq = { c: 1000, s: 5000 };
  const make = (from: 'c' | 's', flags: number, payload: Uint8Array): OracleSegment => {
    const [src, dst] = from === 'c' ? [client, server] : [server, client];
    const s: OracleSegment = { frameIndex: 0, time: { seconds: 1700000000, nanoseconds: 0 }, source: ip(src[0]), destination: ip(dst[0]), sourcePort: src[1], destinationPort: dst[1], seq: seq[from], ack: 0, flags, window: 512, payload };
    seq[from] = (seq[from] + payload.length + (flags & (FLAG.syn | FLAG.fin) ? 1 : 0)) >>> 0;
    return s;
  };
  const out: OracleSegment[] = [];
  if (syn) out.push(make('c', FLAG.syn, new Uint8Array()), make('s', FLAG.syn | FLAG.ack, new Uint8Array()));
  for (const [from, text] of exchanges) out.push(make(from, FLAG.ack | FLAG.psh, new TextEncoder().encode(text)));
  out.push(make('c', FLAG.fin | FLAG.ack, new Uint8Array()), make('s', FLAG.fin | FLAG.ack, new Uint8Array()));
  return out;
}

const HTTP: ['c' | 's', string][] = [['c', 'GET / HTTP/1.1\r\nHost: example\r\n\r\n'], ['s', 'HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello']];

describe.skipIf(!present)('connections', () => {
  it('several connections interleaved, one of them not SSH', () => {
    const a = oracleSegments(load('ns_c25519_chacha20.pcap'));
    const b = oracleSegments(load('ns_rsa_c25519_chacha20_sftp.pcap'));
    const http = connection(['10.0.0.1', 40000], ['10.0.0.2', 80], HTTP);
    const mixed: OracleSegment[] = [];
    for (let i = 0; i < Math.max(a.length, b.length); i++) mixed.push(...[a[i], b[i], http[i]].filter((s) => s !== undefined));
    const events = read(mixed);
    const connections = only(events, 'connection');
    expect(connections.map((c) => [c.client.port, c.server.port, c.ssh])).toEqual(
      [[oracleStreams(a).clientPort, 2222, true], [oracleStreams(b).clientPort, 2222, true], [40000, 80, false]].sort((x, y) => (mixed.findIndex((s) => s.sourcePort === x[0]) - mixed.findIndex((s) => s.sourcePort === y[0]))),
    );
    for (const [segments, c] of [[a, connections.find((c) => c.client.port === oracleStreams(a).clientPort)!], [b, connections.find((c) => c.client.port === oracleStreams(b).clientPort)!]] as const) {
      const streams = streamsOf(events, c.id);
      expect(streams.clientBytes).toEqual(oracleStreams(segments).client);
      expect(streams.serverBytes).toEqual(oracleStreams(segments).server);
    }
    const web = connections.find((c) => !c.ssh)!;
    expect(web.notSshReason).toContain('does not start with "SSH-"');
    expect(new TextDecoder().decode(streamsOf(events, web.id).serverBytes)).toBe(HTTP[1][1]);
    expect(events.at(-1)).toMatchObject({ type: 'summary', tcpConnections: 3, sshConnections: 2, message: '2 SSH connections among 3 TCP connections' });
  });

  it('no SSH at all: the summary says so', () => {
    const events = read([...connection(['10.0.0.1', 40000], ['10.0.0.2', 80], HTTP), ...connection(['10.0.0.1', 40001], ['10.0.0.2', 80], HTTP)]);
    expect(events.at(-1)).toEqual({ type: 'summary', frames: 12, tcpConnections: 2, sshConnections: 0, message: 'no SSH found in this capture: 2 TCP connections, none starts with an SSH identification line' });
  });

  it('a capture that starts after the handshake: the lower port is the server, streams start at the first byte seen', () => {
    const segments = oracleSegments(load('ns_c25519_chacha20.pcap'));
    const late = segments.slice(12);
    const events = read(late);
    const [c] = only(events, 'connection');
    expect(c).toMatchObject({ roleEvidence: 'lower-port', server: { port: 2222 }, ssh: false });
    const streams = streamsOf(events, c.id);
    const fromClient = (s: OracleSegment) => s.destinationPort === 2222;
    expect(streams.clientBytes).toEqual(concat(late.filter(fromClient).map((s) => s.payload)));
    expect(streams.serverBytes).toEqual(concat(late.filter((s) => !fromClient(s)).map((s) => s.payload)));
    const [firstData] = only(events, 'data');
    expect(firstData.seq).toBe(late.find((s) => s.payload.length > 0)!.seq);
  });

  it('no handshake, high server port: an endpoint seen in an earlier connection is the server', () => {
    const first = connection(['10.0.0.5', 40001], ['10.0.0.1', 63315], HTTP, false);
    const second = connection(['10.0.0.5', 40002], ['10.0.0.1', 63315], HTTP, false);
    const events = read([...first, ...second]);
    expect(only(events, 'connection').map((c) => [c.roleEvidence, c.client.port, c.server.port])).toEqual([
      ['lower-port', 63315, 40001], // nothing to go by but the ports: wrong, and said so
      ['shared-endpoint', 40002, 63315],
    ]);
  });

  it('a server sending lines before its identification, no SYN captured: those lines tell the server', () => {
    const exchanges: ['c' | 's', string][] = [['s', 'Welcome\r\nauthorised use only\r\nSSH-2.0-Test_1.0\r\n'], ['c', 'SSH-2.0-Client\r\n']];
    const events = read(connection(['10.0.0.9', 2000], ['10.0.0.1', 40000], exchanges, false));
    expect(only(events, 'connection')).toMatchObject([{ roleEvidence: 'banner-lines', client: { port: 2000 }, server: { port: 40000 }, ssh: true }]);
    expect(only(events, 'identification').map((i) => [i.direction, i.streamOffset, i.linesBefore, i.line])).toEqual([
      ['server', 30, 2, 'SSH-2.0-Test_1.0'],
      ['client', 0, 0, 'SSH-2.0-Client'],
    ]);
  });

  it('a snap length that cuts a frame: a warning and a gap for the bytes not captured', () => {
    const segments = oracleSegments(load('ns_c25519_chacha20.pcap'));
    const big = segments.findIndex((s) => s.payload.length > 500);
    const built: BuiltFrame[] = segments.map((s) => ({ time: s.time, data: encapsulate({ kind: 'ethernet' }, ipv4(s, tcpSegment(s))) }));
    const full = built[big].data;
    built[big] = { time: built[big].time, data: full.subarray(0, 14 + 20 + 20 + 100), originalLength: full.length };
    const events = readCapture(pcapFile(built, 1));
    const missing = segments[big].payload.length - 100;
    expect(only(events, 'warning').map((w) => w.message)).toEqual([`frame ${big + 1}: the capture holds 100 of the ${segments[big].payload.length} TCP payload bytes (snap length or a cut file); the rest becomes a gap`]);
    const streams = streamsOf(events, 1);
    const offset = offsetIn(segments, segments[big]);
    expect(streams.gaps.map((g) => [g.streamOffset, g.length])).toEqual([[offset + 100, missing]]);
  });
});

describe.skipIf(!present)('snap length', () => {
  it('a small snap length on every frame: one warning, a count at the end, every missing byte a gap', () => {
    const segments = oracleSegments(load('ns_c25519_chacha20.pcap'));
    const built: BuiltFrame[] = segments.map((s) => {
      const data = encapsulate({ kind: 'ethernet' }, ipv4(s, tcpSegment(s)));
      return { time: s.time, data: data.subarray(0, 96), originalLength: data.length };
    });
    const events = readCapture(pcapFile(built, 1));
    const cut = segments.filter((s) => 54 + s.payload.length > 96).length;
    expect(only(events, 'warning').map((w) => w.message)).toEqual([
      expect.stringMatching(/^frame \d+: the capture holds 42 of the \d+ TCP payload bytes/),
      `${cut} frames in all held less TCP payload than their IP header declares (snap length); their missing bytes are gaps`,
    ]);
    const oracle = oracleStreams(segments);
    const [connection] = only(events, 'connection');
    const streams = streamsOf(events, connection.id);
    const missing = segments.reduce((sum, s) => sum + Math.max(0, s.payload.length - 42), 0);
    expect(streams.gaps.reduce((sum, g) => sum + g.length, 0)).toBe(missing);
    // Each gap is declared by the cut frame itself, at once, not at the end of the capture.
    for (const gap of streams.gaps) expect(segments[gap.frame!.index - 1].payload.length - 42).toBe(gap.length);
    expect(streams.clientBytes.length + streams.serverBytes.length + missing).toBe(oracle.client.length + oracle.server.length);
    expect(connection.ssh).toBe(true); // both identification lines fit in 42 bytes
  });
});
