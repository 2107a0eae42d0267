/**
 * @module decoder/transport-framer
 * The decoder's packet framer (framer.ts) on top of the transport layer's PacketReader in decoder mode
 * (engine/transport/packet-reader.ts, RFC 4253 §6): damaged packets are delivered and explained, framing goes on
 * while lengths are trustworthy, and zlib@openssh.com's delayed start is found by the reader itself.
 */
import { PacketReader, type PacketReaderOptions } from '../transport/packet-reader.ts';
import type { Direction } from '../trace/model.ts';
import type { FramedPacket, PacketFramer } from './framer.ts';
import type { MidSessionKeys } from './key-store.ts';

/**
 * A framer for one direction from `startOffset` on. With `midSession` keys (a capture that begins after the key
 * exchange) it starts decrypting at once, with the given sequence number, at the given stream offset.
 * `transientData`: the caller keeps no wire bytes and nothing of a channel data packet past the next `next()` (see
 * PacketReaderOptions).
 */
export function createFramer(direction: Direction, startOffset: number, midSession?: MidSessionKeys, transientData = false): PacketFramer {
  let skip = midSession?.streamOffset ?? 0;
  // Options set after the literal rather than spread into it (a framer per direction of every session).
  const options: PacketReaderOptions = { direction, mode: 'decoder', startOffset: startOffset + skip, detectDelayedCompression: true, transientData };
  if (midSession) options.initialSequence = midSession.sequence;
  const reader = new PacketReader(options);
  if (midSession) {
    reader.newKeys(midSession, false);
    reader.activateDelayedCompression();
  }
  return {
    push(bytes) {
      if (skip > 0) {
        const dropped = Math.min(skip, bytes.length);
        skip -= dropped;
        bytes = bytes.subarray(dropped);
      }
      if (bytes.length) reader.feed(bytes);
    },
    next(): FramedPacket | null {
      return reader.next() ?? null;
    },
    newKeys: (keys, strict) => reader.newKeys(keys, strict),
    startDelayedCompression: () => {},
    get stopped() {
      return reader.state === 'stopped' ? reader.failure?.message ?? 'framing stopped' : undefined;
    },
    get buffered() {
      return reader.buffered;
    },
    get offset() {
      return reader.offset;
    },
  };
}
