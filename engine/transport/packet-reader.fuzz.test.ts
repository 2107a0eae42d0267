/**
 * Fuzzing the packet reader (the invariant of DESIGN.md: packets or typed errors, nothing else): arbitrary bytes and
 * damaged real streams, in arbitrary chunkings, under every construction. A decoder-mode reader never throws and
 * always ends `reading`, `awaiting-keys` or `stopped` with a TransportError; an endpoint-mode reader throws only
 * TransportError. RFC 4253 §6.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PacketReader } from './packet-reader.ts';
import { TransportError } from './transport-errors.ts';
import { keysFor, serverStream } from './test-streams.ts';

const constructions: [string, string | null][] = [
  ['none', null], ['chacha20-poly1305@openssh.com', null], ['aes128-gcm@openssh.com', null],
  ['aes128-ctr', 'umac-64-etm@openssh.com'], ['aes256-cbc', 'hmac-sha2-256'], ['3des-cbc', 'hmac-sha1-96-etm@openssh.com'],
];

function drive(reader: PacketReader, bytes: Uint8Array, cuts: number[], keys: ReturnType<typeof keysFor>): void {
  let at = 0;
  for (const cut of [...cuts, bytes.length]) {
    const end = Math.min(bytes.length, Math.max(at, cut));
    reader.feed(bytes.subarray(at, end));
    at = end;
    for (let guard = 0; guard < 10_000; guard++) {
      const p = reader.next();
      if (p) continue;
      if (reader.state === 'awaiting-keys') { reader.newKeys(keys, guard % 2 === 0); continue; }
      break;
    }
  }
  reader.end();
}

describe('PacketReader under fuzzing', () => {
  it('random bytes: decoder mode never throws; endpoint mode throws only TransportError', () => {
    fc.assert(fc.property(
      fc.constantFrom(...constructions), fc.uint8Array({ maxLength: 3000 }), fc.array(fc.nat(3000), { maxLength: 8 }),
      fc.boolean(),
      ([cipher, mac], bytes, cuts, startEncrypted) => {
        const keys = keysFor(cipher, mac, 'zlib@openssh.com', 5);
        const decoder = new PacketReader({ direction: 'client', mode: 'decoder' });
        if (startEncrypted) { decoder.activateDelayedCompression(); decoder.newKeys(keys, false); }
        drive(decoder, bytes, [...cuts].sort((a, b) => a - b), keys);
        expect(['reading', 'awaiting-keys', 'stopped']).toContain(decoder.state);
        if (decoder.state === 'stopped') expect(decoder.failure).toBeInstanceOf(TransportError);
        const endpoint = new PacketReader({ direction: 'client', mode: 'endpoint' });
        try {
          if (startEncrypted) endpoint.newKeys(keys, true);
          drive(endpoint, bytes, cuts, keys);
        } catch (error) {
          expect(error).toBeInstanceOf(TransportError);
        }
      }), { numRuns: 300 });
  });

  it('real streams with random damage: same invariant, and the packets before the damage are intact', () => {
    const streams = constructions.filter(([c]) => c !== 'none').map(([c, m]) => serverStream(c, m, 'zlib', false, 77));
    fc.assert(fc.property(
      fc.nat(streams.length - 1), fc.array(fc.tuple(fc.nat(), fc.integer({ min: 1, max: 255 })), { minLength: 1, maxLength: 4 }),
      (which, flips) => {
        const sent = streams[which];
        const wire = sent.wire.slice();
        for (const [at, mask] of flips) wire[at % wire.length] ^= mask;
        const first = Math.min(...flips.map(([at]) => at % wire.length));
        const reader = new PacketReader({ direction: 'server', mode: 'decoder' });
        let epoch = 0;
        const packets = [];
        reader.feed(wire);
        for (;;) {
          const p = reader.next();
          if (p) { packets.push(p); continue; }
          if (reader.state === 'awaiting-keys') { reader.newKeys(sent.epochs[epoch++] ?? null, false); continue; }
          break;
        }
        let offset = 0;
        for (const [i, p] of packets.entries()) {
          if (offset + sent.packets[i].wire.length > first) break;
          expect(p.problems).toEqual([]);
          expect(Buffer.from(p.message!).equals(sent.packets[i].payload)).toBe(true);
          offset += sent.packets[i].wire.length;
        }
      }), { numRuns: 200 });
  });
});
