/**
 * @module messages/codec
 * The one interpreter of layouts (layout.ts): decode gives a plain value tree and a field tree with absolute byte
 * spans, each field carrying its explanation and RFC section; encode writes the exact bytes back (RFC 4251 §5).
 *
 * A string holding fields (`blob`, `split`) has a `(length)` leaf for its length prefix, so the leaves of the tree
 * cover every byte exactly once, in order.
 *
 * Decoding never throws on bad input: a WireError stops it, everything decoded so far is kept, the bytes not decoded
 * become `(undecoded)` fields at each nesting level, and the error is returned with its field path and offset.
 */
import { WireError, WireReader, WireWriter, concatBytes } from '../wire/index.ts';
import { isSwitch, type FieldDecl, type Layout, type SplitPart, type SwitchDecl } from './layout.ts';

/** A decoded field: where its bytes are, what it means, and (for leaves) its value. */
export interface FieldNode {
  name: string;
  /** Dotted path from the top of the decoded unit, e.g. `key.e` or `modes[3].opcode`. */
  path: string;
  /** An RFC 4251 type, or `blob` (a string holding fields), `split`, `repeat`, `item`, `undecoded`, `trailing`. */
  type: string;
  span: { start: number; end: number };
  /** The decoded value (leaves, and the content bytes of a blob). */
  value?: unknown;
  /** The name of a code (a reason code, an opcode) when the declaration lists it. */
  valueName?: string;
  doc: string;
  rfc?: string;
  unknown?: boolean;
  children?: FieldNode[];
}

export interface DecodeError {
  message: string;
  code: string;
  path: string;
  offset: number;
}

export interface Decoded {
  value: Record<string, unknown>;
  fields: FieldNode[];
  /** True when some bytes were decoded as unknown (an unknown request type, key type...). */
  unknown: boolean;
  error?: DecodeError;
}

interface State {
  unknown: boolean;
}

/** Thrown between nesting levels once the innermost level has recorded what it could not decode. */
class Unwinding extends Error {
  constructor(readonly error: WireError) {
    super(error.message);
  }
}

const UNKNOWN_DEFAULT: Layout = [
  { name: 'data', type: 'rest', doc: 'Bytes whose layout sshlens does not know here; shown raw.', unknown: true },
];

/**
 * Decodes `bytes` (which sit at absolute offset `base`) with `layout`. Every byte ends up in exactly one leaf field,
 * in order; trailing bytes are reported as an error and kept as a `(trailing)` field.
 */
export function decodeLayout(layout: Layout, bytes: Uint8Array, base = 0, path = ''): Decoded {
  const reader = new WireReader(bytes, { base, prefix: path });
  const value: Record<string, unknown> = {};
  const fields: FieldNode[] = [];
  const state: State = { unknown: false };
  let error: DecodeError | undefined;
  try {
    within(reader, fields, () => decodeItems(layout, reader, '', value, fields, state), false);
    if (reader.remaining > 0) {
      const start = reader.absoluteOffset;
      error = {
        code: 'trailing-bytes',
        message: `${reader.remaining} unexpected byte(s) after the last field (at byte ${start})`,
        path: path,
        offset: start,
      };
      fields.push(rawNode('(trailing)', 'trailing', reader, 'Bytes after the last declared field.', reader.pathOf('(trailing)')));
    }
  } catch (e) {
    const cause = e instanceof Unwinding ? e.error : e;
    if (!(cause instanceof WireError)) throw cause;
    error = { code: cause.code, message: cause.message, path: cause.where.path ?? '', offset: cause.where.offset ?? base };
  }
  return { value, fields, unknown: state.unknown, error };
}

/** Encodes `value` with `layout` into exact bytes. Count fields of repeated groups are taken from the arrays. */
export function encodeLayout(layout: Layout, value: Record<string, unknown>): Uint8Array {
  const writer = new WireWriter();
  encodeItems(layout, writer, value, '');
  return writer.finish();
}

/** Runs `body` on a reader; on a decode error, records the bytes left as `(undecoded)` and passes the error up. */
function within(reader: WireReader, nodes: FieldNode[], body: () => void, mustEnd: boolean): void {
  try {
    body();
    if (mustEnd) reader.end();
  } catch (e) {
    if (!(e instanceof WireError) && !(e instanceof Unwinding)) throw e;
    if (reader.remaining > 0) {
      nodes.push(rawNode('(undecoded)', 'undecoded', reader, 'Bytes not decoded because of the error above.', reader.pathOf('(undecoded)')));
    }
    throw e instanceof Unwinding ? e : new Unwinding(e);
  }
}

