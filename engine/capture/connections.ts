/**
 * @module capture/connections
 * TCP connections (RFC 9293) in a capture: each 4-tuple becomes a connection with one reassembled stream per
 * direction; the client is told from the server (see RoleEvidence), and SSH is recognised on any port by its
 * identification line (RFC 4253 §4.2). A connection's events are held back - a bounded amount - until both are
 * decided, so that a consumer hears `connection` first, with `client`, `server` and `ssh` already right.
 */
import type { CaptureEvent, CaptureEventSink, Direction, Endpoint, FrameInfo, RoleEvidence } from './events.ts';
import { concatByteList } from '../wire/hex.ts';
import { clientByKexMessages, KEX_OPENING_LIMIT, readKexOpening, type KexOpening } from './kex-roles.ts';
import { IdentificationDetector } from './ssh-detect.ts';
import { DEFAULT_REASSEMBLY_LIMITS, StreamReassembler, type ReassemblyLimits, type StreamEvent } from './reassembly.ts';
import type { TcpSegment } from './tcp.ts';

/** Held-back bytes (and events) per connection before client/server and SSH-or-not are decided anyway. */
export const MAX_HELD_BYTES = 64 * 1024;
export const MAX_HELD_EVENTS = 256;
export const MAX_REMEMBERED_CLOSED = 65536;
/** Endpoints remembered for the `shared-endpoint` evidence. */
export const MAX_REMEMBERED_ENDPOINTS = 65536;

type Side = 0 | 1;
type Pending = (direction: (side: Side) => Direction) => CaptureEvent;

interface Stream {
  reassembler: StreamReassembler<FrameInfo>;
  detector?: IdentificationDetector;
  delivered: number;
  warnedBeforeStart: boolean;
  /** The stream's first bytes (up to KEX_OPENING_LIMIT) while client and server are undecided: see kex-roles.ts. */
  head: Uint8Array[];
  headLength: number;
  /** What the head showed when last read (read again only once it is as long as the opening's `need`). */
  opening?: KexOpening;
}

interface Connection {
  id: number;
  key: string;
  /** ends[0] sent the first captured segment; side 0 is the stream ends[0] sends. */
  ends: [Endpoint, Endpoint];
  /** endpointKey(ends[0]). */
  firstKey: string;
  streams: [Stream, Stream];
  firstFrame: FrameInfo;
  synFrom?: Side;
  synSequence?: number;
  synAckFrom?: Side;
  clientSide?: Side;
  ssh?: boolean;
  /** Whether each end took part in an earlier connection of the capture (a server's address:port recurs). */
  seenBefore: [boolean, boolean];
  held: Pending[];
  heldBytes: number;
}

const endpointKey = (e: Endpoint) => `${e.address}|${e.port}`;

export class ConnectionTracker {
  private open = new Map<string, Connection>();
  /**
   * 4-tuples of finished connections: their late retransmissions and ACKs must not open a new connection. The
   * oldest are forgotten beyond MAX_REMEMBERED_CLOSED, so memory stays bounded however many connections a file has.
   */
  private closed = new Set<string>();
  /** address|port of every connection end seen so far (bounded): a server's recurs, a client's ephemeral port does not. */
  private endpoints = new Set<string>();
  private nextId = 1;
  tcpConnections = 0;
  sshConnections = 0;

  constructor(
    private readonly emit: CaptureEventSink,
    private readonly limits: ReassemblyLimits = DEFAULT_REASSEMBLY_LIMITS,
    private readonly knownClient?: (end0: Endpoint, end1: Endpoint) => Side | undefined,
  ) {}

  /** The last two 4-tuples' keys (a connection's frames go both ways), so that most frames build no strings. */
  private recentKeys: { source: Endpoint; destination: Endpoint; a: string; key: string }[] = [];

  private keysOf(source: Endpoint, destination: Endpoint): { a: string; key: string } {
    for (const k of this.recentKeys) {
      if (k.source.port === source.port && k.destination.port === destination.port && k.source.address === source.address && k.destination.address === destination.address) return k;
    }
    const a = endpointKey(source);
    const b = endpointKey(destination);
    const k = { source, destination, a, key: a < b ? `${a}-${b}` : `${b}-${a}` };
    this.recentKeys = [k, ...this.recentKeys.slice(0, 1)];
    return k;
  }

