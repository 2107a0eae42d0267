import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { fromBase64, toBase64, traceFromJson, traceToJson, TraceJsonError } from './json.ts';
import type { Trace } from './model.ts';

describe('base64 (RFC 4648 §10 test vectors)', () => {
  const vectors: [string, string][] = [
    ['', ''], ['f', 'Zg=='], ['fo', 'Zm8='], ['foo', 'Zm9v'], ['foob', 'Zm9vYg=='], ['fooba', 'Zm9vYmE='], ['foobar', 'Zm9vYmFy'],
  ];
  for (const [plain, encoded] of vectors) {
    it(`"${plain}" <-> "${encoded}"`, () => {
      expect(toBase64(new TextEncoder().encode(plain))).toBe(encoded);
      expect(new TextDecoder().decode(fromBase64(encoded)!)).toBe(plain);
    });
  }
  it('agrees with node Buffer on random bytes', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
      expect(toBase64(bytes)).toBe(Buffer.from(bytes).toString('base64'));
      expect(fromBase64(toBase64(bytes))).toEqual(bytes);
    }));
  });
  it('rejects text that is not base64', () => {
    expect(fromBase64('ab$d')).toBeNull();
    expect(fromBase64('abcde')).toBeNull();
  });
});

describe('trace JSON', () => {
  const trace: Trace = {
    format: 'sshlens-trace', version: 1, source: { kind: 'capture', name: 'x.pcap' }, problems: [],
    sessions: [{
      id: 0, client: { address: '127.0.0.1', port: 5000 }, server: { address: '127.0.0.1', port: 22 },
      identification: {}, kex: [], channels: [], problems: [], segments: { client: [], server: [] },
      packets: [{
        index: 0, direction: 'client', sequence: 0, epoch: 0, stream: { start: 0, end: 8 }, frames: [4],
        cipher: 'none', mac: null, compression: 'none', layout: null, macStatus: 'none',
        wire: new Uint8Array([0, 0, 0, 4, 1, 2, 3, 255]),
        message: { number: 20, name: 'SSH_MSG_KEXINIT', summary: '', value: { big: 2n ** 70n }, fields: [] },
      }],
    }],
  };
  it('round-trips bytes and bigints exactly', () => {
    const back = traceFromJson(traceToJson(trace));
    expect(back).toEqual(trace);
    expect(back.sessions[0].packets[0].wire).toBeInstanceOf(Uint8Array);
  });
  it('says where a damaged trace is wrong', () => {
    const damaged = JSON.parse(traceToJson(trace));
    damaged.sessions[0].packets[0].direction = 'sideways';
    expect(() => traceFromJson(JSON.stringify(damaged))).toThrow(/\$\.sessions\[0\]\.packets\[0\]\.direction is not/);
    expect(() => traceFromJson('{"format":"other"}')).toThrow(TraceJsonError);
    expect(() => traceFromJson(traceToJson(trace).slice(0, 50))).toThrow(/not valid JSON/);
  });
});
