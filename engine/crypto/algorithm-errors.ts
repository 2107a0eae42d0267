/**
 * @module crypto/algorithm-errors
 * The typed error the algorithm registries (ciphers, MACs, compression) raise for names or key material they
 * cannot use, so a caller learns which slot and which name without a stack trace.
 */
import { SshlensError } from '../errors.ts';

export class AlgorithmError extends SshlensError {}

/** A name not in the registry: says which kind of algorithm and lists the ones that are supported. */
export function unknownAlgorithm(kind: string, name: string, known: readonly string[]): AlgorithmError {
  return new AlgorithmError('unknown-algorithm',
    `unsupported ${kind} algorithm "${name}"; sshlens supports ${known.join(', ')}`);
}

/** Key material of the wrong size for the named algorithm. */
export function badKeyLength(kind: string, name: string, what: string, expected: number, got: number): AlgorithmError {
  return new AlgorithmError('bad-key-length',
    `${kind} ${name} needs a ${expected}-byte ${what}, got ${got} bytes`);
}
