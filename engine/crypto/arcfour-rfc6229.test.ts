/**
 * arcfour (RFC 4253 §6.3) and arcfour128/arcfour256 (RFC 4345 §4: the first 1536 keystream bytes discarded) against
 * RFC 6229's RC4 keystream vectors - key 0x0102030405 offset 0 (§2), the 128-bit key 0x0102..10 at offsets 0 and
 * 1536, the 256-bit key 0x0102..20 at offset 0 - and the 256-bit key at offset 1536 as computed by
 * python3-cryptography 48's ARC4 (Debian) as an independent implementation. Also: rijndael-cbc@lysator.liu.se is
 * aes256-cbc. (A real PuTTY-AsyncSSH arcfour256 session decodes in cli/dev/others.test.ts.)
 */
import { describe, expect, it } from 'vitest';
import { Arcfour } from './arcfour.ts';
import { getCipherAlgorithm, type BlockPacketCipher } from './ciphers.ts';

const hex = (s: string) => Uint8Array.from(s.match(/../g) ?? [], (b) => parseInt(b, 16));
const toHex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const keyOf = (n: number) => Uint8Array.from({ length: n }, (_, i) => i + 1);

function keystream(name: string, key: Uint8Array, bytes: number): Uint8Array {
  const cipher = getCipherAlgorithm(name).create(key, new Uint8Array(0), 'encrypt') as BlockPacketCipher;
  const out = new Uint8Array(bytes);
  cipher.update(out, out);
  return out;
}

describe('RC4 keystream (RFC 6229)', () => {
  it('40-bit key 0102030405, offset 0', () => {
    const out = new Uint8Array(16);
    new Arcfour(keyOf(5)).update(out, out);
    expect(toHex(out)).toBe('b2396305f03dc027ccc3524a0a1118a8');
  });
  it('arcfour: the 128-bit key, no discard (offset 0)', () => expect(toHex(keystream('arcfour', keyOf(16), 16))).toBe('9ac7cc9a609d1ef7b2932899cde41b97'));
  it('arcfour128: the 128-bit key, from offset 1536', () => expect(toHex(keystream('arcfour128', keyOf(16), 16))).toBe('ffa0b514647ec04f6306b892ae661181'));
  it('arcfour256: the 256-bit key, offset 0 (RFC 6229) and from offset 1536 (python3-cryptography)', () => {
    const out = new Uint8Array(16);
    new Arcfour(keyOf(32)).update(out, out);
    expect(toHex(out)).toBe('eaa6bd25880bf93d3f5d1e4ca2611d91');
    expect(toHex(keystream('arcfour256', keyOf(32), 16))).toBe('3e34135c79db010200767651cf263073');
  });
  it('the state runs on across calls, and decrypting undoes encrypting', () => {
    const whole = keystream('arcfour256', keyOf(32), 48);
    const cipher = getCipherAlgorithm('arcfour256').create(keyOf(32), new Uint8Array(0), 'decrypt') as BlockPacketCipher;
    const parts = new Uint8Array(48);
    cipher.update(parts.subarray(0, 16), parts.subarray(0, 16));
    cipher.update(parts.subarray(16), parts.subarray(16));
    expect(parts).toEqual(whole);
    expect(() => getCipherAlgorithm('arcfour128').create(keyOf(32), new Uint8Array(0), 'encrypt')).toThrow();
  });
});

describe('rijndael-cbc@lysator.liu.se (RFC 4253 §6.3)', () => {
  it('is aes256-cbc under another name', () => {
    const key = keyOf(32);
    const iv = hex('000102030405060708090a0b0c0d0e0f');
    const run = (name: string) => {
      const c = getCipherAlgorithm(name).create(key, iv, 'encrypt') as BlockPacketCipher;
      const data = Uint8Array.from({ length: 64 }, (_, i) => i * 3);
      c.update(data, data);
      return data;
    };
    expect(run('rijndael-cbc@lysator.liu.se')).toEqual(run('aes256-cbc'));
    expect(getCipherAlgorithm('rijndael-cbc@lysator.liu.se')).toMatchObject({ keyLength: 32, ivLength: 16, blockSize: 16 });
  });
});

describe('AEAD_AES_128_GCM / AEAD_AES_256_GCM (RFC 5647 §6)', () => {
  it('are the aesN-gcm@openssh.com construction under the RFC names, and make the MAC slot ignored', async () => {
    const { negotiate } = await import('../kex/negotiate.ts');
    for (const bits of [128, 256]) {
      const seal = (name: string) => {
        const c = getCipherAlgorithm(name).create(keyOf(bits / 8), keyOf(12), 'encrypt');
        if (c.kind !== 'aead') throw new Error('not AEAD');
        const packet = Uint8Array.from({ length: 36 }, (_, i) => i);
        packet.set([0, 0, 0, 32], 0);
        const wire = new Uint8Array(36), tag = new Uint8Array(16);
        c.seal(0, packet, wire, tag);
        return toHex(wire) + toHex(tag);
      };
      expect(seal(`AEAD_AES_${bits}_GCM`)).toBe(seal(`aes${bits}-gcm@openssh.com`));
    }
    const side = { kex_algorithms: ['curve25519-sha256'], server_host_key_algorithms: ['ssh-ed25519'], compression_algorithms_client_to_server: ['none'], compression_algorithms_server_to_client: ['none'], languages_client_to_server: [], languages_server_to_client: [], first_kex_packet_follows: false };
    const both = { ...side, encryption_algorithms_client_to_server: ['AEAD_AES_256_GCM'], encryption_algorithms_server_to_client: ['AEAD_AES_128_GCM'], mac_algorithms_client_to_server: ['AEAD_AES_256_GCM'], mac_algorithms_server_to_client: ['AEAD_AES_128_GCM'] };
    const n = negotiate(both, both);
    expect(n.ok).toBe(true);
    expect(n.winners.cipherClientToServer).toBe('AEAD_AES_256_GCM');
    expect(n.slots.filter((s) => s.slot.startsWith('mac')).every((s) => s.ignored)).toBe(true);
  });
});
