/**
 * RFC 4432 RSA key exchange as sshlens decodes it: H over V_C, V_S, I_C, I_S, K_S, K_T, the encrypted secret and K
 * (§4, each input built here by hand from the RFC's list), K only from a SHARED_SECRET key-log line, and the engine's
 * refusal to run it. (A real PuTTY-AsyncSSH rsa2048-sha256 session decodes in cli/dev/others.test.ts.)
 */
import { sha1 } from '@noble/hashes/legacy.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { describe, expect, it } from 'vitest';
import { WireWriter } from '../wire/index.ts';
import { exchangeHash } from './exchange-hash.ts';
import { clientKexInit, serverKexReply } from './kex.ts';
import { sharedSecretFromKeyLog } from './key-log-secret.ts';
import { kexMethod } from './methods.ts';
import { seededRandomBytes } from './test-rng.ts';

const bytes = (n: number, seed: number) => Uint8Array.from({ length: n }, (_, i) => (i * 7 + seed) & 0xff);
const inputs = {
  V_C: 'SSH-2.0-PuTTY_Release_0.81', V_S: 'SSH-2.0-AsyncSSH_2.14.2', I_C: bytes(120, 1), I_S: bytes(140, 2), K_S: bytes(51, 3),
  serverPublic: bytes(279, 4), // K_T
  clientPublic: bytes(256, 5), // RSAES-OAEP(K_T, K)
};

describe('RFC 4432 §4 exchange hash', () => {
  for (const [method, hash] of [['rsa2048-sha256', sha256], ['rsa1024-sha1', sha1]] as const) {
    it(`${method}: HASH(V_C | V_S | I_C | I_S | K_S | string K_T | string encrypted secret | mpint K)`, () => {
      const K = sharedSecretFromKeyLog({ method, ...inputs, kind: 'SHARED_SECRET', secret: 'f3' + '11'.repeat(31), cookieSide: 'client' }).K;
      const by = new WireWriter().text(inputs.V_C).text(inputs.V_S).string(inputs.I_C).string(inputs.I_S).string(inputs.K_S)
        .string(inputs.serverPublic).string(inputs.clientPublic).mpint(BigInt('0xf3' + '11'.repeat(31))).finish();
      const h = exchangeHash({ method, ...inputs, K });
      expect(h.inputs.map((i) => i.name)).toEqual(['V_C', 'V_S', 'I_C', 'I_S', 'K_S', 'K_T', 'encrypted_secret', 'K']);
      expect(h.H).toEqual(hash(by));
      expect(kexMethod(method).hash).toBe(method === 'rsa1024-sha1' ? 'sha1' : 'sha256');
    });
  }
});

describe('K for RSA key exchange', () => {
  it('comes from SHARED_SECRET only: a PRIVATE_KEY says why it cannot work and what to log instead', () => {
    expect(() => sharedSecretFromKeyLog({ method: 'rsa2048-sha256', ...inputs, kind: 'PRIVATE_KEY', secret: '01'.repeat(32), cookieSide: 'client' }))
      .toThrow(/transient RSA key.*SHARED_SECRET/);
  });
  it('the engine does not run either side', () => {
    expect(() => clientKexInit('rsa2048-sha256', seededRandomBytes('rsa'))).toThrow(/decoded by sshlens but not run by its engine/);
    expect(() => serverKexReply('rsa1024-sha1', bytes(128, 1), seededRandomBytes('rsa'))).toThrow(/RFC 4432/);
  });
});
