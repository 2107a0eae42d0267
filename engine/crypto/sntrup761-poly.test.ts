/**
 * The ring arithmetic and encodings under sntrup761 (NTRU Prime round-3 submission), checked against their
 * defining properties: x^p = x + 1 in R, inverses multiply to 1, Decode inverts Encode, sizes match the submission.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  P,
  Q12,
  multiplyR3,
  multiplyRqSmall,
  reciprocal3fRq,
  reciprocalR3,
  roundRq,
  times3Rq,
  weight,
} from './sntrup761-poly.ts';
import {
  ROUNDED_BYTES,
  RQ_BYTES,
  SMALL_BYTES,
  decodeRounded,
  decodeRq,
  decodeSmall,
  encodeRounded,
  encodeRq,
  encodeSmall,
} from './sntrup761-encode.ts';

const rqPoly = fc.array(fc.integer({ min: -Q12, max: Q12 }), { minLength: P, maxLength: P }).map((a) => Int16Array.from(a));
const smallPoly = fc.array(fc.integer({ min: -1, max: 1 }), { minLength: P, maxLength: P }).map((a) => Int8Array.from(a));
const one = (() => {
  const poly = new Int8Array(P);
  poly[0] = 1;
  return poly;
})();

describe('sntrup761 ring arithmetic', () => {
  it('multiplies by x with x^p = x + 1', () => {
    fc.assert(
      fc.property(rqPoly, (a) => {
        const x = new Int8Array(P);
        x[1] = 1;
        const expected = new Int16Array(P);
        for (let i = 1; i < P; i++) expected[i] = a[i - 1];
        expected[0] = a[P - 1];
        // a[P-1]·x^p = a[P-1]·(x + 1): coefficient 1 gains a[P-1], reduced back into [-Q12, Q12].
        let c1 = expected[1] + a[P - 1];
        if (c1 > Q12) c1 -= 2 * Q12 + 1;
        if (c1 < -Q12) c1 += 2 * Q12 + 1;
        expected[1] = c1;
        expect(Array.from(multiplyRqSmall(a, x))).toEqual(Array.from(expected));
      }),
      { numRuns: 20 },
    );
  });

  it('inverts g in R_3 whenever it is invertible, and g·(1/g) = 1', () => {
    let inverted = 0;
    fc.assert(
      fc.property(smallPoly, (g) => {
        const inverse = reciprocalR3(g);
        if (inverse === null) return;
        inverted++;
        expect(Array.from(multiplyR3(g, inverse))).toEqual(Array.from(one));
      }),
      { numRuns: 6 },
    );
    expect(inverted).toBeGreaterThan(0);
  });

  it('reports the zero polynomial as not invertible in R_3', () => {
    expect(reciprocalR3(new Int8Array(P))).toBeNull();
  });

  it('computes 1/(3f) in R_q: (1/(3f))·f·3 = 1', () => {
    fc.assert(
      fc.property(smallPoly.filter((f) => weight(f) > 0), (f) => {
        const product = times3Rq(multiplyRqSmall(reciprocal3fRq(f), f));
        expect(Array.from(product)).toEqual(Array.from(one));
      }),
      { numRuns: 4 },
    );
  });

  it('rounds each coefficient to the nearest multiple of 3 inside [-Q12, Q12]', () => {
    const rounded = roundRq(Int16Array.from([-Q12, -Q12 + 1, -1, 0, 1, 2, Q12 - 1, Q12]));
    expect(Array.from(rounded)).toEqual([-Q12, -Q12, 0, 0, 0, 3, Q12, Q12]);
  });
});

describe('sntrup761 encodings', () => {
  it('has the byte sizes of the submission: Rq 1158, Rounded 1007, Small 191', () => {
    expect([RQ_BYTES, ROUNDED_BYTES, SMALL_BYTES]).toEqual([1158, 1007, 191]);
  });

  it('decodes what it encodes (R_q)', () => {
    fc.assert(
      fc.property(rqPoly, (a) => {
        const bytes = encodeRq(a);
        expect(bytes).toHaveLength(RQ_BYTES);
        expect(Array.from(decodeRq(bytes))).toEqual(Array.from(a));
      }),
      { numRuns: 30 },
    );
  });

  it('decodes what it encodes (Rounded)', () => {
    fc.assert(
      fc.property(rqPoly, (a) => {
        const rounded = roundRq(a);
        const bytes = encodeRounded(rounded);
        expect(bytes).toHaveLength(ROUNDED_BYTES);
        expect(Array.from(decodeRounded(bytes))).toEqual(Array.from(rounded));
      }),
      { numRuns: 30 },
    );
  });

  it('decodes what it encodes (Small), four coefficients a byte, lowest bits first', () => {
    fc.assert(
      fc.property(smallPoly, (a) => {
        expect(Array.from(decodeSmall(encodeSmall(a)))).toEqual(Array.from(a));
      }),
      { numRuns: 30 },
    );
    const first = new Int8Array(P);
    first.set([1, 0, -1, 1]);
    expect(encodeSmall(first)[0]).toBe(2 | (1 << 2) | (0 << 4) | (2 << 6));
    expect(encodeSmall(first)[SMALL_BYTES - 1]).toBe(1); // the lone 761st coefficient, 0, as 0 + 1
  });

  it('decodes any byte string into coefficients in range, as the reference does', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: RQ_BYTES, maxLength: RQ_BYTES }), (bytes) => {
        const rq = Array.from(decodeRq(bytes));
        const rounded = Array.from(decodeRounded(bytes));
        expect(Math.max(...rq.map(Math.abs))).toBeLessThanOrEqual(Q12);
        expect(Math.max(...rounded.map(Math.abs))).toBeLessThanOrEqual(Q12);
        expect(rounded.every((c) => Math.abs(c) % 3 === 0)).toBe(true);
      }),
      { numRuns: 30 },
    );
  });
});
