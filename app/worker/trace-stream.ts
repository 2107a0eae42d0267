/**
 * The worker's side of streaming a trace to the page: what the capture decoder added to its live trace since the
 * last batch, taken out of the live trace (the decoder only appends to packets, segments, channel events and data,
 * and never reads them back), so the worker holds only what is in flight and the page holds the trace.
 *
 * Byte arrays in the decoder's records are views into bigger buffers (the whole capture file, a reassembly buffer),
 * and posting a view clones its whole buffer; {@link compactViews} copies the bytes a batch actually uses into one
 * buffer: a batch costs the page what it shows, not the size of the capture.
 */
import type { ChannelRecord, KexRecord, PacketRecord, SessionRecord, Trace } from '../../engine/trace/model.ts';
import type { DecodedField } from '../../engine/trace/fields.ts';
import { packPacket } from '../lib/packed-packet.ts';
import { FIELD_TEXTS, type ChannelDelta, type SessionDelta, type TraceBatch } from './protocol.ts';

/** A session delta before its packets are packed (see packPacket). */
type RawSessionDelta = Omit<SessionDelta, 'packets'> & { packets: PacketRecord[] };

interface ChannelCursor {
  head: string;
  requests: string;
}

interface SessionCursor {
  index: number;
  identification: string;
  kex: string;
  problems: number;
  channels: ChannelCursor[];
}

const DATA_KEYS = ['clientData', 'serverData', 'clientExtendedData', 'serverExtendedData'] as const;

/** What the page must be told again when it differs (cheap to compute, changes whenever the record does). */
function kexSignature(kex: KexRecord[]): string {
  return kex.map((k) => {
    const p = k.packets;
    return [p.clientKexinit, p.serverKexinit, p.messages.length, p.clientNewKeys, p.serverNewKeys, k.negotiation.length, k.algorithms?.kex,
      k.strict, k.secretSource, k.sharedSecret?.length, k.exchangeHashInputs?.length, k.exchangeHash?.length, k.sessionId?.length, !!k.keys,
      k.hostKey?.verified, k.hostKey?.reason, k.problems.length].join(',');
  }).join(';');
}

const channelHeadSignature = (c: ChannelRecord) => `${c.clientId},${c.serverId},${c.exitStatus},${c.exitSignal}`;
const requestsSignature = (c: ChannelRecord) => c.requests.map((r) => r.reply ?? '-').join('');

export class TraceStreamer {
  private readonly cursors = new Map<SessionRecord, SessionCursor>();
  private problems = 0;
  private sourceSent = false;
  private readonly texts = new Map<string, number>();

  constructor(private readonly trace: Trace) {}

  /** True when a batch would tell the page something (a session, a message, a problem). */
  hasNews(): boolean {
    if (!this.sourceSent || this.trace.problems.length > this.problems) return true;
    return this.trace.sessions.some((s) => {
      const cursor = this.cursors.get(s);
      return !cursor || s.packets.length > 0 || cursor.identification !== idSignature(s);
    });
  }

  /** Messages decoded since the last batch. */
  pendingPackets(): number {
    let n = 0;
    for (const session of this.trace.sessions) n += session.packets.length;
    return n;
  }

  /**
   * Everything new since the last call, removed from the live trace; its bytes moved into one buffer (`arena`, also
   * `batch.arena`), its packets packed (packPacket: light values and the record as JSON).
   */
  take(): { batch: TraceBatch; arena: ArrayBuffer | null } {
    const raw: Omit<TraceBatch, 'sessions'> & { sessions: RawSessionDelta[] } = { problems: this.trace.problems.slice(this.problems), sessions: [] };
    const batch = raw;
    this.problems = this.trace.problems.length;
    if (!this.sourceSent) {
      batch.source = this.trace.source;
      this.sourceSent = true;
    }
    this.trace.sessions.forEach((session, index) => {
      const delta = this.sessionDelta(session, index);
      if (delta) batch.sessions.push(delta);
    });
    const fresh: string[] = [];
    for (const delta of batch.sessions) for (const packet of delta.packets) if (packet.message) this.numberTexts(packet.message.fields, fresh);
    if (fresh.length > 0) batch.texts = fresh;
    const arena = compactViews(batch);
    const sessions = batch.sessions.map((delta) => ({ ...delta, packets: delta.packets.map((packet) => packPacket(packet, arena)) }));
    return { batch: { ...batch, sessions, ...(arena ? { arena } : {}) }, arena };
  }

  /** Replaces the fields' texts by their numbers in the stream's table (the packets are ours once drained). */
  private numberTexts(fields: DecodedField[], fresh: string[]): void {
    for (const field of fields) {
      const record = field as unknown as Record<string, unknown>;
      for (const key of FIELD_TEXTS) {
        const text = record[key];
        if (typeof text !== 'string') continue;
        let number = this.texts.get(text);
        if (number === undefined) {
          number = this.texts.size;
          this.texts.set(text, number);
          fresh.push(text);
        }
        record[key] = number;
      }
      if (field.children) this.numberTexts(field.children, fresh);
    }
  }

