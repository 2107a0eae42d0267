/**
 * Records SSH sessions between implementations other than OpenSSH + ssh2, on loopback with tcpdump, each with a
 * Wireshark key log (`<cookie> SHARED_SECRET <K>`, SSH-FACTS.md) written by whichever side we control:
 * - the engine (engine/endpoint Client, or cli/serve.ts's server), which writes key logs itself;
 * - paramiko, AsyncSSH or Twisted Conch, instrumented by cli/dev/others_peer.py where each computes K.
 * The other side is Dropbear (`dropbear`, `dbclient`), PuTTY (`plink`), TinySSH (`tinysshd`), paramiko, AsyncSSH,
 * Twisted Conch, libssh, libssh2, Erlang/OTP's ssh (cli/dev/others_erlang.escript), Go's x/crypto/ssh
 * (cli/dev/others_go) or OpenSSH's sshd.
 *
 * `npx tsx cli/dev/record-others.ts [OUTDIR] [NAME-FILTER]` records every scenario (NAME.pcap, NAME.keylog and
 * NAME.expected.json), decodes each with the project's decoder and prints what did not decode; traces/others/ holds a
 * few such recordings as offline goldens. cli/dev/others.test.ts runs a slice of them under vitest
 * (SSHLENS_OTHERS=full for all). Needs root (tcpdump; dropbear logs in as root inside a private mount namespace
 * whose /root and /etc/shadow are temporary files), and cli/dev/ensure-system-packages.sh others.
 */
import { mkdtempSync, readFileSync, writeFileSync, rmSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AlgorithmPreferences } from '../../engine/endpoint/algorithms.ts';
import { decodeCapture } from '../../engine/decoder/capture-decoder.ts';
import type { NegotiatedAlgorithms, Trace } from '../../engine/trace/model.ts';
import { generateKey } from './sshd.ts';
import { startTcpdump } from './record-ssh2.ts';
import {
  dbclientRun, engineClient, plinkClient, pythonClient, startPythonServer, startDropbear, startEngineServer, startOpenSshd, startTinysshd, startErlangServer, erlangClient, startGoServer, goClient,
  type DropbearKey, type Expected, type PeerAlgorithms, type ServerHandle,
} from './others-peers.ts';

export type { Expected } from './others-peers.ts';

export interface Recorded {
  pcap: Uint8Array;
  keyLog: string;
  expected: Expected;
  /** Software versions of both sides, for the report. */
  note: string;
}

export interface Scenario {
  name: string;
  about: string;
  /** In the fast slice that `npm test` runs. */
  fast?: boolean;
  /** Known not to decode yet, and why: the recorder still runs it and reports; the test leaves it out. */
  pending?: string;
  run(work: string): Promise<Recorded>;
}

// ------------------------------------------------------------------ recording

async function record(work: string, server: ServerHandle, client: (port: number) => Promise<{ keyLog?: string; expected?: Partial<Expected> }>): Promise<Recorded> {
  const pcapFile = join(mkdtempSync(join(work, 'pcap-')), 'session.pcap');
  try {
    const capture = await startTcpdump(server.port, pcapFile);
    let result: Awaited<ReturnType<typeof client>>;
    try {
      result = await client(server.port);
    } finally {
      await capture.stop();
    }
    const fromServer = server.expected ? await server.expected() : undefined;
    const expected: Expected = { kex: result.expected?.kex ?? fromServer?.kex ?? [], outputs: result.expected?.outputs ?? [], exitStatuses: result.expected?.exitStatuses ?? [] };
    return { pcap: new Uint8Array(readFileSync(pcapFile)), keyLog: (result.keyLog ?? '') + server.keyLog(), expected, note: server.note };
  } finally {
    await server.stop();
  }
}

