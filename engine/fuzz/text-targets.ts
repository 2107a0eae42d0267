/**
 * @module fuzz/text-targets
 * Fuzz targets for what is decoded from text or from a single payload: every message decoder (decodeMessage in every
 * context, public key and signature blobs), key logs (parseKeyLog, KeyLog, KeyStore), JSON key files (parseKeyFile,
 * then a decode that uses the keys), and trace JSON import (traceFromJson). Beyond the shared invariant: a decoded
 * message's field leaves cover its payload exactly once, in order (messages never throw), and key-log entries have
 * a 16-byte cookie and a value.
 */
import fc from 'fast-check';
import { decodeCapture } from '../decoder/capture-decoder.ts';
import { KeyStore } from '../decoder/key-store.ts';
import { KEX_METHODS } from '../kex/methods.ts';
import { KeyLog, parseKeyLog } from '../keys/keylog.ts';
import { decodeMessage, decodePublicKeyBlob, decodeSignatureBlob, encodeMessage, messageCatalog, type FieldNode, type MessageContext } from '../messages/index.ts';
import { layoutArb } from '../messages/arbitrary.test-support.ts';
import { traceToDecodeJson } from '../trace/decode-json.ts';
import { traceFromJson, traceToJson } from '../trace/json.ts';
import { toHex } from '../wire/index.ts';
import { mutate } from './mutate.ts';
import type { FuzzRandom } from './random.ts';
import { check, defineTarget, sampleOne } from './target.ts';

const utf8 = new TextEncoder();
const fromUtf8 = new TextDecoder();

// ---- messages ----

const CONTEXTS: MessageContext[] = [
  {}, ...['dh', 'gex', 'ecdh', 'hybrid', 'hybrid-nistp256', 'hybrid-nistp384', 'gss', 'gss-ecdh'].map((kex) => ({ kex })), ...KEX_METHODS.map((m) => ({ kex: m.name })),
  ...['publickey', 'publickey-hostbound-v00@openssh.com', 'password', 'keyboard-interactive', 'gssapi-with-mic', 'hostbased', 'none'].map((auth) => ({ auth })),
  ...['tcpip-forward', 'hostkeys-prove-00@openssh.com', 'streamlocal-forward@openssh.com', 'other'].map((globalRequest) => ({ globalRequest })),
  { kex: 'curve25519-sha256', auth: 'publickey', globalRequest: 'tcpip-forward' },
];

export interface MessageInput {
  kind: 'message' | 'public-key' | 'signature';
  payload: Uint8Array;
  context: MessageContext;
  base: number;
}

function leaves(nodes: FieldNode[], out: FieldNode[] = []): FieldNode[] {
  for (const n of nodes) n.children ? leaves(n.children, out) : out.push(n);
  return out;
}

export const messagesTarget = defineTarget<MessageInput>({
  name: 'messages',
  about: 'decodeMessage in every kex/auth/global-request context, and key/signature blobs: mutated real payloads, valid generated messages with a change, random bytes',
  generate(corpus, random) {
    const context = random.pick(CONTEXTS);
    const kind = random.chance(0.9) ? 'message' : random.chance(0.5) ? 'public-key' : 'signature';
    const way = random.below(3);
    let payload: Uint8Array;
    let steps: string[];
    if (way === 0 && corpus.payloads.length) {
      ({ bytes: payload, steps } = mutate(random.pick(corpus.payloads), random, { maxMutations: 3 }));
      steps.unshift('a real payload');
    } else if (way === 1) {
      const entry = random.pick(messageCatalog);
      const value = sampleOne(layoutArb(entry.layout), random);
      const valid = encodeMessage(entry.name, value, { ...entry.context });
      ({ bytes: payload, steps } = random.chance(0.2) ? { bytes: valid, steps: [] } : mutate(valid, random, { maxMutations: 2 }));
      steps.unshift(`a generated ${entry.name}`);
    } else {
      payload = random.bytes(random.below(300));
      if (payload.length) payload[0] = random.pick(messageCatalog).number;
      steps = ['random bytes after a known message number'];
    }
    if (kind !== 'message') payload = payload.subarray(Math.min(1, payload.length));
    return { input: { kind, payload, context, base: random.below(100) }, steps: [...steps, `as ${kind} in context ${JSON.stringify(context)}`] };
  },
  run({ kind, payload, context, base }) {
    const decoded = kind === 'message' ? decodeMessage(payload, context, base) : kind === 'public-key' ? decodePublicKeyBlob(payload, base) : decodeSignatureBlob(payload, base);
    let at = base;
    for (const leaf of leaves(decoded.fields)) {
      check(leaf.span.start === at && leaf.span.end >= leaf.span.start, `field ${leaf.path} spans ${leaf.span.start}..${leaf.span.end}, expected to start at ${at}`);
      at = leaf.span.end;
    }
    check(at === base + payload.length, `the fields end at ${at}, the payload at ${base + payload.length}`);
  },
  save: (input) => ({ bytes: input.payload, extension: `${input.kind}.bin` }),
  size: (input) => input.payload.length,
});

