/**
 * @module fuzz/random
 * Seeded randomness for the fuzz targets. Every case draws from its own generator, derived from (run seed, case
 * index) alone, so any single case can be regenerated from those two numbers without replaying the run.
 */

/** SplitMix32-style finaliser: spreads a 32-bit value over all bits. */
function mix32(x: number): number {
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}

/** xorshift128 over four 32-bit words: fast, small, good enough to pick mutations. */
export class FuzzRandom {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;

  constructor(seed: number) {
    this.s0 = mix32(seed ^ 0x9e3779b9) || 1;
    this.s1 = mix32(this.s0 + 0x6d2b79f5);
    this.s2 = mix32(this.s1 + 0x6d2b79f5);
    this.s3 = mix32(this.s2 + 0x6d2b79f5);
  }

  /** A uniformly random unsigned 32-bit integer. */
  uint32(): number {
    let t = this.s3;
    const s = this.s0;
    this.s3 = this.s2;
    this.s2 = this.s1;
    this.s1 = s;
    t ^= t << 11;
    t ^= t >>> 8;
    this.s0 = (t ^ s ^ (s >>> 19)) >>> 0;
    return this.s0;
  }

  /** An integer in [0, n); 0 when n <= 0. */
  below(n: number): number {
    return n <= 0 ? 0 : Math.floor((this.uint32() / 0x100000000) * n);
  }

  /** An integer in [min, max]. */
  between(min: number, max: number): number {
    return min + this.below(max - min + 1);
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return this.uint32() / 0x100000000 < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.below(items.length)];
  }

  bytes(n: number): Uint8Array {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) out[i] = this.uint32() & 0xff;
    return out;
  }
}

/** The generator of case `index` in a run seeded with `seed`. */
export function caseRandom(seed: number, index: number): FuzzRandom {
  return new FuzzRandom(mix32(mix32(seed >>> 0) ^ Math.imul(index + 1, 0x27d4eb2d)) ^ (Math.floor(index / 0x100000000) >>> 0));
}
