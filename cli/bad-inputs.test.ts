/**
 * The bad-input catalogue, as a user meets it through `sshlens decode`: each damaged or hostile input exits 3 (decoded
 * with problems) or 4 (not a capture) with a clear message, never a stack trace, and everything decodable is kept.
 * Inputs are made from the real captures in ../shared/fixtures/openssh-ssh2 (read in place), re-framed as TCP/IP
 * with the capture test builders, and written to a temp folder.
 *
 * Each case with its full expected message: a wrong key (a wrong secret under the right cookie), a key log of another
 * session, no key log, a truncated capture, non-SSH traffic, a MAC failure (a flipped bit in an encrypted packet)
 * (cli/decode.test.ts checks these more loosely, and a file that is not a capture), a capture beginning mid-session,
 * lost segments (and a channel whose opening was in them), retransmissions
 * carrying different bytes, a packet_length of 4 GiB, zero and too-short padding, an IGNORE injected before NEWKEYS
 * in a non-strict session (Terrapin, CVE-2023-48795), and thousands of sessions in one file.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { encapsulate, FIXTURES, ipv4, oracleSegments, pcapFile, tcpSegment, type OracleSegment } from '../engine/capture/test-helpers.ts';
import { decodeCapture } from '../engine/decoder/capture-decoder.ts';
import { buildCorpus } from '../engine/fuzz/corpus.ts';
import { toHex } from '../engine/wire/index.ts';

const present = existsSync(FIXTURES);
const tmp = mkdtempSync(join(tmpdir(), 'sshlens-bad-'));
const NAME = 'ns_c25519_chacha20';
const fixture = (name: string) => join(FIXTURES, name);
const KEYLOG = fixture(`${NAME}.oldformat.keylog`);
const SERVER_PORT = 2222;

function decode(args: string[], nodeOptions: string[] = []) {
  const result = spawnSync(process.execPath, [...nodeOptions, 'cli/bin.js', 'decode', ...args], { encoding: 'utf8', maxBuffer: 256 << 20 });
  expect(result.stderr).not.toMatch(/\n\s+at .*:\d+:\d+\)?/); // no stack trace, ever
  return result;
}

/** Writes TCP segments as an Ethernet/IPv4 pcap in the temp folder and returns its path. */
function writeCapture(label: string, segments: OracleSegment[]): string {
  const path = join(tmp, `${label}.pcap`);
  writeFileSync(path, pcapFile(segments.map((s) => ({ time: s.time, data: encapsulate({ kind: 'ethernet' }, ipv4(s, tcpSegment(s))) })), 1));
  return path;
}

const segmentsOf = (name = NAME) => oracleSegments(new Uint8Array(readFileSync(fixture(`${name}.pcap`))));
/** The reference decode of the undamaged capture, for where each packet lies in its stream. */
const reference = present ? decodeCapture(new Uint8Array(readFileSync(fixture(`${NAME}.pcap`))), [{ name: 'keylog', text: readFileSync(KEYLOG, 'utf8') }]).sessions[0] : undefined!;
const packet = (direction: 'client' | 'server', name: string) => reference.packets.find((p) => p.direction === direction && p.message?.name === name)!;
const fromServer = (s: OracleSegment) => s.sourcePort === SERVER_PORT;
/** Stream offset of a segment's first payload byte (the SYN takes sequence number ISN, data starts at ISN + 1). */
function streamOffset(segments: OracleSegment[], s: OracleSegment): number {
  const syn = segments.find((x) => x.flags & 2 && fromServer(x) === fromServer(s))!;
  return (s.seq - syn.seq - 1) >>> 0;
}
/** The data segment of a direction that carries stream offset `at`. */
function segmentAt(segments: OracleSegment[], server: boolean, at: number): number {
  return segments.findIndex((s) => fromServer(s) === server && s.payload.length > 0 && streamOffset(segments, s) <= at && at < streamOffset(segments, s) + s.payload.length);
}
const messages = (stdout: string) => [...stdout.matchAll(/ (C→S|S→C)\s+\d+\s+(SSH_MSG_\w+|unknown \(\d+\))/g)].map((m) => `${m[1]} ${m[2]}`);

