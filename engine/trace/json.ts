/**
 * @module trace/json
 * Writing a trace as JSON and reading it back. JSON has no bytes and no bigints, so they travel tagged:
 * `{"$bytes":"<base64>"}` and `{"$bigint":"<decimal>"}`. Reading checks the overall shape and says where it is wrong
 * (a JSON path), so a hand-edited or truncated file gets a clear message, never a crash.
 */
import { SshlensError } from '../errors.ts';
import type { Trace } from './model.ts';

export class TraceJsonError extends SshlensError {}

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const BASE64_INDEX = new Int16Array(128).fill(-1);
for (let i = 0; i < BASE64.length; i++) BASE64_INDEX[BASE64.charCodeAt(i)] = i;

export function toBase64(bytes: Uint8Array): string {
  let out = '';
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
    out += BASE64[n >> 18] + BASE64[(n >> 12) & 63] + BASE64[(n >> 6) & 63] + BASE64[n & 63];
  }
  if (i < bytes.length) {
    const n = (bytes[i] << 16) | ((bytes[i + 1] ?? 0) << 8);
    out += BASE64[n >> 18] + BASE64[(n >> 12) & 63];
    out += i + 1 < bytes.length ? BASE64[(n >> 6) & 63] + '=' : '==';
  }
  return out;
}

/** Decodes standard base64 (padding optional); null when the text is not base64. */
export function fromBase64(text: string): Uint8Array | null {
  const clean = text.replace(/=+$/, '');
  if (clean.length % 4 === 1) return null;
  const out = new Uint8Array(Math.floor((clean.length * 3) / 4));
  let bits = 0;
  let value = 0;
  let at = 0;
  for (let i = 0; i < clean.length; i++) {
    const code = clean.charCodeAt(i);
    const digit = code < 128 ? BASE64_INDEX[code] : -1;
    if (digit < 0) return null;
    value = (value << 6) | digit;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[at++] = (value >> bits) & 0xff;
    }
  }
  return out;
}

/** JSON.stringify replacer that tags bytes and bigints. */
export function jsonReplacer(_key: string, value: unknown): unknown {
  if (value instanceof Uint8Array) return { $bytes: toBase64(value) };
  if (typeof value === 'bigint') return { $bigint: value.toString() };
  return value;
}

/** JSON.parse reviver that restores tagged bytes and bigints. */
export function jsonReviver(_key: string, value: unknown): unknown {
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const record = value as Record<string, unknown>;
    const keys = Object.keys(record);
    if (keys.length === 1 && typeof record.$bytes === 'string') {
      const bytes = fromBase64(record.$bytes);
      if (bytes) return bytes;
    }
    if (keys.length === 1 && typeof record.$bigint === 'string' && /^-?\d+$/.test(record.$bigint)) {
      return BigInt(record.$bigint);
    }
  }
  return value;
}

export function traceToJson(trace: Trace, indent?: number): string {
  return JSON.stringify(trace, jsonReplacer, indent);
}

/** Reads a trace written by {@link traceToJson}; throws a TraceJsonError naming the place when it is not one. */
export function traceFromJson(text: string): Trace {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text, jsonReviver);
  } catch (error) {
    throw new TraceJsonError('not-json', `not a trace: the file is not valid JSON (${(error as Error).message})`);
  }
  expectObject(parsed, '$');
  if (parsed.format !== 'sshlens-trace') {
    throw new TraceJsonError('not-a-trace', 'not a trace: $.format is not "sshlens-trace"', { path: '$.format' });
  }
  if (parsed.version !== 1) {
    throw new TraceJsonError('trace-version', `unsupported trace version ${JSON.stringify(parsed.version, jsonReplacer)} at $.version (this sshlens reads version 1)`, { path: '$.version' });
  }
  expectArray(parsed.sessions, '$.sessions');
  expectArray(parsed.problems, '$.problems');
  expectObject(parsed.source, '$.source');
  parsed.sessions.forEach((session, i) => {
    const at = `$.sessions[${i}]`;
    expectObject(session, at);
    for (const key of ['kex', 'packets', 'channels', 'problems'] as const) expectArray(session[key], `${at}.${key}`);
    expectObject(session.client, `${at}.client`);
    expectObject(session.server, `${at}.server`);
    expectObject(session.identification, `${at}.identification`);
    expectObject(session.segments, `${at}.segments`);
    (session.packets as unknown[]).forEach((packet, j) => {
      const p = `${at}.packets[${j}]`;
      expectObject(packet, p);
      if (packet.direction !== 'client' && packet.direction !== 'server') fail(`${p}.direction`, 'is not "client" or "server"');
      if (typeof packet.sequence !== 'number') fail(`${p}.sequence`, 'is not a number');
      expectObject(packet.stream, `${p}.stream`);
    });
    (session.kex as unknown[]).forEach((kex, j) => {
      expectObject(kex, `${at}.kex[${j}]`);
      expectArray(kex.problems, `${at}.kex[${j}].problems`);
    });
    (session.channels as unknown[]).forEach((channel, j) => {
      const c = `${at}.channels[${j}]`;
      expectObject(channel, c);
      expectArray(channel.requests, `${c}.requests`);
      channel.requests.forEach((request, k) => expectObject(request, `${c}.requests[${k}]`));
      for (const key of ['clientData', 'serverData', 'clientExtendedData', 'serverExtendedData'] as const) {
        const chunks = channel[key];
        expectArray(chunks, `${c}.${key}`);
        chunks.forEach((chunk, k) => { if (!(chunk instanceof Uint8Array)) fail(`${c}.${key}[${k}]`, 'is not bytes'); });
      }
    });
    (session.problems as unknown[]).forEach((problem, j) => expectObject(problem, `${at}.problems[${j}]`));
  });
  parsed.problems.forEach((problem, i) => expectObject(problem, `$.problems[${i}]`));
  return parsed as unknown as Trace;
}

function expectObject(value: unknown, path: string): asserts value is Record<string, unknown> {
  if (!value || typeof value !== 'object' || Array.isArray(value)) fail(path, 'is not an object');
}

function expectArray(value: unknown, path: string): asserts value is unknown[] {
  if (!Array.isArray(value)) fail(path, 'is not an array');
}

function fail(path: string, what: string): never {
  throw new TraceJsonError('bad-trace', `not a valid trace: ${path} ${what}`, { path });
}
