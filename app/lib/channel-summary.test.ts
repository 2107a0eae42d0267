/**
 * The channel summary (RFC 4254 §5 events grouped for drawing) against the events of real decoded sessions: an
 * OpenSSH capture from ../shared/fixtures (read in place) and a generated multi-MiB capture whose channel has tens of
 * thousands of events. Extended a few events at a time, as a streaming channel grows, it must describe exactly the
 * events it was given: every event counted once in its lane and kind, the first and last packet, and the window
 * chart's points a subset of the window events that keeps each side's lowest and highest window.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { decodeCapture } from '../../engine/decoder/capture-decoder.ts';
import type { ChannelEventRecord } from '../../engine/trace/model.ts';
import { fixturesDir } from '../../vite.config.ts';
import { generateCapture } from '../e2e/generate-capture.ts';
import { channelSummary, MAX_BUCKETS } from './channel-summary.ts';

function check(events: readonly ChannelEventRecord[], step: number) {
  // Grown a few events at a time, as trace-assembly.ts appends to one array.
  const growing: ChannelEventRecord[] = [];
  for (let at = 0; at < events.length; at += step) {
    growing.push(...events.slice(at, at + step));
    channelSummary(growing);
  }
  const summary = channelSummary(growing);
  const packets = events.map((e) => e.packet);
  expect(summary.count).toBe(events.length);
  expect(summary.first).toBe(Math.min(...packets));
  expect(summary.last).toBe(Math.max(...packets));

  const lanes = summary.lanes();
  expect(lanes.length).toBeLessThanOrEqual(2 * MAX_BUCKETS);
  for (const direction of ['client', 'server'] as const) {
    const own = events.filter((e) => e.direction === direction);
    const mine = lanes.filter((l) => l.direction === direction);
    expect(mine.reduce((n, l) => n + l.count, 0)).toBe(own.length);
    for (const kind of new Set(own.map((e) => e.kind))) {
      expect(mine.reduce((n, l) => n + (l.kinds.get(kind) ?? 0), 0)).toBe(own.filter((e) => e.kind === kind).length);
    }
    // Each lane bucket's packets really hold events of that direction, and the buckets do not overlap.
    for (const lane of mine) expect(own.some((e) => e.packet === lane.first) && own.some((e) => e.packet === lane.last)).toBe(true);
    for (let i = 1; i < mine.length; i++) expect(mine[i].first).toBeGreaterThan(mine[i - 1].last);
  }

  const window = events.filter((e) => e.window);
  const points = summary.windowPoints();
  expect(summary.windowCount).toBe(window.length);
  // In event order, each one of the channel's own window events.
  let last = -1;
  for (const point of points) {
    const at = window.indexOf(point, last + 1);
    expect(at).toBeGreaterThan(last);
    last = at;
  }
  if (window.length > 0) {
    expect(points[0]).toBe(window[0]);
    expect(points[points.length - 1]).toBe(window[window.length - 1]);
    for (const side of ['client', 'server'] as const) {
      const values = window.map((e) => e.window![side]);
      const shown = points.map((e) => e.window![side]);
      expect(Math.min(...shown)).toBe(Math.min(...values));
      expect(Math.max(...shown)).toBe(Math.max(...values));
    }
  }
  return { summary, points, window };
}

const captures = path.join(fixturesDir, 'openssh-ssh2');
const name = 'ns_c25519_chacha20_sftp';

describe.skipIf(!existsSync(path.join(captures, `${name}.pcap`)))('a real OpenSSH session', () => {
  test(`${name}: every channel's events, all window points kept`, () => {
    const capture = new Uint8Array(readFileSync(path.join(captures, `${name}.pcap`)));
    const keyLog = readFileSync(path.join(captures, `${name}.shared_secret.keylog`), 'utf8');
    const trace = decodeCapture(capture, [{ name: 'keys.log', text: keyLog }], 'c');
    const channels = trace.sessions[0].channels;
    expect(channels.length).toBe(2);
    for (const channel of channels) {
      const { points, window } = check(channel.events, 3);
      expect(points).toEqual(window);
    }
  });
});

describe('a generated capture with a long channel', () => {
  test('tens of thousands of events in at most MAX_BUCKETS groups per lane and a few points per group', () => {
    const trace = decodeCapture(generateCapture({ bytes: 6 << 20, maxPacket: 256 }), [], 'generated.pcapng');
    const events = trace.sessions[0].channels[0].events;
    expect(events.length).toBeGreaterThan(20 * MAX_BUCKETS);
    const { points } = check(events, 997);
    expect(points.length).toBeLessThanOrEqual(6 * MAX_BUCKETS);
  });
});
