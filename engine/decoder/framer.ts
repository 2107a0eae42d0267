/**
 * @module decoder/framer
 * What the session decoder needs from the binary packet protocol (RFC 4253 §6) for one direction of a captured
 * stream: bytes in, whole packets out, each decrypted and verified where keys allow, keeping going after a bad MAC
 * while lengths are still trustworthy. engine/transport implements the protocol; this is the decoder's view of it.
 */
import type { MacStatus, PacketLayout, Span } from '../trace/model.ts';
import type { DirectionKeys } from '../transport/binary-packet.ts';

export type { DirectionKeys };

/** Field names as engine/transport's ReadPacket has them, so that its packets are handed on as they are. */
export interface FramedPacket {
  /** Where the packet lies in the direction's stream. */
  stream: Span;
  sequence: number;
  /** 0 before the first NEWKEYS of this direction, then 1, 2... */
  epoch: number;
  /** The bytes as they travelled. */
  wire: Uint8Array;
  /** packet_length | padding_length | payload | padding, decrypted. */
  plaintext?: Uint8Array;
  /** The message bytes: the payload, decompressed when compression is on; absent when they could not be had. */
  message?: Uint8Array;
  /** The inflated payload, when compression was on (then also `message`). */
  decompressed?: Uint8Array;
  layout: PacketLayout | null;
  macStatus: MacStatus;
  /** Why the packet could not be decrypted, verified or framed, in words (empty when nothing is wrong). */
  problems: readonly { message: string }[];
}

export interface PacketFramer {
  /** Appends the next bytes of the stream. */
  push(bytes: Uint8Array): void;
  /** The next complete packet, or null when more bytes are needed (or framing stopped: see `stopped`). */
  next(): FramedPacket | null;
  /** This direction sent NEWKEYS: what follows uses these keys (null: not known, framing stops). */
  newKeys(keys: DirectionKeys | null, strict: boolean): void;
  /** zlib@openssh.com: compression starts now (after USERAUTH_SUCCESS, OpenSSH PROTOCOL). */
  startDelayedCompression(): void;
  /** Set when framing cannot go on (no keys, garbage lengths, a gap), with the reason. */
  readonly stopped: string | undefined;
  /** Bytes received but not yet part of a returned packet. */
  readonly buffered: number;
  /** Stream offset of the first buffered byte. */
  readonly offset: number;
}
