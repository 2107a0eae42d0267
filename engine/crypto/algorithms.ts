/**
 * @module crypto/algorithms
 * Every algorithm sshlens supports, per kind, read from the registries the engine and the decoder share: what
 * `sshlens algorithms` lists (like `ssh -Q`), with the spec of each.
 */
import { KEX_METHODS } from '../kex/methods.ts';
import { CIPHER_ALGORITHMS } from './ciphers.ts';
import { COMPRESSION_ALGORITHMS } from './compression.ts';
import { HOST_KEY_ALGORITHMS } from './hostkey.ts';
import { MAC_ALGORITHMS } from './macs.ts';

export const ALGORITHM_KINDS = ['kex', 'hostkey', 'cipher', 'mac', 'compression'] as const;
export type AlgorithmKind = (typeof ALGORITHM_KINDS)[number];

export interface AlgorithmInfo {
  name: string;
  spec: string;
}

export function supportedAlgorithms(): Record<AlgorithmKind, AlgorithmInfo[]> {
  const info = (list: readonly { name: string; spec: string }[]) => list.map(({ name, spec }) => ({ name, spec }));
  return {
    kex: info(KEX_METHODS),
    hostkey: info(HOST_KEY_ALGORITHMS),
    cipher: info(CIPHER_ALGORITHMS),
    mac: info(MAC_ALGORITHMS),
    compression: info(COMPRESSION_ALGORITHMS),
  };
}
