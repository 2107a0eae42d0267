/**
 * Every key exchange method in the registry, both sides (RFC 4253 §8, RFC 4419, RFC 5656 §4, RFC 8731 §3,
 * RFC 9941 §2): the client and the server compute the same K and, each from its own view, the same H; a tampered
 * public value changes H; the key-log path recomputes K from either side's private value and from SHARED_SECRET.
 */
import { describe, expect, it } from 'vitest';
import { WireReader, toHex } from '../wire/index.ts';
import { chooseGexGroup } from './dh.ts';
import { KexError } from './errors.ts';
import { exchangeHash, type ExchangeHashInputs, type GexParameters } from './exchange-hash.ts';
import { HASHES } from './hashes.ts';
import { clientKexFinish, clientKexInit, serverKexReply, type KexPublicValue } from './kex.ts';
import { sharedSecretFromKeyLog } from './key-log-secret.ts';
import { KEX_METHODS, type KexMethod } from './methods.ts';
import { modpGroup, type DhGroup } from './modp-groups.ts';
import { seededRandomBytes } from './test-rng.ts';

const common = {
  V_C: 'SSH-2.0-sshlens_test client',
  V_S: 'SSH-2.0-sshlens_test server',
  I_C: new Uint8Array([20, 1, 2, 3]),
  I_S: new Uint8Array([20, 4, 5, 6]),
  K_S: new Uint8Array([0, 0, 0, 11, ...new TextEncoder().encode('ssh-ed25519'), 0, 0, 0, 1, 7]),
};

function run(method: KexMethod, seed: string) {
  const rng = seededRandomBytes(`${method.name} ${seed}`);
  let group: DhGroup | undefined;
  let gex: GexParameters | undefined;
  if (method.family === 'dh-gex') {
    const chosen = chooseGexGroup(2048, 2048, 8192);
    group = { p: chosen.p, g: chosen.g };
    gex = { min: 2048, n: 2048, max: 8192, ...group };
  }
  const client = clientKexInit(method.name, rng, group);
  const server = serverKexReply(method.name, client.clientPublic, rng, group);
  const clientK = clientKexFinish(method.name, client.privateValue, server.serverPublic, group);
  const inputs = (K: Uint8Array, clientPublic: KexPublicValue, serverPublic: KexPublicValue): ExchangeHashInputs => ({
    method: method.name, ...common, clientPublic, serverPublic, gex, K,
  });
  return { client, server, clientK, group, gex, inputs };
}

function flipLastBit(value: KexPublicValue): KexPublicValue {
  if (typeof value === 'bigint') return value ^ 2n;
  const copy = value.slice();
  copy[copy.length - 1] ^= 1;
  return copy;
}

describe('both sides of every kex method agree', () => {
  for (const method of KEX_METHODS.filter((m) => m.family !== 'rsa')) { // RSA kex (decoded only): rfc4432-rsa-kex.test.ts
    it(method.name, () => {
      const { client, server, clientK, group, inputs } = run(method, 'agree');
      expect(toHex(clientK.wire)).toBe(toHex(server.K.wire));
      expect(clientK.encoding).toBe(method.sharedSecretEncoding);
      if (method.sharedSecretEncoding === 'string') expect(clientK.content.length).toBe(HASHES[method.hash].outputLength);
      // K's wire form is a valid string / minimal mpint.
      const reader = new WireReader(clientK.wire);
      if (method.sharedSecretEncoding === 'mpint') expect(reader.mpint('K') > 0n).toBe(true);
      else reader.string('K');
      reader.end();

      const hClient = exchangeHash(inputs(clientK.wire, client.clientPublic, server.serverPublic));
      const hServer = exchangeHash(inputs(server.K.wire, client.clientPublic, server.serverPublic));
      expect(hClient.H.length).toBe(HASHES[method.hash].outputLength);
      expect(toHex(hClient.H)).toBe(toHex(hServer.H));
      expect(hClient.inputs.map((i) => i.name).slice(0, 5)).toEqual(['V_C', 'V_S', 'I_C', 'I_S', 'K_S']);
      expect(hClient.inputs[hClient.inputs.length - 1].name).toBe('K');

      // A tampered server value: the client's K and H change (or the value is refused outright).
      const tampered = flipLastBit(server.serverPublic);
      let tamperedK: Uint8Array | null = null;
      try {
        tamperedK = clientKexFinish(method.name, client.privateValue, tampered, group).wire;
      } catch (e) {
        expect(e).toBeInstanceOf(KexError);
      }
      if (tamperedK) expect(toHex(tamperedK)).not.toBe(toHex(clientK.wire));
      const hTampered = exchangeHash(inputs(clientK.wire, client.clientPublic, tampered));
      expect(toHex(hTampered.H)).not.toBe(toHex(hClient.H));
    });
  }
});

