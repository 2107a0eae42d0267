/**
 * Client and server told apart by the first key exchange (RFC 4253 §7-§8, RFC 4419 §3, RFC 4432 §4) in real
 * captures whose TCP handshake is cut off: the fixtures of ../shared/fixtures/openssh-ssh2 and the recorded sessions
 * of traces/others, with the SYN and SYN-ACK removed and, where the server's port is the lower one, the ports swapped
 * around so that the port numbers would point the wrong way.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CaptureEvent } from './events.ts';
import { clientByKexMessages, readKexOpening, type KexOpening } from './kex-roles.ts';
import { readCapture } from './reader.ts';
import { FIXTURES, withoutHandshake } from './test-helpers.ts';

const TRACES = decodeURIComponent(new URL('../../traces/others', import.meta.url).pathname);

const connectionOf = (pcap: Uint8Array) => {
  const events: CaptureEvent[] = [];
  for (const e of readCapture(pcap)) events.push(e);
  return events.filter((e): e is Extract<CaptureEvent, { type: 'connection' }> => e.type === 'connection');
};

const CASES = [
  [FIXTURES, 'ns_c25519_chacha20.pcap', 'curve25519: SSH_MSG_KEX_ECDH_INIT (30) from the client'],
  [FIXTURES, 'ns_rsa_c25519_aes256gcm.pcap', 'a server that also sends EXT_INFO'],
  [TRACES, 'asyncssh-asyncssh-gex-sha512.pcap', 'group exchange: SSH_MSG_KEX_DH_GEX_REQUEST (34) from the client'],
  [TRACES, 'paramiko-dropbear-dh14sha1-rekey.pcap', 'diffie-hellman-group14-sha1 between paramiko and dropbear'],
  [TRACES, 'plink-asyncssh-default.pcap', 'PuTTY against asyncssh, both offering RSA key exchange too'],
  [TRACES, 'plink-asyncssh-rsa-kex.pcap', 'RSA key exchange (RFC 4432 §4): the server sends KEXRSA_PUBKEY (30) first'],
] as const;

describe('roles from the first key exchange when the handshake was not captured', () => {
  for (const [folder, name, about] of CASES) {
    it.skipIf(!existsSync(join(folder, name)))(`${name} (${about})`, () => {
      const { pcap, clientPort, serverPort } = withoutHandshake(join(folder, name));
      const [connection] = connectionOf(pcap);
      expect(connection).toMatchObject({ roleEvidence: 'kex-messages', ssh: true, client: { port: clientPort }, server: { port: serverPort } });
    });
  }

  it('reads a KEXINIT cut short as incomplete and a stream of something else as no KEXINIT', () => {
    const kexinit = [0, 0, 0, 44, 4, 20, ...new Array(16).fill(7), 0, 0, 0, 18, ...new TextEncoder().encode('curve25519-sha256'), 0x2c].slice(0, 27);
    expect(readKexOpening(Uint8Array.from(kexinit), 0)).toEqual({ status: 'incomplete', need: 48 }); // 4 + packet_length 44
    expect(readKexOpening(new TextEncoder().encode('HTTP/1.1 200 OK\r\n'), 0)).toEqual({ status: 'not-kexinit' });
    const unknown: KexOpening & { status: 'read' } = { status: 'read', kexAlgorithms: ['curve25519-sha256'] };
    expect(clientByKexMessages(unknown, { ...unknown, next: 30 })).toBe(1);
    expect(clientByKexMessages({ ...unknown, next: 31 }, unknown)).toBe(1);
    expect(clientByKexMessages({ ...unknown, next: 30 }, { ...unknown, next: 30 })).toBeUndefined();
    expect(clientByKexMessages({ ...unknown, next: 30 }, { kexAlgorithms: ['diffie-hellman-group14-sha256'], status: 'read' })).toBeUndefined();
  });
});
