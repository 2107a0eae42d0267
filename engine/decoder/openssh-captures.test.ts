/**
 * Acceptance: every real capture in ../shared/fixtures/openssh-ssh2 (ssh2 npm client -> OpenSSH 9.2p1) decodes
 * completely with each of its three key-log forms, and the pcapng with its keys in a Decryption Secrets Block decodes
 * with no key log at all: every packet decrypted and verified, every message decoded with nothing unknown, the exec
 * output in the server's channel data, the negotiated algorithms, strict kex and rekeys as MANIFEST.tsv says.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CaptureDecoder, decodeCapture } from './capture-decoder.ts';
import { KeyStore } from './key-store.ts';
import type { PacketRecord, SessionRecord, Trace } from '../trace/model.ts';

const FIXTURES = decodeURIComponent(new URL('../../../shared/fixtures/openssh-ssh2', import.meta.url).pathname);
const present = existsSync(join(FIXTURES, 'MANIFEST.tsv'));
if (!present) console.warn(`\n*** CONFORMANCE SUITE SKIPPED: ${FIXTURES} is missing ***\n`);

interface ManifestRow {
  name: string; kex: string; cipher: string; mac: string; compression: string; hostKey: string; strict: boolean; session: string;
}
const manifest: ManifestRow[] = present
  ? readFileSync(join(FIXTURES, 'MANIFEST.tsv'), 'utf8').trim().split('\n').slice(1).map((line) => {
      const [name, kex, cipher, mac, compression, hostKey, strict, session] = line.split('\t');
      return { name, kex, cipher, mac, compression, hostKey, strict: strict === 'yes', session };
    })
  : [];

const text = new TextDecoder();
const serverOutput = (s: SessionRecord) => s.channels.map((c) => c.serverData.map((d) => text.decode(d)).join('')).join('');

function expectComplete(trace: Trace, row: ManifestRow): void {
  expect(trace.problems.filter((p) => p.severity !== 'info')).toEqual([]);
  expect(trace.sessions).toHaveLength(1);
  const [s] = trace.sessions;
  expect(s.problems).toEqual([]);
  expect(s.identification.client?.line).toBe('SSH-2.0-ssh2js1.17.0');
  expect(s.identification.server?.line).toBe('SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u10');
  const rekey = row.session.includes('rekey');
  expect(s.kex).toHaveLength(rekey ? 2 : 1);
  for (const k of s.kex) {
    expect(k.problems).toEqual([]);
    expect(k.algorithms).toMatchObject({
      kex: row.kex, hostKey: row.hostKey, cipherClientToServer: row.cipher, cipherServerToClient: row.cipher,
      macClientToServer: row.mac.startsWith('(') ? null : row.mac, compressionClientToServer: row.compression,
    });
    expect(k.strict).toBe(row.strict);
    expect(k.hostKey?.verified).toBe(true);
    expect(k.sessionId).toEqual(s.kex[0].exchangeHash);
  }
  const bad = (p: PacketRecord) => p.error || p.message === undefined || p.message.error || p.message.unknown || (p.epoch > 0 && p.macStatus !== 'ok');
  expect(s.packets.filter(bad).map((p) => `${p.direction} seq ${p.sequence}: ${p.error ?? p.message?.error ?? p.message?.name}`)).toEqual([]);
  // Sequence numbers: strict kex resets them at each NEWKEYS; without it they run on from 0.
  for (const direction of ['client', 'server'] as const) {
    const packets = s.packets.filter((p) => p.direction === direction);
    packets.forEach((p, i) => {
      if (!row.strict) expect(p.sequence).toBe(i);
    });
    if (row.strict) {
      const afterFirstNewKeys = packets.find((p) => p.epoch === 1)!;
      expect(afterFirstNewKeys.sequence).toBe(0);
    }
    expect(new Set(packets.map((p) => p.epoch))).toEqual(new Set(rekey ? [0, 1, 2] : [0, 1]));
  }
  expect(serverOutput(s)).toContain('HELLO_WIRESHARK_TEST');
  const execs = s.channels.filter((c) => c.requests.some((r) => r.request === 'exec'));
  expect(execs.length).toBe(rekey ? 2 : 1);
  for (const c of execs) expect(c.exitStatus).toBe(0);
}

describe.skipIf(!present)('decoding the real OpenSSH captures', () => {
  it('has the 27 captures of the manifest', () => expect(manifest).toHaveLength(27));
  for (const row of manifest) {
    const capture = present ? readFileSync(join(FIXTURES, `${row.name}.pcap`)) : new Uint8Array();
    for (const form of ['oldformat', 'private_key', 'shared_secret']) {
      it(`${row.name} with the ${form} key log`, () => {
        const keylog = join(FIXTURES, `${row.name}.${form}.keylog`);
        const trace = decodeCapture(capture, [{ name: keylog, text: readFileSync(keylog, 'utf8') }], row.name);
        expectComplete(trace, row);
        if (row.session.startsWith('sftp')) expect(trace.sessions[0].channels.some((c) => c.requests.some((r) => r.request === 'subsystem'))).toBe(true);
      });
    }
  }
  // Streaming (nothing kept) reuses the buffers of channel data packets: what a sink sees must be what the full decode
  // keeps, and the rekeys (whose KEXINITs the decoder keeps) must still work.
  for (const row of manifest) {
    it(`${row.name} streamed with nothing kept gives the same packets, channel data and key exchanges`, () => {
      const capture = readFileSync(join(FIXTURES, `${row.name}.pcap`));
      const keylog = join(FIXTURES, `${row.name}.shared_secret.keylog`);
      const full = decodeCapture(capture, [{ name: keylog, text: readFileSync(keylog, 'utf8') }], row.name).sessions[0];
      const keys = new KeyStore();
      keys.addFile(readFileSync(keylog, 'utf8'), keylog);
      const seen: string[] = [];
      const data: Uint8Array[] = [];
      let ended: SessionRecord | undefined;
      const describe = (p: PacketRecord) => `${p.direction} ${p.sequence} ${p.epoch} ${p.macStatus} ${p.message?.name} ${p.message?.summary} ${p.error}`;
      const decoder = new CaptureDecoder(keys, { kind: 'capture', name: row.name }, {
        packet: (_s, p) => {
          seen.push(describe(p));
          if (p.message?.name === 'SSH_MSG_CHANNEL_DATA' && p.direction === 'server') data.push((p.message.value.data as Uint8Array).slice());
        },
        sessionEnd: (s) => void (ended = s),
      }, { keepPackets: false, keepBytes: false, keepChannelData: false });
      // In pieces, so that packets span the pushed chunks.
      for (let at = 0; at < capture.length; at += 1000) decoder.push(capture.subarray(at, at + 1000));
      decoder.finish();
      expect(seen).toEqual(full.packets.map(describe));
      expect(text.decode(Buffer.concat(data))).toBe(serverOutput(full));
      expect(ended?.kex.map((k) => [k.exchangeHash, k.keys])).toEqual(full.kex.map((k) => [k.exchangeHash, k.keys]));
      expect(ended?.problems).toEqual([]);
    });
  }
  it('ns_rsa_c25519_chacha20.dsb.pcapng with the keys inside the capture and no key log', () => {
    const row = manifest.find((r) => r.name === 'ns_rsa_c25519_chacha20')!;
    const trace = decodeCapture(readFileSync(join(FIXTURES, 'ns_rsa_c25519_chacha20.dsb.pcapng')));
    expectComplete(trace, row);
    expect(trace.sessions[0].kex[0].secretSource).toMatch(/Decryption Secrets Block/);
  });
  it('without a key log: the handshake decodes and the rest is explained, not lost', () => {
    const trace = decodeCapture(readFileSync(join(FIXTURES, 'ns_c25519_aes128gcm.pcap')));
    const [s] = trace.sessions;
    expect(s.packets.filter((p) => p.epoch === 0).map((p) => p.message?.name)).toContain('SSH_MSG_KEX_ECDH_REPLY');
    expect(s.kex[0].problems.map((p) => p.message).join()).toMatch(/no key-log line names this exchange/);
    expect(s.problems.map((p) => p.message).join()).toMatch(/after its NEWKEYS could not be decrypted/);
  });
});
