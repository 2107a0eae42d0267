/**
 * The first key exchange of every real capture in ../shared/fixtures/openssh-ssh2 (ssh2 npm client -> OpenSSH 9.2p1),
 * read in place: negotiation gives the MANIFEST's algorithms and strict-kex flag; K from each of the three key-log
 * forms (old form, PRIVATE_KEY, SHARED_SECRET) is the same; H built from the messages and that K carries the
 * server's host key signature, which verifies. The cleartext packets before NEWKEYS are framed here with the
 * RFC 4253 §6 layout (no cipher, no MAC yet), decoded with the message catalog.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCapture } from '../capture/reader.ts';
import { FIXTURES, streamsOf } from '../capture/test-helpers.ts';
import { verifyHostKeySignature } from '../crypto/hostkey.ts';
import { decodeMessage, type DecodedMessage } from '../messages/index.ts';
import { toHex } from '../wire/index.ts';
import { exchangeHash, type GexParameters } from './exchange-hash.ts';
import { sharedSecretFromKeyLog } from './key-log-secret.ts';
import { kexMethod } from './methods.ts';
import { negotiate, type KexInitProposal } from './negotiate.ts';

const present = existsSync(FIXTURES);
if (!present) console.warn(`\n*** REAL-CAPTURE KEX SUITE SKIPPED: ${FIXTURES} is missing ***\n`);

const manifest = present
  ? readFileSync(join(FIXTURES, 'MANIFEST.tsv'), 'utf8').trim().split('\n').slice(1).map((line) => {
      const [name, kex, cipher, mac, compression, hostkey, strict] = line.split('\t');
      return { name, kex, cipher, mac, compression, hostkey, strict: strict === 'yes' };
    })
  : [];

/** RFC 4253 §6 cleartext packets (uint32 packet_length | byte padding_length | payload | padding) up to NEWKEYS. */
function cleartextPayloads(stream: Uint8Array, start: number): Uint8Array[] {
  const payloads: Uint8Array[] = [];
  const view = new DataView(stream.buffer, stream.byteOffset, stream.byteLength);
  for (let at = start; at + 5 <= stream.length; ) {
    const length = view.getUint32(at);
    const padding = stream[at + 4];
    const payload = stream.subarray(at + 5, at + 4 + length - padding);
    payloads.push(payload);
    at += 4 + length;
    if (payload[0] === 21) break; // SSH_MSG_NEWKEYS: what follows is encrypted
  }
  return payloads;
}

const bytesOf = (m: DecodedMessage, name: string) => m.fields.find((f) => f.name === name)!.value as Uint8Array;

