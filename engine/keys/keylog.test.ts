/**
 * Key logs: the three forms read from the real fixture key logs, and checked against the real captures they belong
 * to - each line's cookie is the client's KEXINIT cookie in the capture (RFC 4253 §7.1), and for curve25519 the
 * SHARED_SECRET line is X25519(PRIVATE_KEY line, the server's Q_S from its KEX_ECDH_REPLY) (RFC 8731 §3.1).
 * Then bad lines, merging, and writing.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { x25519 } from '@noble/curves/ed25519.js';
import { describe, expect, it } from 'vitest';
import { readCapture } from '../capture/reader.ts';
import { FIXTURES, streamsOf } from '../capture/test-helpers.ts';
import { toHex } from '../wire/hex.ts';
import { formatKeyLogLine, KeyLog, parseKeyLog, writeKeyLog, type KeyLogEntry } from './keylog.ts';

const present = existsSync(FIXTURES);
if (!present) console.warn(`\n*** KEY LOG CONFORMANCE SKIPPED: ${FIXTURES} is missing ***\n`);
const names = present ? readdirSync(FIXTURES).filter((f) => f.endsWith('.pcap')).map((f) => f.replace(/\.pcap$/, '')).sort() : [];
const manifest = present
  ? new Map(readFileSync(join(FIXTURES, 'MANIFEST.tsv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split('\t')).map((f) => [f[0], { kex: f[1] }]))
  : new Map<string, { kex: string }>();

/** The unencrypted SSH packets (RFC 4253 §6) after the identification line: [message number, payload]. */
function clearPackets(stream: Uint8Array, start: number, count: number): Uint8Array[] {
  const view = new DataView(stream.buffer, stream.byteOffset, stream.length);
  const out: Uint8Array[] = [];
  let at = start;
  for (let i = 0; i < count; i++) {
    const length = view.getUint32(at);
    const padding = stream[at + 4];
    out.push(stream.subarray(at + 5, at + 4 + length - padding));
    at += 4 + length;
  }
  return out;
}

function sshString(bytes: Uint8Array, at: number): [Uint8Array, number] {
  const length = new DataView(bytes.buffer, bytes.byteOffset + at, 4).getUint32(0);
  return [bytes.subarray(at + 4, at + 4 + length), at + 4 + length];
}

describe.skipIf(!present)('the fixtures\' key logs', () => {
  for (const name of names) {
    it(name, () => {
      const read = (form: string) => {
        const file = `${name}.${form}.keylog`;
        const { entries, problems } = parseKeyLog(readFileSync(join(FIXTURES, file)), file);
        expect(problems).toEqual([]);
        return entries;
      };
      const old = read('oldformat');
      const privateKeys = read('private_key');
      const shared = read('shared_secret');
      const lines = name.includes('rekey') ? 2 : 1;
      for (const [entries, form] of [[old, 'bare'], [privateKeys, 'PRIVATE_KEY'], [shared, 'SHARED_SECRET']] as const) {
        expect(entries.map((e) => [e.form, e.source.line])).toEqual(Array.from({ length: lines }, (_, i) => [form, i + 1]));
      }
      expect(privateKeys.map((e) => [e.cookieHex, toHex(e.value)])).toEqual(old.map((e) => [e.cookieHex, toHex(e.value)]));
      expect(shared.map((e) => e.cookieHex)).toEqual(old.map((e) => e.cookieHex));

      // The first line's cookie is the client's KEXINIT cookie (payload bytes 1..16) in the capture.
      const events = readCapture(readFileSync(join(FIXTURES, `${name}.pcap`)));
      const streams = streamsOf(events, 1);
      const [clientId, serverId] = streams.identification;
      const [clientKexinit] = clearPackets(streams.clientBytes, clientId.length, 1);
      expect(clientKexinit[0]).toBe(20);
      expect(toHex(clientKexinit.subarray(1, 17))).toBe(old[0].cookieHex);

      // curve25519: K = X25519(client private key, Q_S), as a minimal big-endian number.
      if (manifest.get(name)!.kex.startsWith('curve25519')) {
        const [serverKexinit, reply] = clearPackets(streams.serverBytes, serverId.length, 2);
        expect([serverKexinit[0], reply[0]]).toEqual([20, 31]);
        const [, afterHostKey] = sshString(reply, 1);
        const [serverPublic] = sshString(reply, afterHostKey);
        const k = x25519.getSharedSecret(privateKeys[0].value, serverPublic);
        let first = 0;
        while (k[first] === 0) first++;
        expect(toHex(shared[0].value)).toBe(toHex(k.subarray(first)));
      }
    });
  }
});