/** A scenario: the engine client against Dropbear's server or TinySSH's (public-key login only). */
const engineTo = (target: 'dropbear' | 'tinysshd' | 'conch' | 'erlang' | 'go', name: string, about: string, hostKeys: DropbearKey[], preferences: AlgorithmPreferences, extra: { rekey?: boolean; key?: boolean; fast?: boolean; guess?: boolean } = {}): Scenario => ({
  name, about, fast: extra.fast,
  async run(work) {
    const key = extra.key || target === 'tinysshd' ? generateKey(mkdtempSync(join(work, 'key-')), 'ed25519', 'client') : undefined;
    const authorizedKeys = key ? [key.publicKey] : [];
    const server = target === 'tinysshd' ? await startTinysshd(work, { authorizedKeys })
      : target === 'erlang' ? await startErlangServer(work, { hostKeys })
      : target === 'go' ? await startGoServer(work, { hostKey: hostKeys[0] })
      : target === 'conch' ? await startPythonServer('conch', work, { hostKeyType: hostKeys[0] === 'rsa' ? 'ssh-rsa' : hostKeys[0] === 'ecdsa' ? 'ecdsa-sha2-nistp256' : 'ssh-ed25519' })
        : await startDropbear(work, { hostKeys, authorizedKeys });
    // Erlang's daemon answers exec through a fun: it echoes, and every exit status is 0.
    const end = target === 'erlang' ? '' : '; exit 3';
    const commands = extra.rekey ? ['echo before-rekey', `echo after-rekey${end}`] : [`echo hello-${target}${end}`];
    return record(work, server, async (port) => {
      const r = await engineClient(port, { commands, rekey: extra.rekey, ...(key ? { key: key.file } : {}) }, { preferences, ...(extra.guess ? { guessKex: true } : {}) });
      return { keyLog: r.keyLog, expected: { ...r.expected, outputs: commands.map((c) => c.split(';')[0].slice(5) + '\n') } };
    });
  },
});

/** A scenario: paramiko or AsyncSSH against Dropbear's server or OpenSSH's sshd. */
const pythonTo = (lib: 'paramiko' | 'asyncssh' | 'conch', target: 'dropbear' | 'sshd' | 'asyncssh' | 'conch', name: string, about: string, algorithms: PeerAlgorithms, extra: { rekey?: boolean; fast?: boolean; hostKeys?: DropbearKey[]; pending?: string } = {}): Scenario => ({
  name, about, fast: extra.fast, pending: extra.pending,
  async run(work) {
    const key = generateKey(mkdtempSync(join(work, 'key-')), 'ed25519', 'client');
    const server = target === 'dropbear'
      ? await startDropbear(work, { hostKeys: extra.hostKeys ?? ['ed25519'], authorizedKeys: [key.publicKey] })
      : target === 'sshd' ? await startOpenSshd({ hostKeys: extra.hostKeys ?? ['ed25519'], authorizedKeys: [key.publicKey] })
        : await startPythonServer(target, work, { algorithms });
    const commands = extra.rekey ? ['echo before-rekey', 'echo after-rekey; exit 4'] : [`echo hello-from-${lib}; exit 4`];
    return record(work, server, async (port) => {
      const usesKey = target === 'sshd' || (lib === 'asyncssh' && target === 'dropbear');
      const r = await pythonClient(lib, work, port, { commands, rekey: extra.rekey, ...(usesKey ? { key: key.file } : {}) }, algorithms);
      return { keyLog: r.keyLog, expected: { kex: r.result.kex, outputs: commands.map((c) => c.split(';')[0].slice(5) + '\n'), exitStatuses: r.result.exitStatuses ?? [] } };
    });
  },
});

/** A scenario: plink against the engine's server or AsyncSSH's. */
const plinkTo = (target: 'engine' | 'asyncssh' | 'conch', name: string, about: string, settings: Record<string, string>, options: { hostKey?: 'ssh-ed25519' | 'ecdsa-sha2-nistp256' | 'ssh-rsa'; asyncsshHostKey?: string; preferences?: AlgorithmPreferences; asyncssh?: PeerAlgorithms; fast?: boolean; pending?: string } = {}): Scenario => ({
  name, about, fast: options.fast, pending: options.pending,
  async run(work) {
    const server = target === 'engine'
      ? await startEngineServer(work, { hostKey: options.hostKey ?? 'ssh-ed25519', ...(options.preferences ? { preferences: options.preferences } : {}) })
      : await startPythonServer(target, work, { hostKeyType: options.asyncsshHostKey ?? options.hostKey ?? 'ssh-ed25519', algorithms: options.asyncssh ?? {} });
    return record(work, server, async (port) => {
      await plinkClient(work, port, server.fingerprints[0], 'echo hello-from-plink', settings);
      return { expected: { outputs: ['hello-from-plink\n'], exitStatuses: [0] } };
    });
  },
});

