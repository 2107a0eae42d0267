/**
 * @module messages/describe
 * Turns a layout declaration into the rows of a table a lesson or the UI can show next to the bytes: each field's
 * path, its RFC 4251 §5 type as the RFCs write it (uint32, string, byte[16], name-list...), its explanation, where it
 * is specified, the names of its codes, and the condition under which it is present (a switch case).
 */
import { isSwitch, type FieldType, type Layout } from './layout.ts';

export interface LayoutRow {
  /** e.g. `host_key.e`, `extensions[].name`. */
  path: string;
  /** The type as the RFCs write it: `uint32`, `string`, `byte[16]`, `name-list`, `mpint`... */
  type: string;
  doc: string;
  rfc?: string;
  values?: Readonly<Record<number, string>>;
  /** When the field is present, e.g. `method = "password"` or `changing = true`; absent when always present. */
  when?: string;
  optional?: boolean;
  unknown?: boolean;
  /** Nesting depth (0 for top-level fields), for indentation. */
  depth: number;
}

function typeLabel(t: FieldType): string {
  if (typeof t === 'string') return t === 'text' ? 'string (UTF-8)' : t === 'rest' ? 'byte[rest]' : t;
  if ('bytes' in t) return `byte[${t.bytes}]`;
  if ('blob' in t || 'split' in t) return 'string';
  return t.count ? `repeated ${t.count} times` : 'repeated to the end';
}

function quote(key: string): string {
  return key === 'true' || key === 'false' || /^\d+$/.test(key) ? key : `"${key}"`;
}

/** The rows of `layout`, in wire order, switch cases one after another with their condition. */
export function describeLayout(layout: Layout, prefix = '', depth = 0, when?: string): LayoutRow[] {
  const rows: LayoutRow[] = [];
  for (const item of layout) {
    if (isSwitch(item)) {
      for (const [key, layoutOfCase] of Object.entries(item.cases)) {
        const condition = `${item.switch} = ${quote(key)}`;
        rows.push(...describeLayout(layoutOfCase, prefix, depth, when ? `${when}, ${condition}` : condition));
      }
      const otherwise = `${item.switch} is anything else`;
      if (item.default) rows.push(...describeLayout(item.default, prefix, depth, when ? `${when}, ${otherwise}` : otherwise));
      else if (!item.key) rows.push({ path: `${prefix}data`, type: 'byte[rest]', doc: 'Bytes sshlens does not know how to read; shown raw.', when: otherwise, unknown: true, depth });
      continue;
    }
    const path = `${prefix}${item.name}`;
    rows.push({
      path, type: typeLabel(item.type), doc: item.doc, depth,
      ...(item.rfc ? { rfc: item.rfc } : {}), ...(item.values ? { values: item.values } : {}), ...(when ? { when } : {}),
      ...(item.optional ? { optional: true } : {}), ...(item.unknown ? { unknown: true } : {}),
    });
    const t = item.type;
    if (typeof t !== 'object') continue;
    if ('blob' in t) rows.push(...describeLayout(t.blob, `${path}.`, depth + 1, when));
    else if ('split' in t) {
      for (const part of t.split) {
        rows.push({ path: `${path}.${part.name}`, type: part.size === 'rest' ? 'byte[rest]' : `byte[${part.size}]`, doc: part.doc, depth: depth + 1, ...(when ? { when } : {}) });
      }
    } else if ('repeat' in t) rows.push(...describeLayout(t.repeat, `${path}[].`, depth + 1, when));
  }
  return rows;
}
