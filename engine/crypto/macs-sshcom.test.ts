/**
 * The MACs other implementations offer beyond OpenSSH's: SSH Communications Security's hmac-sha*@ssh.com names and
 * the truncated hmac-sha2-256-96 / hmac-sha2-512-96. HMAC-SHA-224 and HMAC-SHA-384 against RFC 4231 §4.3 (test case
 * 2), with the message's first four bytes read as the SSH sequence number (RFC 4253 §6.4); the registry's sizes
 * (AsyncSSH's asyncssh/mac.py table: hmac-sha256@ssh.com takes a 16-byte key) and the rest against node:crypto.
 * (A real AsyncSSH session with hmac-sha256@ssh.com decodes in cli/dev/others.test.ts.)
 */
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { MAC_ALGORITHMS, getMacAlgorithm, sshHmac } from './macs.ts';

const text = (s: string) => new TextEncoder().encode(s);
const toHex = (b: Uint8Array) => Buffer.from(b).toString('hex');
function run(mac: ReturnType<typeof sshHmac>, message: Uint8Array): string {
  const out = new Uint8Array(mac.length);
  mac.compute(new DataView(message.buffer, message.byteOffset).getUint32(0), message.subarray(4), out);
  return toHex(out);
}

describe('RFC 4231 §4.3 (test case 2) through the SSH HMAC construction', () => {
  const key = text('Jefe');
  const data = text('what do ya want for nothing?');
  it('HMAC-SHA-224', () => expect(run(sshHmac('sha224', 28, key), data)).toBe('a30e01098bc6dbbf45690f3a7e9e6d0f8bbea2a39e6148008fd05e44'));
  it('HMAC-SHA-384', () => expect(run(sshHmac('sha384', 48, key), data))
    .toBe('af45d2e376484031617f78d2b58a6b1b9c7ef464f5a01b47e42ec3736322445e8e2240ca5e69e2c78b3239ecfab21649'));
});

describe('registry entries', () => {
  const table: [name: string, hash: string, keyLength: number, macLength: number][] = [
    ['hmac-sha256@ssh.com', 'sha256', 16, 32], ['hmac-sha256-2@ssh.com', 'sha256', 32, 32], ['hmac-sha224@ssh.com', 'sha224', 28, 28],
    ['hmac-sha384@ssh.com', 'sha384', 48, 48], ['hmac-sha512@ssh.com', 'sha512', 64, 64],
    ['hmac-sha2-256-96', 'sha256', 32, 12], ['hmac-sha2-512-96', 'sha512', 64, 12],
    ['hmac-sha2-256-96-etm@openssh.com', 'sha256', 32, 12], ['hmac-sha2-512-96-etm@openssh.com', 'sha512', 64, 12], ['hmac-md5-96', 'md5', 16, 12],
  ];
  for (const [name, hash, keyLength, macLength] of table) {
    it(`${name}: ${keyLength}-byte key, ${macLength}-byte MAC, HMAC-${hash} of uint32 seq | data (node:crypto)`, () => {
      const algorithm = getMacAlgorithm(name);
      expect([algorithm.keyLength, algorithm.macLength]).toEqual([keyLength, macLength]);
      const key = Uint8Array.from({ length: keyLength }, (_, i) => i * 11 + 1);
      const message = Uint8Array.from({ length: 300 }, (_, i) => i * 5);
      const expected = createHmac(hash, key).update(message).digest().subarray(0, macLength);
      expect(run(algorithm.create(key), message)).toBe(toHex(expected));
      expect(() => algorithm.create(key.subarray(1))).toThrow();
    });
  }
  it('the @ssh.com names have no EtM form', () => {
    expect(MAC_ALGORITHMS.filter((m) => m.name.includes('@ssh.com')).every((m) => !m.encryptThenMac)).toBe(true);
    expect(MAC_ALGORITHMS.some((m) => m.name.includes('ssh.com-etm'))).toBe(false);
  });
});
