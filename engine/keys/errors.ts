/**
 * @module keys/errors
 * Errors of key material input: a key file that is not valid JSON or not the schema (with the JSON path of the
 * problem), or a key log line a writer was asked to produce from impossible values. Bad key log *lines* are not
 * errors: they are reported as KeyLogProblems and the good lines are kept.
 */
import { SshlensError } from '../errors.ts';

export type KeysErrorCode = 'bad-key-file' | 'bad-key-log-entry';

export class KeysError extends SshlensError {
  declare readonly code: KeysErrorCode;
  constructor(code: KeysErrorCode, message: string, path?: string) {
    super(code, message, path === undefined ? {} : { path });
  }
}
