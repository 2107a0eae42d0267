/**
 * @module messages/layout
 * A tiny language for SSH wire layouts (RFC 4251 §5 types), so every message, request payload and key blob is
 * declared once, as data. One interpreter (codec.ts) turns a layout into decode (value tree + byte spans with the
 * field's explanation attached) and encode (exact bytes).
 *
 * A layout is a list of items, read in order:
 * - a field `{ name, type, doc, rfc?, values?, optional?, unknown? }`, where `type` is an RFC 4251 type, fixed
 *   `{ bytes: n }`, a nested layout inside a string `{ blob }`, a string cut into fixed-size parts `{ split }`, or a
 *   repeated group `{ repeat, count? }` (with `count`, an earlier uint32 field holds the number of items; without it,
 *   the group repeats until the enclosing string or payload ends);
 * - a switch `{ switch: earlierField, cases, default? }`: the case whose key is the earlier field's value continues
 *   the layout (method names, request types, key types, extension names). The default is raw bytes labelled unknown.
 */
import type { WireType } from '../wire/index.ts';

/** The RFC 4251 §5 types a field can have directly (no fixed size; `bytes` is declared as `{ bytes: n }`). */
export type Primitive = Exclude<WireType, 'bytes'>;

/** One part of a string cut into fixed-size pieces; at most one part has size 'rest' (all that the others leave). */
export interface SplitPart {
  name: string;
  size: number | 'rest';
  doc: string;
}

export type FieldType =
  | Primitive
  | { bytes: number }
  | { blob: Layout }
  | { split: readonly SplitPart[] }
  | { repeat: Layout; count?: string; itemDoc?: string };

export interface FieldDecl {
  name: string;
  type: FieldType;
  /** One sentence for a student: what this field is for. */
  doc: string;
  /** Where it is specified, e.g. `RFC 4254 §6.2`. */
  rfc?: string;
  /** Names of the codes a byte/uint32 field can hold (reason codes, opcodes...). */
  values?: Readonly<Record<number, string>>;
  /** Present only when bytes remain (must be the last item of its layout). */
  optional?: true;
  /** Bytes whose meaning sshlens does not know (an unknown request type, extension, key type...). */
  unknown?: true;
}

export interface SwitchDecl {
  /** Name of an earlier field of the same group whose value selects the case. */
  switch: string;
  cases: Readonly<Record<string, Layout>>;
  /** Used when no case matches; by default the rest of the bytes, labelled unknown. */
  default?: Layout;
  /** Maps the field's value to a case key; by default `String(value)`. */
  key?: (value: unknown) => string;
}

export type LayoutItem = FieldDecl | SwitchDecl;
export type Layout = readonly LayoutItem[];

export function isSwitch(item: LayoutItem): item is SwitchDecl {
  return 'switch' in item;
}

/** Declares a field; `extra` carries rfc, values, optional, unknown. */
export function field(name: string, type: FieldType, doc: string, extra: Omit<FieldDecl, 'name' | 'type' | 'doc'> = {}): FieldDecl {
  return { name, type, doc, ...extra };
}

/** A string holding a nested layout (a key blob, a signature blob, an extension value). */
export function blob(layout: Layout): FieldType {
  return { blob: layout };
}

/** A repeated group: `count` names an earlier uint32 field holding the number of items; without it, until the end. */
export function repeat(layout: Layout, count?: string, itemDoc?: string): FieldType {
  return { repeat: layout, count, itemDoc };
}

export function switchOn(on: string, cases: Record<string, Layout>, extra: Omit<SwitchDecl, 'switch' | 'cases'> = {}): SwitchDecl {
  return { switch: on, cases, ...extra };
}

/** The layout of bytes nobody declared: everything that remains, labelled unknown. */
export function unknownRest(what: string): Layout {
  return [field('data', 'rest', `Bytes whose layout sshlens does not know for this ${what}; shown raw.`, { unknown: true })];
}
