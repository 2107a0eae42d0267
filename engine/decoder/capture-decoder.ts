/**
 * @module decoder/capture-decoder
 * From capture bytes and key material to a trace: the capture reader's per-direction TCP streams feed one
 * SessionDecoder per SSH connection; key logs (files, or pcapng Decryption Secrets Blocks met on the way) are looked
 * up by KEXINIT cookie. Streaming: push the file in chunks; with `keepPackets: false` memory stays bounded by what is
 * in flight, and each packet is handed to the sink as soon as it is decoded.
 */
import { CaptureReader } from '../capture/reader.ts';
import type { CaptureEvent } from '../capture/events.ts';
import { CaptureError } from '../capture/errors.ts';
import type { Problem, SessionRecord, Trace, TraceSource } from '../trace/model.ts';
import { SessionDecoder, type SessionDecoderOptions, type SessionSink } from './session.ts';
import { registryKeySizer } from './key-sizes.ts';
import { createFramer } from './transport-framer.ts';
import { KeyStore } from './key-store.ts';

/**
 * With keepPackets, keepBytes and keepChannelData all false (streaming), a CHANNEL_DATA or CHANNEL_EXTENDED_DATA
 * packet handed to the sink lives in buffers that the next packet reuses: its message's data and field values are
 * valid until the sink returns, so copy what you keep. Every other message's bytes stay valid.
 */
export interface CaptureDecoderOptions extends SessionDecoderOptions {
  /** Called with the number of file bytes consumed so far (for progress bars). */
  progress?: (bytes: number) => void;
}

export class CaptureDecoder {
  readonly trace: Trace;
  private readonly reader: CaptureReader;
  private readonly sessions = new Map<number, SessionDecoder>();
  /** TCP connections that carry no SSH identification line (and no key file names them). */
  private readonly notSsh: string[] = [];
  private ended = 0;
  /** Sessions started so far: the next session's id (trace.sessions stays empty with keepPackets: false). */
  private started = 0;
  private bytes = 0;

  constructor(
    readonly keys: KeyStore,
    source: TraceSource,
    private readonly sink: SessionSink & { session?(session: SessionRecord): void; sessionEnd?(session: SessionRecord): void } = {},
    private readonly options: CaptureDecoderOptions = {},
  ) {
    this.trace = { format: 'sshlens-trace', version: 1, source, sessions: [], problems: [] };
    this.reader = new CaptureReader((event) => this.event(event), { knownClient: (end0, end1) => this.keys.clientAmong(end0, end1) });
  }

  /** Feeds the next bytes of the capture file. Throws a CaptureError when it is not a capture at all. */
  push(chunk: Uint8Array): void {
    this.reader.push(chunk);
    this.bytes += chunk.length;
    this.options.progress?.(this.bytes);
  }

  /** End of the file: finishes every session and returns the trace. */
  finish(): Trace {
    this.reader.finish();
    for (const [id, session] of this.sessions) this.endSession(id, session);
    return this.trace;
  }

  private event(event: CaptureEvent): void {
    switch (event.type) {
      case 'connection': {
        const derived = this.keys.derivedFor(event.client, event.server);
        // A connection with no identification line can still be SSH caught mid-session, when a key file names it.
        if (event.ssh || derived) this.startSession(event.id, event, !event.ssh && !!derived);
        else this.notSsh.push(`${event.client.address}:${event.client.port} -> ${event.server.address}:${event.server.port}`);
        return;
      }
      case 'data': {
        const session = this.sessions.get(event.connection);
        session?.data(event.direction, event.streamOffset, event.bytes, { frame: event.frame.index, time: event.frame.time });
        return;
      }
      case 'gap': {
        this.sessions.get(event.connection)?.gap(event.direction, event.streamOffset, event.length, event.frame?.index);
        return;
      }
      case 'end': {
        const session = this.sessions.get(event.connection);
        if (session) this.endSession(event.connection, session);
        return;
      }
      case 'secrets':
        this.keys.addKeyLog(event.text, `the capture's Decryption Secrets Block at byte ${event.fileOffset}`);
        return;
      case 'warning':
        this.problem({
          code: 'capture-warning', severity: 'warning', message: event.message,
          ...(event.frame ? { frame: event.frame.index } : event.frameIndex !== undefined ? { frame: event.frameIndex } : {}),
        });
        return;
      case 'summary':
        if (this.sessions.size === 0 && this.trace.sessions.length === 0 && this.ended === 0) {
          const hint = this.notSsh.length ? ' If the capture began after an SSH session had started, give its derived keys in a JSON key file (--keylog keys.json) to decode it.' : '';
          this.problem({ code: 'no-ssh', severity: 'error', message: event.message + (hint ? '.' + hint : '') });
        }
        return;
    }
  }

  private startSession(id: number, event: Extract<CaptureEvent, { type: 'connection' }>, midSession: boolean): void {
    const { keepPackets = true, keepBytes = true, keepChannelData = true } = this.options;
    const transientData = !keepPackets && !keepBytes && !keepChannelData;
    const session = new SessionDecoder(
      this.started++,
      event.client,
      event.server,
      { keyLog: this.keys, sizer: registryKeySizer, createFramer: (direction, offset) => createFramer(direction, offset, this.keys.derivedFor(event.client, event.server)?.[direction], transientData) },
      this.sink,
      this.options,
      { midSession },
    );
    const guessedBy = ROLE_GUESSES[event.roleEvidence as keyof typeof ROLE_GUESSES];
    if (guessedBy) {
      session.record.problems.push({
        code: 'roles-guessed', severity: 'info',
        message: `client and server were told apart only by ${guessedBy(event.server.port)}: the capture has no TCP handshake, and no key exchange messages settle it. If they are the wrong way round nothing will decrypt; a JSON key file naming client and server (--keylog keys.json) settles it`,
      });
    }
    this.sessions.set(id, session);
    if (this.options.keepPackets ?? true) this.trace.sessions.push(session.record);
    this.sink.session?.(session.record);
  }

  private endSession(id: number, session: SessionDecoder): void {
    session.end();
    this.ended++;
    this.sessions.delete(id);
    this.sink.sessionEnd?.(session.record);
  }

  private problem(problem: Problem): void {
    this.trace.problems.push(problem);
  }
}

/** The weak evidence for client and server (engine/capture/events.ts RoleEvidence) that a session is told about. */
const ROLE_GUESSES = {
  'lower-port': (serverPort: number) => `their port numbers (the lower port, ${serverPort}, taken as the server's)`,
  'first-sender': () => 'which side sent the first captured segment (taken as the client)',
};

export { CaptureError };

export interface KeyFileInput {
  name: string;
  text: string;
}

/**
 * Decodes a whole capture held in memory with the given key files (key logs or JSON derived keys): the one-call API
 * for tests, the UI worker and small files. Throws a CaptureError only when the bytes are not a capture at all.
 */
export function decodeCapture(capture: Uint8Array, keyFiles: KeyFileInput[] = [], name = 'capture', options: CaptureDecoderOptions = {}): Trace {
  const keys = new KeyStore();
  for (const file of keyFiles) keys.addFile(file.text, file.name);
  const decoder = new CaptureDecoder(keys, { kind: 'capture', name, keySources: keyFiles.map((f) => f.name) }, {}, options);
  decoder.push(capture);
  const trace = decoder.finish();
  trace.problems.push(...keys.problems);
  return trace;
}
