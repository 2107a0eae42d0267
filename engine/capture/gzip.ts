/**
 * @module capture/gzip
 * gzip-compressed captures (RFC 1952), decompressed as they stream in with fflate, so a compressed 1 GiB capture is
 * never held whole. `*.pcap.gz` / `*.pcapng.gz` as written by `tcpdump -w - | gzip` or Wireshark.
 */
import { Gunzip } from 'fflate';
import { CaptureError } from './errors.ts';

export class GzipStream {
  private readonly gunzip: Gunzip;
  private compressedBytes = 0;

  /** `output` receives each decompressed piece (a fresh array) as soon as it is ready. */
  constructor(output: (bytes: Uint8Array) => void) {
    this.gunzip = new Gunzip((data) => {
      if (data.length > 0) output(data);
    });
  }

  push(bytes: Uint8Array): void {
    this.compressedBytes += bytes.length;
    this.run(() => this.gunzip.push(bytes, false));
  }

  /** Returns a message when the compressed stream was cut short (its contents up to there have been output). */
  finish(): string | undefined {
    try {
      this.gunzip.push(new Uint8Array(0), true);
      return undefined;
    } catch (error) {
      return `the gzip stream ends early (after ${this.compressedBytes} compressed bytes): ${(error as Error).message}`;
    }
  }

  private run(action: () => void): void {
    try {
      action();
    } catch (error) {
      if (error instanceof CaptureError) throw error;
      throw new CaptureError('bad-gzip', `the gzip stream is corrupt near compressed byte ${this.compressedBytes}: ${(error as Error).message}`, this.compressedBytes);
    }
  }
}
