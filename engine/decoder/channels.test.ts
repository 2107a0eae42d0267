/**
 * The channel tracker (RFC 4254 §5) after lost bytes: a real capture (../shared/fixtures/openssh-ssh2, read in place)
 * with one TCP segment dropped, re-framed with the capture test builders and decoded whole. A message naming a
 * channel whose opening was in the lost bytes is explained as such (which side's stream, offset, length), and the
 * channel is followed from there on: what the other side sent about it (data, EOF, exit status, CLOSE) is kept.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { encapsulate, FIXTURES, ipv4, oracleSegments, pcapFile, tcpSegment, type OracleSegment } from '../capture/test-helpers.ts';
import type { Direction, SessionRecord } from '../trace/model.ts';
import { CaptureDecoder, decodeCapture } from './capture-decoder.ts';
import { KeyStore } from './key-store.ts';
import { ChannelTracker, OPENING_LOST } from './channels.ts';

const present = existsSync(FIXTURES);
const NAME = 'ns_c25519_chacha20';
const capture = present ? new Uint8Array(readFileSync(join(FIXTURES, `${NAME}.pcap`))) : new Uint8Array(0);
const keyLog = present ? readFileSync(join(FIXTURES, `${NAME}.oldformat.keylog`), 'utf8') : '';
/** The first session of a capture: from the kept trace, or as the streaming decoder hands it over (keepPackets false). */
function decode(bytes: Uint8Array, keepPackets = true): SessionRecord {
  if (keepPackets) return decodeCapture(bytes, [{ name: 'keylog', text: keyLog }]).sessions[0];
  const keys = new KeyStore();
  keys.addFile(keyLog, 'keylog');
  const ended: SessionRecord[] = [];
  const decoder = new CaptureDecoder(keys, { kind: 'capture', name: 'lost' }, { sessionEnd: (s) => ended.push(s) }, { keepPackets: false, keepChannelData: false });
  decoder.push(bytes);
  decoder.finish();
  return ended[0];
}
const reference = present ? decode(capture)! : undefined!;
const text = new TextDecoder();
const output = (s: SessionRecord) => s.channels.map((c) => c.serverData.map((d) => text.decode(d)).join('')).join('');

/** The capture without the segment that carries `direction`'s first `message`; the dropped span of its stream. */
function dropSegmentOf(direction: Direction, message: string) {
  const segments = oracleSegments(capture);
  const serverPort = segments[0].destinationPort;
  const fromServer = (s: OracleSegment) => s.sourcePort === serverPort;
  const isn = (server: boolean) => segments.find((s) => s.flags & 2 && fromServer(s) === server)!.seq;
  const offset = (s: OracleSegment) => (s.seq - isn(fromServer(s)) - 1) >>> 0;
  const at = reference.packets.find((p) => p.direction === direction && p.message?.name === message)!.stream.start;
  const lost = segments.findIndex((s) => fromServer(s) === (direction === 'server') && s.payload.length > 0 && offset(s) <= at && at < offset(s) + s.payload.length);
  const kept = segments.filter((_, i) => i !== lost);
  const bytes = pcapFile(kept.map((s) => ({ time: s.time, data: encapsulate({ kind: 'ethernet' }, ipv4(s, tcpSegment(s))) })), 1);
  return { bytes, streamOffset: offset(segments[lost]), length: segments[lost].payload.length };
}

