/**
 * `sshlens decode` as a user runs it: exit codes (0 all decoded, 3 decoded with problems, 2 usage, 4 not a capture),
 * the --json shape other tools rely on, text output, and clear messages - never a stack trace - for the bad inputs
 * a user will feed it. Captures are the real ones in ../shared/fixtures/openssh-ssh2, damaged in a temp folder.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const FIXTURES = decodeURIComponent(new URL('../../shared/fixtures/openssh-ssh2', import.meta.url).pathname);
const present = existsSync(FIXTURES);
const tmp = mkdtempSync(join(tmpdir(), 'sshlens-decode-'));
const fixture = (name: string) => join(FIXTURES, name);

function decode(...args: string[]) {
  const result = spawnSync(process.execPath, ['cli/bin.js', 'decode', ...args], { encoding: 'utf8', maxBuffer: 64 << 20 });
  expect(result.stderr).not.toMatch(/\n\s+at .*\(.*:\d+:\d+\)/); // no stack trace, ever
  return result;
}

/** File offset of the TCP payload of 1-based frame `n` in a little-endian classic pcap of Ethernet/IPv4/TCP. */
function payloadOffset(file: Uint8Array, n: number): { at: number; length: number } {
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
  let at = 24;
  for (let i = 1; ; i++) {
    const caplen = view.getUint32(at + 8, true);
    const frame = at + 16;
    const ipHeader = (file[frame + 14] & 0x0f) * 4;
    const tcp = frame + 14 + ipHeader;
    const payload = tcp + (file[tcp + 12] >> 4) * 4;
    if (i === n) return { at: payload, length: frame + caplen - payload };
    at = frame + caplen;
  }
}

