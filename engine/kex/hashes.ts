/**
 * @module kex/hashes
 * The hash functions named by SSH kex methods and host key algorithms (RFC 4253 §8, RFC 5656 §6.2.1, RFC 8268,
 * RFC 8731), as a registry: name, output size, function. One place maps a method's HASH to code.
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

export const HASHES: Readonly<Record<HashName, HashAlgorithm>> = {
  sha1: { name: 'sha1', outputLength: 20, hash: (d) => sha1(d) },
  sha224: { name: 'sha224', outputLength: 28, hash: (d) => sha224(d) },
  sha256: { name: 'sha256', outputLength: 32, hash: (d) => sha256(d) },
  sha384: { name: 'sha384', outputLength: 48, hash: (d) => sha384(d) },
  sha512: { name: 'sha512', outputLength: 64, hash: (d) => sha512(d) },
};

export function hashBytes(name: HashName, data: Uint8Array): Uint8Array {
  return HASHES[name].hash(data);
}
