/**
 * The JSON session-key file: a round trip through writer and parser, the errors (each naming its JSON path), and
 * address matching in the canonical text forms the capture reader reports (RFC 5952 for IPv6).
 */
import { describe, expect, it } from 'vitest';
import { fromHex } from '../wire/hex.ts';
import { findSessionKeys, parseAddress, parseHostPort, parseKeyFile, writeKeyFile, type KeyFile } from './keyfile.ts';

const hex = (text: string) => fromHex(text)!;

const sample: KeyFile = {
  sessions: [
    {
      client: { address: '192.0.2.10', port: 50522 },
      server: { address: '192.0.2.1', port: 22 },
      sessionId: hex('9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08'),
      strictKex: true,
      clientToServer: {
        cipher: 'aes128-ctr', mac: 'hmac-sha2-256-etm@openssh.com', compression: 'none',
        encryptionKey: hex('000102030405060708090a0b0c0d0e0f'), iv: hex('f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff'),
        macKey: hex('11'.repeat(32)), sequenceNumber: 7, streamOffset: 1234,
      },
      serverToClient: {
        cipher: 'aes256-gcm@openssh.com', compression: 'none', encryptionKey: hex('22'.repeat(32)),
        iv: hex('0102030400000000000000ff'), sequenceNumber: 4294967295, tcpSeq: 305419896,
      },
    },
    {
      client: { address: '2001:db8::1', port: 40000 },
      server: { address: '2001:db8::2', port: 2222 },
      strictKex: false,
      clientToServer: { cipher: 'chacha20-poly1305@openssh.com', compression: 'zlib@openssh.com', encryptionKey: hex('33'.repeat(64)), sequenceNumber: 0 },
      serverToClient: { cipher: 'chacha20-poly1305@openssh.com', compression: 'zlib@openssh.com', encryptionKey: hex('44'.repeat(64)), sequenceNumber: 3 },
    },
    {
      sessionId: hex('ab'.repeat(32)),
      strictKex: false,
      clientToServer: { cipher: 'aes256-cbc', mac: 'hmac-sha1', compression: 'none', encryptionKey: hex('55'.repeat(32)), iv: hex('66'.repeat(16)), macKey: hex('77'.repeat(20)), sequenceNumber: 9 },
      serverToClient: { cipher: 'aes256-cbc', mac: 'hmac-sha1', compression: 'none', encryptionKey: hex('88'.repeat(32)), iv: hex('99'.repeat(16)), macKey: hex('aa'.repeat(20)), sequenceNumber: 9 },
    },
  ],
};

