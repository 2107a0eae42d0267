/**
 * The engine's client against the engine's server, in memory, across every algorithm in the registries (RFC 4253
 * §7.1 negotiation narrowed to one algorithm per slot): each session must finish its key exchange, authenticate,
 * carry data both ways intact, and become a trace that the capture decoder decrypts with no problem and whose
 * host key signature over H verifies. Plus rekeying (RFC 4253 §9) by request and by volume, flow control (RFC 4254
 * §5.2) with tiny windows and packets, and the transition table.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { describe, expect, it } from 'vitest';
import { CIPHER_ALGORITHMS } from '../crypto/ciphers.ts';
import { MAC_ALGORITHMS } from '../crypto/macs.ts';
import { generateHostKey, type SigningKey } from '../crypto/hostkey.ts';
import type { PlainKeyType } from '../crypto/hostkey-blob.ts';
import { KEX_METHODS } from '../kex/methods.ts';
import { toHex } from '../wire/index.ts';
import { patternBytes } from '../simulate/builtin-commands.ts';
import type { AlgorithmPreferences } from './algorithms.ts';
import { Client } from './client.ts';
import type { EndpointEvent } from './events.ts';
import { pump } from './pair.ts';
import { seededRandom } from './rng.ts';
import { Server } from './server.ts';
import { TRANSITIONS, step, transitionDiagram } from './states.ts';
import { buildTrace } from './trace.ts';

const keys = new Map<string, SigningKey>();
function hostKey(type: PlainKeyType): SigningKey {
  if (!keys.has(type)) keys.set(type, generateHostKey(type, seededRandom(`test-host-${type}`), 2048));
  return keys.get(type)!;
}

interface RunOptions {
  prefs?: AlgorithmPreferences;
  hostKeyType?: PlainKeyType;
  upload?: Uint8Array;
  download?: number;
  rekey?: boolean;
  rekeyBytes?: number;
  window?: number;
  maxPacket?: number;
  /** false: no transcript, so each side decrypts received packets in place (and no trace is built). */
  record?: boolean;
}

/** A whole session: password login, one exec of `cat` (upload echoed back) or `bytes N`, close, disconnect. */
function session(o: RunOptions) {
  let t = 0;
  const clock = () => ++t;
  const policy = o.window ? { window: o.window, maxPacket: o.maxPacket ?? 32768 } : {};
  const client = new Client({
    credentials: { user: 'u', password: 'p' }, random: seededRandom('c'), clock, preferences: o.prefs ?? {},
    ...(o.rekeyBytes ? { rekeyBytes: o.rekeyBytes } : {}), policy, record: o.record ?? true,
  });
  const server = new Server({
    hostKeys: [hostKey(o.hostKeyType ?? 'ssh-ed25519')], random: seededRandom('s'), clock, auth: { password: (_u, p) => p === 'p' }, preferences: o.prefs ?? {},
    ...(o.rekeyBytes ? { rekeyBytes: o.rekeyBytes } : {}), record: o.record ?? true,
    policy: { channelOpen: () => true, channelRequest: () => true, ...policy },
  });
  const received: Uint8Array[] = [];
  const clientEvents: EndpointEvent[] = [];
  const serverEvents: EndpointEvent[] = [];
  let channel = -1;
  let serverChannel = -1;
  let rekeyed = false;
  client.start();
  server.start();
  pump(client, server, () => {
    for (const e of client.events()) {
      clientEvents.push(e);
      if (e.type === 'auth-success') channel = client.openSession();
      if (e.type === 'channel-open-confirmed') client.exec(channel, o.upload ? 'cat' : `bytes ${o.download ?? 0}`);
      if (e.type === 'channel-reply' && client.connection.isOpen(channel)) {
        if (o.rekey && !rekeyed) {
          rekeyed = true;
          client.rekey();
        }
        if (o.upload) client.write(channel, o.upload);
        client.eof(channel);
      }
      if (e.type === 'channel-data') received.push(e.data);
      if (e.type === 'channel-close') client.disconnect('done');
    }
    for (const e of server.events()) {
      serverEvents.push(e);
      if (e.type === 'channel-request' && e.request === 'exec') {
        serverChannel = e.channel;
        if (!o.upload) {
          server.write(e.channel, patternBytes(o.download ?? 0));
          server.exitStatus(e.channel, 0);
          server.eof(e.channel);
          server.close(e.channel);
        }
      }
      if (e.type === 'channel-data') server.write(serverChannel, e.data);
      if (e.type === 'channel-eof' && o.upload) {
        server.exitStatus(serverChannel, 0);
        server.eof(serverChannel);
        server.close(serverChannel);
      }
    }
  });
  const total = received.reduce((n, r) => n + r.length, 0);
  const data = new Uint8Array(total);
  let at = 0;
  for (const r of received) {
    data.set(r, at);
    at += r.length;
  }
  const trace = buildTrace({ source: { kind: 'simulation', name: 'test' }, transcript: client.transport.transcript, keyLog: client.transport.keyLog });
  // (With record: false the transcript is empty and so is the trace.)
  return { client, server, data, clientEvents, serverEvents, trace, session: trace.sessions[0] };
}

