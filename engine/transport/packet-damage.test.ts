/**
 * Damage and wrong keys, RFC 4253 §6: a single flipped bit anywhere in an encrypted packet - length, padding
 * length, payload, padding, MAC or tag - is detected and reported with the packet's direction and sequence number,
 * with every packet before it delivered intact; an oversize packet_length is refused as soon as its 4 bytes are in;
 * wrong keys stop a direction cleanly (decoder) or throw (endpoint).
 */
import { describe, expect, it } from 'vitest';
import { describePacket } from './binary-packet.ts';
import { PacketReader, type ReadPacket } from './packet-reader.ts';
import { TransportError } from './transport-errors.ts';
import { keysFor, seededRandom, serverStream, type SentStream } from './test-streams.ts';

/** Reads a stream in decoder mode; returns the packets and every message in the order it arose. */
function decode(sent: SentStream, wire: Uint8Array, keys = sent.epochs, strict = false): { packets: ReadPacket[]; messages: string[]; reader: PacketReader } {
  const reader = new PacketReader({ direction: 'server', mode: 'decoder' });
  const packets: ReadPacket[] = [];
  const messages: string[] = [];
  let epoch = 0;
  reader.feed(wire);
  for (;;) {
    const p = reader.next();
    if (p) { packets.push(p); messages.push(...p.problems.map((q) => q.message)); continue; }
    if (reader.state === 'awaiting-keys') { reader.newKeys(keys[epoch++] ?? null, strict); continue; }
    break;
  }
  const end = reader.end();
  if (end) messages.push(end.message);
  return { packets, messages, reader };
}

/** Reads in endpoint mode; returns the message of the error thrown, if any. */
function endpointError(sent: SentStream, wire: Uint8Array): string | undefined {
  const reader = new PacketReader({ direction: 'server', mode: 'endpoint' });
  let epoch = 0;
  try {
    reader.feed(wire);
    for (;;) {
      const p = reader.next();
      if (p) { if (p.message?.[0] === 52) reader.activateDelayedCompression(); continue; }
      if (reader.state === 'awaiting-keys') { reader.newKeys(sent.epochs[epoch++], false); continue; }
      break;
    }
    return reader.end()?.message;
  } catch (error) {
    expect(error).toBeInstanceOf(TransportError);
    return (error as TransportError).message;
  }
}

const suites: [string, string | null, string][] = [
  ['chacha20-poly1305@openssh.com', null, 'none'],
  ['aes128-gcm@openssh.com', null, 'zlib'],
  ['aes128-ctr', 'hmac-sha2-256', 'none'],
  ['aes256-ctr', 'umac-64-etm@openssh.com', 'zlib@openssh.com'],
  ['aes192-cbc', 'hmac-sha1', 'none'],
  ['aes256-cbc', 'hmac-sha2-512-etm@openssh.com', 'none'],
  ['3des-cbc', 'hmac-md5-96', 'zlib'],
  ['none', 'umac-128@openssh.com', 'none'],
];

describe('a flipped bit is detected and names the packet', () => {
  for (const [cipher, mac, compression] of suites) {
    it(`${cipher} + ${mac ?? '(AEAD)'} + ${compression}`, () => {
      const sent = serverStream(cipher, mac, compression, false, 42);
      const r = seededRandom(cipher.length * 7 + (mac?.length ?? 0));
      const starts: number[] = [];
      sent.packets.reduce((at, p) => { starts.push(at); return at + p.wire.length; }, 0);
      for (const k of [2, 5, 8, 12, 14]) {
        const target = sent.packets[k];
        const { layout } = target;
        const regions = { length: layout.packetLength, paddingLength: layout.paddingLength, payload: layout.payload, padding: layout.padding, mac: layout.mac! };
        for (const [region, span] of Object.entries(regions)) {
          if (span.end <= span.start) continue;
          const wire = sent.wire.slice();
          const at = starts[k] + span.start + r.int(span.end - span.start);
          wire[at] ^= 1 << r.int(8);
          const name = describePacket('server', k, target.sequence);
          const { packets, messages } = decode(sent, wire);
          expect(messages.length, `${region} of ${name}: nothing reported`).toBeGreaterThan(0);
          expect(messages[0], `${region} of ${name}`).toContain(name);
          expect(packets.length).toBeGreaterThanOrEqual(k);
          for (let i = 0; i < k; i++) {
            expect(packets[i].problems).toEqual([]);
            expect(Buffer.from(packets[i].message!).equals(sent.packets[i].payload)).toBe(true);
          }
          expect(endpointError(sent, wire), `${region} of ${name} (endpoint)`).toContain(name);
        }
      }
    });
  }

  it('a MAC failure is delivered, marked and explained, and framing goes on (EtM: the length is in the clear)', () => {
    const sent = serverStream('aes128-ctr', 'hmac-sha2-256-etm@openssh.com', 'none', true, 7);
    const k = 6;
    const wire = sent.wire.slice();
    const start = sent.packets.slice(0, k).reduce((n, p) => n + p.wire.length, 0);
    wire[start + sent.packets[k].layout.payload.start] ^= 0x40;
    const { packets, messages, reader } = decode(sent, wire, sent.epochs, true);
    expect(packets.length).toBe(sent.packets.length);
    expect(packets[k].macStatus).toBe('bad');
    expect(messages).toEqual([`MAC mismatch on server->client packet #${k} (seq ${sent.packets[k].sequence})`]);
    expect(packets.filter((p) => p.macStatus === 'bad').length).toBe(1);
    expect(reader.state).toBe('reading');
  });
});