describe('K from a key log', () => {
  for (const method of KEX_METHODS.filter((m) => m.family !== 'rsa')) {
    it(method.name, () => {
      const { client, server, clientK, group } = run(method, 'key log');
      const base = { method: method.name, clientPublic: client.clientPublic, serverPublic: server.serverPublic, group };
      const hexOf = (v: bigint | Uint8Array) => (typeof v === 'bigint' ? v.toString(16) : toHex(v));

      const fromClient = sharedSecretFromKeyLog({ ...base, kind: 'PRIVATE_KEY', secret: hexOf(client.privateValue), cookieSide: 'client' });
      expect(toHex(fromClient.K.wire)).toBe(toHex(clientK.wire));
      expect(fromClient.privateValueOf).toBe('client');

      if (method.family !== 'hybrid-kem') {
        const fromServer = sharedSecretFromKeyLog({ ...base, kind: 'PRIVATE_KEY', secret: hexOf(server.privateValue).toUpperCase(), cookieSide: 'server' });
        expect(toHex(fromServer.K.wire)).toBe(toHex(clientK.wire));
        expect(fromServer.privateValueOf).toBe('server');
        // The same value given with the other side's cookie still works, and says so.
        const swapped = sharedSecretFromKeyLog({ ...base, kind: 'PRIVATE_KEY', secret: hexOf(server.privateValue), cookieSide: 'client' });
        expect(swapped.privateValueOf).toBe('server');
        expect(swapped.note).toMatch(/client's cookie but is the server's/);
      }

      // SHARED_SECRET: minimal unsigned hex for the mpint methods, the hash output for the hybrids.
      const sharedHex = method.sharedSecretEncoding === 'mpint'
        ? BigInt('0x' + toHex(clientK.content)).toString(16)
        : toHex(clientK.content);
      const fromShared = sharedSecretFromKeyLog({ ...base, kind: 'SHARED_SECRET', secret: sharedHex, cookieSide: 'client' });
      expect(toHex(fromShared.K.wire)).toBe(toHex(clientK.wire));

      // A private value that belongs to neither side.
      const other = run(method, 'someone else').client.privateValue;
      expect(() => sharedSecretFromKeyLog({ ...base, kind: 'PRIVATE_KEY', secret: hexOf(other), cookieSide: 'client' }))
        .toThrow(/this PRIVATE_KEY is not the private value behind either public value/);
    });
  }
});

describe('public value checks', () => {
  it('RFC 4253 §8: e and f must satisfy 1 < e < p-1', () => {
    const { p } = modpGroup('group14');
    const rng = seededRandomBytes('range');
    for (const bad of [0n, 1n, p - 1n, p, p + 5n]) {
      expect(() => serverKexReply('diffie-hellman-group14-sha256', bad, rng)).toThrow(/1 < e < p-1/);
    }
  });
  it('RFC 5656 §4: a point off the curve or not uncompressed is refused', () => {
    const rng = seededRandomBytes('points');
    const { clientPublic } = clientKexInit('ecdh-sha2-nistp256', rng);
    const offCurve = (clientPublic as Uint8Array).slice();
    offCurve[64] ^= 1;
    expect(() => serverKexReply('ecdh-sha2-nistp256', offCurve, rng)).toThrow(/not a point on p256/);
    expect(() => serverKexReply('ecdh-sha2-nistp256', (clientPublic as Uint8Array).subarray(0, 33), rng)).toThrow(/uncompressed/);
  });
  it('hybrid values of the wrong length are refused with both lengths named', () => {
    expect(() => serverKexReply('mlkem768x25519-sha256', new Uint8Array(100), seededRandomBytes('x'))).toThrow(/1216 bytes/);
  });
  it('a bigint where bytes belong (and the other way round) is a typed error', () => {
    expect(() => serverKexReply('curve25519-sha256', 5n, seededRandomBytes('x'))).toThrow(KexError);
    expect(() => serverKexReply('diffie-hellman-group1-sha1', new Uint8Array(8), seededRandomBytes('x'))).toThrow(KexError);
  });
  it('an all-zero X25519 value aborts curve25519-sha256', () => {
    expect(() => serverKexReply('curve25519-sha256', new Uint8Array(32), seededRandomBytes('z'))).toThrow(/all-zero/);
  });
});

