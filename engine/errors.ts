/**
 * @module errors
 * The base of every error sshlens reports. Each layer (wire, capture, keys, crypto, transport...) subclasses it in
 * its own folder with its own codes. An error says *what* went wrong and *where* (a field path, a byte offset, a
 * frame, a line), in words a user can act on; the CLI and the UI print `message` and never a stack trace.
 * Anything thrown that is not an SshlensError is a bug in sshlens, and fuzzing treats it as such.
 */
export interface ErrorLocation {
  /** Dotted path of the field being decoded, e.g. `hostKey.e` or `payload.fields[2]`. */
  path?: string;
  /** Absolute byte offset in the buffer being decoded. */
  offset?: number;
}

export class SshlensError extends Error {
  constructor(
    /** A short stable identifier, e.g. `truncated`, `bad-mac`, `not-a-capture`. */
    readonly code: string,
    message: string,
    readonly where: ErrorLocation = {},
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** True for the project's own typed errors: what fuzzing accepts as a clean failure. */
export function isSshlensError(error: unknown): error is SshlensError {
  return error instanceof SshlensError;
}
