/**
 * @module decoder/session
 * Decodes one SSH connection from its two TCP byte streams: identification lines (RFC 4253 §4.2), binary packets
 * (RFC 4253 §6) decrypted with keys recomputed from a key log, messages decoded from the catalog in their context
 * (kex method, auth method, pending global request), key exchanges and rekeys (RFC 4253 §7, §9), strict kex
 * (draft-miller-sshm-strict-kex), delayed compression (OpenSSH zlib@openssh.com), and channels (RFC 4254).
 *
 * Problems are kept where they happen and decoding goes on wherever framing allows; nothing decoded is dropped.
 * The two directions advance independently: a direction that reaches its NEWKEYS before the key exchange finished
 * (the other direction's reply is still in flight) waits, and resumes when the keys are known.
 */
import { decodeMessage, type DecodedMessage, type MessageContext } from '../messages/index.ts';
import { concatBytes } from '../wire/index.ts';
import { parseIdentification, IdentificationError, type Identification } from '../transport/identification.ts';
import type { KexInitProposal } from '../kex/index.ts';
import type {
  Direction, Endpoint, IdentificationRecord, KexRecord, MessageRecord, NegotiatedAlgorithms, PacketRecord, Problem, SegmentRecord, SessionRecord, Timestamp,
} from '../trace/model.ts';
import { ChannelTracker } from './channels.ts';
import type { DirectionKeys, FramedPacket, PacketFramer } from './framer.ts';
import { KexTracker, type KeyLogLookup, type KeySizer } from './kex-tracker.ts';
import { summarize } from './summary.ts';

export interface SessionSink {
  packet?(session: SessionRecord, packet: PacketRecord): void;
  kex?(session: SessionRecord, kex: KexRecord): void;
}

export interface SessionDecoderOptions {
  /** Keep every packet in `record.packets`, and the channels' data events (the UI and JSON need them; streaming text output does not). */
  keepPackets?: boolean;
  /** Keep each packet's wire and plaintext bytes. */
  keepBytes?: boolean;
  /** Keep channel data in the channel records. */
  keepChannelData?: boolean;
}

export interface SessionStart {
  /**
   * The capture begins after the key exchange: no identification lines, packets encrypted from the first byte with
   * derived keys the framer was given (a JSON key file).
   */
  midSession?: boolean;
}

export interface SegmentInfo {
  frame: number;
  time: Timestamp;
}

export interface SessionEnvironment {
  keyLog: KeyLogLookup;
  sizer: KeySizer;
  /** Makes the framer for one direction, starting in the clear. */
  createFramer(direction: Direction, startOffset: number): PacketFramer;
}

/** Message numbers of the key exchange itself: KEXINIT, NEWKEYS and the method's 30..49. */
const isKexMessage = (n: number) => n === 20 || n === 21 || (n >= 30 && n <= 49);
const other = (d: Direction): Direction => (d === 'client' ? 'server' : 'client');

interface DirectionState {
  direction: Direction;
  /** Bytes before the identification line is complete. */
  head: Uint8Array[];
  headLength: number;
  identification?: Identification;
  framer?: PacketFramer;
  /** Waiting at NEWKEYS for keys that the other direction's messages will complete. */
  waitingForKeys?: KexTracker;
  /** Segments not yet wholly consumed by returned packets (for packet -> frames), in stream order. */
  window: (SegmentInfo & { start: number; end: number })[];
  /** Number of packets sent in this direction. */
  packets: number;
  newKeysSeen: number;
  stoppedReported: boolean;
}

export class SessionDecoder {
  readonly record: SessionRecord;
  private readonly channels: ChannelTracker;
  private readonly dirs: Record<Direction, DirectionState>;
  private readonly kexes: KexTracker[] = [];
  private current: KexTracker | undefined;
  private strict: boolean | undefined;
  private sessionId: Uint8Array | undefined;
  private auth: string | undefined;
  private readonly globalRequests: Record<Direction, string[]> = { client: [], server: [] };
  private authenticated = false;
  private packetCount = 0;

