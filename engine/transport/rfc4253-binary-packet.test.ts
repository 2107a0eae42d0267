/**
 * The binary packet protocol of RFC 4253 §6 end to end: every cipher x MAC x compression combination written by
 * PacketWriter and read back by PacketReader across NEWKEYS and a rekey, with and without strict kex
 * (draft-miller-sshm-strict-kex: sequence numbers restart at 0 after each NEWKEYS), fed in random chunkings.
 */
import { describe, expect, it } from 'vitest';
import { CIPHER_ALGORITHMS } from '../crypto/ciphers.ts';
import { COMPRESSION_ALGORITHMS } from '../crypto/compression.ts';
import { MAC_ALGORITHMS } from '../crypto/macs.ts';
import { paddingLengthFor } from './binary-packet.ts';
import { PacketReader, type ReadPacket } from './packet-reader.ts';
import { PacketWriter } from './packet-writer.ts';
import { seededRandom, serverStream, type SentStream } from './test-streams.ts';

/** Feeds `wire` in chunks of random sizes (1 byte to ~3 packets) and collects the packets, answering NEWKEYS. */
function readAll(sent: SentStream, mode: 'endpoint' | 'decoder', strict: boolean, seed: number): { packets: ReadPacket[]; reader: PacketReader } {
  const reader = new PacketReader({ direction: 'server', mode, startOffset: 100 });
  const r = seededRandom(seed);
  const packets: ReadPacket[] = [];
  let epoch = 0;
  for (let at = 0; at < sent.wire.length;) {
    const size = r.int(5) === 0 ? 1 + r.int(8) : 1 + r.int(3000);
    reader.feed(sent.wire.subarray(at, at + size));
    at += size;
    for (;;) {
      const p = reader.next();
      if (p) {
        packets.push(p);
        if (mode === 'endpoint' && p.message?.[0] === 52) reader.activateDelayedCompression();
        continue;
      }
      if (reader.state === 'awaiting-keys') { reader.newKeys(sent.epochs[epoch++], strict); continue; }
      break;
    }
  }
  return { packets, reader };
}

/** Byte equality without the deep-equality machinery (which is slow on large typed arrays). */
const same = (a: Uint8Array | undefined, b: Uint8Array) => a !== undefined && Buffer.from(a.buffer, a.byteOffset, a.length).equals(b);

const combos: [string, string | null][] = [];
for (const c of CIPHER_ALGORITHMS) {
  if (c.aead) combos.push([c.name, null]);
  else for (const m of MAC_ALGORITHMS) combos.push([c.name, m.name]);
}

function checkRoundTrip(sent: SentStream, mode: 'endpoint' | 'decoder', strict: boolean, seed: number, cipher: string, mac: string | null): void {
  const { packets, reader } = readAll(sent, mode, strict, seed);
  expect(reader.state).toBe('reading');
  expect(reader.buffered).toBe(0);
  expect(reader.end()).toBeUndefined();
  expect(packets.length).toBe(sent.packets.length);
  let offset = 100;
  packets.forEach((p, i) => {
    const w = sent.packets[i];
    expect(p.problems).toEqual([]);
    expect(same(p.message, w.payload)).toBe(true);
    expect(p.sequence).toBe(w.sequence);
    expect(p.epoch).toBe(w.epoch);
    expect(p.macStatus).toBe(w.epoch === 0 || (cipher === 'none' && mac === null) ? 'none' : 'ok');
    expect(p.decompressed !== undefined).toBe(w.compressed);
    expect(same(p.plaintext, w.plaintext)).toBe(true);
    expect(p.layout).toEqual(w.layout);
    expect(p.stream).toEqual({ start: offset, end: offset + w.wire.length });
    offset += w.wire.length;
  });
}

describe('PacketWriter -> PacketReader round trips (RFC 4253 §6)', () => {
  combos.forEach(([cipher, mac], comboIndex) => {
    it(`${cipher} + ${mac ?? '(AEAD)'} with each compression`, () => {
      COMPRESSION_ALGORITHMS.forEach(({ name: compression }, i) => {
        const seed = comboIndex * 10 + i;
        const strict = (comboIndex + i) % 2 === 0; // both kinds for every pair, across the three compressions
        const sent = serverStream(cipher, mac, compression, strict, seed);
        checkRoundTrip(sent, 'decoder', strict, seed * 7, cipher, mac);
        if ((comboIndex + i) % 4 === 0) checkRoundTrip(sent, 'endpoint', strict, seed * 11, cipher, mac);
      });
    });
  });

  for (const compression of COMPRESSION_ALGORITHMS.map((c) => c.name)) {
    for (const strict of [false, true]) {
      it(`sequence numbers ${strict ? 'restart at 0 after each NEWKEYS (strict kex)' : 'run on across NEWKEYS'}; ${compression} starts when it should`, () => {
        const sent = serverStream('aes256-gcm@openssh.com', null, compression, strict, 99);
        checkRoundTrip(sent, 'endpoint', strict, 5, 'aes256-gcm@openssh.com', null);
        const sequences = sent.packets.map((p) => p.sequence);
        expect(sequences).toEqual(strict ? [0, 1, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2] : [...sequences.keys()]);
        // zlib starts at NEWKEYS, zlib@openssh.com after USERAUTH_SUCCESS, in both epochs
        const expected = compression === 'zlib' ? [false, false, ...Array(13).fill(true)]
          : compression === 'zlib@openssh.com' ? [false, false, false, false, ...Array(11).fill(true)]
          : Array(15).fill(false);
        expect(sent.packets.map((p) => p.compressed)).toEqual(expected);
      });
    }
  }
});

describe('padding and framing rules', () => {
  it('padding is 4..(block+3) bytes and aligns length+4 (or, for EtM/AEAD, the rest) to max(8, block)', () => {
    for (let payload = 0; payload < 100; payload++) {
      for (const [block, excluded] of [[8, false], [16, false], [8, true], [16, true]] as const) {
        const padding = paddingLengthFor(payload, block, excluded);
        expect(padding).toBeGreaterThanOrEqual(4);
        expect(padding).toBeLessThan(4 + Math.max(8, block));
        expect(((excluded ? 0 : 4) + 1 + payload + padding) % Math.max(8, block)).toBe(0);
      }
    }
  });

  it('a seeded random source gives identical bytes; another seed different padding', () => {
    const run = (seed: number) => {
      const writer = new PacketWriter({ direction: 'client', random: seededRandom(seed).fill });
      writer.write(Uint8Array.of(21));
      writer.newKeys({ cipher: 'aes128-ctr', mac: 'hmac-sha2-256', compression: 'none', key: new Uint8Array(16), iv: new Uint8Array(16), macKey: new Uint8Array(32) }, false);
      return Buffer.from(writer.write(new Uint8Array(50)).wire).toString('hex');
    };
    expect(run(5)).toBe(run(5));
    expect(run(5)).not.toBe(run(6));
  });

  it('sequence numbers wrap at 2^32 (RFC 4253 §6.4) without strict kex', () => {
    const writer = new PacketWriter({ direction: 'client', random: seededRandom(1).fill });
    (writer as unknown as { sequence: number }).sequence = 0xfffffffe;
    expect([writer.write(Uint8Array.of(2)), writer.write(Uint8Array.of(2)), writer.write(Uint8Array.of(2))].map((p) => p.sequence))
      .toEqual([0xfffffffe, 0xffffffff, 0]);
  });
});
