/**
 * Every catalog entry and every switch case in it (request types, channel types, key types, extension names...),
 * with values generated from the declarations themselves: decode(encode(x)) = x, encode(decode(b)) = b, the leaves
 * cover every byte once and in order, trailing bytes are reported without losing fields, and every truncated prefix
 * decodes without throwing and says where it stopped. A new entry is tested by being in the catalog.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { concatBytes } from '../wire/index.ts';
import { coverProblem, layoutArb, switchCases, type Pins } from './arbitrary.test-support.ts';
import { plainPublicKeyLayout, publicKeyLayout, signatureLayout } from './blobs.ts';
import { decodeMessage, encodeMessage, lookupMessage, messageCatalog, type MessageContext } from './catalog.ts';
import { decodeLayout, encodeLayout } from './codec.ts';
import { hostkeysProveSignedDataLayout } from './connection.ts';
import type { MessageEntry } from './entry.ts';
import { kexFamily } from './kex.ts';
import { isSwitch, type Layout } from './layout.ts';
import { userauthSignedDataLayout } from './userauth.ts';

/** Shared blobs, whose cases are tested once on their own below rather than inside every message. */
const SHARED: ReadonlySet<Layout> = new Set([publicKeyLayout, signatureLayout, plainPublicKeyLayout]);

const contextOf = (e: MessageEntry): MessageContext => ({ ...e.context });

/** Each pinning of the layout: no pin (all random), and one per reachable switch case. */
function pinnings(layout: Layout): { label: string; pins: Pins }[] {
  const cases = switchCases(layout, SHARED);
  return [{ label: 'random', pins: new Map() }, ...cases.map((pins) => ({
    label: [...pins].map(([sw, key]) => `${sw.switch}=${key}`).join(' > '),
    pins,
  }))];
}

/** The properties for one unit: a way to encode and decode, and its layout. */
function checkUnit(layout: Layout, encode: (v: Record<string, unknown>) => Uint8Array, decode: (b: Uint8Array) => {
  value: Record<string, unknown>; fields: Parameters<typeof coverProblem>[0]; error?: { code: string; path: string; offset: number };
}, runs: number) {
  for (const { label, pins } of pinnings(layout)) {
    it(label, () => {
      fc.assert(fc.property(layoutArb(layout, pins), (x) => {
        const bytes = encode(x);
        const d = decode(bytes);
        expect(d.error).toBeUndefined();
        expect(d.value).toEqual(x);
        expect(encode(d.value)).toEqual(bytes);
        expect(coverProblem(d.fields, 0, bytes.length)).toBeNull();

        // Trailing data: reported as such with every field kept, or absorbed by a field that runs to the end.
        const longer = concatBytes(bytes, Uint8Array.of(0xab));
        const t = decode(longer);
        expect(coverProblem(t.fields, 0, longer.length)).toBeNull();
        if (t.error?.code === 'trailing-bytes') {
          expect(t.value).toEqual(x);
          expect(t.error.offset).toBe(bytes.length);
        } else if (!t.error) {
          expect(encode(t.value)).toEqual(longer);
        }

        // Every truncated prefix: no exception, a full cover, and an error with a path and offset (or a valid unit).
        const step = Math.max(1, Math.floor(bytes.length / 16));
        for (let n = 0; n < bytes.length; n += step) {
          const prefix = bytes.subarray(0, n);
          const p = decode(prefix);
          expect(coverProblem(p.fields, 0, n)).toBeNull();
          if (p.error) {
            expect(typeof p.error.path).toBe('string');
            expect(p.error.offset).toBeGreaterThanOrEqual(0);
            expect(p.error.offset).toBeLessThanOrEqual(n);
          } else {
            expect(encode(p.value)).toEqual(prefix);
          }
        }
      }), { numRuns: label === 'random' ? runs : Math.ceil(runs / 3) });
    });
  }
}

describe('every catalog entry and switch case round-trips', () => {
  for (const entry of messageCatalog) {
    const ctx = contextOf(entry);
    describe(`${entry.number} ${entry.name}${entry.context ? ' ' + JSON.stringify(entry.context) : ''}`, () => {
      it('is what lookupMessage returns in its context', () => {
        expect(lookupMessage(entry.number, ctx)).toBe(entry);
      });
      checkUnit(entry.layout, (v) => encodeMessage(entry.name, v, ctx), (b) => {
        const d = decodeMessage(b, ctx);
        if (b.length > 0) expect(d.entry).toBe(entry);
        return d;
      }, 30);
    });
  }
});