// ---- key logs ----

const hexArb = (min: number, max: number) => fc.uint8Array({ minLength: min, maxLength: max }).map(toHex);
const keyLogLineArb = fc.oneof(
  fc.tuple(hexArb(16, 16), fc.constantFrom('', 'PRIVATE_KEY', 'SHARED_SECRET', 'private_key', 'X'), fc.oneof(hexArb(0, 80), fc.string({ maxLength: 20 }))).map(([c, t, v]) => [c, t, v].filter(Boolean).join(' ')),
  fc.tuple(fc.oneof(hexArb(0, 20), fc.string({ maxLength: 40 })), fc.string({ maxLength: 40 })).map(([a, b]) => `${a} ${b}`),
  fc.string({ maxLength: 100 }),
  fc.constantFrom('#comment', '', '   ', '\t\t', '\uFEFF', '\u0000'),
);
const keyLogArb = fc.tuple(fc.array(keyLogLineArb, { maxLength: 20 }), fc.constantFrom('\n', '\r\n', '\r', ' \n')).map(([lines, eol]) => lines.join(eol));

export interface KeyLogInput {
  text: string;
  /** Parse the UTF-8 bytes rather than the string (bytes need not be valid UTF-8). */
  bytes?: Uint8Array;
}

export const keyLogTarget = defineTarget<KeyLogInput>({
  name: 'keylog',
  about: 'parseKeyLog, KeyLog.add and KeyStore look-ups: mutated real key logs (as bytes) and generated lines',
  generate(corpus, random) {
    if (random.chance(0.5) && corpus.keyLogs.length) {
      const { bytes, steps } = mutate(utf8.encode(random.pick(corpus.keyLogs)), random);
      return { input: { text: fromUtf8.decode(bytes), bytes }, steps: ['a real key log', ...steps] };
    }
    return { input: { text: sampleOne(keyLogArb, random) }, steps: ['generated lines'] };
  },
  run(input) {
    const { entries, problems } = parseKeyLog(input.bytes ?? input.text, 'fuzz.keylog');
    for (const e of entries) check(e.cookie.length === 16 && e.value.length > 0, `entry on line ${e.source.line}: cookie of ${e.cookie.length} bytes, value of ${e.value.length}`);
    for (const p of problems) check(p.line >= 1 && p.message.length > 0, 'a problem without a line or message');
    const log = new KeyLog();
    log.add(input.text, 'fuzz.keylog');
    const store = new KeyStore();
    store.addKeyLog(input.text, 'fuzz.keylog');
    for (const e of entries) check(store.byCookie(e.cookieHex).length > 0, `cookie ${e.cookieHex} parsed but not found`);
  },
  save: (input) => ({ bytes: input.bytes ?? utf8.encode(input.text), extension: 'keylog' }),
  size: (input) => (input.bytes ?? utf8.encode(input.text)).length,
});

// ---- JSON: structural mutations ----

const JSON_VALUES: unknown[] = [
  null, true, false, 0, -1, 1.5, 2 ** 31, 2 ** 32 - 1, 2 ** 32, 2 ** 53, 1e308, -0, '', 'x', 'zz', '00', 'ff'.repeat(64), '0'.repeat(3000),
  {}, [], [1], { $bytes: '!!' }, { $bytes: 'AAAA' }, { $bigint: '-5' }, { $bigint: '1e3' },
  'aes256-ctr', 'aes128-gcm@openssh.com', 'chacha20-poly1305@openssh.com', '3des-cbc', 'none', 'no-such-cipher', 'zlib@openssh.com', 'zlib', 'hmac-sha2-256', 'umac-64@openssh.com', 'hmac-sha1-96',
  '127.0.0.1:2222', '[::1]:22', 'host:99999', ':', 'client', 'server',
];

