/**
 * decryptStream: a whole direction decrypted from its bytes and the keys of each epoch (RFC 4253 §6, §7.2),
 * through a rekey, with and without strict kex, with zlib@openssh.com found by the reader itself.
 */
import { describe, expect, it } from 'vitest';
import { decryptStream } from './decrypt-stream.ts';
import { serverStream } from './test-streams.ts';

describe('decryptStream', () => {
  for (const strict of [false, true]) {
    it(`decrypts every packet of a rekeyed session (strict kex ${strict ? 'on' : 'off'})`, () => {
      const sent = serverStream('chacha20-poly1305@openssh.com', null, 'zlib@openssh.com', strict, 11);
      const { packets, failure } = decryptStream(sent.wire, { direction: 'server', epochs: sent.epochs, strictKex: strict, startOffset: 41 });
      expect(failure).toBeUndefined();
      expect(packets.map((p) => Buffer.from(p.message!).toString('hex'))).toEqual(sent.packets.map((p) => Buffer.from(p.payload).toString('hex')));
      expect(packets.map((p) => [p.sequence, p.epoch])).toEqual(sent.packets.map((p) => [p.sequence, p.epoch]));
      expect(packets[0].stream.start).toBe(41);
    });
  }

  it('the wrong strict flag shows as authentication failures right after the first NEWKEYS', () => {
    const sent = serverStream('chacha20-poly1305@openssh.com', null, 'none', true, 11);
    const { packets, failure } = decryptStream(sent.wire, { direction: 'server', epochs: sent.epochs, strictKex: false });
    expect(packets.length).toBeGreaterThanOrEqual(2);
    expect(failure?.message ?? packets[2].problems[0].message).toMatch(/server->client packet #2 \(seq 2\)/);
  });

  it('missing keys for a later epoch: the packets before are kept and the stop is explained', () => {
    const sent = serverStream('aes256-gcm@openssh.com', null, 'none', false, 12);
    const { packets, failure } = decryptStream(sent.wire, { direction: 'server', epochs: sent.epochs.slice(0, 1), strictKex: false });
    expect(packets.length).toBe(12);
    expect(failure?.code).toBe('no-keys');
  });
});
