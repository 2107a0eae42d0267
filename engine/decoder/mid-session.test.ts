/**
 * Captures that begin after the key exchange (RFC 4253 §7.2 keys already derived): a real capture with its first
 * frames cut off decodes from the middle with a JSON key file of derived keys (engine/keys/keyfile.ts), and without
 * one the user is told what is missing. The derived keys come from decoding the whole capture first.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { encapsulate, ipv4, oracleSegments, pcapFile, tcpSegment } from '../capture/test-helpers.ts';
import { decodeCapture } from './capture-decoder.ts';
import { toHex } from '../wire/index.ts';
import type { Direction, SessionRecord } from '../trace/model.ts';

const FIXTURES = decodeURIComponent(new URL('../../../shared/fixtures/openssh-ssh2', import.meta.url).pathname);
const present = existsSync(FIXTURES);

/** A classic little-endian pcap keeping its header and the records of frames >= `first` (1-based). */
function dropFrames(file: Uint8Array, first: number): Uint8Array {
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
  let at = 24;
  for (let frame = 1; frame < first; frame++) at += 16 + view.getUint32(at + 8, true);
  const out = new Uint8Array(24 + file.length - at);
  out.set(file.subarray(0, 24));
  out.set(file.subarray(at), 24);
  return out;
}

/** The IV a direction's cipher has at packet `index` of its epoch: CTR counts 16-byte blocks (RFC 4344 §4). */
function ivAt(session: SessionRecord, direction: Direction, firstKept: number, iv: Uint8Array): Uint8Array {
  const before = session.packets.filter((p) => p.direction === direction && p.epoch === 1 && p.index < firstKept);
  let blocks = 0n;
  for (const p of before) blocks += BigInt((p.layout!.padding.end) / 16);
  let counter = BigInt('0x' + toHex(iv)) + blocks;
  const out = new Uint8Array(16);
  for (let i = 15; i >= 0; i--, counter >>= 8n) out[i] = Number(counter & 0xffn);
  return out;
}

function midSessionCase(name: string) {
  const file = new Uint8Array(readFileSync(join(FIXTURES, `${name}.pcap`)));
  const full = decodeCapture(file, [{ name: 'keylog', text: readFileSync(join(FIXTURES, `${name}.oldformat.keylog`), 'utf8') }]);
  const [s] = full.sessions;
  // Cut just before the client's SERVICE_REQUEST, whose frame also starts the server's next packet in its stream.
  const request = s.packets.find((p) => p.message?.name === 'SSH_MSG_SERVICE_REQUEST')!;
  const firstFrame = request.frames[0];
  const firstKept = (d: Direction) => s.packets.find((p) => p.direction === d && p.frames[0] >= firstFrame)!;
  const kex = s.kex[0];
  const direction = (d: Direction) => {
    const c2s = d === 'client';
    const first = firstKept(d);
    const cipher = c2s ? kex.algorithms!.cipherClientToServer : kex.algorithms!.cipherServerToClient;
    const mac = c2s ? kex.algorithms!.macClientToServer : kex.algorithms!.macServerToClient;
    const iv = c2s ? kex.keys!.ivClientToServer : kex.keys!.ivServerToClient;
    // Bytes of this direction's stream that the cut keeps before the packet (0 when a frame starts with it).
    const keptBefore = s.segments[d].filter((g) => g.frame >= firstFrame && g.stream.start < first.stream.start).reduce((n, g) => n + g.stream.end - g.stream.start, 0);
    return {
      cipher, ...(mac ? { mac, macKey: toHex(c2s ? kex.keys!.macKeyClientToServer : kex.keys!.macKeyServerToClient) } : {}),
      encryptionKey: toHex(c2s ? kex.keys!.keyClientToServer : kex.keys!.keyServerToClient),
      ...(iv.length ? { iv: toHex(ivAt(s, d, first.index, iv)) } : {}),
      sequenceNumber: first.sequence, streamOffset: keptBefore,
    };
  };
  const keyFile = JSON.stringify({
    format: 'sshlens-session-keys', version: 1,
    sessions: [{ client: `${s.client.address}:${s.client.port}`, server: `${s.server.address}:${s.server.port}`, clientToServer: direction('client'), serverToClient: direction('server') }],
  });
  const cut = dropFrames(file, firstFrame);
  const expected = s.packets.filter((p) => p.frames[0] >= firstFrame).map((p) => `${p.direction} ${p.sequence} ${p.message?.name}`);
  return { cut, keyFile, expected };
}

describe.skipIf(!present)('captures that begin mid-session', () => {
  for (const name of ['ns_c25519_chacha20', 'ns_c25519_aes128ctr_sha256']) {
    it(`${name}: decodes from the middle with derived keys, every packet verified`, () => {
      const { cut, keyFile, expected } = midSessionCase(name);
      const trace = decodeCapture(cut, [{ name: 'keys.json', text: keyFile }]);
      expect(trace.sessions).toHaveLength(1);
      const [s] = trace.sessions;
      expect(s.problems.filter((p) => p.severity !== 'info')).toEqual([]);
      expect(s.packets.map((p) => `${p.direction} ${p.sequence} ${p.message?.name}`)).toEqual(expected);
      expect(s.packets.every((p) => p.macStatus === 'ok' && !p.error && !p.message?.error)).toBe(true);
      expect(new TextDecoder().decode(s.channels[0].serverData[0])).toContain('HELLO_WIRESHARK_TEST');
    });
  }
  it('the key file names the client: it is believed over the port numbers when the handshake was not captured', () => {
    const { cut, keyFile, expected } = midSessionCase('ns_c25519_aes128ctr_sha256');
    // Move the server (port 2222) above the client's port, in the capture and in the key file alike.
    const segments = oracleSegments(cut);
    const serverPort = JSON.parse(keyFile).sessions[0].server.split(':').at(-1) * 1;
    const clientPort = segments.map((g) => [g.sourcePort, g.destinationPort]).flat().find((p) => p !== serverPort)!;
    const port = (p: number) => (p === serverPort ? 65000 : p);
    expect(clientPort).toBeLessThan(65000);
    const moved = pcapFile(segments.map((g) => ({ ...g, sourcePort: port(g.sourcePort), destinationPort: port(g.destinationPort) }))
      .map((g) => ({ time: g.time, data: encapsulate({ kind: 'ethernet' }, ipv4(g, tcpSegment(g))) })), 1);
    const trace = decodeCapture(moved, [{ name: 'keys.json', text: keyFile.replace(`:${serverPort}"`, ':65000"') }]);
    const [s] = trace.sessions;
    expect([s.client.port, s.server.port]).toEqual([clientPort, 65000]);
    expect(s.packets.map((p) => `${p.direction} ${p.sequence} ${p.message?.name}`)).toEqual(expected);
    expect(s.packets.every((p) => p.macStatus === 'ok' && !p.error && !p.message?.error)).toBe(true);
  });

  it('without derived keys: says the capture may begin mid-session and what to give', () => {
    const { cut } = midSessionCase('ns_c25519_chacha20');
    const trace = decodeCapture(cut, []);
    expect(trace.sessions).toHaveLength(0);
    expect(trace.problems.map((p) => p.message).join('\n')).toMatch(/began after an SSH session had started, give its derived keys in a JSON key file/);
  });
});
