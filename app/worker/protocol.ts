/**
 * Messages between the page and the decode worker. Files travel as bytes. A capture's trace comes back in batches
 * while it decodes (what is new since the last batch, see trace-stream.ts), so the page can show the first messages
 * at once; a simulation comes back whole.
 */
import type {
  ChannelEventRecord, ChannelRecord, ChannelRequestRecord, Endpoint, KexRecord, MessageRecord, PacketRecord, Problem,
  SegmentRecord, SessionRecord, Trace, TraceSource,
} from '../../engine/trace/model.ts';
import type { InputFile } from './open-files.ts';

export type ToWorker = { type: 'open'; files: InputFile[] } | { type: 'simulate'; simulation: string; seed: number };

export type FromWorker =
  | { type: 'progress'; fraction: number; note: string }
  /** Part of the trace, while decoding goes on; `fraction` of the capture is done. */
  | { type: 'batch'; batch: TraceBatch; fraction: number; note: string }
  /** The last part: the trace is complete. */
  | { type: 'done'; batch: TraceBatch; millis: number }
  | { type: 'trace'; trace: Trace; millis: number; steps?: Trace[] }
  | { type: 'error'; message: string };

/** What changed in a trace since the previous batch. Arrays of records are appended; `kex`, `requests` replace. */
export interface TraceBatch {
  /** Only in the first batch. */
  source?: TraceSource;
  /** New capture-level problems. */
  problems: Problem[];
  sessions: SessionDelta[];
  /**
   * Texts of the message fields (name, path, type, explanation, RFC section...) first used in this batch: in the
   * batch's packets each such field property holds the text's number in the stream's table (see FIELD_TEXTS), so
   * a sentence repeated by thousands of messages crosses once, and the page keeps one copy.
   */
  texts?: string[];
  /** The one buffer every byte array of the batch lives in (see trace-stream.ts compactViews). */
  arena?: ArrayBuffer;
}

/** The FieldNode properties that travel as numbers into the texts table. */
export const FIELD_TEXTS = ['name', 'path', 'type', 'valueName', 'doc', 'rfc'] as const;

export interface SessionDelta {
  /** Position in trace.sessions. */
  index: number;
  /** Only in the session's first delta. */
  head?: { id: number; client: Endpoint; server: Endpoint };
  identification?: SessionRecord['identification'];
  /** The session's key exchanges, whole, when any of them changed. */
  kex?: KexRecord[];
  packets: PackedPacket[];
  segments: { client: SegmentRecord[]; server: SegmentRecord[] };
  problems: Problem[];
  channels: ChannelDelta[];
}

export type ChannelHead = Pick<ChannelRecord, 'type' | 'opener' | 'clientId' | 'serverId' | 'openValue' | 'exitStatus' | 'exitSignal'>;

export interface ChannelDelta {
  /** Position in session.channels. */
  index: number;
  head: ChannelHead;
  /** The channel's requests, whole, when one was added or answered. */
  requests?: ChannelRequestRecord[];
  events: ChannelEventRecord[];
  clientData: Uint8Array[];
  serverData: Uint8Array[];
  clientExtendedData: Uint8Array[];
  serverExtendedData: Uint8Array[];
}

/**
 * A packet as it crosses to the page: what the message list, the ladder and the indexes read for every packet, and
 * the whole record as JSON text, which the page reads only for the packets a view opens (lib/packed-packet.ts). A
 * string is one object to receive and to keep, where the record is dozens (fields, spans, byte views): a 100 MiB
 * capture's trace then costs the page's garbage collector a fraction of what it did.
 */
export interface PackedPacket extends Pick<PacketRecord, 'index' | 'direction' | 'sequence' | 'epoch' | 'stream' | 'cipher' | 'mac' | 'compression' | 'macStatus' | 'error'> {
  message?: Pick<MessageRecord, 'number' | 'name' | 'summary' | 'unknown' | 'error'>;
  /**
   * The PacketRecord as JSON: byte arrays as `{"$arena":[offset,length]}` in the batch's arena, bigints tagged as in
   * trace JSON, and the field texts (FIELD_TEXTS) as their numbers in the stream's table.
   */
  json: string;
}