function expectClean(r: ReturnType<typeof session>) {
  const end = r.clientEvents.find((e) => e.type === 'disconnect');
  expect(end).toMatchObject({ by: 'local', reason: 11 });
  expect(r.serverEvents.find((e) => e.type === 'disconnect')).toMatchObject({ by: 'peer', reason: 11 });
  expect(r.session.problems).toEqual([]);
  // Every key exchange completed (a rekey started by volume may still be under way when the client disconnects).
  r.session.kex.forEach((kex, i) => {
    expect(kex.problems).toEqual([]);
    if (i < r.session.kex.length - 1 || kex.packets.clientNewKeys !== undefined) expect(kex.hostKey?.verified).toBe(true);
  });
  expect(r.session.packets.every((p) => p.message && !p.message.error && p.macStatus !== 'bad')).toBe(true);
}

// RFC 4432 RSA kex is decoded only (algorithms.test.ts checks the engine refuses it).
describe('every kex method, engine against engine', () => {
  for (const method of KEX_METHODS.filter((m) => m.family !== 'rsa').map((m) => m.name)) {
    it(method, () => {
      const r = session({ prefs: { kex: [method] }, upload: patternBytes(3000) });
      expectClean(r);
      expect(r.session.kex[0].algorithms?.kex).toBe(method);
      expect(toHex(r.data)).toBe(toHex(patternBytes(3000)));
      const kc = r.clientEvents.find((e) => e.type === 'kex-complete');
      const ks = r.serverEvents.find((e) => e.type === 'kex-complete');
      expect(kc && ks && kc.type === 'kex-complete' && ks.type === 'kex-complete' && toHex(kc.H) === toHex(ks.H)).toBe(true);
      expect(toHex(r.session.kex[0].exchangeHash!)).toBe(kc?.type === 'kex-complete' ? toHex(kc.H) : '');
    });
  }
});

describe('every cipher, MAC, compression and host key algorithm', () => {
  for (const cipher of CIPHER_ALGORITHMS.map((c) => c.name).filter((n) => n !== 'none')) {
    it(`cipher ${cipher}`, () => {
      const r = session({ prefs: { kex: ['curve25519-sha256'], cipher: [cipher], mac: ['hmac-sha2-256'] }, upload: patternBytes(70_000) });
      expectClean(r);
      expect(r.session.kex[0].algorithms?.cipherClientToServer).toBe(cipher);
      expect(sha256(r.data)).toEqual(sha256(patternBytes(70_000)));
    });
  }
  for (const mac of MAC_ALGORITHMS.map((m) => m.name)) {
    it(`MAC ${mac}`, () => {
      const r = session({ prefs: { kex: ['curve25519-sha256'], cipher: ['aes128-ctr'], mac: [mac] }, download: 5000 });
      expectClean(r);
      expect(r.session.kex[0].algorithms?.macServerToClient).toBe(mac);
      expect(r.data).toEqual(patternBytes(5000));
    });
  }
  for (const compression of ['zlib', 'zlib@openssh.com']) {
    it(`compression ${compression}`, () => {
      const r = session({ prefs: { kex: ['curve25519-sha256'], compression: [compression] }, download: 100_000 });
      expectClean(r);
      expect(r.data).toEqual(patternBytes(100_000));
      const compressed = r.session.packets.filter((p) => p.decompressed);
      expect(compressed.length).toBeGreaterThan(0);
      // The repeating pattern deflates well: the bytes on the wire are far fewer than the data.
      expect(r.session.packets.reduce((n, p) => n + (p.wire?.length ?? 0), 0)).toBeLessThan(30_000);
    });
  }
  const hostKeyCases: [string, PlainKeyType][] = [
    ['ssh-ed25519', 'ssh-ed25519'], ['ecdsa-sha2-nistp256', 'ecdsa-sha2-nistp256'], ['ecdsa-sha2-nistp384', 'ecdsa-sha2-nistp384'],
    ['ecdsa-sha2-nistp521', 'ecdsa-sha2-nistp521'], ['rsa-sha2-512', 'ssh-rsa'], ['rsa-sha2-256', 'ssh-rsa'], ['ssh-rsa', 'ssh-rsa'],
  ];
  for (const [algorithm, type] of hostKeyCases) {
    it(`host key ${algorithm}`, () => {
      const r = session({ prefs: { kex: ['curve25519-sha256'], hostKey: [algorithm] }, hostKeyType: type, download: 10 });
      expectClean(r);
      expect(r.session.kex[0].hostKey?.algorithm).toBe(algorithm);
    });
  }
});

