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

/**
 * Where packet padding comes from (RFC 4253 §6: random bytes). From a seeded source, byte for byte in order, so a
 * seed still gives identical sessions. From the platform CSPRNG, 4 KiB at a time, handed out in pieces: one
 * getRandomValues call per packet costs more than encrypting a small packet.
 */
export function paddingSource(random: RandomBytes): (target: Uint8Array) => void {
  if (random !== systemRandom) return (target) => target.set(random(target.length));
  let pool: Uint8Array = new Uint8Array(0);
  let at = 0;
  return (target) => {
    if (target.length > 4096) return target.set(random(target.length));
    if (pool.length - at < target.length) {
      pool = random(4096);
      at = 0;
    }
    target.set(pool.subarray(at, at + target.length));
    // Each byte is used once: the piece handed out is wiped from the pool.
    pool.fill(0, at, at + target.length);
    at += target.length;
  };
}
