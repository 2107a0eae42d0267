/**
 * The SSH MACs against published HMAC vectors. An SSH HMAC is HMAC(key, uint32 seq | data) (RFC 4253 §6.4), so
 * each vector's message is split into its first four bytes (read as the sequence number) and the rest: the test
 * checks the exact SSH construction, not just the hash.
 *  - RFC 4231 §4.2-§4.8 (HMAC-SHA-256/512, test cases 1-7; case 5 is truncated to 128 bits by the RFC).
 *  - RFC 2202 §2 (HMAC-MD5) and §3 (HMAC-SHA-1), test cases 1-7, including the -96 truncations of case 5.
 * Every vector is also recomputed with node:crypto's HMAC as an independent implementation.
 */
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { MAC_ALGORITHMS, getMacAlgorithm, sshHmac } from './macs.ts';

const hex = (s: string) => Uint8Array.from((s.match(/../g) ?? []).map((b) => parseInt(b, 16)));
const text = (s: string) => new TextEncoder().encode(s);
const toHex = (b: Uint8Array) => Buffer.from(b).toString('hex');

function sshMac(name: string, key: Uint8Array, message: Uint8Array): string {
  return run(getMacAlgorithm(name).create(key), message);
}

function run(mac: ReturnType<typeof sshHmac>, message: Uint8Array): string {
  const seq = new DataView(message.buffer, message.byteOffset).getUint32(0);
  const out = new Uint8Array(mac.length);
  mac.compute(seq, message.subarray(4), out);
  return toHex(out);
}

const aa131 = hex('aa'.repeat(131));
const aa80 = hex('aa'.repeat(80));
const key25 = hex('0102030405060708090a0b0c0d0e0f10111213141516171819');
const bigKeyFirst = text('Test Using Larger Than Block-Size Key - Hash Key First');

describe('RFC 4231: hmac-sha2-256 and hmac-sha2-512', () => {
  const cases = [
    { n: 1, key: hex('0b'.repeat(20)), data: text('Hi There'),
      s256: 'b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7',
      s512: '87aa7cdea5ef619d4ff0b4241a1d6cb02379f4e2ce4ec2787ad0b30545e17cdedaa833b7d6b8a702038b274eaea3f4e4be9d914eeb61f1702e696c203a126854' },
    { n: 2, key: text('Jefe'), data: text('what do ya want for nothing?'),
      s256: '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843',
      s512: '164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea2505549758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737' },
    { n: 3, key: hex('aa'.repeat(20)), data: hex('dd'.repeat(50)),
      s256: '773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe',
      s512: 'fa73b0089d56a284efb0f0756c890be9b1b5dbdd8ee81a3655f83e33b2279d39bf3e848279a722c806b485a47e67c807b946a337bee8942674278859e13292fb' },
    { n: 4, key: key25, data: hex('cd'.repeat(50)),
      s256: '82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b',
      s512: 'b0ba465637458c6990e5a8c5f61d4af7e576d97ff94b872de76f8050361ee3dba91ca5c11aa25eb4d679275cc5788063a5f19741120c4f2de2adebeb10a298dd' },
    { n: 5, key: hex('0c'.repeat(20)), data: text('Test With Truncation'),
      s256: 'a3b6167473100ee06e0c796c2955552b', s512: '415fad6271580a531d4179bc891d87a6' },
    { n: 6, key: aa131, data: bigKeyFirst,
      s256: '60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54',
      s512: '80b24263c7c1a3ebb71493c1dd7be8b49b46d1f41b4aeec1121b013783f8f3526b56d037e05f2598bd0fd2215d6a1e5295e64f73f63f0aec8b915a985d786598' },
    { n: 7, key: aa131,
      data: text('This is a test using a larger than block-size key and a larger than block-size data. The key needs to be hashed before being used by the HMAC algorithm.'),
      s256: '9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2',
      s512: 'e37b6a775dc87dbaa4dfa9f96e5e3ffddebd71f8867289865df5a32d20cdc944b6022cac3c4982b10d5eeb55c3e4de15134676fb6de0446065c97440fa8c6a58' },
  ];
  for (const c of cases) {
    it(`test case ${c.n}`, () => {
      // None of the RFC keys has the exact size SSH derives (32/64 bytes), which the registry insists on, so the
      // vectors go through the HMAC the registry entries are built from; the registry's key check is tested too.
      for (const [name, hash, expected] of [['hmac-sha2-256', 'sha256', c.s256], ['hmac-sha2-512', 'sha512', c.s512]] as const) {
        expect(createHmac(hash, c.key).update(c.data).digest('hex').startsWith(expected)).toBe(true);
        const length = hash === 'sha256' ? 32 : 64;
        expect(run(sshHmac(hash, length, c.key), c.data).startsWith(expected)).toBe(true);
        expect(() => getMacAlgorithm(name).create(c.key)).toThrow(/needs a \d+-byte key/);
      }
    });
  }
});

