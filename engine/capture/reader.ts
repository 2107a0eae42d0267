/**
 * @module capture/reader
 * The capture reader: file bytes in (pushed in chunks of any size, or one whole array), events out, in file order.
 * gzip -> pcap / pcapng -> link layer -> IPv4 / IPv6 -> TCP -> per-direction streams -> SSH detection.
 * Nothing is held beyond what is in flight: a record straddling two chunks, out-of-order TCP segments, and the
 * first bytes of connections not yet recognised (all bounded).
 *
 * Views handed out in events point into the pushed chunks: do not overwrite a chunk after pushing it.
 */
import { CaptureFile, GZIP_MAGIC } from './capture-file.ts';
import { CaptureError } from './errors.ts';
import type { CaptureEvent, CaptureEventSink, Endpoint, FrameInfo } from './events.ts';
import { ConnectionTracker } from './connections.ts';
import { GzipStream } from './gzip.ts';
import { parseIp, IP_PROTOCOL_TCP } from './ip.ts';
import { decapsulate } from './link.ts';
import { DEFAULT_REASSEMBLY_LIMITS, type ReassemblyLimits } from './reassembly.ts';
import { SECRETS_TYPE_SSH } from './pcapng.ts';
import type { FileRecord, FrameRecord } from './records.ts';
import { parseTcp } from './tcp.ts';

export interface CaptureReaderOptions {
  limits?: Partial<ReassemblyLimits>;
  /** Also emit a `frame` event with the bytes of every frame. */
  frames?: boolean;
  /**
   * Which of a connection's two ends (0 or 1) is the client by what the user gave (a key file naming both
   * endpoints), or undefined; asked only for connections whose TCP handshake was not captured.
   */
  knownClient?: (end0: Endpoint, end1: Endpoint) => 0 | 1 | undefined;
}

const utf8 = new TextDecoder('utf-8');

export class CaptureReader {
  private readonly tracker: ConnectionTracker;
  private readonly file: CaptureFile;
  private gzip: GzipStream | undefined;
  private started = false;
  private finished = false;
  private firstBytes = new Uint8Array(0);
  private frames = 0;
  private cutFrames = 0;
  private unsupportedLinkTypes = new Set<number>();

  constructor(
    private readonly emit: CaptureEventSink,
    private readonly options: CaptureReaderOptions = {},
  ) {
    this.tracker = new ConnectionTracker(emit, { ...DEFAULT_REASSEMBLY_LIMITS, ...options.limits }, options.knownClient);
    this.file = new CaptureFile((record) => this.record(record));
  }

  /** Feeds the next bytes of the file. Throws CaptureError when the file is not a capture or is corrupt. */
  push(chunk: Uint8Array): void {
    if (this.finished) throw new CaptureError('reader-finished', 'push() after finish()');
    if (!this.started) {
      // Two bytes decide gzip or not; keep them until they are there.
      const joined = new Uint8Array(this.firstBytes.length + chunk.length);
      joined.set(this.firstBytes);
      joined.set(chunk, this.firstBytes.length);
      if (joined.length < 2) {
        this.firstBytes = joined;
        return;
      }
      this.started = true;
      chunk = this.firstBytes.length === 0 ? chunk : joined;
      if (chunk[0] === GZIP_MAGIC[0] && chunk[1] === GZIP_MAGIC[1]) this.gzip = new GzipStream((bytes) => this.file.push(bytes));
    }
    if (this.gzip) this.gzip.push(chunk);
    else this.file.push(chunk);
  }

  /** End of file: flushes what is left (a truncated record becomes a warning), ends every connection, summarises. */
  finish(): void {
    if (this.finished) return;
    this.finished = true;
    if (!this.started && this.firstBytes.length > 0) this.file.push(this.firstBytes);
    if (this.gzip) {
      const problem = this.gzip.finish();
      if (problem) this.emit({ type: 'warning', message: problem });
    }
    this.file.finish();
    if (this.cutFrames > 1) {
      this.emit({ type: 'warning', message: `${this.cutFrames} frames in all held less TCP payload than their IP header declares (snap length); their missing bytes are gaps` });
    }
    this.tracker.finish();
    const { tcpConnections, sshConnections } = this.tracker;
    const message =
      tcpConnections === 0
        ? `no SSH found in this capture: ${this.frames} frames, no TCP connection with data`
        : sshConnections === 0
          ? `no SSH found in this capture: ${tcpConnections} TCP connection${tcpConnections === 1 ? '' : 's'}, none starts with an SSH identification line`
          : `${sshConnections} SSH connection${sshConnections === 1 ? '' : 's'} among ${tcpConnections} TCP connection${tcpConnections === 1 ? '' : 's'}`;
    this.emit({ type: 'summary', frames: this.frames, tcpConnections, sshConnections, message });
  }

