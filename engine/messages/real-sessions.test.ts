/**
 * Whole sessions of the real captures in ../shared/fixtures/openssh-ssh2 (ssh2 npm client -> OpenSSH 9.2p1), read in
 * place and decrypted here with the project's kex, key derivation and cipher registries (the curve25519 captures with
 * an AEAD cipher and no compression; a rekey capture up to its second KEXINIT). Every message decodes with no error
 * and no unknown field, covers its payload and re-encodes exactly; the known contents of the session (README of the
 * fixtures) come out as fields; and the user's publickey signature verifies over the signed data built from the
 * catalog's declared layout - which checks that layout against a real client.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCapture } from '../capture/reader.ts';
import { FIXTURES, streamsOf } from '../capture/test-helpers.ts';
import { getCipherAlgorithm, type AeadPacketCipher } from '../crypto/ciphers.ts';
import { verifyHostKeySignature } from '../crypto/hostkey.ts';
import { deriveKeys } from '../kex/derive.ts';
import { exchangeHash } from '../kex/exchange-hash.ts';
import { sharedSecretFromKeyLog } from '../kex/key-log-secret.ts';
import { kexMethod } from '../kex/methods.ts';
import { coverProblem } from './arbitrary.test-support.ts';
import { decodeMessage, encodeMessage, type DecodedMessage, type MessageContext } from './catalog.ts';
import { encodeLayout } from './codec.ts';
import { userauthSignedDataLayout } from './userauth.ts';

const present = existsSync(FIXTURES);
if (!present) console.warn(`\n*** REAL-SESSION MESSAGE SUITE SKIPPED: ${FIXTURES} is missing ***\n`);

const captures = present
  ? readFileSync(join(FIXTURES, 'MANIFEST.tsv'), 'utf8').trim().split('\n').slice(1).map((line) => {
      const [name, kex, cipher, , compression, hostkey, strict] = line.split('\t');
      return { name, kex, cipher, compression, hostkey, strict: strict === 'yes' };
    }).filter((c) => c.kex.startsWith('curve25519') && /chacha20|gcm/.test(c.cipher) && c.compression === 'none')
  : [];

type Side = 'client' | 'server';
interface Packet { payload: Uint8Array; sequence: number }

/** RFC 4253 §6 cleartext packets up to and including NEWKEYS; returns them and where the encrypted part starts. */
function cleartext(stream: Uint8Array, at: number): { packets: Uint8Array[]; end: number } {
  const packets: Uint8Array[] = [];
  const view = new DataView(stream.buffer, stream.byteOffset, stream.byteLength);
  while (at + 5 <= stream.length) {
    const length = view.getUint32(at);
    const payload = stream.subarray(at + 5, at + 4 + length - stream[at + 4]);
    packets.push(payload);
    at += 4 + length;
    if (payload[0] === 21) break;
  }
  return { packets, end: at };
}

/** AEAD packets (chacha20-poly1305@openssh.com, aesN-gcm@openssh.com) until the stream ends or a KEXINIT. */
function decrypt(stream: Uint8Array, at: number, cipher: AeadPacketCipher, firstSequence: number): Packet[] {
  const out: Packet[] = [];
  for (let sequence = firstSequence; at + 4 <= stream.length; sequence++) {
    const length = cipher.packetLength(sequence, stream.subarray(at, at + 4));
    if (at + 4 + length + cipher.tagLength > stream.length) break;
    const plain = new Uint8Array(4 + length);
    const ok = cipher.open(sequence, stream.subarray(at, at + 4 + length), stream.subarray(at + 4 + length, at + 4 + length + cipher.tagLength), plain);
    expect(ok, `tag of packet ${sequence}`).toBe(true);
    const payload = plain.subarray(5, 4 + length - plain[4]);
    out.push({ payload, sequence });
    at += 4 + length + cipher.tagLength;
    if (payload[0] === 20) break; // a rekey: later packets need the next key log line
  }
  return out;
}

