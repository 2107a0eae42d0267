/**
 * @module capture/pcap
 * Classic libpcap files (draft-ietf-opsawg-pcap §4-§5): a 24-byte file header whose magic gives the byte order and
 * the time resolution (0xa1b2c3d4 microseconds, 0xa1b23c4d nanoseconds), then records of a 16-byte header and the
 * captured bytes. Incremental: `step()` parses what the queue holds and waits for more.
 */
import { ByteQueue } from './byte-queue.ts';
import { CaptureError, hex32 } from './errors.ts';
import { layout, readField, readLayout } from './layout.ts';
import type { RecordSink } from './records.ts';

/** draft-ietf-opsawg-pcap §4 File Header. */
export const PCAP_FILE_HEADER = layout([
  ['magic', 4],
  ['versionMajor', 2],
  ['versionMinor', 2],
  ['reserved1', 4], // "thiszone", always 0 in practice
  ['reserved2', 4], // "sigfigs"
  ['snapLength', 4],
  ['linkTypeAndFcs', 4], // LinkType in the low 16 bits, FCS length and flag in the top 4 bits
]);

/** draft-ietf-opsawg-pcap §5 Packet Record header. */
export const PCAP_RECORD_HEADER = layout([
  ['seconds', 4],
  ['fraction', 4], // microseconds or nanoseconds, per the magic
  ['capturedLength', 4],
  ['originalLength', 4],
]);

export const PCAP_MAGIC_MICROSECONDS = 0xa1b2c3d4;
export const PCAP_MAGIC_NANOSECONDS = 0xa1b23c4d;

/** Larger records are taken as a corrupt header rather than buffered (real snap lengths are at most 256 KiB). */
export const MAX_RECORD_LENGTH = 16 * 1024 * 1024;

/** True when these 4 bytes start a classic pcap file, in either byte order. */
export function isPcapMagic(first4: Uint8Array): boolean {
  const big = new DataView(first4.buffer, first4.byteOffset, 4).getUint32(0, false);
  const little = new DataView(first4.buffer, first4.byteOffset, 4).getUint32(0, true);
  return [big, little].some((m) => m === PCAP_MAGIC_MICROSECONDS || m === PCAP_MAGIC_NANOSECONDS);
}

export class PcapParser {
  private littleEndian = false;
  private nanosecondsPerUnit = 1000;
  private linkType = 0;
  private headerRead = false;
  private frames = 0;

  constructor(
    private readonly queue: ByteQueue,
    private readonly emit: RecordSink,
  ) {}

  /** Parses every complete header and record in the queue. */
  step(): void {
    if (!this.headerRead) {
      if (this.queue.available < PCAP_FILE_HEADER.size) return;
      this.readFileHeader(this.queue.peek(PCAP_FILE_HEADER.size));
      this.queue.skip(PCAP_FILE_HEADER.size);
      this.headerRead = true;
    }
    while (this.queue.available >= PCAP_RECORD_HEADER.size) {
      const fileOffset = this.queue.consumed;
      const capturedLength = readField(this.queue.peek(PCAP_RECORD_HEADER.size), 0, PCAP_RECORD_HEADER.field.capturedLength, this.littleEndian);
      if (capturedLength > MAX_RECORD_LENGTH) {
        throw new CaptureError(
          'bad-block',
          `pcap record of frame ${this.frames + 1} at file offset ${fileOffset} claims ${capturedLength} captured bytes: the file is corrupt here`,
          fileOffset,
        );
      }
      const total = PCAP_RECORD_HEADER.size + capturedLength;
      if (this.queue.available < total) return;
      const record = this.queue.peek(total);
      this.queue.skip(total);
      this.emitFrame(record, PCAP_RECORD_HEADER.size, fileOffset);
    }
  }

  /** End of input: a partial record is a truncated file; its captured part is still handed on. */
  finish(): void {
    if (!this.headerRead) {
      if (this.queue.available > 0) {
        this.emit({ kind: 'warning', message: `the file ends inside the 24-byte pcap file header (${this.queue.available} bytes)`, fileOffset: 0 });
      }
      return;
    }
    const left = this.queue.available;
    if (left === 0) return;
    const fileOffset = this.queue.consumed;
    const frameIndex = this.frames + 1;
    if (left < PCAP_RECORD_HEADER.size) {
      this.emit({ kind: 'warning', frameIndex, fileOffset, message: `the file is truncated: it ends inside the record header of frame ${frameIndex} at file offset ${fileOffset} (${left} of 16 bytes)` });
    } else {
      const bytes = this.queue.peek(left);
      const capturedLength = readField(bytes, 0, PCAP_RECORD_HEADER.field.capturedLength, this.littleEndian);
      const present = left - PCAP_RECORD_HEADER.size;
      this.emit({ kind: 'warning', frameIndex, fileOffset, message: `the file is truncated: frame ${frameIndex} at file offset ${fileOffset} has ${present} of its ${capturedLength} captured bytes` });
      this.emitFrame(bytes, PCAP_RECORD_HEADER.size, fileOffset);
    }
    this.queue.skip(left);
  }

  private readFileHeader(bytes: Uint8Array): void {
    const view = new DataView(bytes.buffer, bytes.byteOffset, 4);
    for (const littleEndian of [false, true]) {
      const magic = view.getUint32(0, littleEndian);
      if (magic === PCAP_MAGIC_MICROSECONDS || magic === PCAP_MAGIC_NANOSECONDS) {
        this.littleEndian = littleEndian;
        this.nanosecondsPerUnit = magic === PCAP_MAGIC_NANOSECONDS ? 1 : 1000;
      }
    }
    const header = readLayout(bytes, 0, PCAP_FILE_HEADER, this.littleEndian);
    if (header.magic !== PCAP_MAGIC_MICROSECONDS && header.magic !== PCAP_MAGIC_NANOSECONDS) {
      throw new CaptureError('not-a-capture', `not a pcap file: magic ${hex32(header.magic)}`, 0);
    }
    this.linkType = header.linkTypeAndFcs & 0xffff;
  }

  /** `record` is the record header and the captured bytes after it (fewer than declared in a truncated file). */
  private emitFrame(record: Uint8Array, dataStart: number, fileOffset: number): void {
    this.frames++;
    const f = PCAP_RECORD_HEADER.field;
    const le = this.littleEndian;
    const data = record.subarray(dataStart);
    let seconds = readField(record, 0, f.seconds, le);
    let nanoseconds = readField(record, 0, f.fraction, le) * this.nanosecondsPerUnit;
    if (nanoseconds >= 1e9) {
      // Out-of-range fraction (seen in broken writers): carry it into the seconds rather than show 1.5e9 ns.
      seconds += Math.floor(nanoseconds / 1e9);
      nanoseconds %= 1e9;
    }
    this.emit({
      kind: 'frame',
      index: this.frames,
      fileOffset,
      linkType: this.linkType,
      interfaceId: 0,
      section: 0,
      time: { seconds, nanoseconds },
      data,
      originalLength: Math.max(readField(record, 0, f.originalLength, le), data.length),
    });
  }
}
