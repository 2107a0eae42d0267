/**
 * The first key exchange of every real capture in ../shared/fixtures/openssh-ssh2 (ssh2 npm client -> OpenSSH 9.2p1),
 * read in place: negotiation gives the MANIFEST's algorithms and strict-kex flag; K from each of the three key-log
 * forms (old form, PRIVATE_KEY, SHARED_SECRET) is the same; H built from the messages and that K carries the
 * server's host key signature, which verifies. The cleartext packets before NEWKEYS are framed here with the
 * RFC 4253 §6 layout (no cipher, no MAC yet), decoded with the message catalog.
 * The keys derived from K and H at the sizes the negotiated algorithms take (RFC 4253 §7.2; 64-byte chacha20 keys
 * are four SHA-1 blocks for diffie-hellman-group14-sha1) must authenticate the first encrypted packet of each
 * direction, with the sequence number strict kex gives it: Poly1305 (OpenSSH PROTOCOL.chacha20poly1305), the GCM
 * tag (RFC 5647 §7), or the HMAC over the decrypted packet (RFC 4253 §6.4) or over the ciphertext (EtM, OpenSSH
 * PROTOCOL §1.5). The check is written here from those specs with noble primitives, not with the transport code.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCapture } from '../capture/reader.ts';
import { FIXTURES, streamsOf } from '../capture/test-helpers.ts';
import { decodeMessage, type DecodedMessage } from '../messages/index.ts';
import { cbc, ctr, gcm } from '@noble/ciphers/aes.js';
import { chacha20orig } from '@noble/ciphers/chacha.js';
import { hmac } from '@noble/hashes/hmac.js';
import { sha1 } from '@noble/hashes/legacy.js';
import { sha256, sha512 } from '@noble/hashes/sha2.js';
import { poly1305 } from '@noble/ciphers/_poly1305.js';
import { concatBytes, equalBytes, toHex } from '../wire/index.ts';
import type { DerivedKeys } from './derive.ts';
import { finishKeyExchange } from './finish.ts';
import { keySizesFor } from './key-sizes.ts';
import type { GexParameters } from './exchange-hash.ts';
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

/**
 * RFC 4253 §6 cleartext packets (uint32 packet_length | byte padding_length | payload | padding) up to NEWKEYS, and
 * where the first encrypted packet starts.
 */
function cleartextPayloads(stream: Uint8Array, start: number): Uint8Array[] & { encryptedAt: number } {
  const payloads = Object.assign([] as Uint8Array[], { encryptedAt: -1 });
  const view = new DataView(stream.buffer, stream.byteOffset, stream.byteLength);
  for (let at = start; at + 5 <= stream.length; ) {
    const length = view.getUint32(at);
    const padding = stream[at + 4];
    const payload = stream.subarray(at + 5, at + 4 + length - padding);
    payloads.push(payload);
    at += 4 + length;
    if (payload[0] === 21) {
      payloads.encryptedAt = at; // SSH_MSG_NEWKEYS: what follows is encrypted
      break;
    }
  }
  return payloads;
}

const HMAC_HASH = { 'hmac-sha1': sha1, 'hmac-sha2-256': sha256, 'hmac-sha2-512': sha512 } as const;
const u32 = (n: number) => new Uint8Array([n >>> 24, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff]);
const u32At = (b: Uint8Array, at: number) => ((b[at] << 24) | (b[at + 1] << 16) | (b[at + 2] << 8) | b[at + 3]) >>> 0;

