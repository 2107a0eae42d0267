/**
 * Every kex method and host key algorithm against real OpenSSH 9.2 (Debian's openssh-client and openssh-server),
 * both ways, over loopback TCP. The cleartext part of the protocol (RFC 4253 §4.2 identification, §6 packets, §7
 * KEXINIT, the method's messages) is driven here with the message catalog; the cryptography is the code under test.
 * - Our server side against the `ssh` client: OpenSSH verifies our host key signature over *its own* H before it
 *   sends NEWKEYS (kexgen.c / kexdh.c / kexgexc.c), so its NEWKEYS proves our K, H and signature right.
 * - Our client side against `sshd`: we verify sshd's signature over *our* H, which holds only if our K and H are
 *   the ones sshd computed.
 * mlkem768x25519-sha256 needs OpenSSH 9.9; it is covered by the two-sided tests in rfc4253-kex-methods.test.ts.
 * Skipped, loudly, when ssh or sshd is missing.
 */
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSshd, sshdAvailable, type PrivateSshd } from '../../cli/dev/sshd.ts';
import { generateHostKey, signExchangeHash, signingKeyBlob, verifyHostKeySignature, type SigningKey } from '../crypto/hostkey.ts';
import { parseOpenSshPrivateKey } from '../crypto/hostkey-file.ts';
import { decodeMessage, encodeMessage, type DecodedMessage } from '../messages/index.ts';
import { chooseGexGroup } from './dh.ts';
import { exchangeHash, type GexParameters } from './exchange-hash.ts';
import { clientKexFinish, clientKexInit, serverKexReply, type KexPublicValue } from './kex.ts';
import { KEX_METHODS, kexMethod } from './methods.ts';
import { seededRandomBytes } from './test-rng.ts';

const haveSsh = existsSync('/usr/bin/ssh');
const haveSshd = sshdAvailable();
if (!haveSsh || !haveSshd) console.warn('\n*** OpenSSH ssh/sshd missing (apt-get install openssh-client openssh-server): real-peer kex tests SKIPPED ***\n');

/** The registry's methods that this OpenSSH implements, as `ssh -Q kex` lists them (9.2: all but ML-KEM, curve448, group15/17, @ssh.com). */
const OPENSSH_92_METHODS = haveSsh
  ? (() => { const known = execFileSync('/usr/bin/ssh', ['-Q', 'kex'], { encoding: 'utf8' }).split('\n'); return KEX_METHODS.map((m) => m.name).filter((n) => known.includes(n)); })()
  : [];
const HOST_KEY_ALGORITHMS = ['ssh-ed25519', 'ecdsa-sha2-nistp256', 'ecdsa-sha2-nistp384', 'ecdsa-sha2-nistp521', 'rsa-sha2-256', 'rsa-sha2-512', 'ssh-rsa'];

/** Cleartext SSH over a socket: identification lines and RFC 4253 §6 packets without cipher or MAC. */
class CleartextPeer {
  private buffer = Buffer.alloc(0);
  private wake: (() => void) | null = null;
  private closed = false;
  constructor(private readonly socket: Socket) {
    socket.on('data', (d) => {
      this.buffer = Buffer.concat([this.buffer, d]);
      this.notify();
    });
    socket.on('close', () => {
      this.closed = true;
      this.notify();
    });
    socket.on('error', () => {});
  }
  private notify() {
    const w = this.wake;
    this.wake = null;
    w?.();
  }
  private async more() {
    if (this.closed) throw new Error('the peer closed the connection');
    await new Promise<void>((resolve) => (this.wake = resolve));
  }
  async identification(): Promise<string> {
    for (;;) {
      const end = this.buffer.indexOf('\r\n');
      if (end >= 0) {
        const line = this.buffer.subarray(0, end).toString('latin1');
        this.buffer = this.buffer.subarray(end + 2);
        if (line.startsWith('SSH-')) return line;
      } else await this.more();
    }
  }
  /** The next payload, skipping IGNORE (2) and DEBUG (4). */
  async payload(): Promise<Uint8Array> {
    for (;;) {
      while (this.buffer.length < 4 || this.buffer.length < 4 + this.buffer.readUInt32BE(0)) await this.more();
      const length = this.buffer.readUInt32BE(0);
      const payload = new Uint8Array(this.buffer.subarray(5, 4 + length - this.buffer[4]));
      this.buffer = this.buffer.subarray(4 + length);
      if (payload[0] !== 2 && payload[0] !== 4) return payload;
    }
  }
  send(payload: Uint8Array) {
    let padding = 8 - ((5 + payload.length) % 8);
    if (padding < 4) padding += 8;
    const packet = Buffer.alloc(5 + payload.length + padding);
    packet.writeUInt32BE(1 + payload.length + padding, 0);
    packet[4] = padding;
    packet.set(payload, 5);
    this.socket.write(packet);
  }
  line(text: string) {
    this.socket.write(text + '\r\n');
  }
  close() {
    this.socket.destroy();
  }
}