describe('session key file', () => {
  it('round-trips', () => {
    const text = writeKeyFile(sample);
    expect(JSON.parse(text)).toMatchObject({ format: 'sshlens-session-keys', version: 1 });
    expect(JSON.parse(text).sessions[1]).toMatchObject({ client: '[2001:db8::1]:40000', server: '[2001:db8::2]:2222' });
    expect(parseKeyFile(text)).toEqual(sample);
    expect(writeKeyFile(parseKeyFile(text))).toBe(text);
  });

  it('takes upper-case hex, "mac": "none", defaults, and non-canonical addresses', () => {
    const file = parseKeyFile(JSON.stringify({
      format: 'sshlens-session-keys', version: 1,
      sessions: [{
        client: '[2001:DB8:0:0:0:0:0:1]:1', server: '[::FFFF:192.0.2.1]:22',
        clientToServer: { cipher: 'aes128-gcm@openssh.com', mac: 'none', encryptionKey: 'ABCDEF', sequenceNumber: 1 },
        serverToClient: { cipher: 'aes128-gcm@openssh.com', encryptionKey: 'abcdef', sequenceNumber: 2 },
      }],
    }));
    const [session] = file.sessions;
    expect(session).toMatchObject({ client: { address: '2001:db8::1', port: 1 }, server: { address: '::ffff:192.0.2.1', port: 22 }, strictKex: false });
    expect(session.clientToServer).toEqual({ cipher: 'aes128-gcm@openssh.com', compression: 'none', encryptionKey: hex('abcdef'), sequenceNumber: 1 });
    expect(findSessionKeys(file, { address: '2001:db8::1', port: 1 }, { address: '::ffff:192.0.2.1', port: 22 })).toBe(session);
    expect(findSessionKeys(file, { address: '2001:db8::1', port: 2 }, { address: '::ffff:192.0.2.1', port: 22 })).toBeUndefined();
  });

  const base = () => JSON.parse(writeKeyFile(sample));
  const cases: [string, (json: any) => unknown, string][] = [
    ['not JSON', () => '{', 'k.json: not JSON'],
    ['wrong format', (j) => ((j.format = 'x'), j), 'k.json: format: expected "sshlens-session-keys", found "x"'],
    ['wrong version', (j) => ((j.version = 2), j), 'k.json: version: expected 1, found number 2'],
    ['sessions not an array', (j) => ((j.sessions = {}), j), 'k.json: sessions: expected an array, found object {}'],
    ['top-level extra field', (j) => ((j.extra = 1), j), 'k.json: extra: unknown field (expected "format", "version", "sessions")'],
    ['misspelt key', (j) => ((j.sessions[0].clientToServer.encryption_key = 'aa'), j), 'k.json: sessions[0].clientToServer.encryption_key: unknown field'],
    ['missing key', (j) => (delete j.sessions[1].serverToClient.encryptionKey, j), 'k.json: sessions[1].serverToClient.encryptionKey: missing'],
    ['odd hex', (j) => ((j.sessions[0].clientToServer.iv = 'abc'), j), 'k.json: sessions[0].clientToServer.iv: expected hex digits, an even number of them'],
    ['non-hex', (j) => ((j.sessions[2].sessionId = 'zz'), j), 'k.json: sessions[2].sessionId: expected hex digits'],
    ['sequence number too big', (j) => ((j.sessions[0].serverToClient.sequenceNumber = 2 ** 32), j), 'k.json: sessions[0].serverToClient.sequenceNumber: expected a whole number from 0 to 4294967295, found number 4294967296'],
    ['negative offset', (j) => ((j.sessions[0].clientToServer.streamOffset = -1), j), 'k.json: sessions[0].clientToServer.streamOffset: expected a whole number'],
    ['both positions', (j) => ((j.sessions[0].clientToServer.tcpSeq = 1), j), 'k.json: sessions[0].clientToServer.tcpSeq: give "streamOffset" or "tcpSeq", not both'],
    ['MAC without key', (j) => (delete j.sessions[2].clientToServer.macKey, j), 'k.json: sessions[2].clientToServer.macKey: missing: the MAC "hmac-sha1" needs a key'],
    ['bad endpoint', (j) => ((j.sessions[0].client = '192.0.2.300:1'), j), 'k.json: sessions[0].client: expected "address:port" (IPv6 as "[address]:port"), found "192.0.2.300:1"'],
    ['IPv6 without brackets', (j) => ((j.sessions[1].client = '2001:db8::1:40000'), j), 'k.json: sessions[1].client: expected "address:port"'],
    ['client without server', (j) => (delete j.sessions[0].server, j), 'k.json: sessions[0].server: missing: "client" and "server" match a connection together'],
    ['nothing to match', (j) => (delete j.sessions[2].sessionId, j), 'k.json: sessions[2]: nothing to match a connection by'],
    ['strictKex not boolean', (j) => ((j.sessions[0].strictKex = 'yes'), j), 'k.json: sessions[0].strictKex: expected true or false, found "yes"'],
    ['session not an object', (j) => ((j.sessions[1] = []), j), 'k.json: sessions[1]: expected an object, found an array'],
    ['empty cipher', (j) => ((j.sessions[1].clientToServer.cipher = ''), j), 'k.json: sessions[1].clientToServer.cipher: expected a non-empty string, found ""'],
  ];
  for (const [what, change, message] of cases) {
    it(`error: ${what}`, () => {
      const changed = change(base());
      const text = typeof changed === 'string' ? changed : JSON.stringify(changed);
      let caught: unknown;
      try {
        parseKeyFile(text, 'k.json');
      } catch (error) {
        caught = error;
      }
      expect(caught).toMatchObject({ name: 'KeysError', code: 'bad-key-file' });
      expect((caught as Error).message.startsWith(message)).toBe(true);
    });
  }
});

describe('addresses (RFC 4291 §2.2 text in, RFC 5952 text out)', () => {
  it.each([
    ['192.0.2.1', '192.0.2.1'],
    ['::1', '::1'],
    ['::', '::'],
    ['2001:DB8::0:1', '2001:db8::1'],
    ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'],
    ['2001:0db8:0000:0000:0000:0000:0000:0001', '2001:db8::1'],
    ['fe80:0:0:0:1:2:3:4', 'fe80::1:2:3:4'],
    ['1:2:3:4:5:6:7:8', '1:2:3:4:5:6:7:8'],
    ['2001:db8:0:1:1:1:1:1', '2001:db8:0:1:1:1:1:1'], // RFC 5952 §4.2.2: a single 0 group is not shortened
    ['::ffff:10.0.0.1', '::ffff:10.0.0.1'], // RFC 5952 §5
    ['::FFFF:A00:1', '::ffff:10.0.0.1'],
  ])('%s -> %s', (input, canonical) => expect(parseAddress(input)).toBe(canonical));

  it.each(['1.2.3', '256.1.1.1', '1::2::3', '1:2:3:4:5:6:7:8:9', '12345::', 'host.example', '1:2:3:4:5:6:7::8'])('rejects %s', (input) => {
    expect(parseAddress(input)).toBeNull();
  });

  it('host:port', () => {
    expect(parseHostPort('[::1]:22')).toEqual({ address: '::1', port: 22 });
    expect(parseHostPort('10.1.2.3:65535')).toEqual({ address: '10.1.2.3', port: 65535 });
    expect(parseHostPort('10.1.2.3:65536')).toBeNull();
    expect(parseHostPort('10.1.2.3')).toBeNull();
  });
});