  segment(source: Endpoint, destination: Endpoint, tcp: TcpSegment, frame: FrameInfo): void {
    const { a, key } = this.keysOf(source, destination);
    let connection = this.open.get(key);
    const isSyn = tcp.syn && !tcp.ackFlag;
    if (connection && isSyn && connection.synSequence !== tcp.seq && (connection.synSequence !== undefined || connection.streams.some((s) => s.delivered > 0))) {
      // A new SYN on a 4-tuple in use: the port was reused for a new connection.
      this.end(connection, 'closed');
      connection = undefined;
    }
    if (!connection) {
      if (this.closed.has(key) && !tcp.syn) return;
      if (!tcp.syn && tcp.payload.length === 0 && tcp.missingPayload === 0) return; // a bare ACK, FIN or RST
      this.closed.delete(key);
      connection = this.create(key, source, destination, frame);
    }
    const side: Side = connection.firstKey === a ? 0 : 1;
    const stream = connection.streams[side];
    let seq = tcp.seq;
    if (tcp.syn) {
      if (tcp.ackFlag) connection.synAckFrom ??= side;
      else {
        connection.synFrom ??= side;
        connection.synSequence ??= tcp.seq;
      }
      stream.reassembler.synchronize(tcp.seq);
      seq = (seq + 1) >>> 0; // the SYN occupies one sequence number; any data follows it
    }
    stream.reassembler.segment(seq, tcp.payload, frame, tcp.payloadOffset, tcp.payload.length + tcp.missingPayload, tcp.fin);
    if (tcp.rst) this.end(connection, 'reset');
    else if (connection.streams.every((s) => s.reassembler.complete)) this.end(connection, 'closed');
    else this.decideIfReady(connection, false);
  }

  /** End of capture: every open connection ends here. */
  finish(): void {
    for (const connection of [...this.open.values()]) this.end(connection, 'capture-end');
  }

  private create(key: string, source: Endpoint, destination: Endpoint, frame: FrameInfo): Connection {
    this.tcpConnections++;
    const connection: Connection = {
      id: this.nextId++,
      key,
      ends: [source, destination],
      firstKey: endpointKey(source),
      streams: [this.stream(0, () => connection), this.stream(1, () => connection)],
      firstFrame: frame,
      held: [],
      heldBytes: 0,
      seenBefore: [this.remember(endpointKey(source)), this.remember(endpointKey(destination))],
    };
    this.open.set(key, connection);
    return connection;
  }

  /** Records an endpoint; returns whether it had been seen before. */
  private remember(endpoint: string): boolean {
    if (this.endpoints.has(endpoint)) return true;
    this.endpoints.add(endpoint);
    if (this.endpoints.size > MAX_REMEMBERED_ENDPOINTS) this.endpoints.delete(this.endpoints.values().next().value!);
    return false;
  }

  private stream(side: Side, connection: () => Connection): Stream {
    const stream: Stream = {
      delivered: 0,
      warnedBeforeStart: false,
      head: [],
      headLength: 0,
      reassembler: new StreamReassembler<FrameInfo>((event) => this.streamEvent(connection(), side, stream, event), this.limits),
    };
    return stream;
  }

