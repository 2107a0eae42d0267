/**
 * A capture whose TCP handshake was not recorded, with the server on the higher port, still decodes completely: the
 * capture layer tells the client by the first key exchange's messages (engine/capture/kex-roles.ts), so the
 * exchange hash gets V_C, V_S, I_C and I_S the right way round (RFC 4253 §8) and every packet verifies.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { encapsulate, FIXTURES, FLAG, ipv4, oracleSegments, pcapFile, tcpSegment, withoutHandshake } from '../capture/test-helpers.ts';
import { decodeCapture } from './capture-decoder.ts';

const TRACES = decodeURIComponent(new URL('../../traces/others', import.meta.url).pathname);
const CASES = [
  [FIXTURES, 'ns_c25519_aes128ctr_sha256', '.shared_secret.keylog'],
  [TRACES, 'asyncssh-asyncssh-gex-sha512', '.keylog'],
  [TRACES, 'plink-asyncssh-rsa-kex', '.keylog'],
] as const;

describe('captures without the TCP handshake, server on the higher port', () => {
  for (const [folder, name, keylog] of CASES) {
    it.skipIf(!existsSync(join(folder, `${name}.pcap`)))(`${name}: every packet decrypted and verified`, () => {
      const { pcap, clientPort } = withoutHandshake(join(folder, `${name}.pcap`));
      const trace = decodeCapture(pcap, [{ name: 'keylog', text: readFileSync(join(folder, name + keylog), 'utf8') }]);
      expect(trace.sessions).toHaveLength(1);
      const [session] = trace.sessions;
      expect(session.client.port).toBe(clientPort);
      expect(session.kex.map((k) => k.hostKey?.verified)).toEqual(session.kex.map(() => true));
      expect(session.packets.length).toBeGreaterThan(10);
      expect(session.packets.filter((p) => p.error || p.message?.error || (p.macStatus !== undefined && p.macStatus !== 'ok' && p.macStatus !== 'none'))).toEqual([]);
    });
  }

  it.skipIf(!existsSync(FIXTURES))('when nothing but the port numbers tells, the session says its roles are a guess', () => {
    // Only the identification lines and KEXINITs: the capture stops before the kex method's first message.
    const segments = oracleSegments(readFileSync(join(FIXTURES, 'ns_c25519_chacha20.pcap'))).filter((g) => !(g.flags & FLAG.syn));
    const firstData = (from: number) => segments.filter((g) => g.sourcePort === from && g.payload.length > 0).slice(0, 2);
    const ports = [segments[0].sourcePort, segments[0].destinationPort];
    const kept = [...firstData(ports[0]), ...firstData(ports[1])].sort((a, b) => a.frameIndex - b.frameIndex);
    const pcap = pcapFile(kept.map((g) => ({ time: g.time, data: encapsulate({ kind: 'ethernet' }, ipv4(g, tcpSegment(g))) })), 1);
    const [session] = decodeCapture(pcap, []).sessions;
    expect(session.packets.map((p) => p.message?.name)).toEqual(['SSH_MSG_KEXINIT', 'SSH_MSG_KEXINIT']);
    expect(session.problems.find((p) => p.code === 'roles-guessed')?.message).toMatch(/^client and server were told apart only by their port numbers \(the lower port, 2222, taken as the server's\)/);
  });
});