  constructor(
    id: number,
    client: Endpoint,
    server: Endpoint,
    private readonly env: SessionEnvironment,
    private readonly sink: SessionSink = {},
    private readonly options: SessionDecoderOptions = {},
    start: SessionStart = {},
  ) {
    this.record = {
      id, client, server, identification: {}, kex: [], packets: [], channels: [], segments: { client: [], server: [] }, problems: [],
    };
    this.channels = new ChannelTracker({ keepData: options.keepChannelData ?? true, keepDataEvents: options.keepPackets ?? true });
    this.record.channels = this.channels.channels;
    const state = (direction: Direction): DirectionState => ({
      direction, head: [], headLength: 0, window: [], packets: 0, newKeysSeen: 0, stoppedReported: false,
    });
    this.dirs = { client: state('client'), server: state('server') };
    if (start.midSession) {
      this.authenticated = true;
      this.problem({ code: 'mid-session', severity: 'info', message: 'the capture begins after the key exchange: decoded with the derived keys of a key file, without identification lines or KEXINITs' });
      for (const dir of Object.values(this.dirs)) {
        dir.framer = env.createFramer(dir.direction, 0);
        dir.newKeysSeen = 1;
        dir.packets = 1;
      }
    }
  }

  /** The next bytes of one direction's stream, starting at `streamOffset`, carried by `segment`. */
  data(direction: Direction, streamOffset: number, bytes: Uint8Array, segment: SegmentInfo): void {
    const dir = this.dirs[direction];
    const end = streamOffset + bytes.length;
    dir.window.push({ frame: segment.frame, time: segment.time, start: streamOffset, end });
    if (this.options.keepPackets ?? true) this.record.segments[direction].push({ frame: segment.frame, time: segment.time, stream: { start: streamOffset, end } });
    if (!dir.framer) {
      dir.head.push(bytes);
      dir.headLength += bytes.length;
    } else {
      dir.framer.push(bytes);
    }
    this.drain(dir);
  }

  /** Bytes of one direction that the capture lost. */
  gap(direction: Direction, streamOffset: number, length: number, frame?: number): void {
    this.problem({
      code: 'gap', severity: 'error', direction, streamOffset, ...(frame === undefined ? {} : { frame }),
      message: `${length} byte(s) of the ${direction}'s stream at offset ${streamOffset} are missing from the capture (lost segments); the ${direction}'s packets after them cannot be framed`,
    });
    this.channels.lostBytes(direction, streamOffset, length);
    const dir = this.dirs[direction];
    if (dir.framer) dir.framer.newKeys(null, false);
    dir.stoppedReported = true;
  }

  /** The connection ended (or the capture did): reports what could not be decoded. */
  end(): void {
    for (const dir of Object.values(this.dirs)) {
      this.drain(dir);
      if (!dir.identification && dir.headLength > 0) {
        this.problem({ code: 'no-identification', severity: 'error', direction: dir.direction, message: `the ${dir.direction} sent ${dir.headLength} byte(s) but no complete identification line` });
      }
      if (dir.waitingForKeys) {
        const waiting = dir.framer?.buffered ?? 0;
        this.problem({
          code: 'no-key', severity: 'error', direction: dir.direction,
          message: `${waiting} byte(s) the ${dir.direction} sent after its NEWKEYS could not be decrypted: the keys of key exchange ${dir.waitingForKeys.record.index + 1} are not known (${dir.waitingForKeys.record.problems.map((p) => p.message).join('; ') || 'its messages were not all seen'})`,
        });
      } else if (dir.framer && dir.framer.buffered > 0 && !dir.framer.stopped) {
        this.problem({ code: 'truncated', severity: 'warning', direction: dir.direction, streamOffset: dir.framer.offset, message: `the ${dir.direction}'s stream ends inside a packet: ${dir.framer.buffered} byte(s) at offset ${dir.framer.offset} do not make a whole packet` });
      }
    }
    this.record.problems.push(...this.channels.problems);
    this.channels.problems.length = 0;
  }