/** A scenario: libssh or libssh2 (through ctypes) against the engine's server, which writes the key log. */
const libsshToEngine = (lib: 'libssh' | 'libssh2', name: string, about: string, algorithms: PeerAlgorithms, options: { hostKey?: 'ssh-ed25519' | 'ecdsa-sha2-nistp256' | 'ssh-rsa'; preferences?: AlgorithmPreferences; fast?: boolean } = {}): Scenario => ({
  name, about, fast: options.fast,
  async run(work) {
    const server = await startEngineServer(work, { hostKey: options.hostKey ?? 'ssh-ed25519', ...(options.preferences ? { preferences: options.preferences } : {}) });
    return record(work, server, async (port) => {
      const r = await pythonClient(lib, work, port, { commands: [`echo hello-from-${lib}`, 'exit 5'] }, algorithms);
      return { expected: { outputs: r.result.outputs ?? [], exitStatuses: r.result.exitStatuses ?? [] } };
    });
  },
});

/** A scenario: Erlang/OTP's ssh client against the engine's server, which writes the key log. */
const erlangToEngine = (name: string, about: string, algorithms: PeerAlgorithms, options: { hostKey?: 'ssh-ed25519' | 'ecdsa-sha2-nistp256' | 'ssh-rsa'; preferences?: AlgorithmPreferences; fast?: boolean } = {}): Scenario => ({
  name, about, fast: options.fast,
  async run(work) {
    const server = await startEngineServer(work, { hostKey: options.hostKey ?? 'ssh-ed25519', ...(options.preferences ? { preferences: options.preferences } : {}) });
    return record(work, server, async (port) => ({ expected: await erlangClient(port, ['echo hello-from-erlang', 'echo two; exit 6'], algorithms) }));
  },
});

/** A scenario: Go's x/crypto/ssh client against the engine's server, which writes the key log. */
const goToEngine = (name: string, about: string, algorithms: PeerAlgorithms, options: { hostKey?: 'ssh-ed25519' | 'ecdsa-sha2-nistp256' | 'ssh-rsa'; preferences?: AlgorithmPreferences; fast?: boolean } = {}): Scenario => ({
  name, about, fast: options.fast,
  async run(work) {
    const server = await startEngineServer(work, { hostKey: options.hostKey ?? 'ssh-ed25519', ...(options.preferences ? { preferences: options.preferences } : {}) });
    return record(work, server, async (port) => ({ expected: await goClient(work, port, ['echo hello-from-go', 'echo two; exit 7'], algorithms) }));
  },
});

/** A scenario: dbclient against the engine's server. */
const dbclientToEngine = (name: string, about: string, args: string[], options: { hostKey?: 'ssh-ed25519' | 'ecdsa-sha2-nistp256' | 'ssh-rsa'; preferences?: AlgorithmPreferences; fast?: boolean } = {}): Scenario => ({
  name, about, fast: options.fast,
  async run(work) {
    const server = await startEngineServer(work, { hostKey: options.hostKey ?? 'ssh-ed25519', ...(options.preferences ? { preferences: options.preferences } : {}) });
    return record(work, server, async (port) => {
      await dbclientRun(port, 'echo hello-from-dbclient', args);
      return { expected: { outputs: ['hello-from-dbclient\n'], exitStatuses: [0] } };
    });
  },
});