describe.skipIf(!present)('whole decrypted sessions of the real captures', () => {
  it('includes the AEAD curve25519 captures', () => expect(captures.length).toBeGreaterThanOrEqual(12));

  for (const capture of captures) {
    it(`${capture.name}: every message decodes, no unknown field, exact re-encoding`, () => {
      const events = readCapture(readFileSync(join(FIXTURES, `${capture.name}.pcap`)));
      const streams = streamsOf(events, events.find((e) => e.type === 'connection')!.id);
      const id = (side: Side) => streams.identification.find((i) => i.direction === side)!;
      const bytes = { client: streams.clientBytes, server: streams.serverBytes };
      const clear = {
        client: cleartext(bytes.client, id('client').streamOffset + id('client').length),
        server: cleartext(bytes.server, id('server').streamOffset + id('server').length),
      };
      const kex = { kex: capture.kex };
      const I_C = clear.client.packets[0];
      const I_S = clear.server.packets[0];
      const Q_C = decodeMessage(clear.client.packets[1], kex).value.Q_C as Uint8Array;
      const reply = decodeMessage(clear.server.packets[1], kex);
      const Q_S = reply.value.Q_S as Uint8Array;
      const K_S = reply.fields.find((f) => f.name === 'host_key')!.value as Uint8Array;
      const shared = readFileSync(join(FIXTURES, `${capture.name}.shared_secret.keylog`), 'utf8').split('\n')[0].split(' ')[2];
      const method = kexMethod(capture.kex);
      const { K } = sharedSecretFromKeyLog({ method: method.name, clientPublic: Q_C, serverPublic: Q_S, kind: 'SHARED_SECRET', secret: shared, cookieSide: 'client' });
      const { H } = exchangeHash({ method: method.name, V_C: id('client').line, V_S: id('server').line, I_C, I_S, K_S, clientPublic: Q_C, serverPublic: Q_S, K });
      const algorithm = getCipherAlgorithm(capture.cipher);
      const sizes = { ivClientToServer: algorithm.ivLength, ivServerToClient: algorithm.ivLength, keyClientToServer: algorithm.keyLength, keyServerToClient: algorithm.keyLength, macKeyClientToServer: 0, macKeyServerToClient: 0 };
      const keys = deriveKeys({ hash: method.hash, K: K.wire, H, sessionId: H, sizes });
      const cipher = (side: Side) => algorithm.create(side === 'client' ? keys.keyClientToServer : keys.keyServerToClient,
        side === 'client' ? keys.ivClientToServer : keys.ivServerToClient, 'decrypt') as AeadPacketCipher;
      // RFC 4253 §6.4: sequence numbers run on across NEWKEYS, unless strict kex resets them to 0.
      const first = (side: Side) => (capture.strict ? 0 : clear[side].packets.length);
      const packets = {
        client: decrypt(bytes.client, clear.client.end, cipher('client'), first('client')),
        server: decrypt(bytes.server, clear.server.end, cipher('server'), first('server')),
      };

      // Decode the client first: the server's 60 (PK_OK...) depends on the auth method the client last tried, and
      // each side's REQUEST_SUCCESS answers the other side's global requests in order.
      const decoded: Record<Side, DecodedMessage[]> = { client: [], server: [] };
      const pendingGlobal: Record<Side, string[]> = { client: [], server: [] };
      let lastMethod: string | undefined;
      for (const side of ['client', 'server'] as const) {
        const other: Side = side === 'client' ? 'server' : 'client';
        for (const { payload } of packets[side]) {
          const context: MessageContext = { kex: capture.kex, auth: side === 'server' ? lastMethod : undefined };
          if (payload[0] === 81 || payload[0] === 82) context.globalRequest = pendingGlobal[other].shift();
          const m = decodeMessage(payload, context);
          expect(m.error, `${side} ${m.name}`).toBeUndefined();
          expect(m.unknown, `${side} ${m.name}`).toBe(false);
          expect(coverProblem(m.fields, 0, payload.length)).toBeNull();
          expect(encodeMessage(m.number, m.value, context)).toEqual(payload);
          if (m.name === 'SSH_MSG_USERAUTH_REQUEST' && m.value.method !== 'none') lastMethod = m.value.method as string;
          if (m.name === 'SSH_MSG_GLOBAL_REQUEST' && m.value.want_reply) pendingGlobal[side].push(m.value.request_name as string);
          decoded[side].push(m);
        }
      }

      const all = [...decoded.client, ...decoded.server];
      const find = (name: string, where: (v: Record<string, unknown>) => boolean = () => true) =>
        all.find((m) => m.name === name && where(m.value))?.value as Record<string, any> | undefined;
      expect(find('SSH_MSG_SERVICE_REQUEST')?.service_name).toBe('ssh-userauth');
      const extInfo = find('SSH_MSG_EXT_INFO');
      expect(extInfo?.extensions.map((e: { name: string }) => e.name)).toContain('server-sig-algs');
      expect(extInfo?.extensions.find((e: { name: string }) => e.name === 'server-sig-algs').value).toContain('ssh-ed25519');
      expect(find('SSH_MSG_USERAUTH_REQUEST', (v) => v.method === 'none')?.user).toBe('root');
      expect(find('SSH_MSG_USERAUTH_SUCCESS')).toBeDefined();
      expect(find('SSH_MSG_DEBUG')?.message).toMatch(/authorized_keys:\d+: key options: agent-forwarding/);
      const hostkeys = find('SSH_MSG_GLOBAL_REQUEST', (v) => v.request_name === 'hostkeys-00@openssh.com');
      expect(hostkeys?.hostkeys.map((k: { key: { type: string } }) => k.key.type)).toContain('ssh-ed25519');
      expect(find('SSH_MSG_CHANNEL_OPEN')?.channel_type).toBe('session');
      if (!capture.name.includes('rekey')) {
        const pty = find('SSH_MSG_CHANNEL_REQUEST', (v) => v.request_type === 'pty-req');
        expect(pty?.term).toBe('xterm');
        const modes = pty?.terminal_modes.modes as { opcode: number }[];
        expect(modes.at(-1)?.opcode).toBe(0); // TTY_OP_END
        expect(find('SSH_MSG_CHANNEL_REQUEST', (v) => v.request_type === 'env')).toMatchObject({ name: 'LANG', value: 'C' });
      }
      expect(find('SSH_MSG_CHANNEL_REQUEST', (v) => v.request_type === 'exec')?.command).toBe('echo HELLO_WIRESHARK_TEST; uname -s');
      expect(find('SSH_MSG_CHANNEL_REQUEST', (v) => v.request_type === 'exit-status')?.exit_status).toBe(0);
      const output = all.filter((m) => m.name === 'SSH_MSG_CHANNEL_DATA').map((m) => new TextDecoder().decode(m.value.data as Uint8Array)).join('');
      expect(output).toContain('HELLO_WIRESHARK_TEST\r\nLinux\r\n');

      // The user's signature verifies over the signed data declared in the catalog (RFC 4252 §7).
      const signed = find('SSH_MSG_USERAUTH_REQUEST', (v) => v.has_signature === true)!;
      const request = decoded.client.find((m) => m.value === signed)!;
      const field = (name: string) => request.fields.find((f) => f.name === name)!.value as Uint8Array;
      const data = encodeLayout(userauthSignedDataLayout, {
        session_id: H, message_number: 50, user: signed.user, service: signed.service, method: signed.method,
        has_signature: true, algorithm: signed.algorithm, public_key: field('public_key'),
      });
      const check = verifyHostKeySignature({ algorithm: signed.algorithm, hostKeyBlob: field('public_key'), signatureBlob: field('signature'), H: data });
      expect(check.reason).toMatch(/verifies/);
      expect(check.verified).toBe(true);
    });
  }
});
