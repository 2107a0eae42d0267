/**
 * @module endpoint/rng
 * Randomness for the endpoints, injected so a seed gives byte-identical sessions: a ChaCha20 keystream (RFC 8439
 * §2.4 block function, via @noble/ciphers) keyed by SHA-256 of the seed, read out sequentially. For real sessions,
 * `systemRandom` uses the platform CSPRNG (`crypto.getRandomValues`, in node, browsers and workers alike).
 */
import { chacha20 } from '@noble/ciphers/chacha.js';
import { sha256 } from '@noble/hashes/sha2.js';
import type { RandomBytes } from '../kex/dh.ts';

export type { RandomBytes };

const BLOCK = 64;
const CHUNK = 64 * BLOCK;

/** A deterministic RandomBytes: the same seed always yields the same byte sequence. Not for protecting anything. */
export function seededRandom(seed: string | number): RandomBytes {
  const key = sha256(new TextEncoder().encode(`sshlens-simulation:${seed}`));
  const nonce = new Uint8Array(12);
  let counter = 0;
  let pool = new Uint8Array(0);
  let at = 0;
  return (n: number) => {
    const out = new Uint8Array(n);
    let filled = 0;
    while (filled < n) {
      if (at === pool.length) {
        pool = chacha20(key, nonce, new Uint8Array(CHUNK), undefined, counter);
        counter += CHUNK / BLOCK;
        at = 0;
      }
      const take = Math.min(n - filled, pool.length - at);
      out.set(pool.subarray(at, at + take), filled);
      filled += take;
      at += take;
    }
    return out;
  };
}

/** The platform CSPRNG, 64 KiB per call at most (the Web Crypto limit), looped. */
export const systemRandom: RandomBytes = (n: number) => {
  const out = new Uint8Array(n);
  for (let at = 0; at < n; at += 65536) crypto.getRandomValues(out.subarray(at, Math.min(n, at + 65536)));
  return out;
};