/**
 * A Terrapin-style splice (CVE-2023-48795) into a real capture: SSH_MSG_IGNORE "hello" (RFC 4253 §11.2, in the clear:
 * packet_length 20, padding_length 9, block size 8) inserted before the server's NEWKEYS, and the server's EXT_INFO
 * (the first packet after NEWKEYS) deleted; TCP re-framed (later server segments move in sequence space, the client's
 * acknowledgements follow). Returns the path of the new capture.
 */
function terrapinSplice(name: string): string {
  const session = decodeCapture(new Uint8Array(readFileSync(fixture(`${name}.pcap`))), [{ name: 'keylog', text: readFileSync(fixture(`${name}.oldformat.keylog`), 'utf8') }]).sessions[0];
  const server = (message: string) => session.packets.find((p) => p.direction === 'server' && p.message?.name === message)!;
  const segments = segmentsOf(name);
  const newKeys = server('SSH_MSG_NEWKEYS');
  const extInfo = server('SSH_MSG_EXT_INFO');
  const i = segmentAt(segments, true, newKeys.stream.start);
  expect(segmentAt(segments, true, extInfo.stream.start)).toBe(i); // KEX_ECDH_REPLY, NEWKEYS and EXT_INFO travel in one segment
  const base = streamOffset(segments, segments[i]);
  const p = segments[i].payload;
  const ignore = Uint8Array.of(0, 0, 0, 20, 9, 2, 0, 0, 0, 5, ...new TextEncoder().encode('hello'), ...new Array(9).fill(0));
  const payload = Uint8Array.from([...p.subarray(0, newKeys.stream.start - base), ...ignore, ...p.subarray(newKeys.stream.start - base, extInfo.stream.start - base), ...p.subarray(extInfo.stream.end - base)]);
  const delta = payload.length - p.length;
  const spliced = segments.map((s, j) => (j === i ? { ...s, payload } : j < i ? s : fromServer(s) ? { ...s, seq: (s.seq + delta) >>> 0 } : { ...s, ack: (s.ack + delta) >>> 0 }));
  return writeCapture(`terrapin-${name}`, spliced);
}