describe.skipIf(!present)('sshlens decode', () => {
  it('decodes a real capture completely: exit 0, a line per message', () => {
    const r = decode(fixture('ns_c25519_chacha20.pcap'), '--keylog', fixture('ns_c25519_chacha20.oldformat.keylog'));
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/SSH_MSG_CHANNEL_REQUEST\s+#0 exec "echo HELLO_WIRESHARK_TEST; uname -s"/);
    expect(r.stdout).toMatch(/host key ssh-ed25519 SHA256:\S+ verified/);
    expect(r.stdout).toMatch(/exit status 0/);
  });

  it('-v prints every field', () => {
    const r = decode(fixture('ns_c25519_chacha20.pcap'), '--keylog', fixture('ns_c25519_chacha20.shared_secret.keylog'), '-v');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/cookie = [0-9a-f]{32}/);
    expect(r.stdout).toMatch(/term = "xterm"/);
  });

  it('--json gives the documented shape', () => {
    const r = decode(fixture('strict_c25519_chacha20_rekey.pcap'), '--keylog', fixture('strict_c25519_chacha20_rekey.private_key.keylog'), '--json');
    expect(r.status).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json.sessions).toHaveLength(1);
    const [s] = json.sessions;
    expect(s.client).toMatchObject({ address: '127.0.0.1', version: 'SSH-2.0-ssh2js1.17.0' });
    expect(s.server).toMatchObject({ address: '127.0.0.1', port: 2222, version: 'SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u10' });
    expect(s.kex).toHaveLength(2);
    expect(s.kex[0]).toMatchObject({
      kex: 'curve25519-sha256', hostKey: 'ssh-ed25519', cipherClientToServer: 'chacha20-poly1305@openssh.com',
      macClientToServer: null, macServerToClient: null, compressionClientToServer: 'none', strict: true, hostKeyVerified: true,
    });
    for (const m of s.messages) {
      expect(Object.keys(m).sort()).toEqual(['fields', 'from', 'name', 'number', 'sequence']);
      expect(m.name).toMatch(/^SSH_MSG_/);
    }
    // Strict kex: the sequence numbers restart at 0 after each NEWKEYS.
    const server = s.messages.filter((m: { from: string }) => m.from === 'server');
    const afterNewKeys = server.findIndex((m: { name: string }) => m.name === 'SSH_MSG_NEWKEYS') + 1;
    expect(server[afterNewKeys].sequence).toBe(0);
    const exec = s.channels.find((c: { requests: { request: string }[] }) => c.requests.some((q) => q.request === 'exec'));
    expect(Buffer.from(exec.serverData, 'base64').toString()).toContain('HELLO_WIRESHARK_TEST');
    expect(exec).toMatchObject({ type: 'session', clientId: 0, exitStatus: 0 });
  });

  it('reads the keys inside a pcapng without --keylog', () => {
    const r = decode(fixture('ns_rsa_c25519_chacha20.dsb.pcapng'));
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('HELLO_WIRESHARK_TEST'.slice(0, 0) + 'exec "echo HELLO_WIRESHARK_TEST');
  });

  it('no key log: exit 3, the handshake decoded and the missing key explained', () => {
    const r = decode(fixture('ns_c25519_aes128gcm.pcap'));
    expect(r.status).toBe(3);
    expect(r.stdout).toMatch(/SSH_MSG_KEX_ECDH_REPLY/);
    expect(r.stderr).toMatch(/no key-log line names this exchange's client cookie [0-9a-f]{32}/);
  });

  it('a key log of another session: exit 3, no key for this one', () => {
    const r = decode(fixture('ns_c25519_aes128gcm.pcap'), '--keylog', fixture('ns_c25519_chacha20.oldformat.keylog'));
    expect(r.status).toBe(3);
    expect(r.stderr).toMatch(/no key-log line names this exchange/);
  });

  it('a wrong secret under the right cookie: exit 3, the host key signature does not verify', () => {
    const line = readFileSync(fixture('ns_c25519_chacha20.shared_secret.keylog'), 'utf8').trim().split(' ');
    line[2] = line[2].replace(/.$/, (c) => (c === '0' ? '1' : '0'));
    writeFileSync(join(tmp, 'wrong.keylog'), line.join(' ') + '\n');
    const r = decode(fixture('ns_c25519_chacha20.pcap'), '--keylog', join(tmp, 'wrong.keylog'));
    expect(r.status).toBe(3);
    expect(r.stderr).toMatch(/host key signature over H does not verify/);
  });

  it('a flipped bit in an encrypted packet: exit 3, that packet marked with its direction and sequence number, the rest decoded', () => {
    const file = new Uint8Array(readFileSync(fixture('ns_c25519_aes128ctr_sha256.pcap')));
    const json = JSON.parse(decode(fixture('ns_c25519_aes128ctr_sha256.pcap'), '--keylog', fixture('ns_c25519_aes128ctr_sha256.oldformat.keylog'), '--json').stdout);
    const total = json.sessions[0].messages.length;
    // Flip one payload bit of the third-last frame that carries a packet of some size (late in the session).
    const targets: number[] = [];
    for (let n = 1, at = 24; at < file.length; n++) {
      const { length } = payloadOffset(file, n);
      if (length > 60) targets.push(n);
      at += 16 + new DataView(file.buffer, file.byteOffset).getUint32(at + 8, true);
    }
    const target = targets[targets.length - 3];
    const { at, length } = payloadOffset(file, target);
    file[at + Math.floor(length / 2)] ^= 0x10;
    writeFileSync(join(tmp, 'flipped.pcap'), file);
    const r = decode(join(tmp, 'flipped.pcap'), '--keylog', fixture('ns_c25519_aes128ctr_sha256.oldformat.keylog'), '--json');
    expect(r.status).toBe(3);
    const messages = JSON.parse(r.stdout).sessions[0].messages;
    const bad = messages.filter((m: { error?: string }) => m.error);
    expect(bad).toHaveLength(1);
    expect(bad[0].error).toMatch(/MAC/i);
    expect(bad[0].error).toMatch(new RegExp(`${bad[0].from === 'client' ? 'client->server' : 'server->client'} packet #\\d+ \\(seq ${bad[0].sequence}\\)`));
    expect(messages).toHaveLength(total);
  });

  it('a truncated capture: exit 3, everything before the cut decoded', () => {
    const file = readFileSync(fixture('ns_c25519_chacha20.pcap'));
    writeFileSync(join(tmp, 'cut.pcap'), file.subarray(0, Math.floor(file.length * 0.6)));
    const r = decode(join(tmp, 'cut.pcap'), '--keylog', fixture('ns_c25519_chacha20.oldformat.keylog'));
    expect(r.status).toBe(3);
    expect(r.stdout).toMatch(/SSH_MSG_USERAUTH_REQUEST/);
    expect(r.stderr).toMatch(/truncat|cut|ends/i);
  });

  it('traffic that is not SSH: exit 3 and says so', () => {
    const file = new Uint8Array(readFileSync(fixture('ns_c25519_chacha20.pcap')));
    for (let i = 0; i + 4 < file.length; i++) if (file[i] === 0x53 && file[i + 1] === 0x53 && file[i + 2] === 0x48 && file[i + 3] === 0x2d) file[i] = 0x58;
    writeFileSync(join(tmp, 'not-ssh.pcap'), file);
    const r = decode(join(tmp, 'not-ssh.pcap'));
    expect(r.status).toBe(3);
    expect(r.stderr + r.stdout).toMatch(/no SSH/i);
  });

  it('a file that is not a capture: exit 4 with a one-line reason', () => {
    writeFileSync(join(tmp, 'random.bin'), new Uint8Array(4096).map((_, i) => (i * 7919) % 251));
    const r = decode(join(tmp, 'random.bin'));
    expect(r.status).toBe(4);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/not a pcap or pcapng/);
    expect(decode(join(tmp, 'does-not-exist.pcap')).status).toBe(4);
  });

  it('bad usage: exit 2', () => {
    expect(decode().status).toBe(2);
    expect(decode('a.pcap', '--frobnicate').status).toBe(2);
  });
});

describe.skipIf(!present)('sshlens decode --trace', () => {
  it('writes the full trace, which reads back with every layer', async () => {
    const { traceFromJson } = await import('../engine/trace/json.ts');
    const out = join(tmp, 'trace.json');
    const r = decode(fixture('ns_c25519_chacha20.pcap'), '--keylog', fixture('ns_c25519_chacha20.oldformat.keylog'), '--trace', out);
    expect(r.status).toBe(0);
    const trace = traceFromJson(readFileSync(out, 'utf8'));
    const packet = trace.sessions[0].packets.find((p) => p.message?.name === 'SSH_MSG_CHANNEL_DATA')!;
    expect(packet.wire).toBeInstanceOf(Uint8Array);
    expect(packet.plaintext!.length).toBe(packet.layout!.padding.end);
    expect(packet.frames.length).toBeGreaterThan(0);
  });
});
