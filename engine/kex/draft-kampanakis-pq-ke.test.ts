/**
 * draft-kampanakis-curdle-ssh-pq-ke §2.2-2.4: mlkem768nistp256-sha256 and mlkem1024nistp384-sha384, recomputed
 * here from the draft's words with noble's ML-KEM and NIST curves directly, not through the engine's hybrid code:
 * C_INIT = C_PK2 (ML-KEM public key) | C_PK1 (uncompressed point), S_REPLY = S_CT2 (ciphertext) | S_PK1, and
 * K = string HASH(K_PQ | K_CL) with K_CL the ECDH x coordinate as fixed-length bytes. No peer we can run speaks
 * these methods (OpenSSH 9.2, libssh 0.10 and PuTTY 0.78 do not), so the draft itself is the reference.
 */
import { p256, p384 } from '@noble/curves/nist.js';
import { sha256, sha384 } from '@noble/hashes/sha2.js';
import { ml_kem1024, ml_kem768 } from '@noble/post-quantum/ml-kem.js';
import { describe, expect, it } from 'vitest';
import { toHex } from '../wire/index.ts';
import { clientKexFinish, clientKexInit, serverKexReply } from './kex.ts';
import { sharedSecretFromKeyLog } from './key-log-secret.ts';
import { seededRandomBytes } from './test-rng.ts';

const CASES = [
  { name: 'mlkem768nistp256-sha256', kem: ml_kem768, curve: p256, hash: sha256, pk: 1184, ct: 1088, point: 65, x: 32 },
  { name: 'mlkem1024nistp384-sha384', kem: ml_kem1024, curve: p384, hash: sha384, pk: 1568, ct: 1568, point: 97, x: 48 },
] as const;

describe('ML-KEM + NIST-curve hybrids, draft-kampanakis-curdle-ssh-pq-ke', () => {
  for (const c of CASES) {
    it(`${c.name}: layouts and K as the draft defines them`, () => {
      const rng = seededRandomBytes(c.name);
      const client = clientKexInit(c.name, rng);
      const C_INIT = client.clientPublic as Uint8Array;
      expect(C_INIT.length).toBe(c.pk + c.point);
      const server = serverKexReply(c.name, C_INIT, rng);
      const S_REPLY = server.serverPublic as Uint8Array;
      expect(S_REPLY.length).toBe(c.ct + c.point);
      expect(S_REPLY[c.ct]).toBe(0x04); // §2.3: RFC 5656 point encoding, uncompressed here

      // The client's private value is the ML-KEM secret key then the EC scalar (the key-log PRIVATE_KEY form).
      const clientPrivate = client.privateValue as Uint8Array;
      const kemSecret = clientPrivate.subarray(0, clientPrivate.length - c.x);
      const ecScalar = clientPrivate.subarray(clientPrivate.length - c.x);
      expect(toHex(c.curve.getPublicKey(ecScalar, false))).toBe(toHex(C_INIT.subarray(c.pk)));

      const K_PQ = c.kem.decapsulate(S_REPLY.subarray(0, c.ct), kemSecret);
      const K_CL = c.curve.getSharedSecret(ecScalar, S_REPLY.subarray(c.ct), true).subarray(1);
      expect(K_CL.length).toBe(c.x);
      const expected = c.hash(new Uint8Array([...K_PQ, ...K_CL]));

      expect(server.K.encoding).toBe('string');
      expect(toHex(server.K.content)).toBe(toHex(expected));
      expect(toHex(clientKexFinish(c.name, clientPrivate, S_REPLY).content)).toBe(toHex(expected));
      // A key log's PRIVATE_KEY line for the client gives the same K.
      const fromLog = sharedSecretFromKeyLog({ method: c.name, clientPublic: C_INIT, serverPublic: S_REPLY, kind: 'PRIVATE_KEY', secret: toHex(clientPrivate), cookieSide: 'client' });
      expect(toHex(fromLog.K.content)).toBe(toHex(expected));
      expect(fromLog.privateValueOf).toBe('client');
    });

    it(`${c.name}: a point off the curve or of the wrong length is refused with a clear reason`, () => {
      const rng = seededRandomBytes(`${c.name} bad`);
      const C_INIT = new Uint8Array(clientKexInit(c.name, rng).clientPublic as Uint8Array);
      C_INIT[C_INIT.length - 1] ^= 1;
      expect(() => serverKexReply(c.name, C_INIT, rng)).toThrow(/not a point on/);
      expect(() => serverKexReply(c.name, C_INIT.subarray(0, C_INIT.length - 1), rng)).toThrow(new RegExp(`must be ${c.pk + c.point} bytes`));
    });
  }
});