describe.skipIf(!present)('the bad-input catalogue through sshlens decode', () => {
  const clean = present ? decode([fixture(`${NAME}.pcap`), '--keylog', KEYLOG]) : undefined!;

  it('(the undamaged capture decodes whole: exit 0, 35 messages)', () => {
    expect(clean.status).toBe(0);
    expect(messages(clean.stdout)).toHaveLength(35);
  });

  /** KEXINIT cookies of the reference session (RFC 4253 §7.1), as the key-log lines name them. */
  const cookie = (direction: 'client' | 'server') => toHex(packet(direction, 'SSH_MSG_KEXINIT').message!.value.cookie as Uint8Array);
  const noKeyLine = () => `no key-log line names this exchange's client cookie ${cookie('client')} or server cookie ${cookie('server')}: what follows its NEWKEYS cannot be decrypted`;
  const handshake = () => messages(clean.stdout).slice(0, messages(clean.stdout).indexOf('S→C SSH_MSG_NEWKEYS') + 1);

  it('no key log: exit 3, the handshake decoded, the missing key named by both cookies, the encrypted bytes counted per side', () => {
    const r = decode([fixture(`${NAME}.pcap`)]);
    expect(r.status).toBe(3);
    expect(r.stderr).toContain(`session 1, key exchange 1: ${noKeyLine()}`);
    for (const side of ['client', 'server'] as const) {
      const after = reference.packets.filter((p) => p.direction === side && p.epoch > 0);
      const bytes = after[after.length - 1].stream.end - after[0].stream.start;
      expect(r.stderr).toContain(`session 1: ${bytes} byte(s) the ${side} sent after its NEWKEYS could not be decrypted: the keys of key exchange 1 are not known (${noKeyLine()})`);
    }
    expect(messages(r.stdout).filter((m) => !m.endsWith('SSH_MSG_NEWKEYS'))).toEqual(handshake().filter((m) => !m.endsWith('SSH_MSG_NEWKEYS')));
    expect(r.stdout).toContain('strict kex off; host key not checked');
  });

  it('a key log of another session: exit 3, the same message as no key log (no line names this session)', () => {
    const r = decode([fixture(`${NAME}.pcap`), '--keylog', fixture('strict_c25519_chacha20.oldformat.keylog')]);
    expect(r.status).toBe(3);
    expect(r.stderr).toContain(`session 1, key exchange 1: ${noKeyLine()}`);
  });

  it('a wrong secret under the right cookie: exit 3, the host key signature over H does not verify, and the key log is blamed', () => {
    const [lineCookie, kind, secret] = readFileSync(fixture(`${NAME}.shared_secret.keylog`), 'utf8').trim().split(' ');
    const wrong = join(tmp, 'wrong.keylog');
    writeFileSync(wrong, `${lineCookie} ${kind} ${secret.slice(0, -1)}${secret.endsWith('0') ? '1' : '0'}\n`);
    const r = decode([fixture(`${NAME}.pcap`), '--keylog', wrong]);
    expect(r.status).toBe(3);
    expect(r.stderr).toContain('session 1, key exchange 1: the host key signature over H does not verify (the Ed25519 signature does not match): the key-log secret is probably wrong for this exchange');
    expect(r.stdout).toMatch(/host key ssh-ed25519 SHA256:\S+ NOT verified \(the Ed25519 signature does not match\)/);
  });

  it('a truncated capture (cut inside a record): exit 3, the frame and file offset named, every packet before the cut decoded', () => {
    const file = readFileSync(fixture(`${NAME}.pcap`));
    const cut = Math.floor(file.length * 0.6);
    let at = 24;
    let frame = 1;
    while (at + 16 + file.readUInt32LE(at + 8) <= cut) { at += 16 + file.readUInt32LE(at + 8); frame++; }
    writeFileSync(join(tmp, 'truncated.pcap'), file.subarray(0, cut));
    const r = decode([join(tmp, 'truncated.pcap'), '--keylog', KEYLOG]);
    expect(r.status).toBe(3);
    expect(r.stderr).toContain(`the file is truncated: frame ${frame} at file offset ${at} has ${cut - at - 16} of its ${file.readUInt32LE(at + 8)} captured bytes`);
    const before = reference.packets.filter((p) => Math.max(...p.frames) < frame);
    expect(messages(r.stdout)).toEqual(before.map((p) => `${p.direction === 'client' ? 'C→S' : 'S→C'} ${p.message!.name}`));
  });

  it('traffic that is not SSH (the same TCP connection carrying HTTP on port 80): exit 3, what was found and what to do', () => {
    const http = new TextEncoder().encode('GET / HTTP/1.1\r\nHost: example\r\n\r\n'.padEnd(2000, 'x'));
    const segments = segmentsOf().map((s) => ({
      ...s, sourcePort: fromServer(s) ? 80 : s.sourcePort, destinationPort: fromServer(s) ? s.destinationPort : 80, payload: http.subarray(0, s.payload.length),
    }));
    const r = decode([writeCapture('http', segments)]);
    expect(r.status).toBe(3);
    expect(r.stderr).toContain('no SSH found in this capture: 1 TCP connection, none starts with an SSH identification line. If the capture began after an SSH session had started, give its derived keys in a JSON key file (--keylog keys.json) to decode it.');
  });

  it('a MAC failure (one flipped bit in an encrypted CHANNEL_DATA): exit 3, that packet marked with its direction and sequence number, every other message decoded', () => {
    const segments = segmentsOf();
    const data = packet('server', 'SSH_MSG_CHANNEL_DATA');
    const i = segmentAt(segments, true, data.stream.start);
    const payload = segments[i].payload.slice();
    payload[data.stream.start - streamOffset(segments, segments[i]) + 16] ^= 0x01; // in the encrypted data bytes (after length, padding length, number, channel, string length)
    segments[i] = { ...segments[i], payload };
    const r = decode([writeCapture('mac', segments), '--keylog', KEYLOG]);
    expect(r.status).toBe(3);
    const number = reference.packets.filter((p) => p.direction === 'server').indexOf(data);
    expect(r.stdout).toMatch(new RegExp(`SSH_MSG_CHANNEL_DATA {2}${data.message!.summary} {2}\\[error: authentication tag mismatch on server->client packet #${number} \\(seq ${data.sequence}\\)\\]`));
    expect(r.stderr).toContain('1 packet(s) could not be fully decrypted, verified or decoded (see their "error")');
    expect(messages(r.stdout)).toEqual(messages(clean.stdout));
  });

  it('a capture beginning mid-session: without keys exit 3 and what to give; with a JSON key file of derived keys exit 0', () => {
    const corpus = buildCorpus([`${NAME}.pcap`, `${NAME}.oldformat.keylog`].map((name) => ({ name, bytes: new Uint8Array(readFileSync(fixture(name))) })));
    const [{ capture, keyFile }] = corpus.midSession;
    writeFileSync(join(tmp, 'mid.pcap'), capture);
    writeFileSync(join(tmp, 'mid-keys.json'), keyFile);
    const bare = decode([join(tmp, 'mid.pcap')]);
    expect(bare.status).toBe(3);
    expect(bare.stderr).toMatch(/no SSH found in this capture: 1 TCP connection, none starts with an SSH identification line\. If the capture began after an SSH session had started, give its derived keys in a JSON key file \(--keylog keys\.json\) to decode it\./);
    const keyed = decode([join(tmp, 'mid.pcap'), '--keylog', join(tmp, 'mid-keys.json')]);
    expect(keyed.status).toBe(0);
    expect(messages(keyed.stdout)).toEqual(messages(clean.stdout).slice(-messages(keyed.stdout).length));
    expect(keyed.stdout).toMatch(/SSH_MSG_CHANNEL_REQUEST\s+#0 exec "echo HELLO_WIRESHARK_TEST; uname -s"/);
    expect(keyed.stdout).toContain('  note: the capture begins after the key exchange: decoded with the derived keys of a key file');
  });

  it('lost segments (a gap in the middle of the server stream): exit 3, the missing bytes named, everything before the gap and the whole client side kept', () => {
    const segments = segmentsOf();
    const globalRequest = packet('server', 'SSH_MSG_GLOBAL_REQUEST');
    const lost = segmentAt(segments, true, globalRequest.stream.start);
    const length = segments[lost].payload.length;
    const r = decode([writeCapture('lost', segments.filter((_, i) => i !== lost)), '--keylog', KEYLOG]);
    expect(r.status).toBe(3);
    expect(r.stderr).toContain(`session 1: ${length} byte(s) of the server's stream at offset ${globalRequest.stream.start} are missing from the capture (lost segments); the server's packets after them cannot be framed`);
    const got = messages(r.stdout);
    const before = reference.packets.filter((p) => p.direction === 'client' || p.stream.end <= globalRequest.stream.start);
    expect(got).toEqual(before.map((p) => `${p.direction === 'client' ? 'C→S' : 'S→C'} ${p.message!.name}`));
    expect(got).toContain('C→S SSH_MSG_DISCONNECT');
    // The server's OPEN_CONFIRMATION was in the lost bytes: the client's requests name a channel the server did
    // confirm, and are kept on the client's channel (before: "... names channel 0, which the server has not opened").
    expect(r.stderr).toContain(`session 1: SSH_MSG_CHANNEL_REQUEST names channel 0 of the server, whose OPEN_CONFIRMATION was probably in the ${length} byte(s) lost from the server's stream at offset ${globalRequest.stream.start} or in what could not be framed after them, not missing from the session; taken to be the client's channel 0 ("session"), the only one the server had not confirmed`);
    expect(r.stderr).not.toMatch(/never opened|has not opened/);
    expect(r.stdout).toContain('  channel session (client #0, server #0): env, pty-req, exec\n');
  });

  it("lost segments carrying the client's CHANNEL_OPEN: exit 3, the opening said to be in the lost bytes (not \"never opened\"), and the server's side of the channel kept: output, exit status", () => {
    const segments = segmentsOf();
    const open = packet('client', 'SSH_MSG_CHANNEL_OPEN');
    const lost = segmentAt(segments, false, open.stream.start);
    const at = streamOffset(segments, segments[lost]);
    const length = segments[lost].payload.length;
    const r = decode([writeCapture('lost-open', segments.filter((_, i) => i !== lost)), '--keylog', KEYLOG]);
    expect(r.status).toBe(3);
    expect(r.stderr).toContain(`session 1: ${length} byte(s) of the client's stream at offset ${at} are missing from the capture (lost segments); the client's packets after them cannot be framed`);
    expect(r.stderr).toContain(`session 1: SSH_MSG_CHANNEL_OPEN_CONFIRMATION names channel 0 of the client, whose CHANNEL_OPEN was probably in the ${length} byte(s) lost from the client's stream at offset ${at} or in what could not be framed after them, not missing from the session; the channel is followed from here, its type and flow-control windows unknown`);
    expect(r.stderr).not.toMatch(/never opened|has not opened/);
    expect(r.stdout).toContain('  channel (opening lost) (client #0, server #0): exit-status; exit status 0\n');
    expect(messages(r.stdout).filter((m) => m.startsWith('S→C'))).toEqual(messages(clean.stdout).filter((m) => m.startsWith('S→C')));
  });

  it('a retransmission carrying different bytes: exit 3, the frame named, the first copy kept and every message decoded', () => {
    const segments = segmentsOf();
    const target = segmentAt(segments, true, packet('server', 'SSH_MSG_REQUEST_SUCCESS').stream.start);
    const forged = { ...segments[target], payload: segments[target].payload.slice() };
    forged.payload[50] ^= 0xff;
    const withForgery = [...segments.slice(0, target + 3), forged, ...segments.slice(target + 3)];
    const r = decode([writeCapture('retransmission', withForgery), '--keylog', KEYLOG]);
    expect(r.status).toBe(3);
    const at = streamOffset(segments, forged);
    expect(r.stderr).toContain(`frame ${target + 4}: TCP retransmission of server stream bytes ${at}..${at + forged.payload.length} carries different bytes (from byte ${at + 50}) than were delivered before; the first copy is kept`);
    expect(messages(r.stdout)).toEqual(messages(clean.stdout));
    expect(r.stdout).not.toContain('[error');
  });

  it('a packet_length of 4 GiB: exit 3, refused before anything is allocated, the other direction kept', () => {
    const segments = segmentsOf();
    const kexInit = packet('server', 'SSH_MSG_KEXINIT');
    const i = segmentAt(segments, true, kexInit.stream.start);
    const payload = segments[i].payload.slice();
    new DataView(payload.buffer).setUint32(kexInit.stream.start - streamOffset(segments, segments[i]), 0xffffffff);
    segments[i] = { ...segments[i], payload };
    const r = decode([writeCapture('4gib', segments), '--keylog', KEYLOG]);
    expect(r.status).toBe(3);
    expect(r.stderr).toContain(`session 1: server->client packet #0 (seq 0) at stream offset ${kexInit.stream.start}: packet_length 4294967295 exceeds the 256 KiB limit`);
    expect(r.stderr).toMatch(/byte\(s\) the client sent after its NEWKEYS could not be decrypted: the keys of key exchange 1 are not known/);
    // Without the server's KEXINIT no kex method is known, so message 30 stays a number (RFC 4251 §7: 30..49 depend on it).
    expect(messages(r.stdout)).toEqual(['C→S SSH_MSG_KEXINIT', 'C→S unknown (30)', 'C→S SSH_MSG_NEWKEYS']);
  });

  for (const padding of [0, 3]) {
    it(`padding_length ${padding} (RFC 4253 §6 wants at least 4): exit 3, that packet marked, the session decoded`, () => {
      const segments = segmentsOf();
      const newKeys = packet('client', 'SSH_MSG_NEWKEYS');
      const i = segmentAt(segments, false, newKeys.stream.start);
      const payload = segments[i].payload.slice();
      payload[newKeys.stream.start - streamOffset(segments, segments[i]) + 4] = padding;
      segments[i] = { ...segments[i], payload };
      const r = decode([writeCapture(`padding-${padding}`, segments), '--keylog', KEYLOG]);
      expect(r.status).toBe(3);
      const extra = newKeys.layout!.padding.end - newKeys.layout!.padding.start - padding;
      const number = reference.packets.filter((p) => p.direction === 'client').indexOf(newKeys);
      expect(r.stdout).toContain(`SSH_MSG_NEWKEYS  [error: client->server packet #${number} (seq ${newKeys.sequence}): only ${padding} byte(s) of padding; RFC 4253 §6 requires at least 4; ${extra} unexpected byte(s) after the last field (at byte 1)]`);
      expect(r.stderr).toContain('1 packet(s) could not be fully decrypted, verified or decoded');
      expect(messages(r.stdout)).toEqual(messages(clean.stdout));
      expect(r.stdout).toMatch(/exit status 0/);
    });
  }

  it('an IGNORE injected before the server\'s NEWKEYS and its EXT_INFO deleted, without strict kex (Terrapin): exit 3, flagged, everything else decoded', () => {
    const r = decode([terrapinSplice(NAME), '--keylog', KEYLOG]);
    expect(r.status).toBe(3);
    expect(r.stderr).toContain('session 1: message 2 arrived from the server during the initial key exchange without strict kex: this is what a Terrapin-style prefix-truncation attack injects (CVE-2023-48795); it shifts the sequence numbers of every later packet');
    const expected = messages(clean.stdout).filter((m) => m !== 'S→C SSH_MSG_EXT_INFO');
    expected.splice(expected.indexOf('S→C SSH_MSG_NEWKEYS'), 0, 'S→C SSH_MSG_IGNORE');
    expect(messages(r.stdout)).toEqual(expected);
    expect(r.stdout).not.toContain('[error');
  });

  it('the same splice under strict kex: exit 3, the forbidden message named, and the server\'s packets after NEWKEYS no longer decrypt (the attack fails)', () => {
    const name = 'strict_c25519_chacha20';
    const r = decode([terrapinSplice(name), '--keylog', fixture(`${name}.oldformat.keylog`)]);
    expect(r.status).toBe(3);
    expect(r.stderr).toContain('session 1: strict kex forbids message 2 before the first NEWKEYS (draft-miller-sshm-strict-kex): a peer must disconnect here');
    // Strict kex restarts the sequence number at NEWKEYS: the packet after the deleted EXT_INFO is read with seq 0, not 1.
    expect(r.stderr).toMatch(/server->client packet #\d+ \(seq 0\) at stream offset \d+: packet_length \d+ exceeds the 256 KiB limit - the length was decrypted, so the keys are probably wrong or the stream is out of step/);
    expect(messages(r.stdout).filter((m) => m.startsWith('S→C'))).toEqual(['S→C SSH_MSG_KEXINIT', 'S→C SSH_MSG_KEX_ECDH_REPLY', 'S→C SSH_MSG_IGNORE', 'S→C SSH_MSG_NEWKEYS']);
    expect(messages(r.stdout)).toContain('C→S SSH_MSG_DISCONNECT');
  });

  it('2000 sessions in one file (the real connection repeated with other client ports, 40 at a time interleaved): every session decoded and numbered, memory bounded', () => {
    const segments = segmentsOf();
    const clientPort = segments.find((s) => !fromServer(s))!.sourcePort;
    const sessions = 2000;
    const together = 40;
    const frames: OracleSegment[] = [];
    for (let first = 0; first < sessions; first += together) {
      for (const s of segments) {
        for (let c = first; c < first + together; c++) {
          const port = 10000 + c;
          frames.push({ ...s, sourcePort: fromServer(s) ? s.sourcePort : port, destinationPort: fromServer(s) ? port : s.destinationPort });
        }
      }
    }
    const path = writeCapture('many', frames);
    const started = Date.now();
    // Text output keeps no packets (keepPackets: false): a small heap must do for any number of sessions.
    const r = decode([path, '--keylog', KEYLOG], ['--max-old-space-size=160']);
    const seconds = (Date.now() - started) / 1000;
    expect(r.status).toBe(0);
    const summaries = [...r.stdout.matchAll(/^Session (\d+) summary: 127\.0\.0\.1:(\d+) -> 127\.0\.0\.1:2222$/gm)];
    // Sessions are numbered 1..2000 in the order they start (all were numbered 1 before the fix in capture-decoder.ts).
    expect(summaries.map((m) => Number(m[1])).sort((a, b) => a - b)).toEqual(Array.from({ length: sessions }, (_, i) => i + 1));
    expect(new Set(summaries.map((m) => m[2])).size).toBe(sessions);
    expect(r.stdout.match(/exit status 0/g)).toHaveLength(sessions);
    expect(seconds).toBeLessThan(600);
    console.log(`2000 sessions (${(readFileSync(path).length / 1048576).toFixed(1)} MiB): decoded in ${seconds.toFixed(1)} s with a 160 MiB heap limit`);
  }, 900_000);
});