  private drain(dir: DirectionState): void {
    if (!dir.framer && !this.readIdentification(dir)) return;
    const framer = dir.framer!;
    while (!dir.waitingForKeys) {
      const packet = framer.next();
      if (!packet) break;
      this.handlePacket(dir, packet);
    }
    if (framer.stopped && !dir.stoppedReported && !dir.waitingForKeys) {
      dir.stoppedReported = true;
      this.problem({ code: 'framing-stopped', severity: 'error', direction: dir.direction, streamOffset: framer.offset, message: framer.stopped });
    }
  }

  private readIdentification(dir: DirectionState): boolean {
    const head = dir.head.length === 1 ? dir.head[0] : concatBytes(...dir.head);
    dir.head = [head];
    let id: Identification | null;
    try {
      id = parseIdentification(head, `${dir.direction}'s stream`);
    } catch (error) {
      if (!(error instanceof IdentificationError)) throw error;
      if (!dir.stoppedReported) this.problem({ code: error.code, severity: 'error', direction: dir.direction, message: error.message });
      dir.stoppedReported = true;
      return false;
    }
    if (!id) return false;
    dir.identification = id;
    const frames = this.framesOf(dir, id.lineStart, id.end);
    // Filled in field by field in the record's key order: conditional spreads cost microseconds each in V8 (node 20).
    const record = { direction: dir.direction, line: id.line, protoVersion: id.protoVersion, softwareVersion: id.softwareVersion } as IdentificationRecord;
    if (id.comments !== undefined) record.comments = id.comments;
    record.preamble = id.preamble;
    record.stream = { start: id.lineStart, end: id.end };
    if (frames.time) record.time = frames.time;
    record.frames = frames.frames;
    this.record.identification[dir.direction] = record;
    if (dir.direction === 'client' && id.preamble.length > 0) {
      this.problem({ code: 'client-preamble', severity: 'warning', direction: 'client', message: `the client sent ${id.preamble.length} line(s) before its identification line, which RFC 4253 §4.2 allows only servers` });
    }
    if (id.protoVersion !== '2.0' && id.protoVersion !== '1.99') {
      this.problem({ code: 'protocol-version', severity: 'warning', direction: dir.direction, message: `the ${dir.direction} speaks SSH protocol version ${id.protoVersion}, not 2.0` });
    }
    dir.framer = this.env.createFramer(dir.direction, id.end);
    dir.head = [];
    dir.headLength = 0;
    const rest = head.subarray(id.end);
    if (rest.length) dir.framer.push(rest);
    return true;
  }

  private handlePacket(dir: DirectionState, framed: FramedPacket): void {
    const direction = dir.direction;
    const frames = this.framesOf(dir, framed.stream.start, framed.stream.end);
    const index = this.packetCount++;
    const algorithms = framed.epoch === 0 ? undefined : this.epochAlgorithms(dir);
    // Optional keys are set after the literal rather than spread into it (this runs for every packet), in the same
    // order: `time` is absent only for segments without a time, rarely.
    const packet: PacketRecord = {
      index, direction, sequence: framed.sequence, epoch: framed.epoch, time: frames.time,
      stream: framed.stream, frames: frames.frames,
      cipher: framed.epoch === 0 ? 'none' : this.epochAlgorithm(algorithms, dir, 'cipher') ?? 'unknown',
      mac: framed.epoch === 0 ? null : this.epochAlgorithm(algorithms, dir, 'mac'),
      compression: framed.epoch === 0 ? 'none' : this.epochAlgorithm(algorithms, dir, 'compression') ?? 'none',
      layout: framed.layout, macStatus: framed.macStatus,
    };
    if (!frames.time) delete packet.time;
    if (framed.problems.length) packet.error = framed.problems.map((q) => q.message).join('; ');
    if (this.options.keepBytes ?? true) {
      packet.wire = framed.wire;
      if (framed.plaintext) packet.plaintext = framed.plaintext;
      if (framed.decompressed) packet.decompressed = framed.decompressed;
    }
    dir.packets++;
    const payload = framed.message;
    if (payload) {
      const decoded = decodeMessage(payload, this.context(direction));
      const message: MessageRecord = {
        number: decoded.number, name: decoded.name, summary: summarize(decoded.name, decoded.value), value: decoded.value,
        fields: decoded.fields,
      };
      if (decoded.unknown) message.unknown = true;
      if (decoded.error) message.error = decoded.error.message;
      packet.message = message;
      this.interpret(dir, packet, decoded, payload);
    }
    if (this.options.keepPackets ?? true) this.record.packets.push(packet);
    this.sink.packet?.(this.record, packet);
  }