describe.skipIf(!present)('first key exchange of each real capture', () => {
  it('covers all 27 captures', () => expect(manifest.length).toBe(27));

  for (const entry of manifest) {
    it(`${entry.name}: ${entry.kex}, ${entry.hostkey}`, () => {
      const events = readCapture(readFileSync(join(FIXTURES, `${entry.name}.pcap`)));
      const connection = events.find((e) => e.type === 'connection')!;
      const streams = streamsOf(events, connection.id);
      const [idC, idS] = ['client', 'server'].map((d) => streams.identification.find((i) => i.direction === d)!);
      const client = cleartextPayloads(streams.clientBytes, idC.streamOffset + idC.length);
      const server = cleartextPayloads(streams.serverBytes, idS.streamOffset + idS.length);

      // KEXINITs and negotiation (RFC 4253 §7.1).
      const I_C = client[0];
      const I_S = server[0];
      const kexinitC = decodeMessage(I_C);
      const kexinitS = decodeMessage(I_S);
      expect([kexinitC.name, kexinitS.name]).toEqual(['SSH_MSG_KEXINIT', 'SSH_MSG_KEXINIT']);
      const negotiation = negotiate(kexinitC.value as unknown as KexInitProposal, kexinitS.value as unknown as KexInitProposal);
      expect(negotiation.ok).toBe(true);
      expect(negotiation.winners.kex).toBe(entry.kex);
      expect(negotiation.winners.hostKey).toBe(entry.hostkey);
      expect(negotiation.winners.cipherClientToServer).toBe(entry.cipher);
      expect(negotiation.winners.macClientToServer).toBe(entry.mac === '(implicit AEAD)' ? null : entry.mac);
      expect(negotiation.winners.compressionServerToClient).toBe(entry.compression);
      expect(negotiation.strictKex).toBe(entry.strict);

      // The method's messages, decoded by (number, kex method).
      const method = kexMethod(entry.kex);
      const context = { kex: method.name };
      const clientMsgs = client.slice(1).map((p) => decodeMessage(p, context));
      const serverMsgs = server.slice(1).map((p) => decodeMessage(p, context));
      let clientPublic: bigint | Uint8Array;
      let serverPublic: bigint | Uint8Array;
      let reply: DecodedMessage;
      let gex: GexParameters | undefined;
      if (method.family === 'dh-gex') {
        const request = clientMsgs.find((m) => m.name === 'SSH_MSG_KEX_DH_GEX_REQUEST')!;
        const group = serverMsgs.find((m) => m.name === 'SSH_MSG_KEX_DH_GEX_GROUP')!;
        gex = { min: request.value.min as number, n: request.value.n as number, max: request.value.max as number, p: group.value.p as bigint, g: group.value.g as bigint };
        clientPublic = clientMsgs.find((m) => m.name === 'SSH_MSG_KEX_DH_GEX_INIT')!.value.e as bigint;
        reply = serverMsgs.find((m) => m.name === 'SSH_MSG_KEX_DH_GEX_REPLY')!;
        serverPublic = reply.value.f as bigint;
      } else if (method.family === 'dh-group') {
        clientPublic = clientMsgs.find((m) => m.name === 'SSH_MSG_KEXDH_INIT')!.value.e as bigint;
        reply = serverMsgs.find((m) => m.name === 'SSH_MSG_KEXDH_REPLY')!;
        serverPublic = reply.value.f as bigint;
      } else {
        clientPublic = bytesOf(clientMsgs.find((m) => m.name === 'SSH_MSG_KEX_ECDH_INIT')!, 'Q_C');
        reply = serverMsgs.find((m) => m.name === 'SSH_MSG_KEX_ECDH_REPLY')!;
        serverPublic = bytesOf(reply, 'Q_S');
      }

      // K from the three key-log forms, all with the client's cookie (KEXINIT bytes 1..16).
      const cookie = toHex(I_C.subarray(1, 17));
      const line = (form: string) => readFileSync(join(FIXTURES, `${entry.name}.${form}.keylog`), 'utf8').split('\n')[0].split(' ');
      const old = line('oldformat');
      const priv = line('private_key');
      const shared = line('shared_secret');
      for (const l of [old, priv, shared]) expect(l[0]).toBe(cookie);
      const base = { method: method.name, clientPublic, serverPublic, group: gex, cookieSide: 'client' as const };
      const fromOld = sharedSecretFromKeyLog({ ...base, kind: 'PRIVATE_KEY', secret: old[1] });
      const fromPrivate = sharedSecretFromKeyLog({ ...base, kind: 'PRIVATE_KEY', secret: priv[2] });
      const fromShared = sharedSecretFromKeyLog({ ...base, kind: 'SHARED_SECRET', secret: shared[2] });
      expect(fromPrivate.privateValueOf).toBe('client');
      expect(toHex(fromOld.K.wire)).toBe(toHex(fromShared.K.wire));
      expect(toHex(fromPrivate.K.wire)).toBe(toHex(fromShared.K.wire));

      // H and the host key signature over it.
      const K_S = bytesOf(reply, 'host_key');
      const H = exchangeHash({ method: method.name, V_C: idC.line, V_S: idS.line, I_C, I_S, K_S, clientPublic, serverPublic, gex, K: fromShared.K });
      const result = verifyHostKeySignature({ algorithm: entry.hostkey, hostKeyBlob: K_S, signatureBlob: bytesOf(reply, 'signature'), H: H.H });
      expect(result.reason).toMatch(/verifies/);
      expect(result).toMatchObject({ verified: true, keyType: entry.hostkey === 'ssh-ed25519' ? 'ssh-ed25519' : 'ssh-rsa' });
      expect(result.fingerprint).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
    });
  }
});
