/**
 * RFC 7748 §6.2 X448 Diffie-Hellman example (Alice and Bob, copied from the RFC text), through the functions
 * curve448-sha512 uses (RFC 8731 §3): the public values, K as an mpint, and the all-zero check.
 */
import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../wire/index.ts';
import { montgomeryPublicKey, montgomerySharedSecret } from './ecdh.ts';
import { KexError } from './errors.ts';
import { clientKexFinish, clientKexInit, serverKexReply } from './kex.ts';
import { kexMethod } from './methods.ts';
import { seededRandomBytes } from './test-rng.ts';

const h = (s: string) => fromHex(s)!;
const alice = h('9a8f4925d1519f5775cf46b04b5800d4ee9ee8bae8bc5565d498c28dd9c9baf574a9419744897391006382a6f127ab1d9ac2d8c0a598726b');
const alicePublic = '9b08f7cc31b7e3e67d22d5aea121074a273bd2b83de09c63faa73d2c22c5d9bbc836647241d953d40c5b12da88120d53177f80e532c41fa0';
const bob = h('1c306a7ac2a0e2e0990b294470cba339e6453772b075811d8fad0d1d6927c120bb5ee8972b0d3e21374c9c921b09d1b0366f10b65173992d');
const bobPublic = '3eb7a829b0cd20f5bcfc0b599b6feccf6da4627107bdb0d4f345b43027d8b972fc3e34fb4232a13ca706dcb57aec3dae07bdc1c67bf33609';
const shared = '07fff4181ac6cc95ec1c16a94a0f74d12da232ce40a77552281d282bb60c0b56fd2464c335543936521c24403085d59a449a5037514a879d';

describe('RFC 7748 §6.2 X448 for curve448-sha512 (RFC 8731 §3)', () => {
  it('gives the RFC public values and shared secret; K is its mpint (leading 0x07: no sign byte, 56 bytes)', () => {
    expect(toHex(montgomeryPublicKey('x448', alice))).toBe(alicePublic);
    expect(toHex(montgomeryPublicKey('x448', bob))).toBe(bobPublic);
    const K = montgomerySharedSecret('x448', alice, h(bobPublic), 'Q_S');
    expect(toHex(montgomerySharedSecret('x448', bob, h(alicePublic), 'Q_C').wire)).toBe(toHex(K.wire));
    expect(toHex(K.wire)).toBe('00000038' + shared);
  });

  it('refuses a wrong-length public value and the all-zero output', () => {
    expect(() => montgomerySharedSecret('x448', alice, h(bobPublic).subarray(1), 'Q_S')).toThrow(KexError);
    expect(() => montgomerySharedSecret('x448', alice, new Uint8Array(56), 'Q_S')).toThrow(/all-zero/);
  });

  it('curve448-sha512 is SHA-512 over 56-byte public values, both sides agreeing', () => {
    expect(kexMethod('curve448-sha512')).toMatchObject({ family: 'curve25519', montgomery: 'x448', hash: 'sha512' });
    const random = seededRandomBytes('curve448');
    const client = clientKexInit('curve448-sha512', random);
    expect((client.clientPublic as Uint8Array).length).toBe(56);
    const server = serverKexReply('curve448-sha512', client.clientPublic, random);
    expect(toHex(clientKexFinish('curve448-sha512', client.privateValue, server.serverPublic).wire)).toBe(toHex(server.K.wire));
  });
});
