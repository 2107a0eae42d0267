/**
 * @module capture/byte-queue
 * The pushed chunks of a capture file, read front to back in whole records. A record that lies inside one chunk is
 * returned as a view into it; only a record that straddles chunks is copied. Nothing is kept once consumed, so memory
 * is bounded by the largest record, not by the file.
 */
import { allocateOverwritten } from '../crypto/overwritten-buffers.ts';

export class ByteQueue {
  private chunks: Uint8Array[] = [];
  /** Read position inside chunks[0]. */
  private head = 0;
  /** Bytes available from the read position on. */
  available = 0;
  /** File offset of the read position. */
  consumed = 0;

  push(chunk: Uint8Array): void {
    if (chunk.length === 0) return;
    this.chunks.push(chunk);
    this.available += chunk.length;
  }

  /** The next `length` bytes (at most `available`) without consuming them. */
  peek(length: number): Uint8Array {
    if (length === 0) return new Uint8Array(0);
    const first = this.chunks[0];
    if (first.length - this.head >= length) return first.subarray(this.head, this.head + length);
    // Straddles chunks: gather into one buffer, which then replaces the gathered bytes at the front of the queue so
    // that peeking the same bytes again does not copy again.
    const joined = allocateOverwritten(length); // filled whole below
    let filled = 0;
    const remaining: Uint8Array[] = [];
    let start = this.head;
    for (const chunk of this.chunks) {
      if (filled === length) {
        remaining.push(chunk);
        continue;
      }
      const take = Math.min(chunk.length - start, length - filled);
      joined.set(chunk.subarray(start, start + take), filled);
      filled += take;
      if (start + take < chunk.length) remaining.push(chunk.subarray(start + take));
      start = 0;
    }
    this.chunks = [joined, ...remaining];
    this.head = 0;
    return joined;
  }

  /** Consumes `length` bytes (at most `available`). */
  skip(length: number): void {
    this.available -= length;
    this.consumed += length;
    while (length > 0) {
      const left = this.chunks[0].length - this.head;
      if (length < left) {
        this.head += length;
        return;
      }
      length -= left;
      this.chunks.shift();
      this.head = 0;
    }
  }
}