export const SCENARIOS: Scenario[] = [
  // Dropbear server, engine client
  engineTo('dropbear', 'engine-dropbear-c25519-chacha', 'engine -> dropbear: curve25519, chacha20-poly1305, ed25519 host key, password', ['ed25519'], {}, { fast: true }),
  engineTo('dropbear', 'engine-dropbear-ecdh-aesctr-rekey', 'engine -> dropbear: ecdh-sha2-nistp256, aes128-ctr + hmac-sha2-256, ecdsa host key, public key, a rekey', ['ecdsa'],
    { kex: ['ecdh-sha2-nistp256'], cipher: ['aes128-ctr'], mac: ['hmac-sha2-256'] }, { rekey: true, key: true, fast: true }),
  engineTo('dropbear', 'engine-dropbear-dh14-rsa', 'engine -> dropbear: diffie-hellman-group14-sha256, aes256-ctr + hmac-sha1, rsa-sha2-256', ['rsa'],
    { kex: ['diffie-hellman-group14-sha256'], cipher: ['aes256-ctr'], mac: ['hmac-sha1'], hostKey: ['rsa-sha2-256'] }),
  engineTo('dropbear', 'engine-dropbear-guess-wrong', 'engine -> dropbear: a first_kex_packet_follows guess that is wrong (ecdh-sha2-nistp384 first, Dropbear prefers curve25519)', ['ed25519'],
    { kex: ['ecdh-sha2-nistp384', 'curve25519-sha256'] }, { guess: true }),
  engineTo('dropbear', 'engine-dropbear-ssh-rsa-zlib', 'engine -> dropbear: ssh-rsa (SHA-1) signatures, ecdh-sha2-nistp521, zlib@openssh.com', ['rsa'],
    { kex: ['ecdh-sha2-nistp521'], hostKey: ['ssh-rsa'], compression: ['zlib@openssh.com'] }),
  // TinySSH's server, engine client
  engineTo('tinysshd', 'engine-tinysshd-sntrup', 'engine -> tinysshd: sntrup761x25519-sha512@openssh.com, chacha20-poly1305, public key', [], { kex: ['sntrup761x25519-sha512@openssh.com'] }, { fast: true }),
  // (tinysshd serves one channel per connection, so no rekey between two execs here.)
  engineTo('tinysshd', 'engine-tinysshd-c25519', 'engine -> tinysshd: curve25519-sha256, chacha20-poly1305, no strict kex (TinySSH 20230101)', [], { kex: ['curve25519-sha256'] }),
  // paramiko and AsyncSSH clients
  pythonTo('paramiko', 'dropbear', 'paramiko-dropbear-c25519-ctr', 'paramiko -> dropbear: curve25519-sha256@libssh.org, aes128-ctr + hmac-sha2-256, password', {}, { fast: true }),
  pythonTo('paramiko', 'dropbear', 'paramiko-dropbear-dh14sha1-rekey', 'paramiko -> dropbear: diffie-hellman-group14-sha1, aes256-ctr + hmac-sha1, ssh-rsa, a rekey',
    { kex: ['diffie-hellman-group14-sha1'], cipher: ['aes256-ctr'], mac: ['hmac-sha1'], hostKey: ['ssh-rsa'] }, { rekey: true, hostKeys: ['rsa'] }),
  pythonTo('asyncssh', 'dropbear', 'asyncssh-dropbear-chacha', 'asyncssh -> dropbear: curve25519-sha256, chacha20-poly1305, public key', {}, { fast: true }),
  pythonTo('asyncssh', 'dropbear', 'asyncssh-dropbear-ecdh384-rekey', 'asyncssh -> dropbear: ecdh-sha2-nistp384, aes256-ctr + hmac-sha2-256, ecdsa host key, a rekey',
    { kex: ['ecdh-sha2-nistp384'], cipher: ['aes256-ctr'], mac: ['hmac-sha2-256'] }, { rekey: true, hostKeys: ['ecdsa'] }),
  pythonTo('paramiko', 'sshd', 'paramiko-openssh-gex-etm', 'paramiko -> OpenSSH: diffie-hellman-group-exchange-sha256, aes192-ctr + hmac-sha2-512-etm, rsa-sha2-512',
    { kex: ['diffie-hellman-group-exchange-sha256'], cipher: ['aes192-ctr'], mac: ['hmac-sha2-512-etm@openssh.com'], hostKey: ['rsa-sha2-512'] }, { hostKeys: ['rsa'], fast: true }),
  pythonTo('paramiko', 'sshd', 'paramiko-openssh-dh16-zlib', 'paramiko -> OpenSSH: diffie-hellman-group16-sha512, aes128-ctr + hmac-sha2-512, zlib@openssh.com after auth',
    { kex: ['diffie-hellman-group16-sha512'], cipher: ['aes128-ctr'], mac: ['hmac-sha2-512'], compression: ['zlib@openssh.com'] }),
  pythonTo('asyncssh', 'sshd', 'asyncssh-openssh-gcm-rekey', 'asyncssh -> OpenSSH: curve25519-sha256, aes256-gcm, strict kex, a rekey', { cipher: ['aes256-gcm@openssh.com'] }, { rekey: true }),
  pythonTo('asyncssh', 'sshd', 'asyncssh-openssh-umac-ecdsa', 'asyncssh -> OpenSSH: ecdh-sha2-nistp521, aes128-ctr + umac-128-etm, ecdsa host key',
    { kex: ['ecdh-sha2-nistp521'], cipher: ['aes128-ctr'], mac: ['umac-128-etm@openssh.com'] }, { hostKeys: ['ecdsa'] }),
  pythonTo('asyncssh', 'sshd', 'asyncssh-openssh-default', 'asyncssh -> OpenSSH: both sides\' defaults (curve25519, chacha20-poly1305, strict kex)', {}),
  pythonTo('asyncssh', 'asyncssh', 'asyncssh-asyncssh-secp256k1', 'asyncssh -> asyncssh: ecdh-sha2-1.3.132.0.10 (secp256k1), aes128-gcm', { kex: ['ecdh-sha2-1.3.132.0.10'], cipher: ['aes128-gcm@openssh.com'] }),
  pythonTo('asyncssh', 'asyncssh', 'asyncssh-asyncssh-sshcom-dh', 'asyncssh -> asyncssh: diffie-hellman-group14-sha256@ssh.com, aes192-ctr + hmac-sha2-512, zlib@openssh.com',
    { kex: ['diffie-hellman-group14-sha256@ssh.com'], cipher: ['aes192-ctr'], mac: ['hmac-sha2-512'], compression: ['zlib@openssh.com'] }),
  pythonTo('asyncssh', 'asyncssh', 'asyncssh-asyncssh-sshcom-mac', 'asyncssh -> asyncssh: hmac-sha256@ssh.com', { cipher: ['aes128-ctr'], mac: ['hmac-sha256@ssh.com'] }),
  pythonTo('asyncssh', 'asyncssh', 'asyncssh-asyncssh-gex-sha512', 'asyncssh -> asyncssh: diffie-hellman-group-exchange-sha512@ssh.com, rekey',
    { kex: ['diffie-hellman-group-exchange-sha512@ssh.com'] }, { rekey: true }),
  // Twisted Conch's client
  pythonTo('conch', 'sshd', 'conch-openssh-default-rekey', 'conch -> OpenSSH: both sides\' defaults (curve25519, aes256-ctr + hmac-sha2-512), public key, a rekey', {}, { rekey: true, fast: true }),
  pythonTo('conch', 'dropbear', 'conch-dropbear-dh14sha1', 'conch -> dropbear: diffie-hellman-group14-sha1, aes128-ctr + hmac-sha1, ssh-rsa, password',
    { kex: ['diffie-hellman-group14-sha1'], cipher: ['aes128-ctr'], mac: ['hmac-sha1'], hostKey: ['ssh-rsa'] }, { hostKeys: ['rsa'] }),
  // Twisted Conch's server
  engineTo('conch', 'engine-conch-gex-cbc', 'engine -> conch: diffie-hellman-group-exchange-sha256, aes192-cbc + hmac-sha2-512, rsa-sha2-256, a rekey', ['rsa'],
    { kex: ['diffie-hellman-group-exchange-sha256'], cipher: ['aes192-cbc'], mac: ['hmac-sha2-512'], hostKey: ['rsa-sha2-256'] }, { rekey: true }),
  plinkTo('conch', 'plink-conch-default', 'plink -> conch: both sides\' defaults, password', {}, { fast: true }),
  pythonTo('paramiko', 'conch', 'paramiko-conch-ecdh-3des', 'paramiko -> conch: ecdh-sha2-nistp384, 3des-cbc + hmac-sha1', { kex: ['ecdh-sha2-nistp384'], cipher: ['3des-cbc'], mac: ['hmac-sha1'] }),
  // PuTTY's plink
  plinkTo('engine', 'plink-engine-default', 'plink -> engine: PuTTY 0.78 defaults, password', {}, { fast: true }),
  plinkTo('engine', 'plink-engine-ecdh-aesgcm', 'plink -> engine: ecdh-sha2-nistp256, aes256-gcm, ecdsa host key', {}, { hostKey: 'ecdsa-sha2-nistp256', preferences: { kex: ['ecdh-sha2-nistp256'], cipher: ['aes256-gcm@openssh.com'] } }),
  plinkTo('engine', 'plink-engine-dh-cbc', 'plink -> engine: diffie-hellman-group14-sha1, aes256-cbc + hmac-sha1, ssh-rsa', {}, { hostKey: 'ssh-rsa', preferences: { kex: ['diffie-hellman-group14-sha1'], cipher: ['aes256-cbc'], mac: ['hmac-sha1'] } }),
  plinkTo('asyncssh', 'plink-asyncssh-default', 'plink -> asyncssh: both sides\' defaults (curve448-sha512, aes256-ctr + hmac-sha2-256)', {}, { fast: true }),
  plinkTo('engine', 'plink-engine-chacha-zlib', 'plink -> engine: chacha20-poly1305, zlib from NEWKEYS (RFC 4253), PuTTY\'s IGNORE before the password',
    { Cipher: 'chacha20,aes,WARN', Compression: '1' }, { preferences: { compression: ['zlib', 'none'] } }),
  plinkTo('asyncssh', 'plink-asyncssh-curve448', 'plink -> asyncssh: curve448-sha512', {}, { asyncssh: { kex: ['curve448-sha512'] } }),
  plinkTo('asyncssh', 'plink-asyncssh-rsa-kex', 'plink -> asyncssh: rsa2048-sha256 key exchange (RFC 4432)', {}, { asyncssh: { kex: ['rsa2048-sha256'] } }),
  plinkTo('asyncssh', 'plink-asyncssh-ed448', 'plink -> asyncssh: ssh-ed448 host key (RFC 8709), PuTTY\'s first choice', {}, { asyncsshHostKey: 'ssh-ed448' }),
  plinkTo('asyncssh', 'plink-asyncssh-dss', 'plink -> asyncssh: ssh-dss host key (RFC 4253 §6.6)', {}, { asyncsshHostKey: 'ssh-dss' }),
  plinkTo('asyncssh', 'plink-asyncssh-3des-cbc', 'plink -> asyncssh: 3des-cbc + hmac-sha1', { Cipher: '3des,WARN' }, { asyncssh: { cipher: ['3des-cbc'], mac: ['hmac-sha1'] } }),
  plinkTo('asyncssh', 'plink-asyncssh-blowfish', 'plink -> asyncssh: blowfish-cbc', { Cipher: 'blowfish,WARN' }, { asyncssh: { cipher: ['blowfish-cbc'] } }),
  plinkTo('asyncssh', 'plink-asyncssh-arcfour', 'plink -> asyncssh: arcfour256 (RFC 4345)', { Cipher: 'arcfour,WARN' }, { asyncssh: { cipher: ['arcfour256'] } }),
  plinkTo('asyncssh', 'plink-asyncssh-group17', 'plink -> asyncssh: diffie-hellman-group17-sha512', {}, { asyncssh: { kex: ['diffie-hellman-group17-sha512'] } }),
  // libssh
  libsshToEngine('libssh', 'libssh-engine-default', 'libssh 0.10 -> engine: both sides\' defaults, two execs (exit 5)', {}, { fast: true }),
  libsshToEngine('libssh', 'libssh-engine-ecdh-gcm', 'libssh 0.10 -> engine: ecdh-sha2-nistp384, aes128-gcm, rsa-sha2-512', { kex: ['ecdh-sha2-nistp384'], cipher: ['aes128-gcm@openssh.com'] }, { hostKey: 'ssh-rsa' }),
  libsshToEngine('libssh', 'libssh-engine-dh16-etm', 'libssh 0.10 -> engine: diffie-hellman-group16-sha512, aes256-ctr + hmac-sha2-512-etm', { kex: ['diffie-hellman-group16-sha512'], cipher: ['aes256-ctr'], mac: ['hmac-sha2-512-etm@openssh.com'] }),
  // libssh2
  libsshToEngine('libssh2', 'libssh2-engine-default', 'libssh2 1.10 -> engine: both sides\' defaults, two execs (exit 5)', {}, { fast: true }),
  libsshToEngine('libssh2', 'libssh2-engine-dh-gex-cbc', 'libssh2 1.10 -> engine: diffie-hellman-group-exchange-sha1, aes128-cbc + hmac-sha1, ssh-rsa',
    { kex: ['diffie-hellman-group-exchange-sha1'], cipher: ['aes128-cbc'], mac: ['hmac-sha1'] },
    { hostKey: 'ssh-rsa', preferences: { kex: ['diffie-hellman-group-exchange-sha1'], cipher: ['aes128-cbc'], mac: ['hmac-sha1'] } }),
  libsshToEngine('libssh2', 'libssh2-engine-ecdh-512', 'libssh2 1.10 -> engine: ecdh-sha2-nistp521, aes256-ctr + hmac-sha2-512, ecdsa',
    { kex: ['ecdh-sha2-nistp521'], cipher: ['aes256-ctr'], mac: ['hmac-sha2-512'] }, { hostKey: 'ecdsa-sha2-nistp256' }),
  // Erlang/OTP ssh
  erlangToEngine('erlang-engine-default', 'Erlang/OTP 25 -> engine: both sides\' defaults (ecdh-sha2-nistp384 first, aes256-gcm), two execs', {}, { fast: true }),
  erlangToEngine('erlang-engine-c448-etm', 'Erlang/OTP 25 -> engine: curve448-sha512, aes128-ctr + hmac-sha2-256-etm, zlib@openssh.com',
    { kex: ['curve448-sha512'], cipher: ['aes128-ctr'], mac: ['hmac-sha2-256-etm@openssh.com'], compression: ['zlib@openssh.com'] }, { preferences: { kex: ['curve448-sha512'], compression: ['zlib@openssh.com', 'none'] } }),
  engineTo('erlang', 'engine-erlang-dh16-chacha', 'engine -> Erlang/OTP 25: diffie-hellman-group16-sha512, chacha20-poly1305, rsa-sha2-512, a rekey', ['rsa'],
    { kex: ['diffie-hellman-group16-sha512'], cipher: ['chacha20-poly1305@openssh.com'], hostKey: ['rsa-sha2-512'] }, { rekey: true }),
  engineTo('erlang', 'engine-erlang-default', 'engine -> Erlang/OTP 25: both sides\' defaults, ecdsa host key', ['ecdsa'], {}),
  // Go's golang.org/x/crypto/ssh
  goToEngine('go-engine-default', 'Go x/crypto/ssh 0.4 -> engine: both sides\' defaults (curve25519, aes128-gcm), two execs', {}, { fast: true }),
  goToEngine('go-engine-dh14-etm', 'Go x/crypto/ssh 0.4 -> engine: diffie-hellman-group14-sha256, aes256-ctr + hmac-sha2-256-etm, rsa-sha2-256',
    { kex: ['diffie-hellman-group14-sha256'], cipher: ['aes256-ctr'], mac: ['hmac-sha2-256-etm@openssh.com'], hostKey: ['rsa-sha2-256'] }, { hostKey: 'ssh-rsa' }),
  engineTo('go', 'engine-go-chacha', 'engine -> Go x/crypto/ssh 0.4: curve25519, chacha20-poly1305, ecdsa host key', ['ecdsa'], { cipher: ['chacha20-poly1305@openssh.com'] }),
  engineTo('go', 'engine-go-ecdh-sha1', 'engine -> Go x/crypto/ssh 0.4: ecdh-sha2-nistp521, aes192-ctr + hmac-sha1', ['ed25519'], { kex: ['ecdh-sha2-nistp521'], cipher: ['aes192-ctr'], mac: ['hmac-sha1'] }),
  // Dropbear's dbclient
  dbclientToEngine('dbclient-engine-default', 'dbclient -> engine: Dropbear\'s defaults (curve25519 with a kexguess2 guess, chacha20-poly1305)', [], { fast: true }),
  dbclientToEngine('dbclient-engine-ecdh-ctr', 'dbclient -> engine: ecdh-sha2-nistp521 (a wrong guess), aes256-ctr + hmac-sha2-256, rsa', ['-c', 'aes256-ctr', '-m', 'hmac-sha2-256'], { hostKey: 'ssh-rsa', preferences: { kex: ['ecdh-sha2-nistp521'] } }),
  dbclientToEngine('dbclient-engine-dh14', 'dbclient -> engine: diffie-hellman-group14-sha256, aes128-ctr + hmac-sha1, ecdsa', ['-c', 'aes128-ctr', '-m', 'hmac-sha1'], { hostKey: 'ecdsa-sha2-nistp256', preferences: { kex: ['diffie-hellman-group14-sha256'] } }),
];