describe('without a transcript, received packets are decrypted where they lie', () => {
  // Every cipher with a MAC over the plaintext (the first block is decrypted before the rest), and EtM cases.
  const cases: [string, string][] = [
    ...CIPHER_ALGORITHMS.map((c) => c.name).filter((n) => n !== 'none').map((n): [string, string] => [n, 'hmac-sha2-256']),
    ['aes128-ctr', 'hmac-sha2-256-etm@openssh.com'], ['aes256-cbc', 'hmac-sha1-etm@openssh.com'], ['3des-cbc', 'umac-64-etm@openssh.com'],
  ];
  for (const [cipher, mac] of cases) {
    it(`${cipher} + ${mac}: data intact both ways across a rekey, nothing kept`, () => {
      const upload = patternBytes(300_000);
      const r = session({ prefs: { kex: ['curve25519-sha256'], cipher: [cipher], mac: [mac] }, upload, rekey: true, record: false, window: 1 << 20, maxPacket: 32768 });
      expect(r.clientEvents.find((e) => e.type === 'disconnect')).toMatchObject({ by: 'local', reason: 11 });
      expect(r.serverEvents.find((e) => e.type === 'disconnect')).toMatchObject({ by: 'peer', reason: 11 });
      expect(r.clientEvents.filter((e) => e.type === 'kex-complete').length).toBe(2);
      expect(sha256(r.data)).toEqual(sha256(upload));
      expect(r.client.transport.transcript).toEqual([]);
      expect(r.server.transport.transcript).toEqual([]);
    });
  }
});

describe('rekey, RFC 4253 §9', () => {
  it('on request: a second key exchange with the same session id, data intact across it', () => {
    const r = session({ prefs: { kex: ['ecdh-sha2-nistp256'] }, upload: patternBytes(200_000), rekey: true });
    expectClean(r);
    expect(r.session.kex.length).toBe(2);
    expect(toHex(r.session.kex[1].sessionId!)).toBe(toHex(r.session.kex[0].exchangeHash!));
    expect(r.session.kex[1].exchangeHash).not.toEqual(r.session.kex[0].exchangeHash);
    expect(sha256(r.data)).toEqual(sha256(patternBytes(200_000)));
  });
  it('by volume: every 64 KiB under one set of keys', () => {
    // 32 KiB packets (OpenSSH's session size): the volume is checked per packet, so packets must be smaller than the limit.
    const r = session({ prefs: { kex: ['curve25519-sha256'], cipher: ['aes256-gcm@openssh.com'] }, download: 1 << 20, rekeyBytes: 64 * 1024, window: 2 << 20, maxPacket: 32768 });
    expectClean(r);
    expect(r.session.kex.length).toBeGreaterThanOrEqual(10);
    expect(sha256(r.data)).toEqual(sha256(patternBytes(1 << 20)));
    // Strict kex: each direction's sequence numbers restart at 0 after every NEWKEYS (draft-miller-sshm-strict-kex).
    const afterNewKeys = r.session.packets.filter((p, i, all) => i > 0 && p.epoch > 0 && !all.slice(0, i).some((q) => q.direction === p.direction && q.epoch === p.epoch));
    expect(afterNewKeys.every((p) => p.sequence === 0)).toBe(true);
  });
});

describe('flow control, RFC 4254 §5.2', () => {
  it('tiny windows and packets: nothing overruns, nothing stalls, every data packet within the peer\'s maximum', () => {
    const r = session({ upload: patternBytes(50_000), window: 1000, maxPacket: 300 });
    expectClean(r);
    expect(sha256(r.data)).toEqual(sha256(patternBytes(50_000)));
    const data = r.session.packets.filter((p) => p.message?.name === 'SSH_MSG_CHANNEL_DATA');
    expect(data.every((p) => (p.message!.value.data as Uint8Array).length <= 300)).toBe(true);
    expect(r.session.packets.filter((p) => p.message?.name === 'SSH_MSG_CHANNEL_WINDOW_ADJUST').length).toBeGreaterThan(50);
  });
});