describe('packet_length limits and wrong keys', () => {
  it('refuses packet_length 0xffffffff from its 4 bytes alone, before any allocation for the packet', () => {
    const reader = new PacketReader({ direction: 'client', mode: 'decoder', startOffset: 23 });
    reader.feed(Uint8Array.of(0xff, 0xff, 0xff, 0xff));
    expect(reader.next()).toBeUndefined();
    expect(reader.state).toBe('stopped');
    expect(reader.failure?.code).toBe('packet-too-long');
    expect(reader.failure?.message).toBe('client->server packet #0 (seq 0) at stream offset 23: packet_length 4294967295 exceeds the 256 KiB limit');
    expect(reader.failure?.where.offset).toBe(23);
    const endpoint = new PacketReader({ direction: 'client', mode: 'endpoint' });
    endpoint.feed(Uint8Array.of(0x00, 0x04, 0x00, 0x01));
    expect(() => endpoint.next()).toThrow('packet_length 262145 exceeds the 256 KiB limit');
  });

  it('takes a 256 KiB packet (the limit itself) and a 35000-byte one (RFC 4253 §6.1)', () => {
    for (const size of [35000, 256 * 1024]) {
      const wire = new Uint8Array(4 + size);
      new DataView(wire.buffer).setUint32(0, size);
      wire[4] = 4 + ((size - 5 - 4 + 4) % 8); // padding making length+4 a multiple of 8
      const reader = new PacketReader({ direction: 'server', mode: 'decoder' });
      reader.feed(wire);
      const p = reader.next()!;
      expect(p.packetLength).toBe(size);
    }
  });

  it('too-short padding and a padding_length past the packet are reported, framing goes on', () => {
    const reader = new PacketReader({ direction: 'server', mode: 'decoder' });
    reader.feed(Uint8Array.of(0, 0, 0, 12, 2, 5, 1, 2, 3, 4, 5, 6, 7, 8, 0xaa, 0xbb)); // padding 2
    reader.feed(Uint8Array.of(0, 0, 0, 4, 200, 1, 2, 3)); // padding_length 200 in a 4-byte packet
    reader.feed(Uint8Array.of(0, 0, 0, 12, 4, 5, 1, 2, 3, 4, 5, 6, 7, 1, 2, 3)); // fine
    const [a, b, c] = [reader.next()!, reader.next()!, reader.next()!];
    expect(a.problems.map((q) => q.code)).toEqual(['short-padding']);
    expect(a.problems[0].message).toBe('server->client packet #0 (seq 0): only 2 byte(s) of padding; RFC 4253 §6 requires at least 4');
    expect(Array.from(a.payload)).toEqual([5, 1, 2, 3, 4, 5, 6, 7, 8]);
    expect(b.problems.map((q) => q.code)).toEqual(['bad-padding-length']);
    expect(c.problems).toEqual([]);
    expect(Array.from(c.payload)).toEqual([5, 1, 2, 3, 4, 5, 6]);
    const endpoint = new PacketReader({ direction: 'server', mode: 'endpoint' });
    endpoint.feed(Uint8Array.of(0, 0, 0, 12, 2, 5, 1, 2, 3, 4, 5, 6, 7, 8, 0xaa, 0xbb));
    expect(() => endpoint.next()).toThrow('only 2 byte(s) of padding');
  });

  for (const [cipher, mac] of [['aes128-ctr', 'hmac-sha2-256'], ['aes256-cbc', 'umac-64@openssh.com'], ['chacha20-poly1305@openssh.com', null]] as const) {
    it(`${cipher}: wrong keys give garbage lengths; the direction stops with everything before kept`, () => {
      const sent = serverStream(cipher, mac, 'none', false, 3);
      const wrong = [keysFor(cipher, mac, 'none', 1234), keysFor(cipher, mac, 'none', 1235)];
      const { packets, reader } = decode(sent, sent.wire, wrong);
      expect(packets.length).toBeLessThanOrEqual(3); // KEXINIT and NEWKEYS in the clear, perhaps one bad-MAC packet
      expect(packets.slice(0, 2).map((p) => p.message![0])).toEqual([20, 21]);
      expect(reader.state).toBe('stopped');
      expect(reader.failure!.message).toMatch(/server->client packet #\d+ \(seq \d+\) at stream offset \d+: packet_length \d+ (exceeds|does not make).*keys are probably wrong/);
      expect(endpointError({ ...sent, epochs: wrong }, sent.wire)).toMatch(/packet #2 \(seq 2\)/);
    });
  }

  it('aes128-gcm with wrong keys: lengths are in the clear, so every packet is framed and marked bad', () => {
    const sent = serverStream('aes128-gcm@openssh.com', null, 'none', false, 3);
    const wrong = [keysFor('aes128-gcm@openssh.com', null, 'none', 99)];
    const { packets, reader } = decode(sent, sent.wire, wrong);
    expect(packets.length).toBe(sent.packets.length);
    expect(packets.slice(2).every((p) => p.macStatus === 'bad')).toBe(true);
    expect(packets[2].problems[0].message).toBe('authentication tag mismatch on server->client packet #2 (seq 2)');
    expect(reader.state).toBe('reading');
  });

  it('NEWKEYS with unknown keys stops the direction with the bytes left counted', () => {
    const sent = serverStream('aes128-ctr', 'hmac-sha1', 'none', false, 3);
    const { packets, reader } = decode(sent, sent.wire, []);
    expect(packets.length).toBe(2);
    expect(reader.failure!.code).toBe('no-keys');
    expect(reader.failure!.message).toMatch(/^server->client: the keys after packet #1's NEWKEYS are not known; the \d+ byte\(s\) after it cannot be decrypted$/);
  });

  it('unusable keys (unknown algorithm, wrong key size) stop a decoder and throw for an endpoint', () => {
    const sent = serverStream('aes128-ctr', 'hmac-sha1', 'none', false, 3);
    const bad = { ...sent.epochs[0], key: new Uint8Array(5) };
    const { packets, reader } = decode(sent, sent.wire, [bad]);
    expect(packets.length).toBe(2);
    expect(reader.failure!.message).toBe("server->client: the keys after packet #1's NEWKEYS cannot be used: cipher aes128-ctr needs a 16-byte key, got 5 bytes");
    const endpoint = new PacketReader({ direction: 'server', mode: 'endpoint' });
    expect(() => endpoint.newKeys({ ...bad, cipher: 'rc4' }, false)).toThrow(/unsupported cipher algorithm "rc4"/);
  });

  it('a stream cut inside a packet is reported by end()', () => {
    const sent = serverStream('aes128-ctr', 'hmac-sha1', 'none', false, 3);
    const start = sent.packets.slice(0, 4).reduce((n, p) => n + p.wire.length, 0);
    expect(decode(sent, sent.wire.subarray(0, start + 20)).messages).toEqual([`server->client packet #4 (seq 4) at stream offset ${start}: the stream ends after 20 of its ${sent.packets[4].wire.length} bytes`]);
    // aes128-ctr with an encrypt-and-MAC MAC: the length is in the first 16-byte block
    expect(decode(sent, sent.wire.subarray(0, start + 10)).messages).toEqual([`server->client packet #4 (seq 4) at stream offset ${start}: the stream ends before its packet_length could be read`]);
    expect(decode(sent, sent.wire.subarray(0, start)).messages).toEqual([]);
  });
});
