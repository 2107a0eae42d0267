/**
 * @module capture/errors
 * Errors of the capture reader: a file that is not a capture at all, or a capture whose structure is broken beyond
 * what can be skipped. Everything recoverable (a truncated tail, an IPv4 fragment, a lost TCP segment) is reported as
 * a `warning` or `gap` event instead, so the rest of the file still decodes.
 */
import { SshlensError } from '../errors.ts';

export type CaptureErrorCode =
  | 'not-a-capture' // the first bytes are no pcap, pcapng or gzip magic
  | 'bad-block' // a pcap record or pcapng block header that cannot be right (length, byte order)
  | 'bad-gzip' // the gzip layer failed
  | 'reader-finished'; // push() after finish()

export class CaptureError extends SshlensError {
  declare readonly code: CaptureErrorCode;
  constructor(code: CaptureErrorCode, message: string, offset?: number) {
    super(code, message, offset === undefined ? {} : { offset });
  }
}

/** `0x0a0d0d0a` - how a magic number or any other 32-bit value is shown in messages. */
export function hex32(value: number): string {
  return '0x' + (value >>> 0).toString(16).padStart(8, '0');
}
