/**
 * @module messages/catalog
 * The SSH message catalog (RFC 4250 §4.1 numbers) and its lookup by (number, context): numbers 30..49 mean different
 * things for different kex methods and 60..79 for different auth methods (RFC 4251 §7), and a REQUEST_SUCCESS
 * payload depends on the global request it answers. decodeMessage / encodeMessage run the one layout interpreter.
 */
import { WireError, concatBytes } from '../wire/index.ts';
import { decodeLayout, encodeLayout, type DecodeError, type FieldNode } from './codec.ts';
import { connectionMessages } from './connection.ts';
import type { KexFamily, MessageEntry } from './entry.ts';
import { kexFamily, kexMessages } from './kex.ts';
import { transportMessages } from './transport.ts';
import { userauthMessages } from './userauth.ts';

/** Every message sshlens knows, in number order. */
export const messageCatalog: readonly MessageEntry[] = [...transportMessages, ...kexMessages, ...userauthMessages, ...connectionMessages]
  .sort((a, b) => a.number - b.number);

const byNumber = new Map<number, MessageEntry[]>();
for (const entry of messageCatalog) byNumber.set(entry.number, [...(byNumber.get(entry.number) ?? []), entry]);

/** What decides the meaning of context-dependent numbers. */
export interface MessageContext {
  /** The negotiated kex method (e.g. `curve25519-sha256`) or a family name (`dh`, `gex`, `ecdh`, `hybrid`, `gss`, `gss-ecdh`). */
  kex?: string;
  /** The auth method in progress (the method of the last USERAUTH_REQUEST), e.g. `publickey`. */
  auth?: string;
  /** The global request (with want_reply) that the next REQUEST_SUCCESS / FAILURE answers. */
  globalRequest?: string;
}

const FAMILIES: readonly string[] = ['dh', 'gex', 'ecdh', 'hybrid', 'hybrid-nistp256', 'hybrid-nistp384', 'rsa', 'gss', 'gss-ecdh'];

function familyOf(kex: string | undefined): KexFamily | undefined {
  return kex !== undefined && FAMILIES.includes(kex) ? (kex as KexFamily) : kexFamily(kex);
}

/** PK_OK answers both publickey and OpenSSH's publickey-hostbound-v00 requests. */
function authMethodOf(auth: string | undefined): string | undefined {
  return auth === 'publickey-hostbound-v00@openssh.com' ? 'publickey' : auth;
}

function matches(entry: MessageEntry, context: MessageContext): boolean {
  const c = entry.context;
  if (!c) return false;
  if (c.kex !== undefined && c.kex !== familyOf(context.kex)) return false;
  if (c.auth !== undefined && c.auth !== authMethodOf(context.auth)) return false;
  if (c.globalRequest !== undefined && c.globalRequest !== context.globalRequest) return false;
  return true;
}

function choose(candidates: MessageEntry[], context: MessageContext): MessageEntry | undefined {
  return candidates.find((e) => matches(e, context)) ?? candidates.find((e) => !e.context);
}

/** The catalog entry for a message number in a context, or undefined (unknown number, or context missing). */
export function lookupMessage(number: number, context: MessageContext = {}): MessageEntry | undefined {
  return choose(byNumber.get(number) ?? [], context);
}

export interface DecodedMessage {
  /** The message number (the payload's first byte); -1 for an empty payload. */
  number: number;
  /** The SSH_MSG_* name, or `unknown`. */
  name: string;
  entry?: MessageEntry;
  /** The decoded fields as a plain object (message number excluded). */
  value: Record<string, unknown>;
  /** The field tree, message number first; leaves cover every byte of the payload once, in order. */
  fields: FieldNode[];
  /** True for an unknown message number, or when some part (a request type, an extension...) is unknown. */
  unknown: boolean;
  error?: DecodeError;
}

/** The message_number field's explanation, built once per catalog entry (a capture decodes the same few often). */
const numberDocs = new Map<MessageEntry, string>();
function numberDoc(entry: MessageEntry): string {
  let doc = numberDocs.get(entry);
  if (doc === undefined) numberDocs.set(entry, (doc = `${entry.name}: ${entry.summary}`));
  return doc;
}

function contextHint(number: number): string {
  if (number >= 30 && number <= 49) return ' Numbers 30 to 49 depend on the kex method; none (or an unknown one) was given.';
  if (number >= 60 && number <= 79) return ' Numbers 60 to 79 depend on the auth method in progress; none (or an unknown one) was given.';
  return '';
}

/**
 * Decodes an SSH message payload (RFC 4253 §6: the message number byte and what follows). `base` is the absolute
 * offset of `payload[0]`, for spans. Never throws on bad input: an unknown number or request decodes as unknown with
 * its raw bytes; a decode error keeps what was decoded before it, the raw rest, and says where (`error`).
 */
export function decodeMessage(payload: Uint8Array, context: MessageContext = {}, base = 0): DecodedMessage {
  if (payload.length === 0) {
    return {
      number: -1, name: 'unknown', value: {}, fields: [], unknown: true,
      error: { code: 'truncated', message: `an empty payload has no message number (at byte ${base})`, path: 'message_number', offset: base },
    };
  }
  const number = payload[0];
  const entry = lookupMessage(number, context);
  const numberNode: FieldNode = {
    name: 'message_number', path: 'message_number', type: 'byte', span: { start: base, end: base + 1 }, value: number,
    valueName: entry?.name,
    doc: entry ? numberDoc(entry) : `Message number ${number}, not in sshlens's catalog.${contextHint(number)}`,
    rfc: entry?.rfc ?? 'RFC 4250 §4.1',
  };
  if (!entry) {
    const data = payload.subarray(1);
    const dataNode: FieldNode = {
      name: 'data', path: 'data', type: 'rest', span: { start: base + 1, end: base + payload.length }, value: data,
      doc: 'The payload of a message sshlens does not know, shown raw.', unknown: true,
    };
    return { number, name: 'unknown', value: { data }, fields: data.length ? [numberNode, dataNode] : [numberNode], unknown: true };
  }
  const decoded = decodeLayout(entry.layout, payload.subarray(1), base + 1);
  decoded.fields.unshift(numberNode);
  return {
    number, name: entry.name, entry, value: decoded.value, fields: decoded.fields,
    unknown: decoded.unknown, error: decoded.error,
  };
}

/**
 * Encodes a message from a value object (field names as in the catalog), by SSH_MSG_* name or number, in a context
 * that picks among same-numbered entries. Count fields (extension_count, prompt_count...) are taken from the arrays.
 * A number unknown in that context with a `data` byte array (as decodeMessage gives it) is written raw.
 * Throws a WireError when the message is not known in that context or the value does not fit the layout.
 */
export function encodeMessage(nameOrNumber: string | number, value: Record<string, unknown>, context: MessageContext = {}): Uint8Array {
  const entry = typeof nameOrNumber === 'number'
    ? lookupMessage(nameOrNumber, context)
    : choose(messageCatalog.filter((e) => e.name === nameOrNumber), context) ?? messageCatalog.find((e) => e.name === nameOrNumber);
  if (!entry && typeof nameOrNumber === 'number' && value.data instanceof Uint8Array) {
    // A message unknown here, as decodeMessage gives it: its number and raw bytes.
    return concatBytes(Uint8Array.of(nameOrNumber), value.data);
  }
  if (!entry) throw new WireError('invalid-value', `no message ${nameOrNumber} in this context ${JSON.stringify(context)}`, 'message_number', 0);
  const body = encodeLayout(entry.layout, value);
  const out = new Uint8Array(body.length + 1);
  out[0] = entry.number;
  out.set(body, 1);
  return out;
}
