/**
 * @module capture/reassembly
 * One direction of a TCP connection (RFC 9293 §3.4 sequence numbers, §3.10.7.4 segment arrival) turned into a byte
 * stream numbered from 0: offset 0 is the byte after the SYN when the SYN was captured, else the first byte of the
 * first segment seen (a capture that begins mid-session). Segments may arrive out of order, twice, overlapping or
 * never: bytes are delivered once, in order; a hole that is never filled becomes an explicit gap (never invented
 * bytes); a retransmission whose bytes differ from what was already delivered is reported as a conflict.
 *
 * Memory is bounded by `maxBufferedBytes` (out-of-order segments waiting for a hole to fill; beyond it the hole is
 * declared a gap) plus `retransmitCheckWindow` (the last delivered bytes, kept to compare retransmissions with).
 */

export interface ReassemblyLimits {
  /** Out-of-order bytes held per direction before the first hole is given up as a gap. */
  maxBufferedBytes: number;
  /** How many of the last delivered bytes are kept to check retransmissions against. */
  retransmitCheckWindow: number;
}

/** The retransmission ring starts this small and doubles as the stream grows, up to retransmitCheckWindow. */
const MIN_HISTORY = 2048;

export const DEFAULT_REASSEMBLY_LIMITS: ReassemblyLimits = { maxBufferedBytes: 4 * 1024 * 1024, retransmitCheckWindow: 64 * 1024 };

export type StreamEvent<F> =
  /** `bytes` start at stream `offset`; `frameOffset` is where they start in their frame. */
  | { kind: 'data'; offset: number; bytes: Uint8Array; frame: F; frameOffset: number; seq: number }
  /** Bytes `offset .. offset+length` were never captured; `frame` is the frame after the hole, if any. */
  | { kind: 'gap'; offset: number; length: number; frame: F | undefined }
  /** A segment re-sent bytes `offset .. offset+length` that were already delivered, and they differ. */
  | { kind: 'conflict'; offset: number; length: number; firstDifference: number; frame: F }
  /** Bytes older than the first captured byte of this direction (capture began mid-stream); dropped. */
  | { kind: 'before-start'; length: number; frame: F };

interface Pending<F> {
  offset: number;
  bytes: Uint8Array;
  frame: F;
  frameOffset: number;
  /** End of what the segment carried on the wire: beyond its bytes when the snap length cut the frame. */
  declaredEnd: number;
}

export class StreamReassembler<F> {
  /** Sequence number of stream offset 0. */
  private base: number | undefined;
  /** Next stream offset to deliver: everything before it was delivered or declared a gap. */
  next = 0;
  private pending: Pending<F>[] = [];
  private pendingBytes = 0;
  /** End of the stream as far as any segment (declared length) or FIN has shown. */
  private highestEnd = 0;
  private lastFrame: F | undefined;
  private history: Uint8Array | undefined;
  /** History is valid from this offset (nothing before a gap can be compared). */
  private historyFrom = 0;
  /** The FIN's stream offset, when seen. */
  finOffset: number | undefined;

  constructor(
    private readonly emit: (event: StreamEvent<F>) => void,
    private readonly limits: ReassemblyLimits = DEFAULT_REASSEMBLY_LIMITS,
  ) {}

  get started(): boolean {
    return this.base !== undefined;
  }

  /** A SYN with this initial sequence number: the stream starts at isn + 1. */
  synchronize(isn: number): void {
    if (this.base === undefined) this.base = (isn + 1) >>> 0;
  }

  /** The sequence number of a stream offset (mod 2^32). */
  sequenceOf(offset: number): number {
    return ((this.base ?? 0) + (offset % 2 ** 32)) >>> 0;
  }

  /** Stream offset of a sequence number: the nearest one to `next` (handles wrap-around past 2^32). */
  private offsetOf(seq: number): number {
    return this.next + ((seq - this.sequenceOf(this.next)) | 0);
  }

  /**
   * A segment: `payload` as captured (a view), `declaredLength` what the IP header says it carried (more when the
   * snap length cut it), `fin` when the FIN flag is set.
   */
  segment(seq: number, payload: Uint8Array, frame: F, frameOffset: number, declaredLength = payload.length, fin = false): void {
    this.lastFrame = frame;
    if (this.base === undefined) {
      if (payload.length === 0 && !fin) return;
      this.base = seq >>> 0;
    }
    let offset = this.offsetOf(seq);
    const end = offset + declaredLength;
    if (fin) this.finOffset = end;
    // A bare ACK's sequence number may point one past the FIN: only data and FIN say how long the stream is.
    if (declaredLength > 0 || fin) this.highestEnd = Math.max(this.highestEnd, end);
    let bytes = payload;
    if (offset < 0) {
      const drop = Math.min(-offset, bytes.length);
      if (drop > 0) this.emit({ kind: 'before-start', length: drop, frame });
      bytes = bytes.subarray(drop);
      frameOffset += drop;
      offset += drop;
    }
    if (bytes.length === 0 && end <= offset) return; // nothing carried (a bare ACK or FIN)
    if (offset <= this.next) {
      this.deliver(offset, bytes, frame, frameOffset, end);
      this.drain();
    } else {
      // Copied (new Uint8Array, not slice: a node Buffer's slice is a view) so the chunk it came in can be freed.
      this.hold({ offset, bytes: new Uint8Array(bytes), frame, frameOffset, declaredEnd: end });
      this.enforceLimit();
    }
  }

