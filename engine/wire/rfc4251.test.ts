/**
 * RFC 4251 §5 data types. The mpint and name-list vectors are the examples printed in RFC 4251 §5 itself.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { WireReader, WireWriter, WireError, fromHex, toHex, mpintBytes, unsignedMpintBytes } from './index.ts';

const hex = (s: string) => fromHex(s.replace(/ /g, ''))!;

describe('RFC 4251 §5 examples', () => {
  const mpints: [bigint, string][] = [
    [0n, '00000000'],
    [0x9a378f9b2e332a7n, '00000008 09a378f9b2e332a7'],
    [0x80n, '00000002 0080'],
    [-0x1234n, '00000002 edcc'],
    [-0xdeadbeefn, '00000005 ff21524111'],
  ];
  for (const [value, wire] of mpints) {
    it(`mpint ${value.toString(16)} <-> ${wire}`, () => {
      expect(toHex(new WireWriter().mpint(value).finish())).toBe(wire.replace(/ /g, ''));
      expect(new WireReader(hex(wire)).mpint('x')).toBe(value);
    });
  }
  const lists: [string[], string][] = [
    [[], '00000000'],
    [['zlib'], '00000004 7a6c6962'],
    [['zlib', 'none'], '00000009 7a6c69622c6e6f6e65'],
  ];
  for (const [names, wire] of lists) {
    it(`name-list ${JSON.stringify(names)} <-> ${wire}`, () => {
      expect(toHex(new WireWriter().nameList(names).finish())).toBe(wire.replace(/ /g, ''));
      expect(new WireReader(hex(wire)).nameList('x')).toEqual(names);
    });
  }
  it('uint32 and uint64 are big-endian', () => {
    expect(toHex(new WireWriter().uint32(0x29b7f4aa).finish())).toBe('29b7f4aa');
    expect(toHex(new WireWriter().uint64(0x0102030405060708n).finish())).toBe('0102030405060708');
  });
});

describe('spans', () => {
  it('records path, absolute span and value for every field, nested blobs included', () => {
    const blob = new WireWriter().text('ssh-ed25519').string(new Uint8Array(32).fill(7)).finish();
    const bytes = new WireWriter().byte(51).boolean(true).string(blob).uint32(9).finish();
    const r = new WireReader(bytes, { base: 100 });
    r.byte('number');
    r.boolean('flag');
    const inner = r.stringReader('key');
    inner.text('type');
    inner.string('pk');
    inner.end();
    r.uint32('n');
    r.end();
    expect(r.spans.map((s) => [s.path, s.start, s.end])).toEqual([
      ['number', 100, 101],
      ['flag', 101, 102],
      ['key', 102, 102 + 4 + blob.length],
      ['key.type', 106, 106 + 15],
      ['key.pk', 121, 121 + 36],
      ['n', 157, 161],
    ]);
  });
});

describe('name-lists as real peers send them', () => {
  it('keeps empty names (libssh 0.10.6 ends its cipher lists with a comma), so the bytes re-encode exactly', () => {
    expect(new WireReader(hex('00000005 612c2c6263')).nameList('kex')).toEqual(['a', '', 'bc']);
    expect(new WireReader(hex('00000002 612c')).nameList('kex')).toEqual(['a', '']);
    expect(new WireReader(hex('00000000')).nameList('kex')).toEqual([]);
  });
});

describe('errors name the field and the byte offset', () => {
  const cases: [string, string, (r: WireReader) => unknown, string, number][] = [
    ['truncated uint32', '000001', (r) => r.uint32('len'), 'truncated', 0],
    ['string longer than the buffer', '00000010 6162', (r) => r.string('name'), 'length-beyond-buffer', 0],
    ['a boolean of 2', '02', (r) => r.boolean('flag'), 'invalid-boolean', 0],
    ['a space in a name', '00000003 612062', (r) => r.nameList('kex'), 'bad-name-list', 5],
    ['a needless 0x00 in an mpint', '00000002 0001', (r) => r.mpint('e'), 'non-minimal-mpint', 4],
    ['a needless 0xff in an mpint', '00000002 ff80', (r) => r.mpint('e'), 'non-minimal-mpint', 4],
    ['zero as 0x00 instead of the empty string', '00000001 00', (r) => r.mpint('e'), 'non-minimal-mpint', 4],
  ];
  for (const [what, wire, read, code, offset] of cases) {
    it(what, () => {
      const r = new WireReader(hex(wire), { prefix: 'msg' });
      try {
        read(r);
        expect.unreachable('should have thrown');
      } catch (e) {
        expect(e).toBeInstanceOf(WireError);
        expect((e as WireError).code).toBe(code);
        expect((e as WireError).where.offset).toBe(offset);
        expect((e as WireError).where.path).toMatch(/^msg\./);
        expect((e as WireError).message).toMatch(/at byte \d+/);
      }
    });
  }
  it('trailing bytes after the last field', () => {
    const r = new WireReader(hex('0102'), { base: 10 });
    r.byte('a');
    expect(() => r.end()).toThrow(/1 unexpected byte\(s\) after the last field .* at byte 11/);
  });
  it('a huge length is refused without allocating', () => {
    const r = new WireReader(hex('ffffffff 00'));
    expect(() => r.string('s')).toThrow(WireError);
  });
  it('the writer refuses values out of range', () => {
    expect(() => new WireWriter().uint32(2 ** 32)).toThrow(WireError);
    expect(() => new WireWriter().byte(-1)).toThrow(WireError);
    expect(() => new WireWriter().uint64(-1n)).toThrow(WireError);
  });
});

describe('text', () => {
  it('keeps invalid UTF-8 as raw bytes and re-encodes them exactly', () => {
    const bytes = hex('00000003 ff6162');
    const value = new WireReader(bytes).text('user');
    expect(value).toBeInstanceOf(Uint8Array);
    expect(toHex(new WireWriter().text(value).finish())).toBe(toHex(bytes));
  });
});

describe('properties (fast-check)', () => {
  it('mpint: decode(encode(x)) = x and the encoding is minimal', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(1n << 1100n), max: 1n << 1100n }), (x) => {
        const bytes = new WireWriter().mpint(x).finish();
        expect(new WireReader(bytes).mpint('x')).toBe(x);
      }),
    );
  });
  it('unsigned mpint bytes agree with mpint of the same number', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 0, maxLength: 64 }), (u) => {
        const n = u.length ? BigInt('0x' + toHex(u)) : 0n;
        expect(toHex(unsignedMpintBytes(u))).toBe(toHex(mpintBytes(n)));
      }),
    );
  });
  it('a record of every type round-trips, and every byte is covered by exactly one span', () => {
    const nameArb = fc.stringMatching(/^[!-+\--~]{1,12}$/);
    fc.assert(
      fc.property(
        fc.record({
          b: fc.integer({ min: 0, max: 255 }),
          flag: fc.boolean(),
          u32: fc.nat({ max: 0xffffffff }),
          u64: fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }),
          s: fc.uint8Array({ maxLength: 40 }),
          t: fc.string({ unit: 'grapheme', maxLength: 20 }),
          m: fc.bigInt({ min: -(1n << 300n), max: 1n << 300n }),
          names: fc.array(nameArb, { maxLength: 5 }),
          fixed: fc.uint8Array({ minLength: 16, maxLength: 16 }),
          rest: fc.uint8Array({ maxLength: 10 }),
        }),
        (v) => {
          const bytes = new WireWriter()
            .byte(v.b).boolean(v.flag).uint32(v.u32).uint64(v.u64).string(v.s).text(v.t)
            .mpint(v.m).nameList(v.names).raw(v.fixed).raw(v.rest).finish();
          const r = new WireReader(bytes);
          const back = {
            b: r.byte('b'), flag: r.boolean('flag'), u32: r.uint32('u32'), u64: r.uint64('u64'),
            s: r.string('s'), t: r.text('t'), m: r.mpint('m'), names: r.nameList('names'),
            fixed: r.fixedBytes('fixed', 16), rest: r.rest('rest'),
          };
          r.end();
          expect(back).toEqual(v);
          let at = 0;
          for (const span of r.spans) {
            expect(span.start).toBe(at);
            at = span.end;
          }
          expect(at).toBe(bytes.length);
        },
      ),
    );
  });
});

describe('text keeps a leading byte-order mark', () => {
  it('EF BB BF survives decode and re-encode', () => {
    const bytes = fromHex('00000004efbbbf41')!;
    const value = new WireReader(bytes).text('t');
    expect(value).toBe('\ufeffA');
    expect(toHex(new WireWriter().text(value).finish())).toBe(toHex(bytes));
  });
});