  private sessionDelta(session: SessionRecord, index: number): RawSessionDelta | null {
    let cursor = this.cursors.get(session);
    const fresh = !cursor;
    if (!cursor) {
      cursor = { index, identification: '', kex: '', problems: 0, channels: [] };
      this.cursors.set(session, cursor);
    }
    const delta: RawSessionDelta = {
      index,
      packets: session.packets.splice(0),
      segments: { client: session.segments.client.splice(0), server: session.segments.server.splice(0) },
      problems: session.problems.slice(cursor.problems),
      channels: [],
    };
    cursor.problems = session.problems.length;
    if (fresh) delta.head = { id: session.id, client: session.client, server: session.server };
    const identification = idSignature(session);
    if (identification !== cursor.identification) {
      cursor.identification = identification;
      delta.identification = { ...session.identification };
    }
    const kex = kexSignature(session.kex);
    if (kex !== cursor.kex) {
      cursor.kex = kex;
      // Copies of the records: compacting must not touch what the decoder still uses.
      delta.kex = session.kex.map((k) => ({ ...k, packets: { ...k.packets, messages: [...k.packets.messages] }, problems: [...k.problems] }));
    }
    session.channels.forEach((channel, i) => {
      const change = this.channelDelta(cursor!, channel, i);
      if (change) delta.channels.push(change);
    });
    const changed = fresh || delta.packets.length > 0 || delta.problems.length > 0 || delta.identification || delta.kex || delta.channels.length > 0
      || delta.segments.client.length > 0 || delta.segments.server.length > 0;
    return changed ? delta : null;
  }

  private channelDelta(cursor: SessionCursor, channel: ChannelRecord, index: number): ChannelDelta | null {
    let seen = cursor.channels[index];
    const fresh = !seen;
    if (!seen) seen = cursor.channels[index] = { head: '', requests: '' };
    const head = channelHeadSignature(channel);
    const requests = requestsSignature(channel);
    const moved = channel.events.length > 0 || DATA_KEYS.some((key) => channel[key].length > 0);
    if (!fresh && !moved && head === seen.head && requests === seen.requests) return null;
    const delta: ChannelDelta = {
      index,
      head: { type: channel.type, opener: channel.opener, clientId: channel.clientId, serverId: channel.serverId, openValue: channel.openValue, exitStatus: channel.exitStatus, ...(channel.exitSignal === undefined ? {} : { exitSignal: channel.exitSignal }) },
      events: channel.events.splice(0),
      clientData: channel.clientData.splice(0),
      serverData: channel.serverData.splice(0),
      clientExtendedData: channel.clientExtendedData.splice(0),
      serverExtendedData: channel.serverExtendedData.splice(0),
    };
    if (fresh || requests !== seen.requests) delta.requests = channel.requests.map((r) => ({ ...r }));
    seen.head = head;
    seen.requests = requests;
    return delta;
  }
}

function idSignature(session: SessionRecord): string {
  return `${session.identification.client?.line ?? ''}\n${session.identification.server?.line ?? ''}`;
}

interface ViewSite {
  holder: Record<string | number, unknown>;
  key: string | number;
  view: Uint8Array;
}

/** Views closer than this in one buffer share one region of the arena. */
const GAP = 4096;

/**
 * Moves every byte array of the batch into one new buffer (the arena) and returns it: the page then receives one
 * buffer and views into it, instead of a buffer per packet (cloning hundreds of small buffers per batch is what made
 * batches slow to receive), and never the capture's own buffers. Views close together in one source buffer keep
 * sharing bytes (a message's data field stays inside its packet's plaintext); a source buffer the batch mostly uses
 * is copied whole. The arena is cloned, not transferred: some of these views sit in records the decoder still reads
 * (a KEXINIT's cookie), and now point into the arena, with the same bytes.
 */
export function compactViews(batch: object): ArrayBuffer | null {
  const byBuffer = new Map<ArrayBufferLike, ViewSite[]>();
  const seen = new Set<object>();
  const walk = (holder: Record<string | number, unknown>) => {
    for (const key of Object.keys(holder)) {
      const value = holder[key];
      if (value === null || typeof value !== 'object') continue;
      if (value instanceof Uint8Array) {
        let sites = byBuffer.get(value.buffer);
        if (!sites) byBuffer.set(value.buffer, (sites = []));
        sites.push({ holder, key, view: value });
      } else if (!seen.has(value) && !ArrayBuffer.isView(value)) {
        seen.add(value);
        walk(value as Record<string | number, unknown>);
      }
    }
  };
  walk(batch as unknown as Record<string, unknown>);
  const regions: { buffer: ArrayBufferLike; start: number; end: number; sites: ViewSite[] }[] = [];
  for (const [buffer, sites] of byBuffer) {
    sites.sort((a, b) => a.view.byteOffset - b.view.byteOffset);
    const clusters: { buffer: ArrayBufferLike; start: number; end: number; sites: ViewSite[] }[] = [];
    for (const site of sites) {
      const start = site.view.byteOffset;
      const end = start + site.view.byteLength;
      const last = clusters[clusters.length - 1];
      if (last && start <= last.end + GAP) {
        last.end = Math.max(last.end, end);
        last.sites.push(site);
      } else clusters.push({ buffer, start, end, sites: [site] });
    }
    const used = clusters.reduce((n, c) => n + c.end - c.start, 0);
    if (used * 2 > buffer.byteLength) regions.push({ buffer, start: 0, end: buffer.byteLength, sites });
    else regions.push(...clusters);
  }
  const size = regions.reduce((n, r) => n + r.end - r.start, 0);
  if (size === 0) return null;
  const arena = new Uint8Array(size);
  let at = 0;
  for (const region of regions) {
    arena.set(new Uint8Array(region.buffer, region.start, region.end - region.start), at);
    for (const site of region.sites) {
      const from = at + site.view.byteOffset - region.start;
      site.holder[site.key] = arena.subarray(from, from + site.view.byteLength);
    }
    at += region.end - region.start;
  }
  return arena.buffer;
}