  private streamEvent(connection: Connection, side: Side, stream: Stream, event: StreamEvent<FrameInfo>): void {
    const id = connection.id;
    switch (event.kind) {
      case 'data': {
        stream.delivered = event.offset + event.bytes.length;
        if (!stream.detector) {
          const knownClient = connection.synFrom ?? (connection.synAckFrom === undefined ? undefined : ((1 - connection.synAckFrom) as Side));
          stream.detector = new IdentificationDetector(knownClient === side);
        }
        const detector = stream.detector;
        const wasPending = detector.state.status === 'pending';
        if (wasPending) detector.feed(event.offset, event.bytes);
        if (connection.clientSide !== undefined) {
          // Decided: straight out, without the closure a held event needs (this runs for every segment).
          this.emit({
            type: 'data', connection: id, direction: side === connection.clientSide ? 'client' : 'server', streamOffset: event.offset,
            bytes: event.bytes, frame: event.frame, frameOffset: event.frameOffset, seq: event.seq,
          });
        } else {
          // Held-back bytes are copied, so that holding them does not also hold the (possibly large) chunks they came in.
          const bytes = new Uint8Array(event.bytes);
          if (event.offset === stream.headLength && stream.headLength < KEX_OPENING_LIMIT) {
            stream.head.push(bytes);
            stream.headLength += bytes.length;
          }
          this.out(connection, bytes.length, (direction) => ({
            type: 'data', connection: id, direction: direction(side), streamOffset: event.offset, bytes,
            frame: event.frame, frameOffset: event.frameOffset, seq: event.seq,
          }));
        }
        const state = detector.state;
        if (wasPending && state.status === 'found') {
          this.out(connection, 0, (direction) => ({
            type: 'identification', connection: id, direction: direction(side), streamOffset: state.streamOffset,
            length: state.length, line: state.line, linesBefore: state.linesBefore,
          }));
        }
        return;
      }
      case 'gap':
        (stream.detector ??= new IdentificationDetector()).stop(`bytes ${event.offset}..${event.offset + event.length} of the stream were not captured`);
        this.out(connection, 0, (direction) => ({ type: 'gap', connection: id, direction: direction(side), streamOffset: event.offset, length: event.length, frame: event.frame }));
        return;
      case 'conflict':
        this.out(connection, 0, (direction) => ({
          type: 'warning', connection: id, frame: event.frame,
          message: `frame ${event.frame.index}: TCP retransmission of ${direction(side)} stream bytes ${event.offset}..${event.offset + event.length} carries different bytes (from byte ${event.firstDifference}) than were delivered before; the first copy is kept`,
        }));
        return;
      case 'before-start':
        if (stream.warnedBeforeStart) return;
        stream.warnedBeforeStart = true;
        this.out(connection, 0, (direction) => ({
          type: 'warning', connection: id, frame: event.frame,
          message: `frame ${event.frame.index}: ${event.length} bytes of the ${direction(side)} stream lie before its first captured byte (the capture began mid-stream); dropped`,
        }));
        return;
    }
  }

  /** Emits now when the connection is decided, else holds the event back. */
  private out(connection: Connection, bytes: number, event: Pending): void {
    if (connection.clientSide !== undefined) {
      this.emit(event(this.directionOf(connection)));
      return;
    }
    connection.held.push(event);
    connection.heldBytes += bytes;
  }

  private directionOf(connection: Connection): (side: Side) => Direction {
    return (side) => (side === connection.clientSide ? 'client' : 'server');
  }