describe('layouts outside messages round-trip too', () => {
  const units: [string, Layout][] = [
    ['public key blob', publicKeyLayout],
    ['plain public key blob (a CA key)', plainPublicKeyLayout],
    ['signature blob', signatureLayout],
    ['publickey / hostbound / hostbased signed data', userauthSignedDataLayout],
    ['hostkeys-prove-00 signed data', hostkeysProveSignedDataLayout],
  ];
  for (const [label, layout] of units) {
    describe(label, () => checkUnit(layout, (v) => encodeLayout(layout, v), (b) => decodeLayout(layout, b), 15));
  }
});

describe('lookup by (number, context)', () => {
  it('30 and 31 follow the kex method', () => {
    expect(lookupMessage(30, { kex: 'diffie-hellman-group14-sha256' })?.name).toBe('SSH_MSG_KEXDH_INIT');
    expect(lookupMessage(30, { kex: 'curve25519-sha256@libssh.org' })?.name).toBe('SSH_MSG_KEX_ECDH_INIT');
    expect(lookupMessage(30, { kex: 'ecdh-sha2-nistp521' })?.name).toBe('SSH_MSG_KEX_ECDH_INIT');
    expect(lookupMessage(30, { kex: 'diffie-hellman-group-exchange-sha256' })?.name).toBe('SSH_MSG_KEX_DH_GEX_REQUEST_OLD');
    expect(lookupMessage(34, { kex: 'diffie-hellman-group-exchange-sha1' })?.name).toBe('SSH_MSG_KEX_DH_GEX_REQUEST');
    expect(lookupMessage(31, { kex: 'mlkem768x25519-sha256' })?.name).toBe('SSH_MSG_KEX_HYBRID_REPLY');
    expect(lookupMessage(30, { kex: 'sntrup761x25519-sha512@openssh.com' })?.name).toBe('SSH_MSG_KEX_HYBRID_INIT');
    expect(lookupMessage(32, { kex: 'gss-group14-sha256-toWM5Slw5Ew8Mqkay+al2g==' })?.name).toBe('SSH_MSG_KEXGSS_COMPLETE');
    expect(lookupMessage(30, { kex: 'curve448-sha512' })?.name).toBe('SSH_MSG_KEX_ECDH_INIT');
    expect(lookupMessage(31, { kex: 'ecdh-sha2-1.3.132.0.10' })?.name).toBe('SSH_MSG_KEX_ECDH_REPLY');
    expect(lookupMessage(31, { kex: 'diffie-hellman-group14-sha256@ssh.com' })?.name).toBe('SSH_MSG_KEXDH_REPLY');
    expect(lookupMessage(30, { kex: 'rsa2048-sha256' })?.name).toBe('SSH_MSG_KEXRSA_PUBKEY');
    expect(lookupMessage(31, { kex: 'rsa1024-sha1' })?.name).toBe('SSH_MSG_KEXRSA_SECRET');
    expect(lookupMessage(32, { kex: 'rsa2048-sha256' })?.name).toBe('SSH_MSG_KEXRSA_DONE');
    expect(lookupMessage(30, {})).toBeUndefined();
    expect(kexFamily('ext-info-c')).toBeUndefined();
  });
  it('60 follows the auth method in progress', () => {
    expect(lookupMessage(60, { auth: 'password' })?.name).toBe('SSH_MSG_USERAUTH_PASSWD_CHANGEREQ');
    expect(lookupMessage(60, { auth: 'publickey' })?.name).toBe('SSH_MSG_USERAUTH_PK_OK');
    expect(lookupMessage(60, { auth: 'publickey-hostbound-v00@openssh.com' })?.name).toBe('SSH_MSG_USERAUTH_PK_OK');
    expect(lookupMessage(60, { auth: 'keyboard-interactive' })?.name).toBe('SSH_MSG_USERAUTH_INFO_REQUEST');
    expect(lookupMessage(60, { auth: 'gssapi-with-mic' })?.name).toBe('SSH_MSG_USERAUTH_GSSAPI_RESPONSE');
    expect(lookupMessage(60, {})).toBeUndefined();
  });
  it('a REQUEST_SUCCESS payload follows the global request it answers', () => {
    const reply = Uint8Array.of(81, 0, 0, 0xa4, 0x51);
    expect(decodeMessage(reply, { globalRequest: 'tcpip-forward' }).value).toEqual({ bound_port: 0xa451 });
    const generic = decodeMessage(reply, { globalRequest: 'keepalive@openssh.com' });
    expect(generic.unknown).toBe(true);
    expect(generic.value.response_data).toEqual(Uint8Array.of(0, 0, 0xa4, 0x51));
    expect(decodeMessage(Uint8Array.of(81), {}).unknown).toBe(false);
  });
  it('an unknown number decodes as unknown with its raw bytes', () => {
    const d = decodeMessage(Uint8Array.of(250, 1, 2, 3), {}, 7);
    expect(d).toMatchObject({ number: 250, name: 'unknown', unknown: true, value: { data: Uint8Array.of(1, 2, 3) } });
    expect(d.error).toBeUndefined();
    expect(coverProblem(d.fields, 7, 11)).toBeNull();
    expect(decodeMessage(Uint8Array.of(31, 0), {}).name).toBe('unknown');
  });
  it('an empty payload is an error, not an exception', () => {
    expect(decodeMessage(new Uint8Array(0)).error?.code).toBe('truncated');
  });
});

