/**
 * Test helpers for the transport tests: a seeded random source, key material for any cipher/MAC pair, and a
 * sender that writes a realistic sequence of payloads across NEWKEYS and a rekey. Used only by *.test.ts files.
 */
import { getCipherAlgorithm } from '../crypto/ciphers.ts';
import { getMacAlgorithm } from '../crypto/macs.ts';
import type { DirectionKeys } from './binary-packet.ts';
import { PacketWriter, type RandomFill, type WrittenPacket } from './packet-writer.ts';

/** xorshift32: deterministic bytes from a seed. */
export function seededRandom(seed: number): { fill: RandomFill; int: (n: number) => number } {
  let x = seed >>> 0 || 0x9e3779b9;
  const step = () => { x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0; return x; };
  return {
    fill: (target) => { for (let i = 0; i < target.length; i++) target[i] = step() & 0xff; },
    int: (n) => step() % n,
  };
}

/** Keys of the right sizes for `cipher` and `mac`, different for each `seed`. */
export function keysFor(cipher: string, mac: string | null, compression: string, seed: number): DirectionKeys {
  const c = getCipherAlgorithm(cipher);
  const macLength = c.aead || mac === null ? 0 : getMacAlgorithm(mac).keyLength;
  const r = seededRandom(seed);
  const bytes = (n: number) => { const b = new Uint8Array(n); r.fill(b); return b; };
  return { cipher, mac: c.aead ? null : mac, compression, key: bytes(c.keyLength), iv: bytes(c.ivLength), macKey: bytes(macLength) };
}

export interface SentStream {
  wire: Uint8Array;
  packets: WrittenPacket[];
  /** The keys of each epoch, epoch 1 first. */
  epochs: DirectionKeys[];
}

/**
 * The server's side of a session: KEXINIT, NEWKEYS, SERVICE_ACCEPT, USERAUTH_SUCCESS, channel data of many sizes,
 * a rekey (KEXINIT, NEWKEYS) and more data. Payloads are deterministic in `seed`.
 */
export function serverStream(cipher: string, mac: string | null, compression: string, strict: boolean, seed: number): SentStream {
  const r = seededRandom(seed);
  const writer = new PacketWriter({ direction: 'server', random: seededRandom(seed + 1).fill });
  const packets: WrittenPacket[] = [];
  const epochs = [keysFor(cipher, mac, compression, seed + 2), keysFor(cipher, mac, compression, seed + 3)];
  const payload = (first: number, size: number) => {
    const p = new Uint8Array(size);
    r.fill(p);
    for (let i = 1; i < size; i += 3) p[i] = 0; // SSH-like: plenty of zero bytes
    p[0] = first;
    return p;
  };
  const send = (p: Uint8Array) => packets.push(writer.write(p));
  send(payload(20, 200));
  send(Uint8Array.of(21));
  writer.newKeys(epochs[0], strict);
  send(payload(6, 20));
  send(Uint8Array.of(52));
  writer.activateDelayedCompression();
  for (const size of [1, 9, 100, 1000, 17, 5000]) send(payload(94, size));
  send(payload(20, 300));
  send(Uint8Array.of(21));
  writer.newKeys(epochs[1], strict);
  for (const size of [40, 1, 3000]) send(payload(94, size));
  const total = packets.reduce((n, p) => n + p.wire.length, 0);
  const wire = new Uint8Array(total);
  let at = 0;
  for (const p of packets) { wire.set(p.wire, at); at += p.wire.length; }
  return { wire, packets, epochs };
}