  /** The message's effect on the session: key exchanges, keys, auth context, compression, channels. */
  private interpret(dir: DirectionState, packet: PacketRecord, message: DecodedMessage, payload: Uint8Array): void {
    const direction = dir.direction;
    const v = message.value;
    const n = message.number;
    if (!message.error) this.checkKexOrder(dir, packet, n);
    if (n === 20 && !message.error) return this.kexInit(direction, packet, v, payload);
    if (n >= 30 && n <= 49 && this.current) {
      this.current.record.packets.messages.push(packet.index);
      if (this.isWrongGuess(direction)) {
        // RFC 4253 §7: a first_kex_packet_follows packet sent on a wrong guess is ignored by the peer.
        this.problem({ code: 'wrong-kex-guess', severity: 'info', direction, packet: packet.index, message: `the ${direction} guessed the kex method wrong (first_kex_packet_follows): its first kex packet is ignored, as RFC 4253 §7 says` });
        return;
      }
      this.kexMethodMessage(message, payload);
      return;
    }
    if (n === 21) return this.newKeys(dir, packet);
    if (n === 50 && direction === 'client' && typeof v.method === 'string') this.auth = v.method;
    if (n === 52 && direction === 'server') return this.authenticatedNow();
    if (n === 80 && v.want_reply === true) this.globalRequests[direction].push(String(v.request_name));
    if ((n === 81 || n === 82) && !message.error) this.globalRequests[other(direction)].shift();
    if (n >= 90 && n <= 100) this.channels.add({ packet: packet.index, direction, name: message.name, value: v });
  }

  /**
   * True for the first kex packet of a side whose first_kex_packet_follows guess is known to be wrong (RFC 4253 §7);
   * that side's first kex packet consumes the flag either way.
   */
  private isWrongGuess(direction: Direction): boolean {
    const kex = this.current;
    if (!kex?.[direction]?.value.first_kex_packet_follows || kex.guessPacketSeen[direction]) return false;
    kex.guessPacketSeen[direction] = true;
    // Before the other KEXINIT the guess cannot be judged: its values are kept, and the real packet that follows a
    // wrong guess replaces them.
    return kex.negotiation ? !kex.negotiation.guess[direction].right : false;
  }

  private context(direction: Direction): MessageContext {
    // Before negotiation, a side that set first_kex_packet_follows sends messages of its preferred method.
    const own = this.current?.[direction]?.value;
    const guessed = own?.first_kex_packet_follows ? own.kex_algorithms.find((k) => !k.startsWith('ext-info-') && !k.startsWith('kex-strict-')) : undefined;
    const kex = this.current?.record.algorithms?.kex ?? guessed;
    const pending = this.globalRequests[other(direction)][0];
    const context: MessageContext = {};
    if (kex) context.kex = kex;
    if (this.auth) context.auth = this.auth;
    if (pending) context.globalRequest = pending;
    return context;
  }

  /** Strict kex (Terrapin countermeasure): only kex messages until the first NEWKEYS; without it, flag injections. */
  private checkKexOrder(dir: DirectionState, packet: PacketRecord, n: number): void {
    if (dir.packets === 1 && n !== 20) {
      this.problem({ code: 'first-not-kexinit', severity: 'warning', direction: dir.direction, packet: packet.index, message: `the ${dir.direction}'s first packet is message ${n}, not KEXINIT` });
    }
    if (dir.newKeysSeen > 0 || isKexMessage(n)) return;
    if (this.strict) {
      this.problem({ code: 'strict-kex-violation', severity: 'error', direction: dir.direction, packet: packet.index, message: `strict kex forbids message ${n} before the first NEWKEYS (draft-miller-sshm-strict-kex): a peer must disconnect here` });
    } else {
      this.problem({ code: 'terrapin-suspect', severity: 'warning', direction: dir.direction, packet: packet.index, message: `message ${n} arrived from the ${dir.direction} during the initial key exchange without strict kex: this is what a Terrapin-style prefix-truncation attack injects (CVE-2023-48795); it shifts the sequence numbers of every later packet` });
    }
  }