describe('RFC 4419 exchange hash variants', () => {
  it('REQUEST_OLD hashes n only, REQUEST hashes min | n | max', () => {
    const method = KEX_METHODS.find((m) => m.name === 'diffie-hellman-group-exchange-sha256')!;
    const { client, server, clientK, gex } = run(method, 'old');
    const base = { method: method.name, ...common, clientPublic: client.clientPublic, serverPublic: server.serverPublic, K: clientK };
    const full = exchangeHash({ ...base, gex });
    const old = exchangeHash({ ...base, gex: { n: gex!.n, p: gex!.p, g: gex!.g } });
    expect(full.inputs.map((i) => i.name)).toEqual(['V_C', 'V_S', 'I_C', 'I_S', 'K_S', 'min', 'n', 'max', 'p', 'g', 'e', 'f', 'K']);
    expect(old.inputs.map((i) => i.name)).toEqual(['V_C', 'V_S', 'I_C', 'I_S', 'K_S', 'n', 'p', 'g', 'e', 'f', 'K']);
    expect(toHex(old.H)).not.toBe(toHex(full.H));
  });
});

describe('exchange hash layout (RFC 8731 §3 on RFC 5656 §4)', () => {
  it('the inputs are the string/mpint encodings, concatenated in order', () => {
    const method = KEX_METHODS.find((m) => m.name === 'curve25519-sha256')!;
    const { client, server, clientK, inputs } = run(method, 'layout');
    const result = exchangeHash(inputs(clientK.wire, client.clientPublic, server.serverPublic));
    const qc = result.inputs.find((i) => i.name === 'Q_C')!;
    expect(toHex(qc.encoded)).toBe('00000020' + toHex(client.clientPublic as Uint8Array));
    const vc = result.inputs[0];
    expect(new TextDecoder().decode(new WireReader(vc.encoded).string('V_C'))).toBe(common.V_C);
    expect(() => exchangeHash({ ...inputs(clientK.wire, client.clientPublic, server.serverPublic), V_C: common.V_C + '\r\n' })).toThrow(/without CR LF/);
  });
});

describe('RFC 8731 §3: K is the X25519 output as an mpint, not 32 raw bytes', () => {
  it('a result below 2^248 loses its leading zero byte; one with the top bit set gains a 0x00', () => {
    const seen = { short: false, long: false };
    for (let i = 0; !(seen.short && seen.long); i++) {
      expect(i).toBeLessThan(5000); // about one exchange in 256 has a leading zero byte
      const rng = seededRandomBytes(`mpint ${i}`);
      const client = clientKexInit('curve25519-sha256', rng);
      const server = serverKexReply('curve25519-sha256', client.clientPublic, rng);
      const content = server.K.content;
      const raw = sharedSecretFromKeyLog({
        method: 'curve25519-sha256', clientPublic: client.clientPublic, serverPublic: server.serverPublic,
        kind: 'PRIVATE_KEY', secret: toHex(client.privateValue as Uint8Array), cookieSide: 'client',
      }).K;
      expect(toHex(raw.wire)).toBe(toHex(server.K.wire));
      if (content.length < 32) {
        seen.short = true;
        expect(content[0]).not.toBe(0);
        expect(server.K.wire.length).toBe(4 + content.length);
      } else if (content.length === 33) {
        seen.long = true;
        expect(content[0]).toBe(0);
        expect(content[1] & 0x80).toBe(0x80);
      }
    }
  });
});