function rawNode(name: string, type: string, reader: WireReader, doc: string, path: string): FieldNode {
  const start = reader.absoluteOffset;
  const value = reader.rest(name);
  return { name, path, type, span: { start, end: reader.absoluteOffset }, value, doc };
}

function join(rel: string, name: string): string {
  return rel ? `${rel}.${name}` : name;
}

function selectCase(item: SwitchDecl, value: unknown): Layout {
  const key = item.key ? item.key(value) : String(value);
  return Object.hasOwn(item.cases, key) ? item.cases[key] : (item.default ?? UNKNOWN_DEFAULT);
}

function decodeItems(layout: Layout, r: WireReader, rel: string, obj: Record<string, unknown>, nodes: FieldNode[], state: State): void {
  for (const item of layout) {
    if (isSwitch(item)) decodeItems(selectCase(item, obj[item.switch]), r, rel, obj, nodes, state);
    else decodeField(item, r, rel, obj, nodes, state);
  }
}

function decodeField(f: FieldDecl, r: WireReader, rel: string, obj: Record<string, unknown>, nodes: FieldNode[], state: State): void {
  if (f.optional && r.remaining === 0) return;
  const name = join(rel, f.name);
  const start = r.absoluteOffset;
  const node: FieldNode = { name: f.name, path: r.pathOf(name), type: '', span: { start, end: start }, doc: f.doc };
  if (f.rfc) node.rfc = f.rfc;
  if (f.unknown) {
    node.unknown = true;
    state.unknown = true;
  }
  const t = f.type;
  if (typeof t === 'string') {
    const value = readPrimitive(r, t, name);
    node.type = t;
    node.value = value;
    if (f.values && typeof value === 'number' && Object.hasOwn(f.values, value)) node.valueName = f.values[value];
    obj[f.name] = value;
  } else if ('bytes' in t) {
    node.type = 'bytes';
    node.value = obj[f.name] = r.fixedBytes(name, t.bytes);
  } else if ('blob' in t || 'split' in t) {
    const inner = r.stringReader(name);
    node.type = 'blob' in t ? 'blob' : 'split';
    node.value = r.spans[r.spans.length - 1].value; // the string's content, as a view
    node.span.end = r.absoluteOffset;
    const length = { start, end: start + 4 };
    // The string's length prefix gets a leaf of its own, so that the leaves cover every byte.
    node.children = [{ name: '(length)', path: r.pathOf(`${name}.(length)`), type: 'uint32', span: length, value: node.span.end - start - 4, doc: 'The length in bytes of the string that holds the fields below.' }];
    nodes.push(node);
    const sub: Record<string, unknown> = {};
    obj[f.name] = sub;
    const children = node.children;
    if ('blob' in t) within(inner, children, () => decodeItems(t.blob, inner, '', sub, children, state), true);
    else within(inner, children, () => decodeSplit(t.split, inner, sub, children), true);
    return;
  } else {
    node.type = 'repeat';
    node.children = [];
    nodes.push(node);
    const items: Record<string, unknown>[] = [];
    obj[f.name] = items;
    const count = t.count === undefined ? undefined : Number(obj[t.count]);
    try {
      for (let i = 0; count === undefined ? r.remaining > 0 : i < count; i++) {
        const itemStart = r.absoluteOffset;
        const item: Record<string, unknown> = {};
        items.push(item);
        const itemNode: FieldNode = {
          name: `[${i}]`, path: r.pathOf(`${name}[${i}]`), type: 'item', span: { start: itemStart, end: itemStart },
          doc: t.itemDoc ?? f.doc, children: [],
        };
        node.children.push(itemNode);
        try {
          decodeItems(t.repeat, r, `${name}[${i}]`, item, itemNode.children!, state);
        } finally {
          itemNode.span.end = r.absoluteOffset;
        }
        if (r.absoluteOffset === itemStart) break; // an empty item would repeat forever
      }
    } finally {
      node.span.end = r.absoluteOffset;
    }
    return;
  }
  node.span.end = r.absoluteOffset;
  nodes.push(node);
}

function readPrimitive(r: WireReader, t: string, name: string): unknown {
  switch (t) {
    case 'byte': return r.byte(name);
    case 'boolean': return r.boolean(name);
    case 'uint32': return r.uint32(name);
    case 'uint64': return r.uint64(name);
    case 'string': return r.string(name);
    case 'text': return r.text(name);
    case 'mpint': return r.mpint(name);
    case 'name-list': return r.nameList(name);
    default: return r.rest(name);
  }
}

