/**
 * The UI's byte coordinates and warnings on the real OpenSSH captures (../shared/fixtures/openssh-ssh2, read in
 * place, decoded by the engine): every byte of every decrypted packet maps to exactly one field key and back, the
 * phases follow the protocol, and the Terrapin warning matches MANIFEST.tsv's strict_kex column and cipher/MAC.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { fixturesDir } from '../../vite.config.ts';
import { decodeWithEngine } from '../worker/engine-decoder.ts';
import { buildLayers, keyAtPacketOffset, packetSegments, packetSpanOfKey, spanInLayer } from './layers.ts';
import { packetPhases } from './phases.ts';
import { isTerrapinExposed } from './warnings.ts';

const dir = path.join(fixturesDir, 'openssh-ssh2');
const have = existsSync(path.join(dir, 'MANIFEST.tsv'));
if (!have) console.warn(`\n*** ${dir} is missing: the UI conformance tests on real captures were SKIPPED ***\n`);
const manifest = have
  ? readFileSync(path.join(dir, 'MANIFEST.tsv'), 'utf8').trim().split('\n').slice(1).map((line) => line.split('\t'))
  : [];

function decode(prefix: string) {
  const read = (name: string) => ({ name, bytes: new Uint8Array(readFileSync(path.join(dir, name))) });
  return decodeWithEngine(read(`${prefix}.pcap`), [read(`${prefix}.shared_secret.keylog`)], () => {});
}

describe.skipIf(!have)('layers on real captures', () => {
  test.each(manifest.map((row) => [row[0], row]))('%s: every packet byte has one field key that maps back onto it', async (prefix, row) => {
    const trace = await decode(prefix as string);
    const session = trace.sessions[0];
    expect(session.packets.length).toBeGreaterThan(20);
    let checked = 0;
    for (const packet of session.packets) {
      if (!packet.plaintext || !packet.layout || packet.decompressed) continue;
      for (let offset = 0; offset < packet.plaintext.length; offset++) {
        const key = keyAtPacketOffset(packet, offset);
        expect(key, `packet ${packet.index} byte ${offset}`).not.toBeNull();
        const span = packetSpanOfKey(packet, key!)!;
        expect(span.start <= offset && offset < span.end, `${key} covers byte ${offset} of packet ${packet.index}`).toBe(true);
        checked++;
      }
      // The segments that carried the packet cover it exactly, in order.
      const segments = packetSegments(packet, session.segments[packet.direction]);
      expect(segments[0].within.start).toBe(0);
      expect(segments.at(-1)!.within.end).toBe(packet.stream.end - packet.stream.start);
      // A field's span in the payload layer and in the packet layer are the same bytes.
      const [, , packetLayer, payloadLayer] = buildLayers(session, packet);
      const field = packet.message!.fields.at(-1)!;
      const inPacket = spanInLayer(packetLayer, packetSpanOfKey(packet, `message:${field.path}`))!;
      expect(packetLayer.bytes!.subarray(inPacket.start, inPacket.end)).toEqual(payloadLayer.bytes!.subarray(field.span.start, field.span.end));
    }
    expect(checked).toBeGreaterThan(1000);
    // Terrapin exposure: strict kex off with chacha20-poly1305 or an EtM MAC (MANIFEST: cipher, mac, strict_kex).
    const [, , cipher, mac, , , strict] = row as string[];
    expect(isTerrapinExposed(session.kex[0])).toBe(strict === 'no' && (cipher.startsWith('chacha20') || mac.endsWith('-etm@openssh.com')));
  });

  test('phases follow the protocol: key exchange, authentication, connection', async () => {
    const session = (await decode('ns_c25519_chacha20')).sessions[0];
    const phases = packetPhases(session.packets);
    const runs = phases.filter((phase, i) => phase !== phases[i - 1]);
    expect(runs).toEqual(['kex', 'auth', 'connection']);
    expect(session.packets[phases.indexOf('auth')].message?.name).toBe('SSH_MSG_SERVICE_REQUEST');
  });
});