/** Does the first encrypted packet at `at` authenticate under these keys (one direction)? */
function firstPacketAuthenticates(stream: Uint8Array, at: number, cipher: string, mac: string | null, key: Uint8Array, iv: Uint8Array, macKey: Uint8Array, seq: number): boolean {
  if (cipher === 'chacha20-poly1305@openssh.com') {
    const nonce = new Uint8Array([0, 0, 0, 0, ...u32(seq)]);
    const encryptedLength = stream.subarray(at, at + 4);
    const length = u32At(chacha20orig(key.subarray(32, 64), nonce, encryptedLength), 0);
    if (length > 35000) return false;
    const polyKey = chacha20orig(key.subarray(0, 32), nonce, new Uint8Array(32));
    const tag = poly1305(concatBytes(encryptedLength, stream.subarray(at + 4, at + 4 + length)), polyKey);
    return equalBytes(tag, stream.subarray(at + 4 + length, at + 4 + length + 16));
  }
  if (cipher.endsWith('-gcm@openssh.com')) {
    const length = u32At(stream, at); // in the clear, the AAD
    try {
      gcm(key, iv, stream.subarray(at, at + 4)).decrypt(stream.subarray(at + 4, at + 4 + length + 16));
      return true;
    } catch {
      return false;
    }
  }
  const hash = HMAC_HASH[mac!.replace('-etm@openssh.com', '') as keyof typeof HMAC_HASH];
  const macLength = hash.outputLen;
  if (mac!.endsWith('-etm@openssh.com')) {
    const length = u32At(stream, at);
    const tag = hmac(hash, macKey, concatBytes(u32(seq), stream.subarray(at, at + 4 + length)));
    return equalBytes(tag, stream.subarray(at + 4 + length, at + 4 + length + macLength));
  }
  // Encrypt-and-MAC: decrypt the first block for the length, then the whole packet, then MAC the plaintext.
  const decrypt = (bytes: Uint8Array) => (cipher.endsWith('-ctr') ? ctr(key, iv).decrypt(bytes) : cbc(key, iv, { disablePadding: true }).decrypt(bytes));
  const length = u32At(decrypt(stream.subarray(at, at + 16)), 0);
  if (length > 35000 || (length + 4) % 16 !== 0) return false;
  const plain = decrypt(stream.subarray(at, at + 4 + length));
  const tag = hmac(hash, macKey, concatBytes(u32(seq), plain));
  return equalBytes(tag, stream.subarray(at + 4 + length, at + 4 + length + macLength));
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

      // H, the host key signature over it and the keys, in one call.
      const K_S = bytesOf(reply, 'host_key');
      const outcome = finishKeyExchange({
        method: method.name, V_C: idC.line, V_S: idS.line, I_C, I_S, K_S, clientPublic, serverPublic, gex, K: fromShared.K,
        hostKeyAlgorithm: entry.hostkey, signature: bytesOf(reply, 'signature'),
        sizes: keySizesFor(negotiation.winners as Parameters<typeof keySizesFor>[0]),
      });
      expect(outcome.sessionId).toEqual(outcome.exchangeHash.H);
      const result = outcome.hostKey!;
      expect(result.reason).toMatch(/verifies/);
      expect(result).toMatchObject({ verified: true, keyType: entry.hostkey === 'ssh-ed25519' ? 'ssh-ed25519' : 'ssh-rsa' });
      expect(result.fingerprint).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);

      // Sequence numbers count every packet since the identification line; strict kex resets them at NEWKEYS.
      const keys: DerivedKeys = outcome.keys;
      const w = negotiation.winners;
      const seqClient = entry.strict ? 0 : client.length;
      const seqServer = entry.strict ? 0 : server.length;
      expect(firstPacketAuthenticates(streams.clientBytes, client.encryptedAt, w.cipherClientToServer!, w.macClientToServer, keys.keyClientToServer, keys.ivClientToServer, keys.macKeyClientToServer, seqClient)).toBe(true);
      expect(firstPacketAuthenticates(streams.serverBytes, server.encryptedAt, w.cipherServerToClient!, w.macServerToClient, keys.keyServerToClient, keys.ivServerToClient, keys.macKeyServerToClient, seqServer)).toBe(true);
      // The other direction's keys do not authenticate it.
      expect(firstPacketAuthenticates(streams.clientBytes, client.encryptedAt, w.cipherClientToServer!, w.macClientToServer, keys.keyServerToClient, keys.ivServerToClient, keys.macKeyServerToClient, seqClient)).toBe(false);
    });
  }
});
