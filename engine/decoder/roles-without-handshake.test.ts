/**
 * A capture whose TCP handshake was not recorded, with the server on the higher port, still decodes completely: the
 * capture layer tells the client by the first key exchange's messages (engine/capture/kex-roles.ts), so the
 * exchange hash gets V_C, V_S, I_C and I_S the right way round (RFC 4253 §8) and every packet verifies.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES, withoutHandshake } from '../capture/test-helpers.ts';
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
});
