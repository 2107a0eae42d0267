/**
 * @module trace/model
 * The trace: the one model every session becomes, whether decrypted from a capture, run live against a real peer or
 * simulated in memory. Sessions -> key exchanges -> packets -> messages (with field spans) -> channels. The UI, the
 * lessons and the CLI only ever read traces.
 *
 * Offsets: a packet's `stream` span is in its direction's TCP byte stream (0 = first byte the sender sent); its
 * `layout` spans are relative to the packet's first byte on the wire; message field spans are relative to the
 * payload's first byte (the message number). For every SSH cipher, plaintext byte i of a packet sits at wire byte i.
 */
import type { CertificateReport } from '../crypto/hostkey.ts';
import type { DecodedField } from './fields.ts';

export type Direction = 'client' | 'server';

export interface Span {
  start: number;
  end: number;
}

/** A point in time: seconds and nanoseconds since the Unix epoch (captures) or since the start (simulations). */
export interface Timestamp {
  seconds: number;
  nanoseconds: number;
}

export interface Endpoint {
  address: string;
  port: number;
}

/** A problem found while decoding, in words, with where it happened. Nothing decoded before it is dropped. */
export interface Problem {
  /** Stable identifier, e.g. `bad-mac`, `no-key`, `gap`, `terrapin-suspect`. */
  code: string;
  message: string;
  direction?: Direction;
  /** Index into `session.packets`. */
  packet?: number;
  /** Capture frame number (1-based, as Wireshark counts). */
  frame?: number;
  /** Offset in the direction's TCP stream. */
  streamOffset?: number;
  severity: 'error' | 'warning' | 'info';
}

/** A TCP segment that carried part of a direction's stream. */
export interface SegmentRecord {
  frame: number;
  time: Timestamp;
  /** The part of the direction's stream this segment delivered (retransmitted duplicates excluded). */
  stream: Span;
}

export interface IdentificationRecord {
  direction: Direction;
  /** The identification line without CR LF: V_C or V_S of the exchange hash. */
  line: string;
  protoVersion: string;
  softwareVersion: string;
  comments?: string;
  /** Lines a server sent before its identification line (RFC 4253 §4.2). */
  preamble: string[];
  /** Where the line (with its CR LF) lies in the direction's stream; preamble lines come before it. */
  stream: Span;
  time?: Timestamp;
  frames: number[];
}

/** One of the eight negotiated slots (RFC 4253 §7.1). */
export interface SlotNegotiation {
  slot: string;
  client: string[];
  server: string[];
  chosen: string | null;
  reason: string;
}

export interface NamedValue {
  name: string;
  /** The value exactly as it is fed to the hash (with its length prefix where it has one). */
  encoded: Uint8Array;
  description: string;
}

export interface HostKeyRecord {
  /** The negotiated host-key algorithm, e.g. rsa-sha2-256. */
  algorithm: string;
  /** The key's own type, e.g. ssh-rsa. */
  keyType: string;
  fingerprint: string;
  blob: Uint8Array;
  /** Whether the signature over H verified; null when H could not be computed. */
  verified: boolean | null;
  reason: string;
  /** For a -cert-v01@openssh.com host key: the certificate's fields and whether the CA's signature verifies. */
  certificate?: CertificateReport;
}

export interface DerivedKeys {
  ivClientToServer: Uint8Array;
  ivServerToClient: Uint8Array;
  keyClientToServer: Uint8Array;
  keyServerToClient: Uint8Array;
  macKeyClientToServer: Uint8Array;
  macKeyServerToClient: Uint8Array;
}

export interface NegotiatedAlgorithms {
  kex: string;
  hostKey: string;
  cipherClientToServer: string;
  cipherServerToClient: string;
  macClientToServer: string | null;
  macServerToClient: string | null;
  compressionClientToServer: string;
  compressionServerToClient: string;
}

