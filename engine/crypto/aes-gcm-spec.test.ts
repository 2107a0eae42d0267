/**
 * AES-GCM of the portable provider against the test cases of McGrew & Viega, "The Galois/Counter Mode of
 * Operation (GCM)", Appendix B (the vectors NIST's GCM page and SP 800-38D point to): cases 2, 3, 4 (AES-128) and
 * 14, 15, 16 (AES-256), all with 96-bit IVs as SSH uses (RFC 5647 §7.1).
 */
import { describe, expect, it } from 'vitest';
import { nobleAesProvider } from './aes-provider.ts';
import { GCM_SPEC_CASES } from './gcm-spec-vectors.ts';

const hex = (s: string) => Uint8Array.from((s.replace(/\s+/g, '').match(/../g) ?? []).map((b) => parseInt(b, 16)));
const toHex = (b: Uint8Array) => Buffer.from(b).toString('hex');

const cases = GCM_SPEC_CASES;

describe('GCM spec Appendix B with the noble provider', () => {
  for (const tc of cases) {
    it(`${tc.name}: seal gives C and T; open accepts it and rejects a flipped tag bit`, () => {
      const gcm = nobleAesProvider.gcm(hex(tc.key));
      const p = hex(tc.p);
      const out = new Uint8Array(p.length);
      const tag = new Uint8Array(16);
      gcm.seal(hex(tc.iv), hex(tc.a), p, out, tag);
      expect(toHex(out)).toBe(tc.c);
      expect(toHex(tag)).toBe(tc.t);
      const back = new Uint8Array(p.length);
      expect(gcm.open(hex(tc.iv), hex(tc.a), out, tag, back)).toBe(true);
      expect(toHex(back)).toBe(tc.p);
      tag[5] ^= 0x10;
      expect(gcm.open(hex(tc.iv), hex(tc.a), out, tag, back)).toBe(false);
      expect(toHex(back)).toBe(tc.p); // still decrypted, for a decoder to show
      const withheld = new Uint8Array(p.length);
      expect(gcm.open(hex(tc.iv), hex(tc.a), out, tag, withheld, false)).toBe(false);
      expect(withheld.every((b) => b === 0)).toBe(true); // an endpoint gets nothing
    });
  }
});
