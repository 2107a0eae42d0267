/**
 * The page's side of streaming a trace: applies the worker's batches (app/worker/protocol.ts) to one growing trace.
 * Appending is cheap (records are pushed onto the same arrays), and every apply returns a new Trace object in which
 * the sessions and channels that changed are new objects, so React views re-render exactly what changed, and the
 * views' per-session indexes (session-index.ts) extend from where they were instead of starting over.
 */
import type { ChannelRecord, SessionRecord, Trace } from '../../engine/trace/model.ts';
import type { ChannelDelta, SessionDelta, TraceBatch } from '../worker/protocol.ts';
import { intern, LazyPacket } from './packed-packet.ts';

const pushAll = <T>(into: T[], items: readonly T[]) => {
  for (const item of items) into.push(item);
};

export class TraceAssembler {
  private current: Trace;
  /** The stream's table of field texts (TraceBatch.texts). */
  private readonly texts: string[] = [];

  constructor(source: Trace['source'] = { kind: 'capture', name: 'capture' }) {
    this.current = { format: 'sshlens-trace', version: 1, source, sessions: [], problems: [] };
  }

  get trace(): Trace {
    return this.current;
  }

  /** Applies one batch; returns the new trace (the same object when the batch held nothing). */
  apply(batch: TraceBatch): Trace {
    if (!batch.source && batch.problems.length === 0 && batch.sessions.length === 0) return this.current;
    const trace = this.current;
    if (batch.texts) pushAll(this.texts, batch.texts);
    pushAll(trace.problems, batch.problems);
    const sessions = trace.sessions.slice();
    for (const delta of batch.sessions) sessions[delta.index] = applySession(sessions[delta.index], delta, batch.arena ?? null, this.texts);
    this.current = { ...trace, ...(batch.source ? { source: batch.source } : {}), sessions };
    return this.current;
  }
}

function applySession(previous: SessionRecord | undefined, delta: SessionDelta, arena: ArrayBuffer | null, texts: readonly string[]): SessionRecord {
  const session: SessionRecord = previous ? { ...previous } : {
    id: delta.head?.id ?? delta.index, client: delta.head!.client, server: delta.head!.server,
    identification: {}, kex: [], packets: [], channels: [], segments: { client: [], server: [] }, problems: [],
  };
  if (delta.identification) session.identification = delta.identification;
  if (delta.kex) session.kex = delta.kex;
  for (const packed of delta.packets) session.packets.push(new LazyPacket(packed, arena, texts));
  pushAll(session.segments.client, delta.segments.client);
  pushAll(session.segments.server, delta.segments.server);
  pushAll(session.problems, delta.problems);
  if (delta.channels.length > 0) {
    const channels = session.channels.slice();
    for (const change of delta.channels) channels[change.index] = applyChannel(channels[change.index], change);
    session.channels = channels;
  }
  return session;
}

function applyChannel(previous: ChannelRecord | undefined, delta: ChannelDelta): ChannelRecord {
  const { head } = delta;
  // Fields in the decoder's order, so an assembled trace exports exactly like one decoded in one go.
  const channel: ChannelRecord = {
    type: head.type, opener: head.opener, clientId: head.clientId, serverId: head.serverId, openValue: head.openValue,
    requests: delta.requests ?? previous?.requests ?? [],
    events: previous?.events ?? [],
    clientData: previous?.clientData ?? [],
    serverData: previous?.serverData ?? [],
    clientExtendedData: previous?.clientExtendedData ?? [],
    serverExtendedData: previous?.serverExtendedData ?? [],
    exitStatus: head.exitStatus,
    ...(head.exitSignal === undefined ? {} : { exitSignal: head.exitSignal }),
  };
  for (const event of delta.events) {
    event.direction = intern(event.direction);
    event.kind = intern(event.kind);
    event.detail = intern(event.detail);
    channel.events.push(event);
  }
  pushAll(channel.clientData, delta.clientData);
  pushAll(channel.serverData, delta.serverData);
  pushAll(channel.clientExtendedData, delta.clientExtendedData);
  pushAll(channel.serverExtendedData, delta.serverExtendedData);
  return channel;
}
