/**
 * SSH compression against a real zlib (node:zlib, i.e. the zlib library OpenSSH links): node deflates a stream
 * of payloads with Z_PARTIAL_FLUSH after each one, exactly as OpenSSH's packet.c does, and our one-context-per-
 * direction inflater must return each payload as soon as its packet arrives; and the other way round, node's
 * inflater must take our compressor's per-packet output. RFC 4253 §6.2, OpenSSH PROTOCOL §1.2.
 */
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { COMPRESSION_ALGORITHMS, getCompressionAlgorithm } from './compression.ts';

/** Payloads like SSH's: many zero bytes (lengths), repeats, random data, empty and large ones. */
function payloads(seed: number): Uint8Array[] {
  let x = seed;
  const random = () => { x = (x * 1103515245 + 12345) >>> 0; return x >>> 16; };
  const list: Uint8Array[] = [];
  for (let i = 0; i < 120; i++) {
    const size = i % 40 === 0 ? 0 : i % 17 === 0 ? 30000 + (random() % 5000) : random() % 600;
    const p = new Uint8Array(size);
    for (let j = 0; j < size; j++) p[j] = random() % 3 === 0 ? 0 : i % 5 === 0 ? random() & 0xff : 97 + (random() % 6);
    if (size > 0) p[0] = 94; // a CHANNEL_DATA-like first byte
    list.push(p);
  }
  return list;
}

/** node:zlib deflating each payload with Z_PARTIAL_FLUSH, one stream: OpenSSH's output, packet by packet. */
async function nodePartialFlushStream(list: Uint8Array[]): Promise<Uint8Array[]> {
  const deflater = zlib.createDeflate({ level: 6 });
  const pieces: Buffer[] = [];
  deflater.on('data', (c: Buffer) => pieces.push(c));
  const out: Uint8Array[] = [];
  for (const p of list) {
    await new Promise<void>((resolve) => { deflater.write(p); deflater.flush(zlib.constants.Z_PARTIAL_FLUSH, () => resolve()); });
    out.push(new Uint8Array(Buffer.concat(pieces.splice(0))));
  }
  return out;
}

describe('zlib and zlib@openssh.com', () => {
  for (const name of ['zlib', 'zlib@openssh.com']) {
    it(`${name}: inflates real zlib's partial-flush output packet by packet in one context`, async () => {
      const list = payloads(name.length);
      const compressed = await nodePartialFlushStream(list);
      const inflater = getCompressionAlgorithm(name).createDecompressor()!;
      compressed.forEach((c, i) => {
        expect(Buffer.from(inflater.decompress(c)).equals(Buffer.from(list[i]))).toBe(true);
      });
    });

    it(`${name}: each compressed packet inflates completely in real zlib as soon as it arrives`, async () => {
      const list = payloads(7 + name.length);
      const compressor = getCompressionAlgorithm(name).createCompressor()!;
      const inflater = zlib.createInflate();
      const pieces: Buffer[] = [];
      inflater.on('data', (c: Buffer) => pieces.push(c));
      let compressedTotal = 0, plainTotal = 0;
      for (const p of list) {
        const c = compressor.compress(p);
        compressedTotal += c.length; plainTotal += p.length;
        await new Promise<void>((resolve) => { inflater.write(c); inflater.flush(zlib.constants.Z_SYNC_FLUSH, () => resolve()); });
        expect(Buffer.concat(pieces.splice(0)).equals(Buffer.from(p))).toBe(true);
      }
      expect(compressedTotal).toBeLessThan(plainTotal); // it does compress
    });
  }

  it('a damaged stream is a typed error, and stays broken', async () => {
    const [first, second] = await nodePartialFlushStream(payloads(3).slice(1, 3));
    const inflater = getCompressionAlgorithm('zlib').createDecompressor()!;
    inflater.decompress(first);
    const damaged = second.slice();
    damaged.fill(0xff, 0, Math.min(6, damaged.length));
    expect(() => inflater.decompress(damaged)).toThrow(/does not inflate/);
    expect(() => inflater.decompress(second)).toThrow(/already broken/);
  });

  it('refuses a payload that inflates past the limit', async () => {
    const [bomb] = await nodePartialFlushStream([new Uint8Array(200_000)]);
    const inflater = getCompressionAlgorithm('zlib').createDecompressor(100_000)!;
    expect(() => inflater.decompress(bomb)).toThrow(/inflates past the 100000-byte limit/);
  });

  it('registry: none has no streams; the two zlib methods differ only in when they start', () => {
    expect(COMPRESSION_ALGORITHMS.map((c) => [c.name, c.starts])).toEqual([
      ['none', 'never'], ['zlib@openssh.com', 'after-userauth-success'], ['zlib', 'at-newkeys']]);
    expect(getCompressionAlgorithm('none').createCompressor()).toBeUndefined();
    expect(() => getCompressionAlgorithm('lz4')).toThrow(/unsupported compression algorithm "lz4"/);
  });
});
