/**
 * @module wire/errors
 * Decode errors of the SSH wire format (RFC 4251 §5). Each names the field path and the absolute byte offset.
 */
import { SshlensError } from '../errors.ts';

export type WireErrorCode =
  | 'truncated' // the buffer ends inside a fixed-size field
  | 'length-beyond-buffer' // a length prefix claims more bytes than remain
  | 'invalid-boolean' // a boolean byte other than 0 or 1
  | 'bad-name-list' // an empty name, or a byte outside printable US-ASCII
  | 'non-minimal-mpint' // an mpint with a needless leading 0x00 / 0xff byte
  | 'trailing-bytes' // bytes left over after the last declared field
  | 'invalid-value'; // a value the writer cannot encode (out of range)

export class WireError extends SshlensError {
  declare readonly code: WireErrorCode;
  constructor(code: WireErrorCode, message: string, path: string, offset: number) {
    super(code, `${message} (field ${path || '(top)'} at byte ${offset})`, { path, offset });
  }
}