function kexinit(seed: string, kex: string, hostKey: string): Uint8Array {
  return encodeMessage('SSH_MSG_KEXINIT', {
    cookie: seededRandomBytes(seed)(16),
    kex_algorithms: [kex],
    server_host_key_algorithms: [hostKey],
    encryption_algorithms_client_to_server: ['aes128-ctr'],
    encryption_algorithms_server_to_client: ['aes128-ctr'],
    mac_algorithms_client_to_server: ['hmac-sha2-256'],
    mac_algorithms_server_to_client: ['hmac-sha2-256'],
    compression_algorithms_client_to_server: ['none'],
    compression_algorithms_server_to_client: ['none'],
    languages_client_to_server: [],
    languages_server_to_client: [],
    first_kex_packet_follows: false,
    reserved: 0,
  });
}

/** The catalog's value for a public value field (hybrids split theirs into KEM part and X25519 part). */
function publicField(method: string, value: KexPublicValue, side: 'client' | 'server'): unknown {
  const m = kexMethod(method);
  if (m.family !== 'hybrid-kem' || typeof value === 'bigint') return value;
  const cut = value.length - 32;
  return side === 'client' ? { pq_public_key: value.subarray(0, cut), x25519: value.subarray(cut) } : { pq_ciphertext: value.subarray(0, cut), x25519: value.subarray(cut) };
}

const field = (m: DecodedMessage, name: string) => m.fields.find((f) => f.name === name)!.value as Uint8Array;

/** A public value as decoded from a message: mpints come back as bigints, strings (split or not) as their bytes. */
function publicFrom(m: DecodedMessage, name: string): KexPublicValue {
  return m.fields.find((f) => f.name === name)!.value as KexPublicValue;
}

const initName = (method: string) => {
  const f = kexMethod(method).family;
  return f === 'dh-group' ? 'SSH_MSG_KEXDH_INIT' : f === 'dh-gex' ? 'SSH_MSG_KEX_DH_GEX_INIT' : f === 'hybrid-kem' ? 'SSH_MSG_KEX_HYBRID_INIT' : 'SSH_MSG_KEX_ECDH_INIT';
};
const replyName = (method: string) => {
  const f = kexMethod(method).family;
  return f === 'dh-group' ? 'SSH_MSG_KEXDH_REPLY' : f === 'dh-gex' ? 'SSH_MSG_KEX_DH_GEX_REPLY' : f === 'hybrid-kem' ? 'SSH_MSG_KEX_HYBRID_REPLY' : 'SSH_MSG_KEX_ECDH_REPLY';
};

// ---------------------------------------------------------------------------------------------------------------
// Our server, OpenSSH's client.