  private kexInit(direction: Direction, packet: PacketRecord, value: Record<string, unknown>, payload: Uint8Array): void {
    let kex = this.current;
    const side = direction;
    if (!kex || kex[side] || (kex.complete && kex.record.packets.clientNewKeys !== undefined && kex.record.packets.serverNewKeys !== undefined)) {
      kex = new KexTracker(this.kexes.length, this.strict);
      this.kexes.push(kex);
      this.current = kex;
      this.record.kex.push(kex.record);
    }
    kex.addKexInit(side, { payload, value: value as unknown as KexInitProposal & { cookie: Uint8Array }, packet: packet.index }, this.env.sizer);
    if (kex.client && kex.server && this.strict === undefined && kex.record.index === 0) this.strict = kex.record.strict;
    this.sink.kex?.(this.record, kex.record);
  }

  private kexMethodMessage(message: DecodedMessage, payload: Uint8Array): void {
    const kex = this.current!;
    const v = message.value;
    const raw = (name: string) => rawFieldContent(message, name, payload);
    switch (message.name) {
      case 'SSH_MSG_KEXDH_INIT':
      case 'SSH_MSG_KEX_DH_GEX_INIT':
        kex.values.clientPublic = v.e as bigint;
        break;
      case 'SSH_MSG_KEX_ECDH_INIT':
        kex.values.clientPublic = v.Q_C as Uint8Array;
        break;
      case 'SSH_MSG_KEX_HYBRID_INIT':
        kex.values.clientPublic = raw('C_INIT');
        break;
      case 'SSH_MSG_KEX_DH_GEX_REQUEST':
      case 'SSH_MSG_KEX_DH_GEX_REQUEST_OLD':
        kex.values.gex = { ...kex.values.gex, n: v.n as number, ...(v.min === undefined ? {} : { min: v.min as number, max: v.max as number }) };
        break;
      case 'SSH_MSG_KEX_DH_GEX_GROUP':
        kex.values.gex = { ...kex.values.gex, p: v.p as bigint, g: v.g as bigint };
        break;
      // RFC 4432 §4: PUBKEY(K_S, K_T), SECRET(encrypted secret), DONE(signature) - H is known after DONE.
      case 'SSH_MSG_KEXRSA_PUBKEY':
        kex.values.hostKeyBlob = raw('host_key');
        kex.values.serverPublic = raw('K_T');
        break;
      case 'SSH_MSG_KEXRSA_SECRET':
        kex.values.clientPublic = v.encrypted_secret as Uint8Array;
        break;
      case 'SSH_MSG_KEXRSA_DONE':
        kex.values.signatureBlob = raw('signature');
        this.completeKex(kex);
        break;
      case 'SSH_MSG_KEXDH_REPLY':
      case 'SSH_MSG_KEX_DH_GEX_REPLY':
      case 'SSH_MSG_KEX_ECDH_REPLY':
      case 'SSH_MSG_KEX_HYBRID_REPLY':
        kex.values.hostKeyBlob = raw('host_key');
        kex.values.signatureBlob = raw('signature');
        kex.values.serverPublic = message.name === 'SSH_MSG_KEX_HYBRID_REPLY' ? raw('S_REPLY') : ((v.f ?? v.Q_S) as bigint | Uint8Array);
        this.completeKex(kex);
        break;
    }
  }

  private completeKex(kex: KexTracker): void {
    const V_C = this.record.identification.client?.line;
    const V_S = this.record.identification.server?.line;
    if (V_C === undefined || V_S === undefined) {
      kex.problem('no-identification', 'the identification lines (V_C, V_S) are needed for the exchange hash and were not both seen');
      return;
    }
    if (kex.tryComplete(V_C, V_S, this.env.keyLog, this.env.sizer, this.sessionId)) {
      this.sessionId ??= kex.record.sessionId;
      this.sink.kex?.(this.record, kex.record);
      for (const dir of Object.values(this.dirs)) {
        if (dir.waitingForKeys === kex) {
          dir.waitingForKeys = undefined;
          dir.framer!.newKeys(this.directionKeys(kex, dir.direction), kex.record.strict);
          this.drain(dir);
        }
      }
    }
  }

