/**
 * The node:crypto ChaCha20 provider (cli/node-chacha.ts) against noble's: the same keystream for random keys,
 * nonces and start counters, in pieces; and chacha20-poly1305@openssh.com packets sealed with one provider open
 * with the other, byte for byte the same wire.
 */
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { nobleChaCha20Provider, setChaCha20Provider } from '../engine/crypto/chacha20.ts';
import { getCipherAlgorithm, type AeadPacketCipher } from '../engine/crypto/ciphers.ts';
import { nodeChaCha20Provider } from './node-chacha.ts';

afterEach(() => setChaCha20Provider(nobleChaCha20Provider));

describe('node:crypto ChaCha20 (OpenSSL) as the chacha20-poly1305@openssh.com keystream', () => {
  it('equals noble\'s keystream for random keys, nonces and start counters, fed in whole blocks then a tail', () => {
    for (let i = 0; i < 50; i++) {
      const key = randomBytes(32), nonce = randomBytes(8), data = randomBytes(64 * (i % 4) + i * 7);
      const counter = [0, 1, 2, 1000, 2 ** 31][i % 5];
      const results = [nobleChaCha20Provider, nodeChaCha20Provider].map((p) => {
        const out = new Uint8Array(data.length);
        const s = p.stream(key, nonce, counter);
        const cut = Math.min(64, data.length - (data.length % 64));
        s.update(data.subarray(0, cut), out.subarray(0, cut));
        s.update(data.subarray(cut), out.subarray(cut));
        return Buffer.from(out).toString('hex');
      });
      expect(results[1], `case ${i}`).toBe(results[0]);
    }
  });

  it('packets sealed with either provider are the same bytes and open with the other', () => {
    const algorithm = getCipherAlgorithm('chacha20-poly1305@openssh.com');
    const key = randomBytes(64);
    const make = (p: typeof nodeChaCha20Provider, mode: 'encrypt' | 'decrypt') => {
      setChaCha20Provider(p);
      return algorithm.create(key, new Uint8Array(0), mode) as AeadPacketCipher;
    };
    const sealers = [make(nobleChaCha20Provider, 'encrypt'), make(nodeChaCha20Provider, 'encrypt')];
    const openers = [make(nodeChaCha20Provider, 'decrypt'), make(nobleChaCha20Provider, 'decrypt')];
    for (let sequence = 0; sequence < 20; sequence++) {
      const body = randomBytes(1 + 8 * sequence * 37);
      const packet = new Uint8Array(4 + body.length);
      new DataView(packet.buffer).setUint32(0, body.length);
      packet.set(body, 4);
      const wires = sealers.map((s) => {
        const wire = new Uint8Array(packet.length), tag = new Uint8Array(16);
        s.seal(sequence, packet, wire, tag);
        return { wire, tag };
      });
      expect(Buffer.from(wires[1].wire).equals(Buffer.from(wires[0].wire))).toBe(true);
      expect(Buffer.from(wires[1].tag).equals(Buffer.from(wires[0].tag))).toBe(true);
      openers.forEach((o, i) => {
        const { wire, tag } = wires[i];
        expect(o.packetLength(sequence, wire)).toBe(body.length);
        const out = new Uint8Array(wire.length);
        expect(o.open(sequence, wire, tag, out, false)).toBe(true);
        expect(Buffer.from(out).equals(Buffer.from(packet))).toBe(true);
      });
    }
  });
});