/** Runs one key exchange as the server against `ssh`; resolves with what the client sent after our reply. */
async function serveOnce(method: string, algorithm: string, hostKey: SigningKey, hostKeyBlob: Uint8Array): Promise<{ next: number; stderr: string }> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  const context = { kex: method };
  const accepted = new Promise<Socket>((resolve) => server.once('connection', resolve));
  let stderr = '';
  let exited: () => void = () => {};
  const sshExit = new Promise<void>((resolve) => (exited = resolve));
  const ssh = execFile('ssh', [
    '-F', '/dev/null', '-o', 'BatchMode=yes', '-o', 'StrictHostKeyChecking=no', '-o', 'UserKnownHostsFile=/dev/null',
    '-o', `KexAlgorithms=${method}`, '-o', `HostKeyAlgorithms=${algorithm}`, '-o', 'Ciphers=aes128-ctr', '-o', 'MACs=hmac-sha2-256',
    '-o', 'ConnectTimeout=20', '-o', 'LogLevel=ERROR', '-p', String(port), 'sshlens@127.0.0.1', 'true',
  ], { timeout: 60_000 }, (_error, _out, err) => {
    stderr += err;
    exited();
  });
  try {
    const peer = new CleartextPeer(await accepted);
    const V_S = 'SSH-2.0-sshlens_test';
    peer.line(V_S);
    const V_C = await peer.identification();
    const I_S = kexinit(`server ${method}`, method, algorithm);
    peer.send(I_S);
    const I_C = await peer.payload();
    const rng = seededRandomBytes(`server ${method} ${algorithm}`);
    let gex: GexParameters | undefined;
    if (kexMethod(method).family === 'dh-gex') {
      const request = decodeMessage(await peer.payload(), context);
      expect(request.name).toBe('SSH_MSG_KEX_DH_GEX_REQUEST');
      const { min, n, max } = request.value as { min: number; n: number; max: number };
      const group = chooseGexGroup(min, n, max);
      gex = { min, n, max, p: group.p, g: group.g };
      peer.send(encodeMessage('SSH_MSG_KEX_DH_GEX_GROUP', { p: group.p, g: group.g }, context));
    }
    const init = decodeMessage(await peer.payload(), context);
    expect(init.name).toBe(initName(method));
    const clientPublic = publicFrom(init, init.fields[1].name);
    const group = gex ? { p: gex.p, g: gex.g } : undefined;
    const reply = serverKexReply(method, clientPublic, rng, group);
    const H = exchangeHash({ method, V_C, V_S, I_C, I_S, K_S: hostKeyBlob, clientPublic, serverPublic: reply.serverPublic, gex, K: reply.K }).H;
    const m = kexMethod(method);
    peer.send(encodeMessage(replyName(method), {
      host_key: hostKeyBlob,
      [m.serverPublicName]: publicField(method, reply.serverPublic, 'server'),
      signature: signExchangeHash(algorithm.replace('-cert-v01@openssh.com', ''), hostKey, H),
    }, context));
    peer.send(new Uint8Array([21]));
    let next = -1;
    try {
      next = (await peer.payload())[0];
    } catch {
      next = -1;
    }
    peer.close();
    await sshExit; // ssh ends once the connection is gone; its stderr says why it stopped
    return { next, stderr };
  } finally {
    ssh.kill();
    server.close();
  }
}

describe.skipIf(!haveSsh)('our server side, OpenSSH 9.2 ssh as the client', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sshlens-peer-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const ed25519 = generateHostKey('ssh-ed25519', seededRandomBytes('host ed25519'));

  for (const method of OPENSSH_92_METHODS) {
    it(`${method} (ssh-ed25519)`, async () => {
      const result = await serveOnce(method, 'ssh-ed25519', ed25519, signingKeyBlob(ed25519));
      expect(result.next, result.stderr).toBe(21); // the client's SSH_MSG_NEWKEYS
    }, 60_000);
  }

  for (const algorithm of HOST_KEY_ALGORITHMS.slice(1)) {
    it(`curve25519-sha256 with ${algorithm}`, async () => {
      const type = algorithm.startsWith('ecdsa') ? algorithm : 'ssh-rsa';
      const key = type === 'ssh-rsa'
        ? (execFileSync('ssh-keygen', ['-q', '-t', 'rsa', '-b', '2048', '-N', '', '-f', join(dir, `rsa_${algorithm}`)]), parseOpenSshPrivateKey(readFileSync(join(dir, `rsa_${algorithm}`), 'utf8')).key)
        : generateHostKey(type as 'ecdsa-sha2-nistp256', seededRandomBytes(`host ${algorithm}`));
      const result = await serveOnce('curve25519-sha256', algorithm, key, signingKeyBlob(key));
      expect(result.next, result.stderr).toBe(21);
    }, 60_000);
  }

  for (const [algorithm, type] of [['ssh-ed25519-cert-v01@openssh.com', 'ssh-ed25519'], ['ecdsa-sha2-nistp384-cert-v01@openssh.com', 'ecdsa-sha2-nistp384']] as const) {
    it(`curve25519-sha256 with a host certificate, ${algorithm}`, async () => {
      const key = generateHostKey(type, seededRandomBytes(`cert ${algorithm}`));
      const pub = join(dir, `cert_${type}.pub`);
      writeFileSync(pub, `${type} ${Buffer.from(signingKeyBlob(key)).toString('base64')} host\n`);
      execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(dir, `ca_${type}`)]);
      execFileSync('ssh-keygen', ['-q', '-s', join(dir, `ca_${type}`), '-I', 'sshlens test host', '-h', '-n', '127.0.0.1', pub], { stdio: 'ignore' });
      const cert = new Uint8Array(Buffer.from(readFileSync(join(dir, `cert_${type}-cert.pub`), 'utf8').split(' ')[1], 'base64'));
      const result = await serveOnce('curve25519-sha256', algorithm, key, cert);
      expect(result.next, result.stderr).toBe(21);
    }, 60_000);
  }
});

