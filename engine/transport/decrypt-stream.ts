/**
 * @module transport/decrypt-stream
 * One call to decrypt a whole direction of a captured session when its keys are known: the bytes after the
 * identification line, plus the keys of each key epoch (one DirectionKeys per NEWKEYS, in order, from RFC 4253
 * §7.2 key derivation) and whether strict kex is on. Decoder mode: damaged packets are delivered and explained, and
 * a direction that cannot go on stops with everything before it kept. zlib@openssh.com's start is found by the
 * reader (after the server's USERAUTH_SUCCESS, or at the client's first zlib header).
 */
import type { Direction, DirectionKeys } from './binary-packet.ts';
import { PacketReader, type ReadPacket } from './packet-reader.ts';
import type { TransportError } from './transport-errors.ts';

export interface DecryptStreamOptions {
  /** The sender of `stream`. */
  direction: Direction;
  /** The keys after each of this direction's NEWKEYS, first key exchange first. */
  epochs: DirectionKeys[];
  /** Strict kex (kex-strict-*-v00@openssh.com in both first KEXINITs): sequence numbers restart at each NEWKEYS. */
  strictKex: boolean;
  /** Stream offset of `stream[0]` (the length of the identification line and any preamble). */
  startOffset?: number;
  maxPacketLength?: number;
}

export interface DecryptedStream {
  packets: ReadPacket[];
  /** Why decryption stopped early, or the truncated packet at the end; undefined when the stream decrypted whole. */
  failure?: TransportError;
}

export function decryptStream(stream: Uint8Array, options: DecryptStreamOptions): DecryptedStream {
  const reader = new PacketReader({
    direction: options.direction, mode: 'decoder', startOffset: options.startOffset ?? 0,
    ...(options.maxPacketLength === undefined ? {} : { maxPacketLength: options.maxPacketLength }),
  });
  reader.feed(stream);
  const packets: ReadPacket[] = [];
  let epoch = 0;
  for (;;) {
    const packet = reader.next();
    if (packet) { packets.push(packet); continue; }
    if (reader.state !== 'awaiting-keys') break;
    reader.newKeys(options.epochs[epoch++] ?? null, options.strictKex);
  }
  const failure = reader.end();
  return failure ? { packets, failure } : { packets };
}
