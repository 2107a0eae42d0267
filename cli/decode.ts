/**
 * `sshlens decode CAPTURE [--keylog FILE]... [--json] [-v]`: decrypts and decodes every SSH session of a pcap or
 * pcapng capture (gzip too) with Wireshark-style key logs, key logs inside the pcapng, or a JSON file of derived keys.
 * Exit status: 0 everything decoded; 3 decoded with problems (each in its message's error and summarised on stderr);
 * 2 bad usage; 4 not a capture or unreadable. Never a stack trace.
 */
import { closeSync, createReadStream, fstatSync, openSync, readFileSync, readSync, writeFileSync } from 'node:fs';
import { createGunzip } from 'node:zlib';
import { CaptureDecoder } from '../engine/decoder/capture-decoder.ts';
import { KeyStore } from '../engine/decoder/key-store.ts';
import { inert } from '../engine/decoder/summary.ts';
import { SshlensError } from '../engine/errors.ts';
import { packetError, traceToDecodeJson } from '../engine/trace/decode-json.ts';
import { traceToJson } from '../engine/trace/json.ts';
import type { PacketRecord, Problem, SessionRecord, Timestamp } from '../engine/trace/model.ts';
import type { FieldNode } from '../engine/messages/index.ts';
import { parseArgs, UsageError } from './args.ts';
import { installNodeCrypto } from './node-crypto.ts';
import type { Command } from './commands.ts';

const CHUNK = 1 << 20;

export const decodeCommand: Command = {
  name: 'decode',
  summary: 'decrypt and decode the SSH sessions of a pcap/pcapng capture',
  help: [
    'Usage: sshlens decode CAPTURE [--keylog FILE]... [--json] [-v]',
    '',
    'Decrypts, verifies and decodes every SSH session in CAPTURE (pcap, pcapng, or either gzip-compressed).',
    '',
    '  --keylog FILE  a key log: Wireshark\'s SSH key log forms (<cookie> <key>, <cookie> PRIVATE_KEY <key>,',
    '                 <cookie> SHARED_SECRET <K>), or a JSON file of derived keys for captures that begin',
    '                 after the key exchange. Repeatable. Keys inside a pcapng (Decryption Secrets Block) are',
    '                 used without this option.',
    '  --json         one JSON document on stdout instead of text',
    '  --trace FILE   also write the full trace (every layer, byte and field) as JSON, for the analyzer to open',
    '  -v, --verbose  text: every field of every message',
    '',
    'Exit status: 0 all decoded, 3 decoded with problems, 2 bad usage, 4 not a capture or unreadable.',
  ].join('\n'),
  run: runDecode,
};

