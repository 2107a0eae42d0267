/**
 * The peers the decoder's speed is measured against, on the very packets of the recorded capture (same sizes, same
 * bytes, same keys): node:crypto decrypting and verifying AES-GCM (RFC 5647 §7) and AES-CTR + HMAC-SHA2-256
 * (RFC 4344, RFC 4253 §6.4), and @noble/ciphers' raw primitives doing chacha20-poly1305@openssh.com (OpenSSH
 * PROTOCOL.chacha20poly1305). Each peer checks every tag or MAC (a mismatch throws: the peer must do the real work)
 * and returns the time it took. The packets are gathered once by decoding the capture with every byte kept, and
 * copied out into arrays of their own (4-byte aligned, the best case for noble).
 */
import crypto from 'node:crypto';
import { readFileSync } from 'node:fs';
import { chacha20orig } from '@noble/ciphers/chacha.js';
import { poly1305 } from '@noble/ciphers/_poly1305.js';
import { CaptureDecoder } from '../../engine/decoder/capture-decoder.ts';
import { KeyStore } from '../../engine/decoder/key-store.ts';
import type { Direction, KexRecord } from '../../engine/trace/model.ts';

/** One direction's encrypted packets (first key epoch) with the keys that protect them. */
export interface PeerDirection {
  cipher: string;
  mac: string | null;
  key: Uint8Array;
  iv: Uint8Array;
  macKey: Uint8Array;
  /** The packets as they travelled, MAC or tag included, each in an array of its own. */
  wire: Uint8Array[];
  sequences: number[];
}

export interface PeerPackets {
  directions: PeerDirection[];
  /** Sum of the wire lengths: the bytes both sides of a comparison process. */
  bytes: number;
}

/** Decodes a one-session capture keeping every byte and collects the packets of key epoch 1, per direction. */
export function gatherPackets(pcap: string, keylog: string): PeerPackets {
  const keys = new KeyStore();
  keys.addFile(readFileSync(keylog, 'utf8'), keylog);
  const packets: Record<Direction, { wire: Uint8Array[]; sequences: number[] }> = { client: { wire: [], sequences: [] }, server: { wire: [], sequences: [] } };
  let kex: KexRecord | undefined;
  const decoder = new CaptureDecoder(keys, { kind: 'capture', name: pcap }, {
    kex: (_session, record) => { if (record.index === 0) kex = record; },
    packet: (_session, packet) => {
      if (packet.epoch !== 1 || !packet.wire) return;
      packets[packet.direction].wire.push(packet.wire.slice());
      packets[packet.direction].sequences.push(packet.sequence);
    },
  }, { keepPackets: false, keepBytes: true, keepChannelData: false });
  decoder.push(readFileSync(pcap));
  decoder.finish();
  const a = kex?.algorithms;
  const k = kex?.keys;
  if (!a || !k) throw new Error(`${pcap}: the key exchange did not complete, no packets for the peer`);
  const direction = (d: Direction): PeerDirection => ({
    cipher: d === 'client' ? a.cipherClientToServer : a.cipherServerToClient,
    mac: d === 'client' ? a.macClientToServer : a.macServerToClient,
    key: d === 'client' ? k.keyClientToServer : k.keyServerToClient,
    iv: d === 'client' ? k.ivClientToServer : k.ivServerToClient,
    macKey: d === 'client' ? k.macKeyClientToServer : k.macKeyServerToClient,
    ...packets[d],
  });
  const directions = [direction('client'), direction('server')];
  let bytes = 0;
  for (const d of directions) for (const w of d.wire) bytes += w.length;
  return { directions, bytes };
}

/** Wall-clock and CPU (user + system, this process) seconds of one run. */
export interface Timing {
  seconds: number;
  cpuSeconds: number;
}

export function timeIt(body: () => void): Timing {
  const cpu = process.cpuUsage();
  const start = process.hrtime.bigint();
  body();
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const used = process.cpuUsage(cpu);
  return { seconds, cpuSeconds: (used.user + used.system) / 1e6 };
}

const fail = (what: string, i: number): never => {
  throw new Error(`peer: ${what} of packet ${i} does not verify`);
};

/** node:crypto aesN-gcm@openssh.com: IV = fixed | invocation counter (+1 per packet), AAD = length, tag checked. */
export function nodeGcmSeconds(peer: PeerPackets): Timing {
  return timeIt(() => {
    for (const d of peer.directions) {
      const name = `aes-${d.key.length * 8}-gcm` as 'aes-128-gcm';
      const iv = Buffer.from(d.iv);
      d.wire.forEach((wire, i) => {
        const end = wire.length - 16;
        const decipher = crypto.createDecipheriv(name, d.key, iv).setAAD(wire.subarray(0, 4)).setAuthTag(wire.subarray(end));
        decipher.update(wire.subarray(4, end));
        try {
          decipher.final();
        } catch {
          fail('the GCM tag', i);
        }
        for (let j = 11; j >= 4 && ++iv[j] === 256; j--) iv[j] = 0;
      });
    }
  });
}

/** node:crypto aesN-ctr (one running counter per direction) + HMAC-SHA2-256 over seq | plaintext, compared. */
export function nodeCtrHmacSeconds(peer: PeerPackets): Timing {
  return timeIt(() => {
    for (const d of peer.directions) {
      const decipher = crypto.createDecipheriv(`aes-${d.key.length * 8}-ctr`, d.key, d.iv);
      const seq = Buffer.alloc(4);
      d.wire.forEach((wire, i) => {
        const end = wire.length - 32;
        const plain = decipher.update(wire.subarray(0, end));
        seq.writeUInt32BE(d.sequences[i]);
        const mac = crypto.createHmac('sha256', d.macKey).update(seq).update(plain).digest();
        if (!mac.equals(wire.subarray(end))) fail('the MAC', i);
      });
    }
  });
}

/** noble chacha20-poly1305@openssh.com: length with K_len, Poly1305 key from K_main block 0, tag, body from block 1. */
export function nobleChachaSeconds(peer: PeerPackets): Timing {
  const zeros = new Uint8Array(32);
  const nonce = new Uint8Array(8);
  // One output array for every packet: the peer's best case.
  const out = new Uint8Array(peer.directions.reduce((n, d) => d.wire.reduce((m, w) => Math.max(m, w.length), n), 0));
  const view = new DataView(nonce.buffer);
  return timeIt(() => {
    for (const d of peer.directions) {
      const kMain = d.key.subarray(0, 32);
      const kLen = d.key.subarray(32, 64);
      d.wire.forEach((wire, i) => {
        const end = wire.length - 16;
        view.setUint32(4, d.sequences[i]);
        chacha20orig(kLen, nonce, wire.subarray(0, 4));
        const tag = poly1305(wire.subarray(0, end), chacha20orig(kMain, nonce, zeros));
        for (let j = 0; j < 16; j++) if (tag[j] !== wire[end + j]) fail('the Poly1305 tag', i);
        chacha20orig(kMain, nonce, wire.subarray(4, end), out.subarray(0, end - 4), 1);
      });
    }
  });
}
