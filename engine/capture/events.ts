/**
 * @module capture/events
 * What the capture reader reports, in file order. A decoder needs only `connection`, `data`, `gap`, `end` and
 * `secrets`; the rest explains the capture to a user.
 */
import type { Timestamp } from './records.ts';

export type { Timestamp } from './records.ts';

export interface Endpoint {
  /** Dotted IPv4 or RFC 5952 IPv6 text. */
  address: string;
  port: number;
}

/** The frame a byte, gap or warning came from. */
export interface FrameInfo {
  /** 1-based, in file order, as Wireshark numbers frames. */
  index: number;
  time: Timestamp;
  /** Offset of the record / block in the (decompressed) file. */
  fileOffset: number;
  /** pcapng section (0 for classic pcap) and interface within it. */
  section: number;
  interfaceId: number;
  interfaceName?: string;
  linkType: number;
  capturedLength: number;
  originalLength: number;
}

/** `client` is the byte stream the client sent, `server` the one the server sent. */
export type Direction = 'client' | 'server';

/**
 * How the client was told from the server, strongest first: the side that sent the SYN (`syn`), the side that
 * received the SYN-ACK (`syn-ack`); without either (capture started after the handshake): the endpoint a key file
 * names as the client (`key-file`, see CaptureReaderOptions.knownClient); the side that sent other
 * lines before its identification line is the server (`banner-lines`, RFC 4253 §4.2); else the side whose first
 * message after KEXINIT is a kex method's opening (30, 32 or 34) or that answers one (31, 33) is the client or the
 * server (`kex-messages`, see kex-roles.ts); else an address:port that
 * already took part in an earlier connection of the capture is the server (`shared-endpoint`: a listening port
 * recurs, an ephemeral client port does not); else the lower port is the server (`lower-port`, ephemeral client
 * ports are usually high); else the side of the first captured segment is the client (`first-sender`).
 */
export type RoleEvidence = 'syn' | 'syn-ack' | 'key-file' | 'banner-lines' | 'kex-messages' | 'shared-endpoint' | 'lower-port' | 'first-sender';

export type CaptureEvent =
  | {
      type: 'connection';
      id: number;
      client: Endpoint;
      server: Endpoint;
      roleEvidence: RoleEvidence;
      /** True when either direction starts with an SSH identification line (see `identification` events). */
      ssh: boolean;
      /** Why it is not taken as SSH, when it is not. */
      notSshReason?: string;
      /** The first frame of the connection in the capture. */
      frame: FrameInfo;
    }
  | {
      type: 'identification';
      connection: number;
      direction: Direction;
      /** Where the `SSH-` line starts in the stream (after `linesBefore` other lines from a server). */
      streamOffset: number;
      /** Bytes of the line including CR LF. */
      length: number;
      /** The line without CR LF: V_C or V_S of the exchange hash. */
      line: string;
      linesBefore: number;
    }
  | {
      type: 'data';
      connection: number;
      direction: Direction;
      streamOffset: number;
      /** A view into the captured frame (or into a copy, for a segment that arrived out of order). */
      bytes: Uint8Array;
      frame: FrameInfo;
      /** Where `bytes` start inside the frame's captured bytes. */
      frameOffset: number;
      /** TCP sequence number of bytes[0]. */
      seq: number;
    }
  | { type: 'gap'; connection: number; direction: Direction; streamOffset: number; length: number; frame?: FrameInfo }
  | {
      type: 'end';
      connection: number;
      /** `closed`: FIN both ways with every byte delivered; `reset`: RST; `capture-end`: the file ended first. */
      reason: 'closed' | 'reset' | 'capture-end';
      /** Length of each stream, gaps included. */
      clientBytes: number;
      serverBytes: number;
    }
  /** An SSH key log carried in a pcapng Decryption Secrets Block (secrets type 0x5353484b). */
  | { type: 'secrets'; text: string; fileOffset: number }
  /** A pcapng Name Resolution Block entry. */
  | { type: 'name'; address: string; names: string[] }
  /** Every frame, only with the `frames` option: for views that show the frame bytes. */
  | { type: 'frame'; frame: FrameInfo; bytes: Uint8Array }
  | { type: 'warning'; message: string; frame?: FrameInfo; frameIndex?: number; fileOffset?: number; connection?: number }
  | {
      type: 'summary';
      frames: number;
      tcpConnections: number;
      sshConnections: number;
      /** One sentence for a user, e.g. "no SSH found in this capture: 3 TCP connections, none starts with ...". */
      message: string;
    };

export type CaptureEventSink = (event: CaptureEvent) => void;
