/**
 * @module transport/transport-errors
 * Errors of the binary packet protocol (RFC 4253 §6): each names the direction, the packet (its index in the
 * direction and its sequence number) and the stream offset, so a user can find the bytes in question.
 */
import { SshlensError } from '../errors.ts';
import type { Direction } from '../trace/model.ts';

export type TransportErrorCode =
  | 'packet-too-long' // packet_length above the limit, refused before allocating
  | 'garbage-length' // a decrypted packet_length that cannot be right: wrong keys or a stream out of step
  | 'misaligned-length' // packet_length not a multiple of the block size
  | 'bad-mac' // MAC or AEAD tag mismatch (fatal for an endpoint)
  | 'short-padding' // fewer than 4 bytes of padding
  | 'bad-padding-length' // padding_length does not fit in the packet
  | 'bad-compression' // the payload does not inflate
  | 'no-keys' // NEWKEYS passed but the keys are not known
  | 'truncated' // the stream ended inside a packet
  | 'payload-too-long'; // the writer was given more than a packet can carry

export class TransportError extends SshlensError {
  declare readonly code: TransportErrorCode;
  constructor(
    code: TransportErrorCode,
    message: string,
    readonly direction: Direction,
    readonly sequence: number,
    offset?: number,
  ) {
    super(code, message, offset === undefined ? {} : { offset });
  }
}
