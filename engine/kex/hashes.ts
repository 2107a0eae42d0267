/**
 * @module kex/hashes
 * The hash functions named by SSH kex methods and host key algorithms (RFC 4253 §8, RFC 5656 §6.2.1, RFC 8268,
 * RFC 8731), as a registry: name, output size, function. One place maps a method's HASH to code.
 *
 * noble's hashes are the portable path; a platform may install its own (node:crypto in the CLI, see
 * {@link setHashProvider}) with identical results: a capture of many short sessions hashes every exchange hash,
 * derived key and host key fingerprint, and there the platform's native hash is several times faster.
 */
import { sha1 } from '@noble/hashes/legacy.js';
import { sha224, sha256, sha384, sha512 } from '@noble/hashes/sha2.js';

/** sha224 only for SSH Communications Security's @ssh.com DH methods (AsyncSSH offers them). */
export type HashName = 'sha1' | 'sha224' | 'sha256' | 'sha384' | 'sha512';

export interface HashAlgorithm {
  name: HashName;
  /** Output size in bytes. */
  outputLength: number;
  hash(data: Uint8Array): Uint8Array;
}

const NOBLE = { sha1, sha224, sha256, sha384, sha512 } as const;

/** A platform hash: the digest of the concatenated parts, as a plain Uint8Array. */
export type HashProvider = (name: HashName, parts: readonly Uint8Array[]) => Uint8Array;

let provider: HashProvider | undefined;

/** Installs (or, with undefined, removes) the platform hash used by {@link hashBytes} and {@link hashParts}. */
export function setHashProvider(hashProvider: HashProvider | undefined): void {
  provider = hashProvider;
}

/** The digest of the concatenated parts, without concatenating them: noble's incremental hash, or the platform's. */
export function hashParts(name: HashName, parts: readonly Uint8Array[]): Uint8Array {
  if (provider) return provider(name, parts);
  const state = NOBLE[name].create();
  for (const part of parts) state.update(part);
  return state.digest();
}

export function hashBytes(name: HashName, data: Uint8Array): Uint8Array {
  return hashParts(name, [data]);
}

const entry = (name: HashName, outputLength: number): HashAlgorithm => ({ name, outputLength, hash: (d) => hashBytes(name, d) });

export const HASHES: Readonly<Record<HashName, HashAlgorithm>> = {
  sha1: entry('sha1', 20),
  sha224: entry('sha224', 28),
  sha256: entry('sha256', 32),
  sha384: entry('sha384', 48),
  sha512: entry('sha512', 64),
};
