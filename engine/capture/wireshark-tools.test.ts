/**
 * Cross-checks with Debian's Wireshark tools, when they are installed (nothing is installed by this test):
 * files that editcap and mergecap write are read here like the originals, and a pcapng that this folder's writer
 * makes (nanosecond EPBs and a Decryption Secrets Block) is read by tshark, which decrypts the session from that DSB
 * exactly as it does from the fixture's own DSB pcapng.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { CaptureEvent } from './events.ts';
import { PcapngWriter } from './pcapng-writer.ts';
import { readCapture } from './reader.ts';
import { concat, FIXTURES, oracleSegments, oracleStreams, streamsOf } from './test-helpers.ts';

const tool = (name: string) => spawnSync(name, ['--version'], { encoding: 'utf8' }).status === 0;
const haveTools = ['tshark', 'editcap', 'mergecap'].every(tool);
const present = existsSync(FIXTURES);
if (!haveTools) console.warn('\n*** WIRESHARK TOOL CROSS-CHECKS SKIPPED: tshark/editcap/mergecap not found (apt-get install tshark) ***\n');

const dir = haveTools && present ? mkdtempSync(join(tmpdir(), 'sshlens-capture-')) : '';
afterAll(() => dir && rmSync(dir, { recursive: true, force: true }));
const run = (command: string, args: string[]) => {
  const result = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 1 << 26 });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')}: ${result.stderr}`);
  return result.stdout;
};
const only = <T extends CaptureEvent['type']>(events: CaptureEvent[], type: T) =>
  events.filter((e): e is Extract<CaptureEvent, { type: T }> => e.type === type);

/** Every connection's streams equal the oracle's for the fixture whose client port it has. */
function expectSessions(events: CaptureEvent[], fixtures: string[]) {
  const connections = only(events, 'connection');
  expect(connections).toHaveLength(fixtures.length);
  for (const name of fixtures) {
    const oracle = oracleStreams(oracleSegments(readFileSync(join(FIXTURES, name))));
    const connection = connections.find((c) => c.client.port === oracle.clientPort)!;
    expect(connection).toMatchObject({ ssh: true, roleEvidence: 'syn', server: { port: 2222 } });
    const streams = streamsOf(events, connection.id);
    expect(streams.gaps).toEqual([]);
    expect([streams.clientBytes, streams.serverBytes]).toEqual([oracle.client, oracle.server]);
  }
}

describe.skipIf(!haveTools || !present)('Wireshark tools', () => {
  const base = join(FIXTURES, 'ns_rsa_c25519_chacha20.pcap');
  const keylog = join(FIXTURES, 'ns_rsa_c25519_chacha20.oldformat.keylog');

  it('editcap -F nsecpcap, -F pcapng, --inject-secrets; mergecap of two captures', () => {
    const nsec = join(dir, 'nsec.pcap');
    run('editcap', ['-F', 'nsecpcap', base, nsec]);
    expectSessions(readCapture(readFileSync(nsec)), ['ns_rsa_c25519_chacha20.pcap']);
    const pcapng = join(dir, 'converted.pcapng');
    run('editcap', ['-F', 'pcapng', '--inject-secrets', `ssh,${keylog}`, base, pcapng]);
    const events = readCapture(readFileSync(pcapng));
    expectSessions(events, ['ns_rsa_c25519_chacha20.pcap']);
    expect(only(events, 'secrets').map((s) => s.text)).toEqual([readFileSync(keylog, 'utf8')]);
    const merged = join(dir, 'merged.pcapng');
    run('mergecap', ['-w', merged, base, join(FIXTURES, 'ns_c25519_aes128gcm.pcap'), join(FIXTURES, 'strict_c25519_chacha20.pcap')]);
    expectSessions(readCapture(readFileSync(merged)), ['ns_rsa_c25519_chacha20.pcap', 'ns_c25519_aes128gcm.pcap', 'strict_c25519_chacha20.pcap']);
  });

  it('tshark decrypts a pcapng made by PcapngWriter from the DSB it carries, with the same frame times', () => {
    // The original frames, record by record (classic pcap, little-endian, microseconds).
    const file = readFileSync(base);
    const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
    const writer = new PcapngWriter();
    const blocks = [writer.sectionHeader(), writer.interface(1, 'lo'), writer.secrets(readFileSync(keylog, 'utf8'))];
    for (let at = 24; at < file.length; ) {
      const length = view.getUint32(at + 8, true);
      const time = { seconds: view.getUint32(at, true), nanoseconds: view.getUint32(at + 4, true) * 1000 };
      blocks.push(writer.packet(time, file.subarray(at + 16, at + 16 + length), view.getUint32(at + 12, true)));
      at += 16 + length;
    }
    const ours = join(dir, 'ours.pcapng');
    writeFileSync(ours, concat(blocks));
    const fields = (path: string) => run('tshark', ['-r', path, '-d', 'tcp.port==2222,ssh', '-T', 'fields', '-e', 'frame.number', '-e', 'frame.time_epoch', '-e', 'ssh.message_code']);
    const reference = fields(join(FIXTURES, 'ns_rsa_c25519_chacha20.dsb.pcapng'));
    expect(reference).toContain('\t94\n'); // CHANNEL_DATA: decrypted
    expect(fields(ours)).toBe(reference);
    // And it reads back here the same as the fixture's pcapng.
    expectSessions(readCapture(readFileSync(ours)), ['ns_rsa_c25519_chacha20.pcap']);
  });
});
