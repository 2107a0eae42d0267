/**
 * Hybrid post-quantum kex messages (RFC 9941 sntrup761x25519; draft-ietf-sshm-mlkem-hybrid-kex mlkem768x25519):
 * public values made by the project's kex module (noble ML-KEM-768, the sntrup761 implementation, X25519) are
 * framed by hand with the wire writer, then decoded through the catalog: the post-quantum and X25519 parts come out
 * as separate fields of the sizes the specifications give.
 */
import { describe, expect, it } from 'vitest';
import { randomBytes } from '@noble/hashes/utils.js';
import { clientKexInit, serverKexReply } from '../kex/kex.ts';
import { WireWriter, concatBytes } from '../wire/index.ts';
import { coverProblem } from './arbitrary.test-support.ts';
import { decodeMessage } from './catalog.ts';

const cases: [string, number, number][] = [
  ['mlkem768x25519-sha256', 1184, 1088],
  ['sntrup761x25519-sha512', 1158, 1039],
  ['sntrup761x25519-sha512@openssh.com', 1158, 1039],
];

describe('hybrid KEM INIT and REPLY split into their post-quantum and X25519 parts', () => {
  for (const [method, publicKeySize, ciphertextSize] of cases) {
    it(method, () => {
      const { clientPublic } = clientKexInit(method, randomBytes);
      const { serverPublic } = serverKexReply(method, clientPublic, randomBytes);
      const C_INIT = clientPublic as Uint8Array;
      const S_REPLY = serverPublic as Uint8Array;

      const init = new WireWriter().byte(30).string(C_INIT).finish();
      const i = decodeMessage(init, { kex: method });
      expect(i.name).toBe('SSH_MSG_KEX_HYBRID_INIT');
      expect(i.error).toBeUndefined();
      const parts = i.value.C_INIT as { pq_public_key: Uint8Array; x25519: Uint8Array };
      expect(parts.pq_public_key.length).toBe(publicKeySize);
      expect(parts.x25519.length).toBe(32);
      expect(concatBytes(parts.pq_public_key, parts.x25519)).toEqual(C_INIT);
      expect(coverProblem(i.fields, 0, init.length)).toBeNull();

      const hostKey = new WireWriter().text('ssh-ed25519').string(new Uint8Array(32).fill(1)).finish();
      const signature = new WireWriter().text('ssh-ed25519').string(new Uint8Array(64).fill(2)).finish();
      const reply = new WireWriter().byte(31).string(hostKey).string(S_REPLY).string(signature).finish();
      const r = decodeMessage(reply, { kex: method });
      expect(r.name).toBe('SSH_MSG_KEX_HYBRID_REPLY');
      expect(r.error).toBeUndefined();
      const s = r.value.S_REPLY as { pq_ciphertext: Uint8Array; x25519: Uint8Array };
      expect(s.pq_ciphertext.length).toBe(ciphertextSize);
      expect(s.x25519.length).toBe(32);
      const split = r.fields.find((f) => f.name === 'S_REPLY')!;
      expect(split.children!.map((c) => [c.name, c.span.end - c.span.start])).toEqual([
        ['(length)', 4], ['pq_ciphertext', ciphertextSize], ['x25519', 32],
      ]);
      expect(coverProblem(r.fields, 0, reply.length)).toBeNull();
    });
  }
});
