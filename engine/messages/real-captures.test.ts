/**
 * The cleartext handshake of every real capture in ../shared/fixtures/openssh-ssh2 (ssh2 npm client -> OpenSSH
 * 9.2p1), read in place: each packet up to NEWKEYS (KEXINIT, the method's kex messages, NEWKEYS) decodes with no
 * error and no unknown field, its leaves cover every payload byte once, and re-encoding gives back the exact bytes.
 * The packets are framed here with the RFC 4253 §6 layout (no cipher, no MAC before the first NEWKEYS).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCapture } from '../capture/reader.ts';
import { FIXTURES, streamsOf } from '../capture/test-helpers.ts';
import { coverProblem } from './arbitrary.test-support.ts';
import { decodeMessage, encodeMessage, type DecodedMessage } from './catalog.ts';

const present = existsSync(FIXTURES);
if (!present) console.warn(`\n*** REAL-CAPTURE MESSAGE SUITE SKIPPED: ${FIXTURES} is missing ***\n`);

const manifest = present
  ? readFileSync(join(FIXTURES, 'MANIFEST.tsv'), 'utf8').trim().split('\n').slice(1).map((line) => {
      const [name, kex, , , , hostkey] = line.split('\t');
      return { name, kex, hostkey };
    })
  : [];

/** RFC 4253 §6 cleartext packets: uint32 packet_length | byte padding_length | payload | padding, up to NEWKEYS. */
function cleartextPayloads(stream: Uint8Array, start: number): { payload: Uint8Array; offset: number }[] {
  const out: { payload: Uint8Array; offset: number }[] = [];
  const view = new DataView(stream.buffer, stream.byteOffset, stream.byteLength);
  for (let at = start; at + 5 <= stream.length; ) {
    const length = view.getUint32(at);
    const payload = stream.subarray(at + 5, at + 4 + length - stream[at + 4]);
    out.push({ payload, offset: at + 5 });
    at += 4 + length;
    if (payload[0] === 21) break; // SSH_MSG_NEWKEYS: what follows is encrypted
  }
  return out;
}

describe.skipIf(!present)('cleartext handshake of each real capture', () => {
  it('covers all 27 captures', () => expect(manifest.length).toBe(27));

  for (const capture of manifest) {
    it(`${capture.name}: ${capture.kex}, ${capture.hostkey}`, () => {
      const events = readCapture(readFileSync(join(FIXTURES, `${capture.name}.pcap`)));
      const connection = events.find((e) => e.type === 'connection')!;
      const streams = streamsOf(events, connection.id);
      const decoded: Record<'client' | 'server', DecodedMessage[]> = { client: [], server: [] };
      for (const side of ['client', 'server'] as const) {
        const id = streams.identification.find((i) => i.direction === side)!;
        const bytes = side === 'client' ? streams.clientBytes : streams.serverBytes;
        for (const { payload, offset } of cleartextPayloads(bytes, id.streamOffset + id.length)) {
          const m = decodeMessage(payload, { kex: capture.kex }, offset);
          expect(m.error, `${side} ${m.name}`).toBeUndefined();
          expect(m.unknown, `${side} ${m.name}`).toBe(false);
          expect(coverProblem(m.fields, offset, offset + payload.length)).toBeNull();
          expect(encodeMessage(m.number, m.value, { kex: capture.kex })).toEqual(payload);
          decoded[side].push(m);
        }
      }
      const names = (side: 'client' | 'server') => decoded[side].map((m) => m.name);
      const reply = decoded.server.find((m) => /REPLY$/.test(m.name))!;
      expect(names('client')[0]).toBe('SSH_MSG_KEXINIT');
      expect(names('server')[0]).toBe('SSH_MSG_KEXINIT');
      expect(names('client').at(-1)).toBe('SSH_MSG_NEWKEYS');
      expect(names('server').at(-1)).toBe('SSH_MSG_NEWKEYS');
      expect(decoded.client[0].value.kex_algorithms).toContain(capture.kex);

      // The host key and signature inside the reply are nested fields of the right types.
      const hostKey = reply.value.host_key as Record<string, unknown>;
      const signature = reply.value.signature as Record<string, unknown>;
      expect(signature.format).toBe(capture.hostkey);
      expect(hostKey.type).toBe(capture.hostkey.startsWith('rsa-') ? 'ssh-rsa' : capture.hostkey);
      if (hostKey.type === 'ssh-ed25519') expect((hostKey.key as Uint8Array).length).toBe(32);
      if (capture.kex.startsWith('curve25519')) {
        expect(names('client').slice(1, -1)).toEqual(['SSH_MSG_KEX_ECDH_INIT']);
        expect((reply.value.Q_S as Uint8Array).length).toBe(32);
      }
      if (capture.kex.startsWith('diffie-hellman-group-exchange')) {
        expect(names('client').slice(1, -1)).toEqual(['SSH_MSG_KEX_DH_GEX_REQUEST', 'SSH_MSG_KEX_DH_GEX_INIT']);
        expect(names('server').slice(1, -1)).toEqual(['SSH_MSG_KEX_DH_GEX_GROUP', 'SSH_MSG_KEX_DH_GEX_REPLY']);
      }
    });
  }
});