describe('key log lines', () => {
  const cookie = '00112233445566778899AABBCCDDEEFF';
  it('reads comments, blank lines, CR LF, tabs, either case, very long lines', () => {
    const long = 'aB'.repeat(1024); // a group18 secret is 1024 hex digits; this is twice that
    const text = `# a comment\r\n\r\n  ${cookie} 0A0b\r\n${cookie}\tSHARED_SECRET\t${long}\n   # indented comment\n${cookie.toLowerCase()} PRIVATE_KEY ff`;
    const { entries, problems } = parseKeyLog(text, 'k.log');
    expect(problems).toEqual([]);
    expect(entries.map((e) => [e.source.line, e.form, e.kind, e.cookieHex, toHex(e.value).length])).toEqual([
      [3, 'bare', 'private-key', cookie.toLowerCase(), 4],
      [4, 'SHARED_SECRET', 'shared-secret', cookie.toLowerCase(), long.length],
      [6, 'PRIVATE_KEY', 'private-key', cookie.toLowerCase(), 2],
    ]);
  });

  it('reports bad lines with file name and line number, and keeps the good ones', () => {
    const text = [
      `${cookie} 0a0b`,
      `${cookie.slice(2)} 0a0b`,
      `${cookie} SESSION_KEY 0a0b`,
      `${cookie} 0a0`,
      `${cookie} xyz1`,
      `${cookie}`,
      `${cookie} PRIVATE_KEY 01 02`,
      `${cookie} SHARED_SECRET 1234`,
      `${cookie} SHARED_SECRET 89e`,
    ].join('\n');
    const { entries, problems } = parseKeyLog(text, 'keys.log');
    expect(entries.map((e) => e.source.line)).toEqual([1, 8, 9]);
    // An odd number of digits in a SHARED_SECRET is a number that lost its leading zero nibble (printed with %x).
    expect(Array.from(entries[2].value)).toEqual([0x08, 0x9e]);
    expect(problems.map((p) => p.message)).toEqual([
      'keys.log:2: the cookie "112233445566778899AABBCCDDEEFF" is not 32 hex digits (the 16-byte KEXINIT cookie)',
      'keys.log:3: unknown secret type "SESSION_KEY"; expected "<cookie> <hex>", "<cookie> PRIVATE_KEY <hex>" or "<cookie> SHARED_SECRET <hex>"',
      'keys.log:4: the private key is not hex with an even number of digits ("0a0")',
      'keys.log:5: the private key is not hex with an even number of digits ("xyz1")',
      'keys.log:6: 1 fields; expected "<cookie> <hex>", "<cookie> PRIVATE_KEY <hex>" or "<cookie> SHARED_SECRET <hex>"',
      'keys.log:7: 4 fields; expected "<cookie> <hex>", "<cookie> PRIVATE_KEY <hex>" or "<cookie> SHARED_SECRET <hex>"',
    ]);
  });

  it('merges files: a repeated line counts once, a contradicting one is reported, look-ups put the server first', () => {
    const log = new KeyLog();
    const client = '11'.repeat(16);
    const server = '22'.repeat(16);
    expect(log.add(`${client} PRIVATE_KEY aa\n${server} SHARED_SECRET bb\n`, 'a.log')).toEqual([]);
    const problems = log.add(`${client} aa\n${server} SHARED_SECRET cc\n${server} PRIVATE_KEY dd\n`, 'b.log');
    expect(problems.map((p) => p.message)).toEqual([`b.log:2: cookie ${server} already has a different shared-secret (from a.log:2); that one is kept`]);
    expect(log.entries).toHaveLength(3);
    const found = log.forKeyExchange(Uint8Array.from({ length: 16 }, () => 0x11), Uint8Array.from({ length: 16 }, () => 0x22));
    expect(found.map((f) => [f.side, f.entry.kind, toHex(f.entry.value), `${f.entry.source.file}:${f.entry.source.line}`])).toEqual([
      ['server', 'shared-secret', 'bb', 'a.log:2'],
      ['server', 'private-key', 'dd', 'b.log:3'],
      ['client', 'private-key', 'aa', 'a.log:1'],
    ]);
    expect(log.find(new Uint8Array(16))).toEqual([]);
  });

  it('writes lines that read back the same, in each form', () => {
    const entries = [
      { cookie: Uint8Array.from({ length: 16 }, (_, i) => i), kind: 'private-key' as const, value: Uint8Array.of(0, 1, 0xfe), form: 'bare' as const },
      { cookie: Uint8Array.from({ length: 16 }, (_, i) => 255 - i), kind: 'private-key' as const, value: new Uint8Array(32).fill(7) },
      { cookie: new Uint8Array(16), kind: 'shared-secret' as const, value: new Uint8Array(64).fill(0xab) },
    ];
    const text = writeKeyLog(entries);
    expect(text.split('\n')[0]).toBe('000102030405060708090a0b0c0d0e0f 0001fe');
    const back = parseKeyLog(text, 'w.log');
    expect(back.problems).toEqual([]);
    expect(back.entries.map((e: KeyLogEntry) => [e.cookie, e.kind, e.value])).toEqual(entries.map((e) => [e.cookie, e.kind, e.value]));
    expect(back.entries.map((e) => e.form)).toEqual(['bare', 'PRIVATE_KEY', 'SHARED_SECRET']);
  });

  it('refuses to write impossible lines', () => {
    expect(() => formatKeyLogLine({ cookie: new Uint8Array(15), kind: 'private-key', value: Uint8Array.of(1) })).toThrow('a KEXINIT cookie is 16 bytes, not 15');
    expect(() => formatKeyLogLine({ cookie: new Uint8Array(16), kind: 'shared-secret', value: Uint8Array.of(1) }, 'bare')).toThrow('a shared-secret cannot be written in the bare form');
    expect(() => formatKeyLogLine({ cookie: new Uint8Array(16), kind: 'private-key', value: new Uint8Array(0) })).toThrow('an empty secret');
  });
});