  private record(record: FileRecord): void {
    switch (record.kind) {
      case 'frame':
        this.frame(record);
        return;
      case 'secrets':
        if (record.secretsType === SECRETS_TYPE_SSH) this.emit({ type: 'secrets', text: utf8.decode(record.data), fileOffset: record.fileOffset });
        else this.emit({ type: 'warning', fileOffset: record.fileOffset, message: `Decryption Secrets Block of type 0x${record.secretsType.toString(16)} (not SSH) at file offset ${record.fileOffset} ignored` });
        return;
      case 'name':
        this.emit({ type: 'name', address: record.address, names: record.names });
        return;
      case 'warning': {
        this.emit({ type: 'warning', message: record.message, fileOffset: record.fileOffset, ...(record.frameIndex === undefined ? {} : { frameIndex: record.frameIndex }) });
        return;
      }
    }
  }

  private frame(record: FrameRecord): void {
    this.frames++;
    const { index, time, fileOffset, section, interfaceId, interfaceName, linkType, originalLength } = record;
    const capturedLength = record.data.length;
    // Two literals rather than a spread: this runs for every frame of the file.
    const frame: FrameInfo = interfaceName === undefined
      ? { index, time, fileOffset, section, interfaceId, linkType, capturedLength, originalLength }
      : { index, time, fileOffset, section, interfaceId, interfaceName, linkType, capturedLength, originalLength };
    if (this.options.frames) this.emit({ type: 'frame', frame, bytes: record.data });
    const link = decapsulate(record.linkType, record.data);
    if (!link.ok) {
      // Non-IP frames (ARP, LLC...) are normal on a link; only a link type sshlens cannot read at all is worth saying.
      if (link.reason.startsWith('link type') && !this.unsupportedLinkTypes.has(record.linkType)) {
        this.unsupportedLinkTypes.add(record.linkType);
        this.warn(frame, link.reason);
      }
      return;
    }
    const ip = parseIp(link.ipVersion, record.data, link.offset);
    if (!ip.ok) {
      this.warn(frame, ip.reason);
      return;
    }
    if (ip.protocol !== IP_PROTOCOL_TCP) return;
    const tcp = parseTcp(record.data, ip.payloadOffset, ip.payloadLength, ip.capturedPayloadLength);
    if (typeof tcp === 'string') {
      this.warn(frame, tcp);
      return;
    }
    if (tcp.missingPayload > 0 && this.cutFrames++ === 0) {
      // Said once (and counted at the end): with a small snap length every frame is cut.
      this.warn(frame, `the capture holds ${tcp.payload.length} of the ${tcp.payload.length + tcp.missingPayload} TCP payload bytes (snap length or a cut file); the rest becomes a gap`);
    }
    this.tracker.segment({ address: ip.source, port: tcp.sourcePort }, { address: ip.destination, port: tcp.destinationPort }, tcp, frame);
  }

  private warn(frame: FrameInfo, message: string): void {
    this.emit({ type: 'warning', frame, message: `frame ${frame.index}: ${message}` });
  }
}

/** Reads a whole capture held in memory. */
export function readCapture(bytes: Uint8Array, options?: CaptureReaderOptions): CaptureEvent[] {
  const events: CaptureEvent[] = [];
  const reader = new CaptureReader((event) => events.push(event), options);
  reader.push(bytes);
  reader.finish();
  return events;
}

/**
 * Reads a capture chunk by chunk, yielding events as they come. A CaptureError is thrown after the events that
 * came before it have been yielded.
 */
export function* readCaptureChunks(chunks: Iterable<Uint8Array>, options?: CaptureReaderOptions): Generator<CaptureEvent> {
  let events: CaptureEvent[] = [];
  const reader = new CaptureReader((event) => events.push(event), options);
  const drain = function* () {
    const ready = events;
    events = [];
    yield* ready;
  };
  for (const chunk of chunks) {
    try {
      reader.push(chunk);
    } catch (error) {
      yield* drain();
      throw error;
    }
    yield* drain();
  }
  try {
    reader.finish();
  } catch (error) {
    yield* drain();
    throw error;
  }
  yield* drain();
}