/** Every path into a JSON value (up to `limit`), as arrays of keys. */
function jsonPaths(value: unknown, limit = 20000): (string | number)[][] {
  const out: (string | number)[][] = [];
  const walk = (v: unknown, path: (string | number)[]) => {
    if (out.length >= limit) return;
    out.push(path);
    if (Array.isArray(v)) v.forEach((x, i) => walk(x, [...path, i]));
    else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, [...path, k]);
  };
  walk(value, []);
  return out;
}

const parsedCache = new Map<string, { value: unknown; paths: (string | number)[][] }>();

/** The text with one value replaced, deleted or duplicated (the cached parse is restored afterwards). */
function mutateJson(text: string, random: FuzzRandom): { text: string; steps: string[] } {
  let cached = parsedCache.get(text);
  if (!cached) {
    const value = JSON.parse(text);
    cached = { value, paths: jsonPaths(value) };
    parsedCache.set(text, cached);
  }
  const path = cached.paths.length > 1 ? cached.paths[1 + random.below(cached.paths.length - 1)] : undefined;
  if (!path || path.length === 0) return { text: JSON.stringify(random.pick(JSON_VALUES)), steps: ['the whole document replaced'] };
  let parent = cached.value as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
  const key = path[path.length - 1];
  const old = parent[key];
  const how = random.below(4);
  const replacement = how === 0 && old !== null && typeof old !== 'object' ? (typeof old === 'number' ? old + random.between(-2, 2) : typeof old === 'string' ? old.slice(0, random.below(old.length + 1)) : !old) : random.pick(JSON_VALUES);
  let out: string;
  if (how === 3 && !Array.isArray(parent)) {
    delete parent[key];
    out = JSON.stringify(cached.value);
    parent[key] = old;
  } else {
    parent[key] = replacement;
    out = JSON.stringify(cached.value);
    parent[key] = old;
  }
  return { text: out, steps: [`${how === 3 && !Array.isArray(parent) ? 'delete' : 'replace'} $${path.map((k) => (typeof k === 'number' ? `[${k}]` : `.${k}`)).join('')}${how === 3 ? '' : ` with ${JSON.stringify(replacement)?.slice(0, 60)}`}`] };
}

function mutateText(text: string, random: FuzzRandom): { text: string; steps: string[] } {
  if (random.chance(0.75)) {
    const first = mutateJson(text, random);
    if (random.chance(0.2)) {
      const second = mutateJson(first.text, random);
      parsedCache.delete(first.text);
      return { text: second.text, steps: [...first.steps, ...second.steps] };
    }
    return first;
  }
  const { bytes, steps } = mutate(utf8.encode(text), random, { maxMutations: 2 });
  return { text: fromUtf8.decode(bytes), steps };
}

export interface KeyFileInput {
  keyFile: string;
  capture: Uint8Array;
}

export const keyFileTarget = defineTarget<KeyFileInput>({
  name: 'keyfile',
  about: 'JSON key files of derived keys (parseKeyFile) with values replaced, deleted or mangled, then a mid-session decode that uses them',
  generate(corpus, random) {
    const seed = random.pick(corpus.midSession);
    const { text, steps } = mutateText(seed.keyFile, random);
    return { input: { keyFile: text, capture: seed.capture }, steps };
  },
  run(input) {
    traceToDecodeJson(decodeCapture(input.capture, [{ name: 'keys.json', text: input.keyFile }]));
  },
  save: (input) => ({ bytes: utf8.encode(input.keyFile), extension: 'keys.json' }),
  size: (input) => input.keyFile.length + input.capture.length,
});

export const traceJsonTarget = defineTarget<string>({
  name: 'trace-json',
  about: 'traceFromJson on real traces with values replaced, deleted or mangled, then written back and shown as the --json view',
  generate(corpus, random) {
    const small = random.chance(0.75) && corpus.traceJsonSmall.length > 0;
    const { text, steps } = mutateText(random.pick(small ? corpus.traceJsonSmall : corpus.traceJson), random);
    return { input: text, steps: [small ? 'a real trace cut to one packet per message' : 'a real trace', ...steps] };
  },
  run(text) {
    const trace = traceFromJson(text);
    traceToJson(trace);
    traceToDecodeJson(trace);
  },
  save: (text) => ({ bytes: utf8.encode(text), extension: 'trace.json' }),
  size: (text) => text.length,
});