  /** End of capture (or RST): every remaining hole becomes a gap; held segments after it are delivered. */
  finish(): void {
    while (this.pending.length > 0) this.gapTo(this.pending[0].offset, this.pending[0].frame);
    if (this.highestEnd > this.next) this.gapTo(this.highestEnd, undefined);
  }

  /** True when everything up to the FIN was delivered. */
  get complete(): boolean {
    return this.finOffset !== undefined && this.next >= this.finOffset && this.pending.length === 0;
  }

  private hold(segment: Pending<F>): void {
    // Insert after every held segment with an offset <= this one (keeps arrival order among equals).
    let low = 0;
    let high = this.pending.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (this.pending[middle].offset <= segment.offset) low = middle + 1;
      else high = middle;
    }
    this.pending.splice(low, 0, segment);
    this.pendingBytes += segment.bytes.length;
  }

  private enforceLimit(): void {
    while (this.pendingBytes > this.limits.maxBufferedBytes && this.pending.length > 0) {
      this.gapTo(this.pending[0].offset, this.pending[0].frame);
    }
  }

  private gapTo(offset: number, frame: F | undefined): void {
    if (offset > this.next) {
      this.emit({ kind: 'gap', offset: this.next, length: offset - this.next, frame: frame ?? this.lastFrame });
      this.next = offset;
      this.historyFrom = offset;
    }
    this.drain();
  }

  private drain(): void {
    while (this.pending.length > 0 && this.pending[0].offset <= this.next) {
      const segment = this.pending.shift()!;
      this.pendingBytes -= segment.bytes.length;
      this.deliver(segment.offset, segment.bytes, segment.frame, segment.frameOffset, segment.declaredEnd);
    }
  }

  /**
   * `offset <= next`: compare what overlaps the delivered bytes, deliver the rest. Bytes the segment carried but the
   * capture cut off (up to `declaredEnd`) are a gap at once: no later frame will hold them.
   */
  private deliver(offset: number, bytes: Uint8Array, frame: F, frameOffset: number, declaredEnd: number): void {
    const overlapEnd = Math.min(offset + bytes.length, this.next);
    if (overlapEnd > offset) this.compare(offset, bytes.subarray(0, overlapEnd - offset), frame);
    if (offset + bytes.length > this.next) {
      const skip = this.next - offset;
      const fresh = skip === 0 ? bytes : bytes.subarray(skip);
      this.emit({ kind: 'data', offset: this.next, bytes: fresh, frame, frameOffset: frameOffset + skip, seq: this.sequenceOf(this.next) });
      this.remember(this.next, fresh);
      this.next += fresh.length;
    }
    if (declaredEnd > offset + bytes.length && declaredEnd > this.next) {
      this.emit({ kind: 'gap', offset: this.next, length: declaredEnd - this.next, frame });
      this.next = declaredEnd;
      this.historyFrom = declaredEnd;
    }
  }

  /** Keeps the last delivered bytes in a ring that grows (up to the window) with the stream, so short streams stay small. */
  private remember(offset: number, bytes: Uint8Array): void {
    const window = this.limits.retransmitCheckWindow;
    if (window === 0) return;
    const wanted = Math.min(window, offset + bytes.length - this.historyFrom);
    if (!this.history || this.history.length < wanted) this.growHistory(offset, Math.min(window, Math.max(MIN_HISTORY, 2 ** Math.ceil(Math.log2(wanted)))));
    const history = this.history!;
    const size = history.length;
    const keep = bytes.length > size ? bytes.subarray(bytes.length - size) : bytes;
    const at = (offset + bytes.length - keep.length) % size;
    const first = Math.min(keep.length, size - at);
    history.set(keep.subarray(0, first), at);
    if (first < keep.length) history.set(keep.subarray(first), 0);
  }

  /** Moves the remembered bytes (those before `end`) into a larger ring. */
  private growHistory(end: number, size: number): void {
    const old = this.history;
    const grown = new Uint8Array(size);
    if (old) {
      // Copy the remembered range in as few contiguous pieces as the two rings allow.
      for (let at = Math.max(this.historyFrom, end - old.length); at < end; ) {
        const from = at % old.length;
        const to = at % size;
        const n = Math.min(end - at, old.length - from, size - to);
        grown.set(old.subarray(from, from + n), to);
        at += n;
      }
    }
    this.history = grown;
  }

  private compare(offset: number, bytes: Uint8Array, frame: F): void {
    const history = this.history;
    if (!history) return;
    const size = history.length;
    const from = Math.max(offset, this.next - size, this.historyFrom);
    const to = offset + bytes.length;
    for (let at = from; at < to; at++) {
      if (history[at % size] !== bytes[at - offset]) {
        this.emit({ kind: 'conflict', offset, length: bytes.length, firstDifference: at, frame });
        return;
      }
    }
  }
}