// ------------------------------------------------------------------ checking

/** Everything about a decoded recording that is not as it should be, in words (empty when all is well). */
export function checkDecoded(trace: Trace, expected: Expected): string[] {
  const problems: string[] = [...trace.problems.filter((p) => p.severity === 'error').map((p) => `capture: ${p.message}`)];
  if (trace.sessions.length !== 1) return [...problems, `expected one SSH session, found ${trace.sessions.length}`];
  const [s] = trace.sessions;
  for (const p of s.problems) if (p.severity === 'error') problems.push(`session: ${p.code}: ${p.message}`);
  for (const p of s.packets) {
    const at = `packet ${p.index} (${p.direction} seq ${p.sequence}${p.message ? ' ' + p.message.name : ''})`;
    if (p.error) problems.push(`${at}: ${p.error}`);
    if (p.epoch > 0 && p.macStatus !== 'ok') problems.push(`${at}: MAC/tag ${p.macStatus}`);
    if (!p.message) problems.push(`${at}: no message`);
    else if (p.message.error) problems.push(`${at}: ${p.message.error}`);
    else if (p.message.unknown) problems.push(`${at}: unknown message ${p.message.number}`);
  }
  if (s.kex.length !== expected.kex.length) problems.push(`expected ${expected.kex.length} key exchange(s), decoded ${s.kex.length}`);
  s.kex.forEach((k, i) => {
    for (const p of k.problems) if (p.severity === 'error') problems.push(`kex ${i}: ${p.code}: ${p.message}`);
    if (!k.hostKey?.verified) problems.push(`kex ${i}: host key signature not verified${k.hostKey ? ` (${k.hostKey.reason})` : ''}`);
    const want = expected.kex[i];
    if (!want) return;
    for (const [slot, value] of Object.entries(want)) {
      if (value === undefined) continue;
      const got = k.algorithms?.[slot as keyof NegotiatedAlgorithms] ?? null;
      if (got !== value) problems.push(`kex ${i}: ${slot} decoded as ${got}, the peer used ${value}`);
    }
  });
  const sessions = s.channels.filter((c) => c.type === 'session');
  const text = (parts: Uint8Array[]) => new TextDecoder().decode(Buffer.concat(parts));
  expected.outputs.forEach((out, i) => {
    const data = sessions[i] ? text(sessions[i].serverData) : '';
    if (!data.includes(out)) problems.push(`channel ${i}: server data ${JSON.stringify(data)} lacks ${JSON.stringify(out)}`);
  });
  expected.exitStatuses.forEach((status, i) => {
    if (sessions[i]?.exitStatus !== status) problems.push(`channel ${i}: exit status ${sessions[i]?.exitStatus} decoded, ${status} expected`);
  });
  return problems;
}