export interface KexRecord {
  index: number;
  /** Packet indexes of the two KEXINITs, the method's messages and the two NEWKEYS, as far as seen. */
  packets: { clientKexinit?: number; serverKexinit?: number; messages: number[]; clientNewKeys?: number; serverNewKeys?: number };
  negotiation: SlotNegotiation[];
  algorithms: NegotiatedAlgorithms | null;
  /** Strict kex (draft-miller-sshm-strict-kex): decided by the first KEXINITs, in force for the whole connection. */
  strict: boolean;
  /** Where the shared secret came from, e.g. `key log SHARED_SECRET (line 2 of keys.log)`, `engine`. */
  secretSource?: string;
  /** K as it is fed to the hash (mpint, or string for the hybrid KEMs). */
  sharedSecret?: Uint8Array;
  exchangeHashInputs?: NamedValue[];
  exchangeHash?: Uint8Array;
  sessionId?: Uint8Array;
  keys?: DerivedKeys;
  hostKey?: HostKeyRecord;
  problems: Problem[];
}

export type MacStatus = 'ok' | 'bad' | 'none' | 'unchecked';

export interface PacketLayout {
  packetLength: Span;
  paddingLength: Span;
  payload: Span;
  padding: Span;
  mac: Span | null;
}

export interface MessageRecord {
  number: number;
  name: string;
  /** One-line summary for lists, e.g. `exec "uname -s"` or `publickey ssh-ed25519 (query)`. */
  summary: string;
  /** The decoded value tree (JSON-friendly apart from bigint and Uint8Array). */
  value: Record<string, unknown>;
  fields: DecodedField[];
  unknown?: boolean;
  error?: string;
}

export interface PacketRecord {
  index: number;
  direction: Direction;
  /** The sequence number the protocol used for this packet (after strict-kex resets). */
  sequence: number;
  /** 0 before the first NEWKEYS of this direction, then 1, 2... */
  epoch: number;
  time?: Timestamp;
  /** The packet's bytes in its direction's TCP stream. */
  stream: Span;
  frames: number[];
  cipher: string;
  mac: string | null;
  compression: string;
  layout: PacketLayout | null;
  /** The bytes as they travelled. */
  wire?: Uint8Array;
  /** The decrypted packet (packet_length | padding_length | payload | padding), when it could be decrypted. */
  plaintext?: Uint8Array;
  /** The payload after decompression (only when compression was active). */
  decompressed?: Uint8Array;
  macStatus: MacStatus;
  message?: MessageRecord;
  error?: string;
}

export interface ChannelRequestRecord {
  packet: number;
  direction: Direction;
  request: string;
  wantReply: boolean;
  value: Record<string, unknown>;
  reply?: 'success' | 'failure';
}

export interface ChannelEventRecord {
  packet: number;
  direction: Direction;
  kind: 'open' | 'confirmation' | 'failure' | 'request' | 'reply' | 'data' | 'extended-data' | 'window-adjust' | 'eof' | 'close';
  /** Bytes of data, bytes added to the window, or the request name. */
  detail: string;
  bytes?: number;
  /** The window the receiving side still grants the sender after this event, per direction. */
  window?: { client: number; server: number };
}

export interface ChannelRecord {
  type: string;
  opener: Direction;
  clientId: number | null;
  serverId: number | null;
  openValue: Record<string, unknown>;
  requests: ChannelRequestRecord[];
  events: ChannelEventRecord[];
  clientData: Uint8Array[];
  serverData: Uint8Array[];
  clientExtendedData: Uint8Array[];
  serverExtendedData: Uint8Array[];
  exitStatus: number | null;
  exitSignal?: string;
}

export interface SessionRecord {
  id: number;
  client: Endpoint;
  server: Endpoint;
  identification: { client?: IdentificationRecord; server?: IdentificationRecord };
  kex: KexRecord[];
  packets: PacketRecord[];
  channels: ChannelRecord[];
  segments: { client: SegmentRecord[]; server: SegmentRecord[] };
  problems: Problem[];
}

export interface TraceSource {
  kind: 'capture' | 'simulation' | 'live';
  name: string;
  /** Key log files or other key sources that were used. */
  keySources?: string[];
}

export interface Trace {
  format: 'sshlens-trace';
  version: 1;
  source: TraceSource;
  sessions: SessionRecord[];
  /** Capture-level problems (truncation, non-SSH traffic...). */
  problems: Problem[];
}
