/**
 * The real captures in ../shared/fixtures/openssh-ssh2 (ssh2 npm client -> OpenSSH 9.2p1, classic pcap, Ethernet),
 * read in place. Each must give exactly one SSH connection on port 2222 with the client (the SYN sender) and the
 * server right, both identification lines at stream offset 0, no gap, and streams equal to the TCP payloads as an
 * independent fixed-offset reading of the file gives them.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCapture } from './reader.ts';
import { FIXTURES, oracleSegments, oracleStreams, streamsOf } from './test-helpers.ts';

const present = existsSync(FIXTURES);
if (!present) console.warn(`\n*** CONFORMANCE SUITE SKIPPED: ${FIXTURES} is missing ***\n`);
const captures = present ? readdirSync(FIXTURES).filter((f) => f.endsWith('.pcap')).sort() : [];

describe.skipIf(!present)('real OpenSSH captures', () => {
  it('finds all 27 captures', () => expect(captures.length).toBe(27));

  for (const name of captures) {
    it(name, () => {
      const file = readFileSync(join(FIXTURES, name));
      const events = readCapture(file);
      const connections = events.filter((e) => e.type === 'connection');
      expect(connections).toHaveLength(1);
      const [connection] = connections;
      const oracle = oracleStreams(oracleSegments(file));
      expect(connection).toMatchObject({ ssh: true, roleEvidence: 'syn', server: { address: '127.0.0.1', port: 2222 }, client: { address: '127.0.0.1', port: oracle.clientPort } });
      const streams = streamsOf(events, connection.id);
      expect(streams.gaps).toEqual([]);
      expect(streams.clientBytes).toEqual(oracle.client);
      expect(streams.serverBytes).toEqual(oracle.server);
      expect(streams.identification.map((i) => [i.direction, i.streamOffset, i.line])).toEqual([
        ['client', 0, 'SSH-2.0-ssh2js1.17.0'],
        ['server', 0, 'SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u10'],
      ]);
      expect(events.filter((e) => e.type === 'warning')).toEqual([]);
      expect(events.find((e) => e.type === 'end')).toMatchObject({ reason: 'closed', clientBytes: oracle.client.length, serverBytes: oracle.server.length });
      expect(events.at(-1)).toMatchObject({ type: 'summary', tcpConnections: 1, sshConnections: 1 });
    });
  }

  it('ns_rsa_c25519_chacha20.dsb.pcapng: the same streams as the .pcap plus the key log in its Decryption Secrets Block', () => {
    const pcapng = readCapture(readFileSync(join(FIXTURES, 'ns_rsa_c25519_chacha20.dsb.pcapng')));
    const pcap = readFileSync(join(FIXTURES, 'ns_rsa_c25519_chacha20.pcap'));
    const oracle = oracleStreams(oracleSegments(pcap));
    const [connection] = pcapng.filter((e) => e.type === 'connection');
    expect(connection).toMatchObject({ ssh: true, client: { port: oracle.clientPort }, server: { port: 2222 } });
    const streams = streamsOf(pcapng, connection.id);
    expect(streams.clientBytes).toEqual(oracle.client);
    expect(streams.serverBytes).toEqual(oracle.server);
    const secrets = pcapng.filter((e) => e.type === 'secrets');
    expect(secrets).toHaveLength(1);
    // The DSB holds exactly the old-format key log file (98 bytes: one line and its line feed).
    const keylog = readFileSync(join(FIXTURES, 'ns_rsa_c25519_chacha20.oldformat.keylog'), 'utf8');
    expect(secrets[0].type === 'secrets' && secrets[0].text).toBe(keylog);
    // Frame times are the pcap's, to the microsecond (pcapng with the default if_tsresol).
    const firstData = pcapng.find((e) => e.type === 'data');
    const firstSegment = oracleSegments(pcap).find((s) => s.payload.length > 0)!;
    expect(firstData?.type === 'data' && firstData.frame.time).toEqual(firstSegment.time);
  });
});