describe('the transition table (DESIGN example 4)', () => {
  it('strict kex makes IGNORE fatal before the first NEWKEYS, and only there', () => {
    expect(step('first-kex', 2, true).ok).toBe(false);
    expect(step('first-kex', 2, false).ok).toBe(true);
    expect(step('first-kexinit', 2, true).ok).toBe(false);
    expect(step('connection', 2, true).ok).toBe(true);
  });
  it('connection messages need USERAUTH_SUCCESS; unknown numbers get UNIMPLEMENTED once keyed', () => {
    expect(step('userauth', 90, false).ok).toBe(false);
    expect(step('userauth', 52, false)).toEqual({ ok: true, to: 'connection', both: true });
    expect(step('connection', 150, false)).toMatchObject({ ok: false, unimplemented: true });
  });
  it('every phase but closed can be left by DISCONNECT, and every target phase is a phase some row starts from', () => {
    const from = new Set(TRANSITIONS.map((t) => t.from));
    for (const t of TRANSITIONS) if (t.to !== 'closed') expect(from.has(t.to)).toBe(true);
    for (const phase of from) expect(TRANSITIONS.some((t) => t.from === phase && t.on === 'DISCONNECT')).toBe(true);
  });
});

describe('transport-generic messages, RFC 4253 §11 and OpenSSH PING', () => {
  it('DEBUG is reported, IGNORE dropped, PING answered with PONG, an unknown number answered with UNIMPLEMENTED', () => {
    // A pair stopped after authentication, to send messages by hand.
    let t = 0;
    const clock = () => ++t;
    const client = new Client({ credentials: { user: 'u', password: 'p' }, random: seededRandom('c2'), clock });
    const server = new Server({ hostKeys: [hostKey('ssh-ed25519')], random: seededRandom('s2'), clock, auth: { password: () => true } });
    client.start();
    server.start();
    pump(client, server);
    expect(client.authenticated).toBe(true);
    client.transport.send(Uint8Array.of(4, 1, 0, 0, 0, 2, 0x68, 0x69, 0, 0, 0, 0)); // DEBUG always_display "hi"
    client.transport.send(Uint8Array.of(2, 0, 0, 0, 1, 0x78)); // IGNORE "x"
    client.transport.send(Uint8Array.of(192, 0, 0, 0, 1, 0x7a)); // PING "z"
    pump(client, server);
    expect(server.events()).toContainEqual({ type: 'debug', message: 'hi', alwaysDisplay: true });
    const trace = buildTrace({ source: { kind: 'simulation', name: 'generic' }, transcript: client.transport.transcript, keyLog: client.transport.keyLog });
    const names = trace.sessions[0].packets.map((p) => `${p.direction}:${p.message?.name}`);
    expect(names.slice(-4)).toEqual(['client:SSH_MSG_DEBUG', 'client:SSH_MSG_IGNORE', 'client:SSH2_MSG_PING', 'server:SSH2_MSG_PONG']);
    // An unknown message number, written below the state table as a misbehaving peer would.
    const writer = (client.transport as unknown as { writer: { write(p: Uint8Array): { wire: Uint8Array } } }).writer;
    server.receiveData(writer.write(Uint8Array.of(150, 1, 2, 3)).wire);
    const reply = server.dataToSend();
    expect(reply.length).toBeGreaterThan(0);
    client.receiveData(reply);
    expect(client.events()).toContainEqual({ type: 'unimplemented', sequence: expect.any(Number) });
  });
});

describe('global requests, RFC 4254 §4 and OpenSSH PROTOCOL', () => {
  it('no-more-sessions@openssh.com: a later session channel is refused; hostkeys-00 arrives after authentication', () => {
    let t = 0;
    const clock = () => ++t;
    const client = new Client({ credentials: { user: 'u', password: 'p' }, random: seededRandom('c3'), clock });
    const server = new Server({ hostKeys: [hostKey('ssh-ed25519'), hostKey('ecdsa-sha2-nistp256')], random: seededRandom('s3'), clock, auth: { password: () => true } });
    client.start();
    server.start();
    pump(client, server);
    const announced = client.events().find((e) => e.type === 'global-request');
    expect(announced).toMatchObject({ name: 'hostkeys-00@openssh.com', wantReply: false });
    expect((announced as { value: Record<string, unknown> } | undefined)?.value.hostkeys).toHaveLength(2);
    client.globalRequest('no-more-sessions@openssh.com', {}, false);
    const channel = client.openSession();
    pump(client, server);
    expect(client.events()).toContainEqual({ type: 'channel-open-failed', channel, reason: 1, description: 'no-more-sessions@openssh.com was requested' });
  });
});

describe('the transition diagram', () => {
  it('draws every row of the table once (DISCONNECT once for all phases), strict-only rows dashed', () => {
    const dot = transitionDiagram();
    const edges = dot.split('\n').filter((l) => l.includes('->'));
    expect(edges).toHaveLength(TRANSITIONS.filter((t) => t.on !== 'DISCONNECT').length + 1);
    expect(edges.filter((l) => l.includes('style=dashed'))).toHaveLength(TRANSITIONS.filter((t) => t.notStrict).length);
    expect(dot).toContain('"first-kex" -> "userauth" [label="NEWKEYS"');
  });
});