function decodeSplit(parts: readonly SplitPart[], r: WireReader, obj: Record<string, unknown>, nodes: FieldNode[]): void {
  let fixed = 0;
  for (const p of parts) if (p.size !== 'rest') fixed += p.size;
  const restSize = r.remaining - fixed;
  if (restSize < 0) {
    throw new WireError('truncated', `needs at least ${fixed} byte(s) but only ${r.remaining} remain`, r.pathOf(''), r.absoluteOffset);
  }
  for (const p of parts) {
    const start = r.absoluteOffset;
    const value = r.fixedBytes(p.name, p.size === 'rest' ? restSize : p.size);
    obj[p.name] = value;
    nodes.push({ name: p.name, path: r.pathOf(p.name), type: 'bytes', span: { start, end: r.absoluteOffset }, value, doc: p.doc });
  }
}

function encodeItems(layout: Layout, w: WireWriter, obj: Record<string, unknown>, path: string): void {
  // A count field is written as the length of the array it counts, so a value cannot contradict itself.
  const counted = new Map<string, string>();
  for (const item of layout) {
    if (!isSwitch(item) && typeof item.type === 'object' && 'repeat' in item.type && item.type.count) {
      counted.set(item.type.count, item.name);
    }
  }
  for (const item of layout) {
    if (isSwitch(item)) {
      encodeItems(selectCase(item, obj[item.switch]), w, obj, path);
      continue;
    }
    const name = join(path, item.name);
    const countOf = counted.get(item.name);
    const v = countOf !== undefined && Array.isArray(obj[countOf]) ? (obj[countOf] as unknown[]).length : obj[item.name];
    if (v === undefined) {
      if (item.optional) continue;
      throw new WireError('invalid-value', `the value has no field "${item.name}"`, name, w.size);
    }
    encodeField(item, w, v, name);
  }
}

function encodeField(f: FieldDecl, w: WireWriter, v: unknown, path: string): void {
  const t = f.type;
  const bad = (what: string) => new WireError('invalid-value', `expected ${what}, got ${typeof v}`, path, w.size);
  if (typeof t === 'string') {
    switch (t) {
      case 'byte': w.byte(v as number); return;
      case 'boolean': if (typeof v !== 'boolean') throw bad('a boolean'); w.boolean(v); return;
      case 'uint32': w.uint32(v as number); return;
      case 'uint64': if (typeof v !== 'bigint') throw bad('a bigint'); w.uint64(v); return;
      case 'mpint': if (typeof v !== 'bigint') throw bad('a bigint'); w.mpint(v); return;
      case 'name-list': if (!Array.isArray(v)) throw bad('an array of names'); w.nameList(v as string[]); return;
      case 'rest': w.raw(bytesOf(v, bad)); return;
      default: w.string(bytesOf(v, bad)); return; // string, text
    }
  }
  if ('bytes' in t) {
    const b = bytesOf(v, bad);
    if (b.length !== t.bytes) throw new WireError('invalid-value', `expected ${t.bytes} bytes, got ${b.length}`, path, w.size);
    w.raw(b);
  } else if ('blob' in t) {
    if (v instanceof Uint8Array) return void w.string(v); // an already encoded blob
    const inner = new WireWriter();
    encodeItems(t.blob, inner, v as Record<string, unknown>, path);
    w.string(inner.finish());
  } else if ('split' in t) {
    const parts = t.split.map((p) => {
      const b = bytesOf((v as Record<string, unknown>)[p.name], bad);
      if (p.size !== 'rest' && b.length !== p.size) {
        throw new WireError('invalid-value', `${p.name} must be ${p.size} bytes, got ${b.length}`, `${path}.${p.name}`, w.size);
      }
      return b;
    });
    w.string(concatBytes(...parts));
  } else {
    if (!Array.isArray(v)) throw bad('an array');
    v.forEach((item, i) => encodeItems(t.repeat, w, item as Record<string, unknown>, `${path}[${i}]`));
  }
}

const utf8 = new TextEncoder();

function bytesOf(v: unknown, bad: (what: string) => WireError): Uint8Array {
  if (v instanceof Uint8Array) return v;
  if (typeof v === 'string') return utf8.encode(v);
  throw bad('bytes');
}
