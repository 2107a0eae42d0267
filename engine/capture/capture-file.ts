/**
 * @module capture/capture-file
 * Tells the file format from its first four bytes and hands the bytes to the pcap or pcapng parser. A file that is
 * neither gets one clear error naming the bytes it starts with.
 */
import { ByteQueue } from './byte-queue.ts';
import { CaptureError } from './errors.ts';
import { isPcapMagic, PcapParser } from './pcap.ts';
import { BLOCK_TYPE, PcapngParser } from './pcapng.ts';
import type { RecordSink } from './records.ts';

export const GZIP_MAGIC = [0x1f, 0x8b] as const;

export function describeStart(bytes: Uint8Array): string {
  const shown = bytes.subarray(0, 4);
  const hex = '0x' + Array.from(shown, (b) => b.toString(16).padStart(2, '0')).join('');
  const text = Array.from(shown, (b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.')).join('');
  return `${hex} ("${text}")`;
}

export function notACapture(bytes: Uint8Array): CaptureError {
  const what = bytes.length < 4 ? `it is only ${bytes.length} bytes long` : `starts with ${describeStart(bytes)}`;
  return new CaptureError(
    'not-a-capture',
    `not a pcap or pcapng file: ${what}; expected a pcap magic (0xa1b2c3d4, 0xa1b23c4d, either byte order), the pcapng 0x0a0d0d0a, or gzip 0x1f8b`,
    0,
  );
}

export class CaptureFile {
  private readonly queue = new ByteQueue();
  private parser: PcapParser | PcapngParser | undefined;

  constructor(private readonly emit: RecordSink) {}

  push(bytes: Uint8Array): void {
    this.queue.push(bytes);
    if (!this.parser) {
      if (this.queue.available < 4) return;
      const first4 = this.queue.peek(4);
      const type = new DataView(first4.buffer, first4.byteOffset, 4).getUint32(0, false);
      if (type === BLOCK_TYPE.sectionHeader) this.parser = new PcapngParser(this.queue, this.emit);
      else if (isPcapMagic(first4)) this.parser = new PcapParser(this.queue, this.emit);
      else throw notACapture(first4);
    }
    this.parser.step();
  }

  finish(): void {
    if (!this.parser) throw notACapture(this.queue.peek(this.queue.available));
    this.parser.finish();
  }
}