async function runDecode(args: string[]): Promise<number> {
  const { options, positional } = parseArgs(args, [
    { name: 'keylog', value: true, repeatable: true },
    { name: 'json' },
    { name: 'trace', value: true },
    { name: 'verbose', short: 'v' },
  ]);
  if (positional.length !== 1) throw new UsageError('give exactly one capture file (see sshlens decode --help)');
  const [capturePath] = positional;
  const json = options.json === true;
  const traceFile = typeof options.trace === 'string' ? options.trace : undefined;
  const keepAll = json || traceFile !== undefined;
  const verbose = options.verbose === true;
  installNodeCrypto();

  const keys = new KeyStore();
  for (const file of (options.keylog as string[] | undefined) ?? []) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      return fail(`cannot read key log ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    }
    try {
      keys.addFile(text, file);
    } catch (error) {
      if (error instanceof SshlensError) return fail(`${file}: ${error.message}`);
      throw error;
    }
  }

  let fd: number;
  try {
    fd = openSync(capturePath, 'r');
  } catch (error) {
    return fail(`cannot read ${capturePath}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  const size = fstatSync(fd).size;
  const progress = process.stderr.isTTY && size > 32 * CHUNK ? progressBar(size) : undefined;
  const printer = json ? undefined : new TextPrinter(verbose, keepAll);
  const decoder = new CaptureDecoder(keys, { kind: 'capture', name: capturePath, keySources: (options.keylog as string[]) ?? [] }, printer ?? {}, {
    keepPackets: keepAll, keepBytes: traceFile !== undefined, keepChannelData: keepAll, ...(progress ? { progress } : {}),
  });
  try {
    for await (const chunk of captureChunks(fd, capturePath)) decoder.push(chunk);
  } catch (error) {
    if (error instanceof SshlensError && decoder.trace.sessions.length === 0 && !printer?.printedAny) {
      progress?.(-1);
      return fail(`${capturePath}: ${error.message}`);
    }
    if (!(error instanceof SshlensError)) throw error;
    decoder.trace.problems.push({ code: error.code, severity: 'error', message: error.message });
  } finally {
    closeSync(fd);
  }
  const trace = decoder.finish();
  progress?.(-1);
  printer?.flush();
  keys.problems.forEach((p) => trace.problems.push(p));

  const problems: string[] = [];
  for (const p of trace.problems) if (p.severity !== 'info') problems.push(p.message);
  const sessions = keepAll ? trace.sessions : printer!.sessions;
  for (const s of sessions) {
    for (const p of s.problems) if (p.severity !== 'info') problems.push(`session ${s.id + 1}: ${p.message}`);
    for (const k of s.kex) for (const p of k.problems) if (p.severity !== 'info') problems.push(`session ${s.id + 1}, key exchange ${k.index + 1}: ${p.message}`);
  }
  const packetProblems = keepAll ? trace.sessions.reduce((n, s) => n + s.packets.filter((p) => packetError(p)).length, 0) : printer!.packetErrors;
  if (traceFile) {
    try {
      writeFileSync(traceFile, traceToJson(trace));
    } catch (error) {
      return fail(`cannot write the trace to ${traceFile}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    }
  }
  if (json) process.stdout.write(JSON.stringify(traceToDecodeJson(trace), null, 1) + '\n');
  else printer!.finish(trace.problems);
  if (packetProblems > 0) problems.push(`${packetProblems} packet(s) could not be fully decrypted, verified or decoded (see their "error")`);
  if (problems.length === 0) return 0;
  const shown = [...new Set(problems)];
  process.stderr.write(`sshlens decode: ${shown.length} problem(s):\n${shown.slice(0, 20).map((p) => `  - ${inert(p, 400)}`).join('\n')}\n`);
  if (shown.length > 20) process.stderr.write(`  ... and ${shown.length - 20} more\n`);
  return 3;
}

/**
 * The capture's bytes in chunks the decoder may keep views into (never reused). gzip files are inflated here by
 * node:zlib, several times faster than the portable inflate the engine falls back to.
 */
async function* captureChunks(fd: number, path: string): AsyncGenerator<Uint8Array> {
  const head = new Uint8Array(2);
  const gzip = readSync(fd, head, 0, 2, 0) === 2 && head[0] === 0x1f && head[1] === 0x8b;
  if (gzip) {
    const inflated = createReadStream(path, { fd, autoClose: false, start: 0 }).pipe(createGunzip());
    try {
      for await (const chunk of inflated) yield new Uint8Array((chunk as Buffer).buffer, (chunk as Buffer).byteOffset, (chunk as Buffer).length);
    } catch (error) {
      throw new SshlensError('bad-gzip', `the gzip compression of ${path} is damaged after the bytes decoded so far (${(error as Error).message})`);
    }
    return;
  }
  for (;;) {
    // Not zero-filled first (readSync overwrites it), and a plain Uint8Array like every other array the engine sees.
    const chunk = new Uint8Array(Buffer.allocUnsafeSlow(CHUNK).buffer, 0, CHUNK);
    const n = readSync(fd, chunk, 0, CHUNK, null);
    if (n === 0) return;
    yield n === CHUNK ? chunk : chunk.subarray(0, n);
  }
}

function fail(message: string): number {
  process.stderr.write(`sshlens decode: ${message}\n`);
  return 4;
}

const arrow = (p: PacketRecord) => (p.direction === 'client' ? 'C→S' : 'S→C');

class TextPrinter {
  readonly sessions: SessionRecord[] = [];
  printedAny = false;
  packetErrors = 0;
  private t0: Timestamp | undefined;
  /** Sessions whose identification lines were shown: 2 * id for the client's, 2 * id + 1 for the server's. */
  private readonly versionsShown = new Set<number>();

  constructor(
    private readonly verbose: boolean,
    /** The decoder keeps the sessions itself (for --trace): do not count them twice. */
    private readonly decoderKeepsSessions: boolean,
  ) {}

  session(s: SessionRecord): void {
    if (!this.decoderKeepsSessions) this.sessions.push(s);
    this.line(`Session ${s.id + 1}: ${s.client.address}:${s.client.port} -> ${s.server.address}:${s.server.port}`);
  }

  packet(s: SessionRecord, p: PacketRecord): void {
    this.showVersions(s);
    if (p.time && !this.t0) this.t0 = p.time;
    const time = p.time && this.t0 ? (p.time.seconds - this.t0.seconds + (p.time.nanoseconds - this.t0.nanoseconds) / 1e9).toFixed(6) : '';
    const name = p.message ? (p.message.name === 'unknown' ? `unknown (${p.message.number})` : p.message.name) : '(not decrypted)';
    const error = packetError(p);
    if (error) this.packetErrors++;
    this.line(`${String(s.id + 1).padStart(3)} ${time.padStart(11)} ${arrow(p)} ${String(p.sequence).padStart(6)}  ${name}${p.message?.summary ? '  ' + p.message.summary : ''}${error ? `  [error: ${inert(error, 200)}]` : ''}`);
    if (this.verbose && p.message) this.fields(p.message.fields, '        ');
  }

  kex(): void {}

  sessionEnd(s: SessionRecord): void {
    this.showVersions(s);
    const lines = [`Session ${s.id + 1} summary: ${s.client.address}:${s.client.port} -> ${s.server.address}:${s.server.port}`];
    for (const k of s.kex) {
      const a = k.algorithms;
      lines.push(`  key exchange ${k.index + 1}: ${a ? `${a.kex}, host key ${a.hostKey}, ${a.cipherClientToServer}${a.macClientToServer ? ` + ${a.macClientToServer}` : ''}, compression ${a.compressionClientToServer}` : 'not negotiated'}; strict kex ${k.strict ? 'on' : 'off'}; host key ${k.hostKey ? `${k.hostKey.keyType} ${k.hostKey.fingerprint} ${k.hostKey.verified ? 'verified' : `NOT verified (${k.hostKey.reason})`}` : 'not checked'}`);
    }
    for (const c of s.channels) {
      const requests = c.requests.map((r) => r.request).join(', ');
      lines.push(`  channel ${c.type} (client #${c.clientId ?? '-'}, server #${c.serverId ?? '-'}): ${requests || 'no requests'}${c.exitStatus === null ? '' : `; exit status ${c.exitStatus}`}`);
    }
    for (const p of s.problems) if (p.severity === 'info') lines.push(`  note: ${inert(p.message, 400)}`);
    this.line(lines.join('\n'));
  }

  finish(problems: Problem[]): void {
    if (this.sessions.length === 0) this.line(problems.find((p) => p.code === 'no-ssh')?.message ?? 'no SSH session found in this capture');
    this.flush();
  }

  private showVersions(s: SessionRecord): void {
    for (const side of ['client', 'server'] as const) {
      const id = s.identification[side];
      const key = 2 * s.id + (side === 'client' ? 0 : 1);
      if (id && !this.versionsShown.has(key)) {
        this.versionsShown.add(key);
        this.line(`${String(s.id + 1).padStart(3)} ${' '.repeat(11)} ${side === 'client' ? 'C→S' : 'S→C'}         identification  ${inert(id.line, 255)}`);
      }
    }
  }

  private fields(nodes: FieldNode[], indent: string): void {
    for (const node of nodes) {
      if (node.children?.length) {
        this.line(`${indent}${node.name}:`);
        this.fields(node.children, indent + '  ');
      } else {
        this.line(`${indent}${node.name} = ${show(node.value)}${node.valueName ? ` (${node.valueName})` : ''}`);
      }
    }
  }

  private readonly output = new Output();

  private line(text: string): void {
    this.printedAny = true;
    this.output.line(text);
  }

  flush(): void {
    this.output.flush();
  }
}

/** node's native UTF-8 encoder behind Buffer#write, without the wrapper's argument handling (once per line). */
const utf8Write = (Buffer.prototype as unknown as { utf8Write?: (this: Buffer, text: string, offset: number) => number }).utf8Write;

/**
 * stdout gathered as UTF-8 in pieces of 64 KiB: one write per line costs more than decoding the line, and joining
 * thousands of strings costs more than copying each into bytes once.
 */
class Output {
  private static readonly SIZE = 1 << 16;
  private buffer = Buffer.allocUnsafe(Output.SIZE);
  private at = 0;

  line(text: string): void {
    // At most 3 UTF-8 bytes per UTF-16 unit, plus the newline.
    if (this.at + text.length * 3 + 1 > this.buffer.length) {
      this.flush();
      if (text.length * 3 + 1 > this.buffer.length) {
        process.stdout.write(text + '\n');
        return;
      }
    }
    this.at += utf8Write ? utf8Write.call(this.buffer, text, this.at) : this.buffer.write(text, this.at);
    this.buffer[this.at++] = 0x0a;
  }

  flush(): void {
    if (this.at === 0) return;
    // A pipe's write may finish later: the written piece is never reused.
    process.stdout.write(this.buffer.subarray(0, this.at));
    this.buffer = Buffer.allocUnsafe(Output.SIZE);
    this.at = 0;
  }
}

/**
 * Lower-case hex through node's native Buffer code (the -v output shows every byte field), called on the Uint8Array
 * itself: wrapping each field in a Buffer first costs ~3x as much before V8 has optimised the printer.
 */
const hexSlice = (Buffer.prototype as unknown as { hexSlice?: (this: Uint8Array, start: number, end: number) => string }).hexSlice;
const hex = hexSlice
  ? (bytes: Uint8Array, end = bytes.length) => hexSlice.call(bytes, 0, end)
  : (bytes: Uint8Array, end = bytes.length) => Buffer.from(bytes.buffer, bytes.byteOffset, end).toString('hex');

/** The last big integer shown in decimal: a capture of many sessions with one server shows the same RSA n in each. */
let lastBig: { value: bigint; text: string } | undefined;

function show(value: unknown): string {
  if (value instanceof Uint8Array) return value.length > 64 ? `${hex(value, 64)}… (${value.length} bytes)` : hex(value) || '(empty)';
  if (typeof value === 'string') return `"${inert(value, 200)}"`;
  if (Array.isArray(value)) return inert(value.join(','), 200);
  if (typeof value === 'bigint') {
    if (lastBig?.value !== value) lastBig = { value, text: value.toString() };
    return lastBig.text;
  }
  return String(value);
}

function progressBar(total: number): (bytes: number) => void {
  let last = 0;
  return (bytes: number) => {
    if (bytes < 0) {
      process.stderr.write('\r\x1b[K');
      return;
    }
    const now = Date.now();
    if (now - last < 100) return;
    last = now;
    const fraction = Math.min(1, bytes / total);
    const width = 30;
    const filled = Math.round(fraction * width);
    process.stderr.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(fraction * 100).toFixed(0)}% ${(bytes / 1048576).toFixed(0)} MiB`);
  };
}
