/**
 * RFC 4253 §7.2 key derivation, checked against an independent computation with node:crypto's createHash, written
 * here straight from the RFC text: K1 = HASH(K | H | X | session_id), Kn = HASH(K | H | K1 | ... | K(n-1)).
 * The long-key case is diffie-hellman-group14-sha1 with chacha20-poly1305@openssh.com: a 64-byte key from 20-byte
 * SHA-1 blocks needs four blocks, where Wireshark's expansion (hashing only the previous block) goes wrong.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { toHex } from '../wire/index.ts';
import { deriveKey, deriveKeys, KEY_LETTERS } from './derive.ts';
import { clientKexFinish, clientKexInit, serverKexReply } from './kex.ts';
import { keySizesFor } from './key-sizes.ts';
import { seededRandomBytes } from './test-rng.ts';

function nodeDerive(hash: string, K: Uint8Array, H: Uint8Array, letter: string, sessionId: Uint8Array, length: number): string {
  const blocks: Buffer[] = [createHash(hash).update(K).update(H).update(letter, 'latin1').update(sessionId).digest()];
  while (Buffer.concat(blocks).length < length) {
    const next = createHash(hash).update(K).update(H);
    for (const b of blocks) next.update(b);
    blocks.push(next.digest());
  }
  return Buffer.concat(blocks).subarray(0, length).toString('hex');
}

function wiresharkDerive(hash: string, K: Uint8Array, H: Uint8Array, letter: string, sessionId: Uint8Array, length: number): string {
  const blocks: Buffer[] = [createHash(hash).update(K).update(H).update(letter, 'latin1').update(sessionId).digest()];
  while (Buffer.concat(blocks).length < length) {
    blocks.push(createHash(hash).update(K).update(H).update(blocks[blocks.length - 1]).digest());
  }
  return Buffer.concat(blocks).subarray(0, length).toString('hex');
}

describe('RFC 4253 §7.2', () => {
  const rng = seededRandomBytes('derive');
  const client = clientKexInit('diffie-hellman-group14-sha1', rng);
  const server = serverKexReply('diffie-hellman-group14-sha1', client.clientPublic, rng);
  const K = clientKexFinish('diffie-hellman-group14-sha1', client.privateValue, server.serverPublic).wire;
  const H = createHash('sha1').update('an exchange hash').digest();
  const sessionId = createHash('sha1').update('the first exchange hash').digest();

  it('a 64-byte chacha20 key from SHA-1 (four blocks) matches an independent computation', () => {
    const key = deriveKey('sha1', K, H, 'C', sessionId, 64);
    expect(toHex(key)).toBe(nodeDerive('sha1', K, H, 'C', sessionId, 64));
    // Wireshark's expansion agrees on the first two blocks and differs from the third on.
    const wrong = wiresharkDerive('sha1', K, H, 'C', sessionId, 64);
    expect(wrong.slice(0, 80)).toBe(toHex(key).slice(0, 80));
    expect(wrong.slice(80)).not.toBe(toHex(key).slice(80));
  });

  it('all six letters, with the sizes passed in (aes256-ctr + hmac-sha2-512 and aes128-gcm)', () => {
    const sizes = {
      ivClientToServer: 16, ivServerToClient: 12, keyClientToServer: 32, keyServerToClient: 16,
      macKeyClientToServer: 64, macKeyServerToClient: 0,
    };
    for (const hash of ['sha1', 'sha256', 'sha512'] as const) {
      const keys = deriveKeys({ hash, K, H, sessionId, sizes });
      for (const { letter, name } of KEY_LETTERS) {
        expect(keys[name].length).toBe(sizes[name]);
        expect(toHex(keys[name])).toBe(nodeDerive(hash, K, H, letter, sessionId, sizes[name]));
      }
    }
  });
});

describe('key sizes from the negotiated algorithms (SSH-FACTS "Sizes")', () => {
  it('chacha20-poly1305: a 64-byte key, no IV, no MAC key', () => {
    expect(keySizesFor({ cipherClientToServer: 'chacha20-poly1305@openssh.com', cipherServerToClient: 'chacha20-poly1305@openssh.com', macClientToServer: null, macServerToClient: 'hmac-sha2-256' }))
      .toEqual({ ivClientToServer: 0, ivServerToClient: 0, keyClientToServer: 64, keyServerToClient: 64, macKeyClientToServer: 0, macKeyServerToClient: 0 });
  });
  it('AES-GCM takes a 12-byte IV; AES-CTR a 16-byte IV; MAC keys are the hash size, UMAC 16', () => {
    expect(keySizesFor({ cipherClientToServer: 'aes256-gcm@openssh.com', cipherServerToClient: 'aes128-ctr', macClientToServer: 'hmac-sha1', macServerToClient: 'umac-64-etm@openssh.com' }))
      .toEqual({ ivClientToServer: 12, ivServerToClient: 16, keyClientToServer: 32, keyServerToClient: 16, macKeyClientToServer: 0, macKeyServerToClient: 16 });
    expect(keySizesFor({ cipherClientToServer: 'aes192-ctr', cipherServerToClient: 'aes256-cbc', macClientToServer: 'hmac-sha2-512', macServerToClient: 'hmac-sha1' }))
      .toEqual({ ivClientToServer: 16, ivServerToClient: 16, keyClientToServer: 24, keyServerToClient: 32, macKeyClientToServer: 64, macKeyServerToClient: 20 });
  });
});