describe('fuzzing: any bytes in any context decode without an exception', () => {
  const contexts: MessageContext[] = [{}, { kex: 'dh' }, { kex: 'gex' }, { kex: 'ecdh' }, { kex: 'hybrid' }, { kex: 'rsa' }, { kex: 'gss' },
    { kex: 'gss-ecdh' }, { auth: 'publickey' }, { auth: 'password' }, { auth: 'keyboard-interactive' }, { auth: 'gssapi-with-mic' },
    { globalRequest: 'tcpip-forward' }, { globalRequest: 'hostkeys-prove-00@openssh.com' }];
  const numbers = [...new Set(messageCatalog.map((e) => e.number))];
  it('random payloads starting with every known number', () => {
    fc.assert(fc.property(fc.constantFrom(...numbers), fc.uint8Array({ maxLength: 200 }), fc.constantFrom(...contexts), (n, rest, ctx) => {
      const payload = concatBytes(Uint8Array.of(n), rest);
      const d = decodeMessage(payload, ctx, 3);
      expect(coverProblem(d.fields, 3, 3 + payload.length)).toBeNull();
      if (!d.error) expect(encodeMessage(d.number, d.value, ctx)).toEqual(payload);
    }), { numRuns: 3000 });
  });
  it('valid messages with one byte changed', () => {
    const entries = messageCatalog.filter((e) => e.layout.length > 0);
    fc.assert(fc.property(fc.constantFrom(...entries).chain((e) => fc.tuple(fc.constant(e), layoutArb(e.layout))), fc.nat(), fc.integer({ min: 0, max: 255 }),
      ([entry, value], at, byte) => {
        const ctx = contextOf(entry);
        const payload = encodeMessage(entry.name, value, ctx);
        payload[at % payload.length] = byte;
        const d = decodeMessage(payload, ctx);
        expect(coverProblem(d.fields, 0, payload.length)).toBeNull();
        if (!d.error) expect(encodeMessage(d.number, d.value, ctx)).toEqual(payload);
      }), { numRuns: 1500 });
  });
});

describe('the catalog itself', () => {
  it('has one entry per (number, context), a name, an RFC and a doc for every field', () => {
    const keys = messageCatalog.map((e) => `${e.number} ${JSON.stringify(e.context ?? {})}`);
    expect(new Set(keys).size).toBe(keys.length);
    const docs = (layout: Layout): void => {
      for (const item of layout) {
        if (isSwitch(item)) {
          Object.values(item.cases).forEach(docs);
          continue;
        }
        expect(item.doc.length, item.name).toBeGreaterThan(8);
        const t = item.type;
        if (typeof t === 'object' && 'blob' in t) docs(t.blob);
        if (typeof t === 'object' && 'repeat' in t) docs(t.repeat);
      }
    };
    for (const e of messageCatalog) {
      expect(e.name).toMatch(/^SSH2?_MSG_[A-Z0-9_]+$/);
      expect(e.rfc).toMatch(/RFC \d+|PROTOCOL|draft-/);
      docs(e.layout);
    }
  });
});