export function decodeRecorded(name: string, r: Recorded): Trace {
  return decodeCapture(r.pcap, [{ name: `${name}.keylog`, text: r.keyLog }], `${name}.pcap`);
}

async function main(): Promise<void> {
  const out = process.argv[2] ?? join(tmpdir(), 'sshlens-others');
  const filter = process.argv[3];
  mkdirSync(out, { recursive: true });
  const work = mkdtempSync(join(tmpdir(), 'sshlens-others-work-'));
  let failures = 0;
  for (const scenario of SCENARIOS) {
    if (filter && !scenario.name.includes(filter)) continue;
    try {
      const r = await scenario.run(work);
      writeFileSync(join(out, `${scenario.name}.pcap`), r.pcap);
      writeFileSync(join(out, `${scenario.name}.keylog`), r.keyLog);
      // What the offline replay (cli/dev/others.test.ts, traces/others/) checks the decoded capture against.
      writeFileSync(join(out, `${scenario.name}.expected.json`), JSON.stringify({ about: scenario.about, ...(scenario.pending ? { pending: scenario.pending } : {}), ...r.expected }, null, 1) + '\n');
      const problems = checkDecoded(decodeRecorded(scenario.name, r), r.expected);
      if (problems.length) failures++;
      console.log(`${problems.length ? 'FAIL' : 'ok  '} ${scenario.name}: ${scenario.about}${scenario.pending ? ` [pending: ${scenario.pending}]` : ''}${problems.length ? '\n    ' + problems.slice(0, 8).join('\n    ') : ''}`);
    } catch (error) {
      failures++;
      console.log(`ERR  ${scenario.name}: ${(error as Error).message}`);
    }
  }
  rmSync(work, { recursive: true, force: true });
  console.log(`recordings in ${out}; ${failures} scenario(s) with problems`);
  process.exitCode = failures ? 1 : 0;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main();
