/**
 * @module kex/errors
 * Errors of the key exchange layer (RFC 4253 §7-§8 and the methods built on it): a public value outside its allowed
 * range, a shared secret that must abort the exchange, a key-log secret that belongs to neither side, an identification
 * line given with its CR LF. Each message says which value and which method, in words a user can act on.
 */
import { SshlensError } from '../errors.ts';

export type KexErrorCode =
  | 'unknown-method' // a kex method name that is not in the registry
  | 'bad-public-value' // e/f outside (1, p-1), a point not on the curve, a KEM value of the wrong length
  | 'zero-shared-secret' // X25519 gave all zeros (RFC 8731 §3): the exchange must abort
  | 'wrong-value-kind' // a bigint where bytes were expected or the other way round
  | 'no-group' // group exchange: no known safe prime fits (min, n, max)
  | 'key-log-mismatch' // a PRIVATE_KEY that is the private value behind neither public value
  | 'bad-key-log-secret' // a key-log secret that is not hex, or has the wrong length for the method
  | 'bad-identification' // V_C / V_S given with their CR LF
  | 'unsupported-method'; // a method sshlens decodes but its engine does not run (RSA key exchange, RFC 4432)

export class KexError extends SshlensError {
  declare readonly code: KexErrorCode;
  constructor(code: KexErrorCode, message: string, path?: string) {
    super(code, message, path === undefined ? {} : { path });
  }
}
