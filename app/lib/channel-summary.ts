/**
 * A channel's events (RFC 4254 §5) summarised for drawing, kept per events array and extended from where it stopped:
 * a channel that streams in (trace-assembly.ts appends to the same array) costs each render only its new events,
 * never all of them again. A long channel's events are grouped into at most MAX_BUCKETS runs of packets (the run
 * length doubles when they would be more); each bucket keeps, per direction, how many events of each kind it holds
 * and its first and last packet, and the events the window chart needs: first, last, and each side's lowest and
 * highest window (RFC 4254 §5.2). A view then draws at most a few marks and points per pixel column.
 */
import type { ChannelEventRecord, Direction } from '../../engine/trace/model.ts';

/** Events of one direction in one bucket. */
export interface LaneBucket {
  direction: Direction;
  first: number;
  last: number;
  count: number;
  kinds: Map<ChannelEventRecord['kind'], number>;
}

interface Bucket {
  key: number;
  lanes: Partial<Record<Direction, LaneBucket>>;
  /** Window events kept for the chart (first, last, extremes of each side), in event order. */
  window: ChannelEventRecord[];
}

export interface ChannelSummary {
  /** Lowest and highest packet index of any event (0, 0 without events). */
  first: number;
  last: number;
  count: number;
  /** Events that carry a window. */
  windowCount: number;
  /** Per-direction groups of events, in packet order. */
  lanes(): LaneBucket[];
  /** The window events worth drawing: every one for a short channel, else each bucket's first, last and extremes. */
  windowPoints(): ChannelEventRecord[];
}

/** At most this many buckets (the chart is a few hundred pixels wide: several buckets per pixel column). */
export const MAX_BUCKETS = 1024;
/** Up to this many window events, all of them are drawn. */
const ALL_WINDOW_POINTS = 2000;

interface State {
  done: number;
  first: number;
  last: number;
  windowCount: number;
  /** Packets per bucket (a power of two). */
  width: number;
  buckets: Map<number, Bucket>;
  /** Every window event, while there are few. */
  allWindow: ChannelEventRecord[] | null;
}

const states = new WeakMap<readonly ChannelEventRecord[], State>();

export function channelSummary(events: readonly ChannelEventRecord[]): ChannelSummary {
  let state = states.get(events);
  if (!state) {
    state = { done: 0, first: Infinity, last: -Infinity, windowCount: 0, width: 1, buckets: new Map(), allWindow: [] };
    states.set(events, state);
  }
  for (let i = state.done; i < events.length; i++) add(state, events[i]);
  state.done = events.length;
  const s = state;
  const empty = s.first === Infinity;
  return {
    first: empty ? 0 : s.first,
    last: empty ? 0 : s.last,
    count: events.length,
    windowCount: s.windowCount,
    lanes: () => sortedBuckets(s).flatMap((b) => [b.lanes.client, b.lanes.server].filter((lane): lane is LaneBucket => lane !== undefined)),
    windowPoints: () => s.allWindow ?? sortedBuckets(s).flatMap((b) => b.window),
  };
}

function sortedBuckets(state: State): Bucket[] {
  return [...state.buckets.values()].sort((a, b) => a.key - b.key);
}

function add(state: State, event: ChannelEventRecord): void {
  state.first = Math.min(state.first, event.packet);
  state.last = Math.max(state.last, event.packet);
  if (event.window) {
    state.windowCount++;
    if (state.allWindow && state.allWindow.length < ALL_WINDOW_POINTS) state.allWindow.push(event);
    else state.allWindow = null;
  }
  const key = Math.floor(event.packet / state.width);
  let bucket = state.buckets.get(key);
  if (!bucket) state.buckets.set(key, (bucket = { key, lanes: {}, window: [] }));
  addToLane(bucket, event.direction, event.packet, event.packet, 1, [[event.kind, 1]]);
  if (event.window) keepWindow(bucket, [event]);
  if (state.buckets.size > MAX_BUCKETS) coarsen(state);
}

function addToLane(bucket: Bucket, direction: Direction, first: number, last: number, count: number, kinds: Iterable<[ChannelEventRecord['kind'], number]>): void {
  let lane = bucket.lanes[direction];
  if (!lane) lane = bucket.lanes[direction] = { direction, first, last, count: 0, kinds: new Map() };
  lane.first = Math.min(lane.first, first);
  lane.last = Math.max(lane.last, last);
  lane.count += count;
  for (const [kind, n] of kinds) lane.kinds.set(kind, (lane.kinds.get(kind) ?? 0) + n);
}

/** Adds window events to a bucket's, keeping only its first, last and each side's lowest and highest. */
function keepWindow(bucket: Bucket, events: readonly ChannelEventRecord[]): void {
  if (bucket.window.length + events.length <= 6) {
    for (const event of events) bucket.window.push(event);
    return;
  }
  const all = bucket.window.concat(events);
  const keep = new Set<ChannelEventRecord>();
  keepWindowExtremes(all, keep);
  bucket.window = all.filter((event) => keep.has(event));
}

/** Doubles the packets per bucket, merging neighbours. */
function coarsen(state: State): void {
  const merged = new Map<number, Bucket>();
  for (const bucket of sortedBuckets(state)) {
    const key = Math.floor(bucket.key / 2);
    let into = merged.get(key);
    if (!into) merged.set(key, (into = { key, lanes: {}, window: [] }));
    for (const lane of [bucket.lanes.client, bucket.lanes.server]) if (lane) addToLane(into, lane.direction, lane.first, lane.last, lane.count, lane.kinds);
    if (bucket.window.length > 0) keepWindow(into, bucket.window);
  }
  state.width *= 2;
  state.buckets = merged;
}

/**
 * Adds to `keep` what a window chart must not lose from a run of window events (each with `window` set): the first,
 * the last, and each side's lowest and highest window.
 */
export function keepWindowExtremes(events: readonly ChannelEventRecord[], keep: Set<ChannelEventRecord>): void {
  if (events.length === 0) return;
  keep.add(events[0]).add(events[events.length - 1]);
  for (const side of ['client', 'server'] as const) {
    let low = events[0];
    let high = events[0];
    for (const event of events) {
      if (event.window![side] < low.window![side]) low = event;
      if (event.window![side] > high.window![side]) high = event;
    }
    keep.add(low).add(high);
  }
}
