/**
 * @module transport/identification
 * The protocol version exchange, RFC 4253 §4.2: `SSH-protoversion-softwareversion SP comments CR LF`, at most 255
 * bytes with the CR LF. A server may send other lines first; a client must not. Some peers end lines with LF alone:
 * accepted (as OpenSSH does), and the line is V_C / V_S without its line ending either way.
 */
import { SshlensError } from '../errors.ts';

/** RFC 4253 §4.2: the identification line including CR LF is at most 255 bytes. */
export const MAX_IDENTIFICATION_LENGTH = 255;
/** How many bytes of preamble lines we accept before giving up on finding an identification line. */
export const MAX_PREAMBLE_BYTES = 64 * 1024;

export class IdentificationError extends SshlensError {}

export interface Identification {
  /** The line without its line ending: V_C or V_S in the exchange hash. */
  line: string;
  protoVersion: string;
  softwareVersion: string;
  comments?: string;
  /** Lines before the identification line (only a server may send them). */
  preamble: string[];
  /** Offset of the identification line's first byte in the stream. */
  lineStart: number;
  /** Offset one past the line ending: where the binary packets begin. */
  end: number;
}

const latin1 = new TextDecoder('latin1');

/**
 * Looks for the identification line at the start of a stream. Returns null while more bytes are needed; throws an
 * IdentificationError when the stream cannot be SSH (an over-long line, or too much preamble).
 */
export function parseIdentification(stream: Uint8Array, streamName = 'stream'): Identification | null {
  const preamble: string[] = [];
  let lineStart = 0;
  while (lineStart < stream.length) {
    const newline = stream.indexOf(0x0a, lineStart);
    const isSsh = startsWithSsh(stream, lineStart);
    if (newline < 0) {
      const pending = stream.length - lineStart;
      if (isSsh && pending > MAX_IDENTIFICATION_LENGTH) {
        throw new IdentificationError(
          'identification-too-long',
          `the identification line in the ${streamName} exceeds ${MAX_IDENTIFICATION_LENGTH} bytes without a line end (RFC 4253 §4.2)`,
          { offset: lineStart },
        );
      }
      if (lineStart + pending > MAX_PREAMBLE_BYTES) throw noIdentification(streamName, lineStart);
      return null;
    }
    const contentEnd = newline > lineStart && stream[newline - 1] === 0x0d ? newline - 1 : newline;
    const text = latin1.decode(stream.subarray(lineStart, contentEnd));
    if (isSsh) {
      if (newline + 1 - lineStart > MAX_IDENTIFICATION_LENGTH) {
        throw new IdentificationError(
          'identification-too-long',
          `the identification line in the ${streamName} is ${newline + 1 - lineStart} bytes, over the ${MAX_IDENTIFICATION_LENGTH} of RFC 4253 §4.2`,
          { offset: lineStart },
        );
      }
      // Filled in rather than spread: spreading and adding properties is slow in V8 (node 20), once per stream.
      const found = splitIdentification(text) as Identification;
      found.preamble = preamble;
      found.lineStart = lineStart;
      found.end = newline + 1;
      return found;
    }
    preamble.push(text);
    lineStart = newline + 1;
    if (lineStart > MAX_PREAMBLE_BYTES) throw noIdentification(streamName, lineStart);
  }
  return null;
}

/** Splits `SSH-2.0-OpenSSH_9.2p1 Debian-2` into its parts (RFC 4253 §4.2). */
export function splitIdentification(line: string): Pick<Identification, 'line' | 'protoVersion' | 'softwareVersion' | 'comments'> {
  const space = line.indexOf(' ');
  const head = space < 0 ? line : line.slice(0, space);
  const comments = space < 0 ? undefined : line.slice(space + 1);
  const dash = head.indexOf('-', 4);
  const protoVersion = dash < 0 ? head.slice(4) : head.slice(4, dash);
  const softwareVersion = dash < 0 ? '' : head.slice(dash + 1);
  return comments === undefined ? { line, protoVersion, softwareVersion } : { line, protoVersion, softwareVersion, comments };
}

/** True when the bytes at `at` begin `SSH-` (or could, given fewer bytes so far). */
export function startsWithSsh(stream: Uint8Array, at = 0): boolean {
  const magic = [0x53, 0x53, 0x48, 0x2d];
  for (let i = 0; i < 4; i++) {
    if (at + i >= stream.length) return true;
    if (stream[at + i] !== magic[i]) return false;
  }
  return true;
}

function noIdentification(streamName: string, offset: number): IdentificationError {
  return new IdentificationError(
    'no-identification',
    `no SSH identification line in the first ${offset} bytes of the ${streamName}`,
    { offset },
  );
}