  private decideIfReady(connection: Connection, force: boolean): void {
    if (connection.clientSide !== undefined) return;
    const states = connection.streams.map((s) => s.detector?.state.status ?? 'pending');
    const found = connection.streams.map((s) => (s.detector?.state.status === 'found' ? s.detector.state : undefined));
    const handshake = connection.synFrom !== undefined || connection.synAckFrom !== undefined;
    const named = handshake ? undefined : this.knownClient?.(connection.ends[0], connection.ends[1]);
    const rolesKnown = handshake || named !== undefined || found.some((f) => f && f.linesBefore > 0);
    const kex = rolesKnown ? { client: undefined, pending: false } : this.kexEvidence(connection, found);
    const ready =
      force ||
      (states.every((s) => s !== 'pending') && !kex.pending) ||
      (rolesKnown && found.some((f) => f !== undefined)) ||
      connection.heldBytes > MAX_HELD_BYTES ||
      connection.held.length > MAX_HELD_EVENTS;
    if (!ready) return;

    let clientSide: Side;
    let evidence: RoleEvidence;
    const [p0, p1] = [connection.ends[0].port, connection.ends[1].port];
    const bannerServers = found.map((f) => f !== undefined && f.linesBefore > 0);
    if (connection.synFrom !== undefined) [clientSide, evidence] = [connection.synFrom, 'syn'];
    else if (connection.synAckFrom !== undefined) [clientSide, evidence] = [(1 - connection.synAckFrom) as Side, 'syn-ack'];
    else if (named !== undefined) [clientSide, evidence] = [named, 'key-file'];
    else if (bannerServers[0] !== bannerServers[1]) [clientSide, evidence] = [bannerServers[0] ? 1 : 0, 'banner-lines'];
    else if (kex.client !== undefined) [clientSide, evidence] = [kex.client, 'kex-messages'];
    else if (connection.seenBefore[0] !== connection.seenBefore[1]) [clientSide, evidence] = [connection.seenBefore[0] ? 1 : 0, 'shared-endpoint'];
    else if (p0 !== p1) [clientSide, evidence] = [p0 < p1 ? 1 : 0, 'lower-port'];
    else [clientSide, evidence] = [0, 'first-sender'];

    connection.clientSide = clientSide;
    connection.ssh = found.some((f) => f !== undefined);
    if (connection.ssh) this.sshConnections++;
    const reasons = connection.streams
      .map((s) => (s.detector?.state.status === 'not-found' ? s.detector.state.reason : undefined))
      .filter((r): r is string => r !== undefined);
    // Two literals rather than a conditional spread (once per connection; spreads are slow in V8, node 20).
    this.emit(connection.ssh
      ? { type: 'connection', id: connection.id, client: connection.ends[clientSide], server: connection.ends[1 - clientSide], roleEvidence: evidence, ssh: true, frame: connection.firstFrame }
      : {
        type: 'connection', id: connection.id, client: connection.ends[clientSide], server: connection.ends[1 - clientSide], roleEvidence: evidence, ssh: false,
        notSshReason: reasons.length > 0 ? reasons.join('; ') : 'no data seen', frame: connection.firstFrame,
      });
    const direction = this.directionOf(connection);
    for (const event of connection.held) this.emit(event(direction));
    connection.held = [];
    connection.heldBytes = 0;
    for (const stream of connection.streams) [stream.head, stream.headLength, stream.opening] = [[], 0, undefined];
  }

  /**
   * Without a handshake: which side the first key exchange shows to be the client, and whether that is still to be
   * seen (both sides sent an identification line, and the message after a KEXINIT has not come yet).
   */
  private kexEvidence(connection: Connection, found: ({ streamOffset: number; length: number } | undefined)[]): { client: Side | undefined; pending: boolean } {
    if (!found[0] || !found[1]) return { client: undefined, pending: false };
    const openings = connection.streams.map((stream, side) => {
      const known = stream.opening;
      if (known && (known.status === 'not-kexinit' || known.need === undefined || stream.headLength < known.need)) return known;
      const head = stream.head.length === 1 ? stream.head[0] : concatByteList(stream.head);
      return (stream.opening = readKexOpening(head, found[side]!.streamOffset + found[side]!.length));
    });
    const client = clientByKexMessages(openings[0], openings[1]);
    const waiting = openings.some((o) => o.status === 'incomplete' || (o.status === 'read' && o.next === undefined));
    const full = connection.streams.some((s) => s.headLength >= KEX_OPENING_LIMIT);
    return { client, pending: client === undefined && waiting && !full && !openings.some((o) => o.status === 'not-kexinit') };
  }

  private end(connection: Connection, reason: 'closed' | 'reset' | 'capture-end'): void {
    for (const stream of connection.streams) stream.reassembler.finish();
    for (const stream of connection.streams) stream.detector?.stop('the connection ended before an "SSH-" line');
    this.decideIfReady(connection, true);
    const client = connection.streams[connection.clientSide!];
    const server = connection.streams[1 - connection.clientSide!];
    this.emit({ type: 'end', connection: connection.id, reason, clientBytes: client.reassembler.next, serverBytes: server.reassembler.next });
    this.open.delete(connection.key);
    this.closed.add(connection.key);
    if (this.closed.size > MAX_REMEMBERED_CLOSED) this.closed.delete(this.closed.values().next().value!);
  }
}
