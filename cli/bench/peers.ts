/**
 * The peers the decoder's speed is measured against, on the same number of bytes in OpenSSH-sized packets
 * (32 KiB of channel data, packet_length 32780 + tag/MAC): node:crypto decrypting and verifying AES-GCM and
 * AES-CTR + HMAC-SHA2-256, and @noble/ciphers' raw primitives doing chacha20-poly1305@openssh.com.
 * Each returns bytes per second of ciphertext processed.
 */
import crypto from 'node:crypto';
import { chacha20orig } from '@noble/ciphers/chacha.js';
import { poly1305 } from '@noble/ciphers/_poly1305.js';

const PACKET = 32800; // 4 length bytes + 32796 of packet, as OpenSSH sends channel data
const key16 = crypto.randomBytes(16);
const key32 = crypto.randomBytes(32);

function timeIt(totalBytes: number, body: () => void): number {
  const start = process.hrtime.bigint();
  body();
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  return totalBytes / seconds;
}

/** node:crypto aes128-gcm: setAAD(length) + tag check + decrypt, one packet at a time. */
export function nodeGcmRate(totalBytes: number): number {
  const plain = crypto.randomBytes(PACKET - 4);
  const iv = crypto.randomBytes(12);
  const aad = Buffer.from([0, 0, 0x80, 0x1c]);
  const enc = crypto.createCipheriv('aes-128-gcm', key16, iv).setAAD(aad);
  const ct = Buffer.concat([enc.update(plain), enc.final()]);
  const tag = enc.getAuthTag();
  const packets = Math.ceil(totalBytes / PACKET);
  return timeIt(packets * PACKET, () => {
    for (let i = 0; i < packets; i++) {
      const d = crypto.createDecipheriv('aes-128-gcm', key16, iv).setAAD(aad).setAuthTag(tag);
      d.update(ct);
      d.final();
    }
  });
}

/** node:crypto aes128-ctr (one running counter) + HMAC-SHA2-256 over seq | plaintext, checked per packet. */
export function nodeCtrHmacRate(totalBytes: number): number {
  const packets = Math.ceil(totalBytes / PACKET);
  const ct = crypto.randomBytes(PACKET);
  const macKey = crypto.randomBytes(32);
  const decipher = crypto.createDecipheriv('aes-128-ctr', key16, crypto.randomBytes(16));
  const seq = Buffer.alloc(4);
  return timeIt(packets * PACKET, () => {
    for (let i = 0; i < packets; i++) {
      const plain = decipher.update(ct);
      seq.writeUInt32BE(i);
      const mac = crypto.createHmac('sha256', macKey).update(seq).update(plain).digest();
      if (mac.length !== 32) throw new Error('unreachable');
    }
  });
}

/** noble chacha20-poly1305@openssh.com: length with K_len, Poly1305 key from K_main block 0, tag check, body from block 1. */
export function nobleChachaRate(totalBytes: number): number {
  const packets = Math.ceil(totalBytes / PACKET);
  const kMain = key32;
  const kLen = crypto.randomBytes(32);
  const wire = new Uint8Array(crypto.randomBytes(PACKET));
  const out = new Uint8Array(PACKET - 4);
  const zeros = new Uint8Array(32);
  const nonce = new Uint8Array(8);
  return timeIt(packets * PACKET, () => {
    for (let i = 0; i < packets; i++) {
      new DataView(nonce.buffer).setUint32(4, i);
      chacha20orig(kLen, nonce, wire.subarray(0, 4));
      const polyKey = chacha20orig(kMain, nonce, zeros);
      poly1305(wire, polyKey);
      chacha20orig(kMain, nonce, wire.subarray(4), out, 1);
    }
  });
}