describe.skipIf(!present)('a channel whose opening was in lost bytes (real capture, one segment dropped)', () => {
  it('(undamaged: one session channel, the command output, exit status 0, no problem)', () => {
    expect(reference.channels.map((c) => [c.type, c.exitStatus])).toEqual([['session', 0]]);
    expect(output(reference)).toContain('HELLO_WIRESHARK_TEST');
    expect(reference.problems).toEqual([]);
  });

  for (const keepPackets of [true, false]) {
    it(`the client's CHANNEL_OPEN lost: the server's confirmation explains it, and the server's side of the channel is kept (keepPackets ${keepPackets})`, () => {
      const { bytes, streamOffset, length } = dropSegmentOf('client', 'SSH_MSG_CHANNEL_OPEN');
      const session = decode(bytes, keepPackets)!;
      const channelProblems = session.problems.filter((p) => p.code !== 'gap');
      // Before: one "SSH_MSG_CHANNEL_... names channel 0, which the client has not opened" per server message (10).
      expect(channelProblems.map((p) => p.message)).toEqual([
        `SSH_MSG_CHANNEL_OPEN_CONFIRMATION names channel 0 of the client, whose CHANNEL_OPEN was probably in the ${length} byte(s) lost from the client's stream at offset ${streamOffset} or in what could not be framed after them, not missing from the session; the channel is followed from here, its type and flow-control windows unknown`,
      ]);
      expect(channelProblems[0]).toMatchObject({ code: 'channel-opening-lost', direction: 'server', severity: 'warning' });
      expect(session.problems.some((p) => /never opened|has not opened/.test(p.message))).toBe(false);
      const [channel] = session.channels;
      expect(session.channels).toHaveLength(1);
      expect(channel).toMatchObject({ type: OPENING_LOST, opener: 'client', clientId: 0, serverId: 0, exitStatus: 0, openValue: { openingLost: { direction: 'client', streamOffset, length } } });
      expect(channel.requests.map((r) => `${r.direction} ${r.request}`)).toEqual(['server exit-status']);
      // Streaming keeps no event per data or window adjust message (they would grow with the capture).
      const perData = (e: { kind: string }) => !keepPackets && ['data', 'extended-data', 'window-adjust'].includes(e.kind);
      const serverEvents = reference.channels[0].events.filter((e) => e.direction === 'server' && !perData(e)).map((e) => `${e.kind} ${e.detail}`);
      expect(channel.events.map((e) => `${e.kind} ${e.detail}`)).toEqual(serverEvents);
      expect(channel.events.every((e) => e.window === undefined)).toBe(true); // the windows were set by lost messages
      if (keepPackets) expect(output(session)).toBe(output(reference));
    });
  }

  it("the server's OPEN_CONFIRMATION lost: the client's requests go to the one channel it opened, not to a channel \"never opened\"", () => {
    const { bytes, streamOffset, length } = dropSegmentOf('server', 'SSH_MSG_CHANNEL_OPEN_CONFIRMATION');
    const session = decode(bytes)!;
    expect(session.problems.filter((p) => p.code !== 'gap').map((p) => p.message)).toEqual([
      `SSH_MSG_CHANNEL_REQUEST names channel 0 of the server, whose OPEN_CONFIRMATION was probably in the ${length} byte(s) lost from the server's stream at offset ${streamOffset} or in what could not be framed after them, not missing from the session; taken to be the client's channel 0 ("session"), the only one the server had not confirmed`,
    ]);
    expect(session.channels).toHaveLength(1);
    expect(session.channels[0]).toMatchObject({ type: 'session', opener: 'client', clientId: 0, serverId: 0 });
    expect(session.channels[0].requests.map((r) => r.request)).toEqual(['env', 'pty-req', 'exec']);
    expect(session.channels[0].events.map((e) => `${e.direction} ${e.kind}`)).toEqual(['client open', 'client request', 'client request', 'client request', 'client close']);
  });
});

describe('the tracker on its own: when the gap is reported decides nothing', () => {
  const data = (packet: number, recipient: number, bytes: number) => ({ packet, direction: 'server' as const, name: 'SSH_MSG_CHANNEL_DATA', value: { recipient_channel: recipient, data: new Uint8Array(bytes) } });
  const close = (packet: number, recipient: number) => ({ packet, direction: 'server' as const, name: 'SSH_MSG_CHANNEL_CLOSE', value: { recipient_channel: recipient } });

  for (const when of ['before', 'after'] as const) {
    for (const keepData of [true, false]) {
      it(`gap reported ${when} the messages (keepData ${keepData}): one problem, the channel followed from its first message`, () => {
        const tracker = new ChannelTracker({ keepData });
        if (when === 'before') tracker.lostBytes('client', 700, 52);
        tracker.add(data(10, 3, 5));
        tracker.add(data(11, 3, 7));
        tracker.add(close(12, 3));
        if (when === 'after') tracker.lostBytes('client', 700, 52);
        expect(tracker.problems.map((p) => [p.code, p.packet, p.message])).toEqual([[
          'channel-opening-lost', 10,
          'SSH_MSG_CHANNEL_DATA names channel 3 of the client, whose CHANNEL_OPEN or OPEN_CONFIRMATION was probably in the 52 byte(s) lost from the client\'s stream at offset 700 or in what could not be framed after them, not missing from the session; the channel is followed from here, its type and flow-control windows unknown',
        ]]);
        expect(tracker.channels).toHaveLength(1);
        expect(tracker.channels[0]).toMatchObject({ clientId: 3, serverId: null, opener: 'client' });
        expect(tracker.channels[0].events.map((e) => [e.packet, e.kind, e.bytes])).toEqual([[10, 'data', 5], [11, 'data', 7], [12, 'close', undefined]]);
        expect(tracker.channels[0].serverData.map((d) => d.length)).toEqual(keepData ? [5, 7] : []);
      });
    }
  }

  it('without lost bytes, or with bytes lost from the other side only, a channel never opened is still said to be so', () => {
    const tracker = new ChannelTracker();
    tracker.lostBytes('server', 100, 10); // the server's losses do not explain the client's channel numbers
    tracker.add(data(4, 9, 1));
    tracker.add(close(5, 9));
    expect(tracker.problems.map((p) => [p.code, p.message])).toEqual([
      ['unknown-channel', 'SSH_MSG_CHANNEL_DATA names channel 9, which the client has not opened'],
      ['unknown-channel', 'SSH_MSG_CHANNEL_CLOSE names channel 9, which the client has not opened'],
    ]);
    expect(tracker.channels).toEqual([]);
  });
});
