/**
 * Poly1305 (RFC 8439 §2.5): the WebAssembly module (poly1305.wat) and noble's portable one against
 *  - RFC 8439 §2.5.2 (the worked example) and Appendix A.3 test vectors 1, 2 and 5-11 (the last seven probe the
 *    carries and the final reduction mod 2^130 - 5),
 *  - each other on random keys and messages of every length from 0 to 200 bytes and longer ones that cross the
 *    module's 64 KiB chunking,
 * and the committed module bytes against a fresh build of poly1305.wat where WABT's wat2wasm is installed.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { noblePoly1305Into, poly1305Into, wasmPoly1305Into, type Poly1305Into } from './poly1305.ts';
import { POLY1305_WASM_BASE64 } from './poly1305-wasm-bytes.ts';

const hex = (s: string) => Uint8Array.from((s.replace(/\s+/g, '').match(/../g) ?? []).map((b) => parseInt(b, 16)));
const toHex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const tagOf = (f: Poly1305Into, key: Uint8Array, message: Uint8Array) => {
  const tag = new Uint8Array(16);
  f(key, message, tag);
  return toHex(tag);
};

const IETF_TEXT = 'Any submission to the IETF intended by the Contributor for publication as all or part of an IETF '
  + 'Internet-Draft or RFC and any statement made within the context of an IETF activity is considered an "IETF '
  + 'Contribution". Such statements include oral statements in IETF sessions, as well as written and electronic '
  + 'communications made at any time or place, which are addressed to';

/** [name, key r | s, message, tag], from RFC 8439. */
const VECTORS: [string, string, Uint8Array, string][] = [
  ['§2.5.2', '85d6be7857556d337f4452fe42d506a8 0103808afb0db2fd4abff6af4149f51b',
    new TextEncoder().encode('Cryptographic Forum Research Group'), 'a8061dc1305136c6c22b8baf0c0127a9'],
  ['A.3 #1', '00'.repeat(32), new Uint8Array(64), '00'.repeat(16)],
  ['A.3 #2', '00'.repeat(16) + '36e5f6b5c5e06070f0efca96227a863e', new TextEncoder().encode(IETF_TEXT), '36e5f6b5c5e06070f0efca96227a863e'],
  ['A.3 #5', '02' + '00'.repeat(31), hex('ff'.repeat(16)), '03' + '00'.repeat(15)],
  ['A.3 #6', '02' + '00'.repeat(15) + 'ff'.repeat(16), hex('02' + '00'.repeat(15)), '03' + '00'.repeat(15)],
  ['A.3 #7', '01' + '00'.repeat(31), hex('ff'.repeat(16) + 'f0' + 'ff'.repeat(15) + '11' + '00'.repeat(15)), '05' + '00'.repeat(15)],
  ['A.3 #8', '01' + '00'.repeat(31), hex('ff'.repeat(16) + 'fb' + 'fe'.repeat(15) + '01'.repeat(16)), '00'.repeat(16)],
  ['A.3 #9', '02' + '00'.repeat(31), hex('fd' + 'ff'.repeat(15)), 'fa' + 'ff'.repeat(15)],
  ['A.3 #10', '0100000000000000 0400000000000000' + '00'.repeat(16),
    hex('e33594d7505e43b9 0000000000000000 3394d7505e4379cd 0100000000000000' + '00'.repeat(16) + '01' + '00'.repeat(15)),
    '1400000000000000 5500000000000000'],
  ['A.3 #11', '0100000000000000 0400000000000000' + '00'.repeat(16),
    hex('e33594d7505e43b9 0000000000000000 3394d7505e4379cd 0100000000000000' + '00'.repeat(16)),
    '13' + '00'.repeat(15)],
];

describe('Poly1305 (RFC 8439 §2.5)', () => {
  it('runs on WebAssembly here, and that is the implementation in use', () => {
    expect(wasmPoly1305Into).toBeDefined();
    expect(poly1305Into).toBe(wasmPoly1305Into);
  });

  for (const [name, key, message, tag] of VECTORS) {
    it(`RFC 8439 ${name}: both implementations give the RFC's tag`, () => {
      if (name === 'A.3 #2') expect(message.length).toBe(375);
      expect(tagOf(wasmPoly1305Into!, hex(key), message)).toBe(tag.replace(/\s+/g, ''));
      expect(tagOf(noblePoly1305Into, hex(key), message)).toBe(tag.replace(/\s+/g, ''));
    });
  }

  it('agrees with noble on random keys and messages of 0..200 bytes and of up to 200 KiB (several 64 KiB chunks)', () => {
    const lengths = [...Array.from({ length: 201 }, (_, i) => i), 65392, 65408, 65409, 65536, 131072 + 15, 200_000];
    for (const length of lengths) {
      const key = randomBytes(32);
      const message = randomBytes(length);
      expect(tagOf(wasmPoly1305Into!, key, message), `length ${length}`).toBe(tagOf(noblePoly1305Into, key, message));
    }
  });

  it('agrees with noble where limbs saturate: all-0xff messages, keys with every clamp-surviving bit of r set', () => {
    for (const length of [16, 17, 31, 32, 1000, 32768]) {
      const key = hex('ffffff0ffcffff0ffcffff0ffcffff0f' + 'ff'.repeat(16));
      const message = new Uint8Array(length).fill(0xff);
      expect(tagOf(wasmPoly1305Into!, key, message), `length ${length}`).toBe(tagOf(noblePoly1305Into, key, message));
    }
  });

  const wat2wasm = spawnSync('wat2wasm', ['--version']).status === 0;
  it.skipIf(!wat2wasm)('poly1305-wasm-bytes.ts is what wat2wasm makes of poly1305.wat (rebuild: build-poly1305-wasm.sh)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'poly1305-'));
    try {
      const out = join(dir, 'poly1305.wasm');
      expect(spawnSync('wat2wasm', [join(import.meta.dirname, 'poly1305.wat'), '-o', out]).status).toBe(0);
      expect(readFileSync(out).toString('base64')).toBe(POLY1305_WASM_BASE64);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
