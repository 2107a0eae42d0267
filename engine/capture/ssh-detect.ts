/**
 * @module capture/ssh-detect
 * Finds the SSH identification line at the start of one direction of a TCP stream (RFC 4253 §4.2): a line that
 * starts with `SSH-`, at stream offset 0 - except that a server may send other lines first. Lines end in LF (CR LF
 * on the wire; OpenSSH also accepts a bare LF). The search is bounded, so that a non-SSH stream is recognised soon:
 * it stops at the first line of a known client that is not an identification line, at a line holding a NUL byte,
 * after MAX_PRE_LINES other lines or MAX_SCAN_BYTES bytes, and at a gap.
 */

export const IDENTIFICATION_PREFIX = [0x53, 0x53, 0x48, 0x2d] as const; // "SSH-"
export const MAX_PRE_LINES = 64;
export const MAX_SCAN_BYTES = 8192;
/** RFC 4253 §4.2: the identification line is at most 255 bytes including CR LF; longer is kept but marked. */
export const MAX_IDENTIFICATION_LENGTH = 255;

export type DetectionState =
  | { status: 'pending' }
  | { status: 'found'; streamOffset: number; line: string; length: number; linesBefore: number }
  | { status: 'not-found'; reason: string };

const utf8 = new TextDecoder('utf-8');
const LF = 0x0a;
const CR = 0x0d;

export class IdentificationDetector {
  state: DetectionState = { status: 'pending' };
  private lineStart = 0;
  private line: number[] = [];
  private linesBefore = 0;
  private scanned = 0;
  private prefixMatches = true;

  /** `mustStartWithIdentification`: this direction is known to be the client, which must not send other lines. */
  constructor(private readonly mustStartWithIdentification = false) {}

  /** In-order stream bytes starting at `offset` (which continues the previous call). */
  feed(offset: number, bytes: Uint8Array): void {
    for (let i = 0; i < bytes.length && this.state.status === 'pending'; i++) {
      const byte = bytes[i];
      this.scanned++;
      const position = this.line.length;
      if (position < IDENTIFICATION_PREFIX.length && byte !== IDENTIFICATION_PREFIX[position]) this.prefixMatches = false;
      if (position < MAX_SCAN_BYTES) this.line.push(byte);
      const startsLikeSsh = this.prefixMatches;
      if (!startsLikeSsh && this.mustStartWithIdentification) {
        this.state = { status: 'not-found', reason: 'the client stream does not start with "SSH-"' };
      } else if (byte === 0 && !startsLikeSsh) {
        this.state = { status: 'not-found', reason: 'binary data (a NUL byte) before any "SSH-" line' };
      } else if (byte === LF) {
        if (startsLikeSsh && this.line.length > IDENTIFICATION_PREFIX.length) {
          let end = this.line.length - 1;
          if (end > 0 && this.line[end - 1] === CR) end--;
          this.state = {
            status: 'found',
            streamOffset: this.lineStart,
            line: utf8.decode(Uint8Array.from(this.line.slice(0, end))),
            length: offset + i + 1 - this.lineStart,
            linesBefore: this.linesBefore,
          };
          return;
        }
        this.linesBefore++;
        this.lineStart = offset + i + 1;
        this.line = [];
        this.prefixMatches = true;
        if (this.linesBefore >= MAX_PRE_LINES) this.state = { status: 'not-found', reason: `${MAX_PRE_LINES} lines without an "SSH-" line` };
      }
      if (this.state.status === 'pending' && this.scanned >= MAX_SCAN_BYTES) {
        this.state = { status: 'not-found', reason: `no "SSH-" line in the first ${MAX_SCAN_BYTES} bytes` };
      }
    }
  }

  /** A gap in the stream, or its end: an undecided search is over. */
  stop(reason: string): void {
    if (this.state.status === 'pending') this.state = { status: 'not-found', reason };
  }
}
