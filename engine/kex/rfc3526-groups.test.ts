/**
 * RFC 3526 (and RFC 2409 §6.2) MODP groups: the primes computed from the RFC's formula are compared with the copies
 * built into OpenSSL (node:crypto getDiffieHellman('modpN'), an independent peer), have the RFC's bit lengths and
 * the 64 one-bits at both ends that the construction guarantees, and are safe primes (p and (p-1)/2 pass
 * Miller-Rabin) with generator 2.
 */
import { getDiffieHellman } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { bitLength, isProbablePrime, modPow, modpGroup, MODP_GROUPS } from './modp-groups.ts';
import { chooseGexGroup } from './dh.ts';

const OPENSSL_NAME: Record<string, string> = {
  group1: 'modp2', group14: 'modp14', group15: 'modp15', group16: 'modp16', group17: 'modp17', group18: 'modp18',
};

describe('RFC 3526 MODP groups', () => {
  for (const spec of MODP_GROUPS) {
    it(`${spec.name} (${spec.bits} bits, ${spec.rfc})`, () => {
      const { p, g, bits } = modpGroup(spec.name);
      expect(p.toString(16)).toBe(getDiffieHellman(OPENSSL_NAME[spec.name]).getPrime('hex').replace(/^0+/, ''));
      expect(bitLength(p)).toBe(bits);
      const ones64 = (1n << 64n) - 1n;
      expect(p & ones64).toBe(ones64);
      expect(p >> BigInt(bits - 64)).toBe(ones64);
      expect(g).toBe(2n);
    });
  }
  it('group1 and group14 are safe primes, generator 2 of the order-q subgroup', () => {
    for (const name of ['group1', 'group14'] as const) {
      const { p } = modpGroup(name);
      const q = (p - 1n) / 2n;
      expect(isProbablePrime(p, [2n, 3n, 5n])).toBe(true);
      expect(isProbablePrime(q, [2n, 3n, 5n])).toBe(true);
      expect(modPow(2n, q, p)).toBe(1n); // p = 7 mod 8, so 2 is a quadratic residue: g generates the subgroup of order q
      expect(isProbablePrime(p + 2n, [2n, 3n])).toBe(false);
    }
  });
});

describe('RFC 4419 §3 group choice', () => {
  it('takes the smallest group of at least n bits within [min, max], else the largest below n', () => {
    expect(chooseGexGroup(2048, 3072, 8192).bits).toBe(3072);
    expect(chooseGexGroup(2048, 2500, 8192).bits).toBe(3072);
    expect(chooseGexGroup(1024, 7000, 7500).bits).toBe(6144);
    expect(() => chooseGexGroup(2049, 2050, 2100)).toThrow(/no known safe-prime group/);
    expect(() => chooseGexGroup(4096, 2048, 8192)).toThrow(/min <= n <= max/);
  });
});
