/**
 * @module capture/tcp
 * The TCP header (RFC 9293 §3.1): ports, sequence number, flags, and the data offset that skips the options.
 */
import { layout, readField } from './layout.ts';

/** RFC 9293 §3.1 */
export const TCP_HEADER = layout([
  ['sourcePort', 2],
  ['destinationPort', 2],
  ['sequenceNumber', 4],
  ['acknowledgmentNumber', 4],
  ['dataOffsetAndFlags', 2], // data offset (4 bits), reserved (4), CWR ECE URG ACK PSH RST SYN FIN
  ['window', 2],
  ['checksum', 2],
  ['urgentPointer', 2],
]);

export const TCP_FLAG = { fin: 0x01, syn: 0x02, rst: 0x04, psh: 0x08, ack: 0x10 } as const;

export interface TcpSegment {
  sourcePort: number;
  destinationPort: number;
  seq: number;
  ack: number;
  syn: boolean;
  fin: boolean;
  rst: boolean;
  ackFlag: boolean;
  /** The captured payload (a view into the frame). */
  payload: Uint8Array;
  /** Where the payload starts in the frame. */
  payloadOffset: number;
  /** Payload bytes the IP header declares but the capture does not hold (snap length). */
  missingPayload: number;
}

/**
 * Parses the TCP header at `offset`; `segmentLength` is the IP payload length and `captured` how much of it is in
 * the frame. Returns a reason string when the header is unusable.
 */
export function parseTcp(frame: Uint8Array, offset: number, segmentLength: number, captured: number): TcpSegment | string {
  if (captured < TCP_HEADER.size) return `TCP header cut short (${captured} of 20 bytes)`;
  const f = TCP_HEADER.field;
  const dataOffsetAndFlags = readField(frame, offset, f.dataOffsetAndFlags);
  const headerLength = (dataOffsetAndFlags >> 12) * 4;
  if (headerLength < 20) return `TCP data offset ${headerLength} is below 20`;
  if (headerLength > segmentLength) return `TCP header length ${headerLength} exceeds the segment length ${segmentLength}`;
  if (headerLength > captured) return `TCP options cut short by the snap length`;
  const flags = dataOffsetAndFlags & 0xff;
  const payloadOffset = offset + headerLength;
  return {
    sourcePort: readField(frame, offset, f.sourcePort),
    destinationPort: readField(frame, offset, f.destinationPort),
    seq: readField(frame, offset, f.sequenceNumber),
    ack: readField(frame, offset, f.acknowledgmentNumber),
    syn: (flags & TCP_FLAG.syn) !== 0,
    fin: (flags & TCP_FLAG.fin) !== 0,
    rst: (flags & TCP_FLAG.rst) !== 0,
    ackFlag: (flags & TCP_FLAG.ack) !== 0,
    payload: frame.subarray(payloadOffset, offset + captured),
    payloadOffset,
    missingPayload: segmentLength - captured,
  };
}