  private newKeys(dir: DirectionState, packet: PacketRecord): void {
    const kex = this.current;
    dir.newKeysSeen++;
    if (!kex) {
      this.problem({ code: 'unexpected-newkeys', severity: 'error', direction: dir.direction, packet: packet.index, message: `NEWKEYS from the ${dir.direction} without a key exchange in progress` });
      dir.framer!.newKeys(null, false);
      return;
    }
    kex.record.packets[dir.direction === 'client' ? 'clientNewKeys' : 'serverNewKeys'] = packet.index;
    if (kex.complete) dir.framer!.newKeys(this.directionKeys(kex, dir.direction), kex.record.strict);
    else dir.waitingForKeys = kex;
  }

  private directionKeys(kex: KexTracker, direction: Direction): DirectionKeys {
    const a = kex.record.algorithms!;
    const k = kex.keys!;
    const c2s = direction === 'client';
    const compression = c2s ? a.compressionClientToServer : a.compressionServerToClient;
    return {
      cipher: c2s ? a.cipherClientToServer : a.cipherServerToClient,
      mac: c2s ? a.macClientToServer : a.macServerToClient,
      // zlib@openssh.com starts only after authentication: the framer finds that point (OpenSSH PROTOCOL).
      compression,
      key: c2s ? k.keyClientToServer : k.keyServerToClient,
      iv: c2s ? k.ivClientToServer : k.ivServerToClient,
      macKey: c2s ? k.macKeyClientToServer : k.macKeyServerToClient,
    };
  }

  private authenticatedNow(): void {
    if (this.authenticated) return;
    this.authenticated = true;
    for (const dir of Object.values(this.dirs)) dir.framer?.startDelayedCompression();
  }

  /** The algorithms of the last key exchange whose NEWKEYS this direction has sent. */
  private epochAlgorithms(dir: DirectionState): NegotiatedAlgorithms | null | undefined {
    const newKeys = dir.direction === 'client' ? 'clientNewKeys' : 'serverNewKeys';
    for (let i = this.kexes.length - 1; i >= 0; i--) {
      if (this.kexes[i].record.packets[newKeys] !== undefined) return this.kexes[i].record.algorithms;
    }
    return undefined;
  }

  private epochAlgorithm(a: NegotiatedAlgorithms | null | undefined, dir: DirectionState, what: 'cipher' | 'mac' | 'compression'): string | null {
    if (!a) return what === 'mac' ? null : 'unknown';
    const c2s = dir.direction === 'client';
    if (what === 'cipher') return c2s ? a.cipherClientToServer : a.cipherServerToClient;
    if (what === 'mac') return c2s ? a.macClientToServer : a.macServerToClient;
    return c2s ? a.compressionClientToServer : a.compressionServerToClient;
  }

  /** The frames that carried stream bytes [start, end), and the time of the one that completed them. */
  private framesOf(dir: DirectionState, start: number, end: number): { frames: number[]; time?: Timestamp } {
    const frames: number[] = [];
    let time: Timestamp | undefined;
    for (const s of dir.window) {
      if (s.end <= start) continue;
      if (s.start >= end) break;
      if (frames[frames.length - 1] !== s.frame) frames.push(s.frame);
      time = s.time;
    }
    while (dir.window.length && dir.window[0].end <= end) dir.window.shift();
    return time ? { frames, time } : { frames };
  }

  private problem(problem: Problem): void {
    this.record.problems.push(problem);
  }
}

/** The content bytes of a string field (its bytes after the length prefix), taken from the payload by its span. */
function rawFieldContent(message: DecodedMessage, name: string, payload: Uint8Array): Uint8Array | undefined {
  const node = message.fields.find((f) => f.name === name);
  if (!node) return undefined;
  return payload.subarray(node.span.start + 4, node.span.end);
}