// ---------------------------------------------------------------------------------------------------------------
// Our client, OpenSSH's sshd.

async function clientOnce(sshd: PrivateSshd, method: string, algorithm: string) {
  const socket = connect(sshd.port, '127.0.0.1');
  const peer = new CleartextPeer(socket);
  const context = { kex: method };
  try {
    const V_C = 'SSH-2.0-sshlens_test';
    peer.line(V_C);
    const V_S = await peer.identification();
    const I_C = kexinit(`client ${method}`, method, algorithm);
    peer.send(I_C);
    const I_S = await peer.payload();
    const rng = seededRandomBytes(`client ${method} ${algorithm}`);
    let gex: GexParameters | undefined;
    let group: { p: bigint; g: bigint } | undefined;
    if (kexMethod(method).family === 'dh-gex') {
      const request = { min: 2048, n: 3072, max: 8192 };
      peer.send(encodeMessage('SSH_MSG_KEX_DH_GEX_REQUEST', request, context));
      const reply = decodeMessage(await peer.payload(), context);
      expect(reply.name).toBe('SSH_MSG_KEX_DH_GEX_GROUP');
      group = { p: reply.value.p as bigint, g: reply.value.g as bigint };
      gex = { ...request, ...group };
    }
    const start = clientKexInit(method, rng, group);
    const m = kexMethod(method);
    peer.send(encodeMessage(initName(method), { [m.clientPublicName]: publicField(method, start.clientPublic, 'client') }, context));
    const reply = decodeMessage(await peer.payload(), context);
    expect(reply.name).toBe(replyName(method));
    const serverPublic = publicFrom(reply, m.serverPublicName);
    const K = clientKexFinish(method, start.privateValue, serverPublic, group);
    const K_S = field(reply, 'host_key');
    const H = exchangeHash({ method, V_C, V_S, I_C, I_S, K_S, clientPublic: start.clientPublic, serverPublic, gex, K }).H;
    return verifyHostKeySignature({ algorithm, hostKeyBlob: K_S, signatureBlob: field(reply, 'signature'), H });
  } finally {
    peer.close();
  }
}

describe.skipIf(!haveSshd)('our client side, OpenSSH 9.2 sshd as the server', () => {
  let sshd: PrivateSshd;
  beforeAll(async () => {
    sshd = await startSshd({
      hostKeys: ['ed25519', 'ecdsa', 'rsa'],
      config: { KexAlgorithms: OPENSSH_92_METHODS.join(','), HostKeyAlgorithms: HOST_KEY_ALGORITHMS.filter((a) => !a.includes('384') && !a.includes('521')).join(',') },
    });
  }, 30_000);
  afterAll(async () => sshd?.stop());

  for (const method of OPENSSH_92_METHODS) {
    it(`${method} (ssh-ed25519)`, async () => {
      const result = await clientOnce(sshd, method, 'ssh-ed25519');
      expect(result.reason).toMatch(/verifies/);
      expect(result.verified).toBe(true);
    }, 60_000);
  }
  for (const algorithm of ['ecdsa-sha2-nistp256', 'rsa-sha2-256', 'rsa-sha2-512', 'ssh-rsa']) {
    it(`curve25519-sha256 with ${algorithm}`, async () => {
      const result = await clientOnce(sshd, 'curve25519-sha256', algorithm);
      expect(result.reason).toMatch(/verifies/);
      expect(result.verified).toBe(true);
    }, 60_000);
  }
});