describe('RFC 2202: hmac-sha1, hmac-sha1-96, hmac-md5, hmac-md5-96', () => {
  const cases = [
    { n: 1, sha1Key: hex('0b'.repeat(20)), md5Key: hex('0b'.repeat(16)), data: text('Hi There'),
      sha1: 'b617318655057264e28bc0b6fb378c8ef146be00', md5: '9294727a3638bb1c13f48ef8158bfc9d' },
    { n: 2, sha1Key: text('Jefe'), md5Key: text('Jefe'), data: text('what do ya want for nothing?'),
      sha1: 'effcdf6ae5eb2fa2d27416d5f184df9c259a7c79', md5: '750c783e6ab0b503eaa86e310a5db738' },
    { n: 3, sha1Key: hex('aa'.repeat(20)), md5Key: hex('aa'.repeat(16)), data: hex('dd'.repeat(50)),
      sha1: '125d7342b9ac11cd91a39af48aa17b4f63f175d3', md5: '56be34521d144c88dbb8c733f0e8b3f6' },
    { n: 4, sha1Key: key25, md5Key: key25, data: hex('cd'.repeat(50)),
      sha1: '4c9007f4026250c6bc8414f9bf50c86c2d7235da', md5: '697eaf0aca3a3aea3a75164746ffaa79' },
    { n: 5, sha1Key: hex('0c'.repeat(20)), md5Key: hex('0c'.repeat(16)), data: text('Test With Truncation'),
      sha1: '4c1a03424b55e07fe7f27be1d58bb9324a9a5a04', md5: '56461ef2342edc00f9bab995690efd4c' },
    { n: 6, sha1Key: aa80, md5Key: aa80, data: bigKeyFirst,
      sha1: 'aa4ae5e15272d00e95705637ce8a3b55ed402112', md5: '6b1ab7fe4bd7bf8f0b62e6ce61b9d0cd' },
    { n: 7, sha1Key: aa80, md5Key: aa80,
      data: text('Test Using Larger Than Block-Size Key and Larger Than One Block-Size Data'),
      sha1: 'e8e99d0f45237d786d6bbaa7965c7808bbff1a91', md5: '6f630fad67cda0ee1fb1f562db3aa53e' },
  ];
  for (const c of cases) {
    it(`test case ${c.n}`, () => {
      expect(createHmac('sha1', c.sha1Key).update(c.data).digest('hex')).toBe(c.sha1);
      expect(createHmac('md5', c.md5Key).update(c.data).digest('hex')).toBe(c.md5);
      if (c.sha1Key.length === 20) {
        expect(sshMac('hmac-sha1', c.sha1Key, c.data)).toBe(c.sha1);
        expect(sshMac('hmac-sha1-96', c.sha1Key, c.data)).toBe(c.sha1.slice(0, 24)); // RFC 2202 lists -96 for case 5
        expect(sshMac('hmac-sha1-etm@openssh.com', c.sha1Key, c.data)).toBe(c.sha1);
      }
      if (c.md5Key.length === 16) {
        expect(sshMac('hmac-md5', c.md5Key, c.data)).toBe(c.md5);
        expect(sshMac('hmac-md5-96', c.md5Key, c.data)).toBe(c.md5.slice(0, 24));
      }
    });
  }
});

describe('MAC registry', () => {
  it('has plain and EtM forms of every MAC but the @ssh.com names with sizes from RFC 4253 §7.2 / RFC 6668 / OpenSSH', () => {
    const sizes = Object.fromEntries(MAC_ALGORITHMS.map((m) => [m.name, [m.keyLength, m.macLength, m.encryptThenMac]]));
    expect(sizes['hmac-sha2-256-etm@openssh.com']).toEqual([32, 32, true]);
    expect(sizes['hmac-sha2-512']).toEqual([64, 64, false]);
    expect(sizes['hmac-sha1-96']).toEqual([20, 12, false]);
    expect(sizes['umac-64-etm@openssh.com']).toEqual([16, 8, true]);
    expect(sizes['umac-128@openssh.com']).toEqual([16, 16, false]);
    // 10 MACs with an EtM form each, and the five @ssh.com names (encrypt-and-MAC only; macs-sshcom.test.ts).
    expect(MAC_ALGORITHMS.length).toBe(10 * 2 + 5);
  });
  it('names the supported MACs when asked for an unknown one', () => {
    expect(() => getMacAlgorithm('hmac-ripemd160')).toThrow(/unsupported MAC algorithm "hmac-ripemd160".*umac-64/);
  });
  it('one keyed MAC gives the same value on reuse and different values per sequence number', () => {
    for (const algorithm of MAC_ALGORITHMS) {
      const mac = algorithm.create(Uint8Array.from({ length: algorithm.keyLength }, (_, i) => i));
      const data = text('SSH-2.0 packet bytes');
      const a = new Uint8Array(mac.length), b = new Uint8Array(mac.length), c = new Uint8Array(mac.length);
      mac.compute(7, data, a); mac.compute(8, data, b); mac.compute(7, data, c);
      expect(toHex(a)).toBe(toHex(c));
      expect(toHex(a)).not.toBe(toHex(b));
    }
  });
});
