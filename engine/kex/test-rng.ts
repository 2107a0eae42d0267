/**
 * @module kex/test-rng
 * A deterministic RandomBytes for tests, stories and simulations: SHA-256(seed | counter) blocks. Not for keys that
 * protect anything.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import type { RandomBytes } from './dh.ts';

export function seededRandomBytes(seed: string): RandomBytes {
  const seedBytes = new TextEncoder().encode(seed);
  let counter = 0;
  return (n: number) => {
    const out = new Uint8Array(n);
    for (let at = 0; at < n; at += 32) {
      const block = new Uint8Array(seedBytes.length + 4);
      block.set(seedBytes);
      new DataView(block.buffer).setUint32(seedBytes.length, counter++);
      out.set(sha256(block).subarray(0, Math.min(32, n - at)), at);
    }
    return out;
  };
}
