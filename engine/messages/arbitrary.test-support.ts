/**
 * Test support: fast-check arbitraries generated from the layout declarations themselves, so every catalog entry
 * and every switch case is tested without a hand-written generator. Not part of the engine (tests only).
 */
import fc from 'fast-check';
import type { FieldNode } from './codec.ts';
import { isSwitch, type FieldDecl, type Layout, type SwitchDecl } from './layout.ts';

/** A switch forced to one case ('*default*' for the default), and the pins on the way to it. */
export type Pins = ReadonlyMap<SwitchDecl, string>;
export const DEFAULT = '*default*';

/**
 * Every (switch, case) reachable in a layout, once each, with the pins that lead there (outer switches included).
 * Layouts in `skip` (shared blobs tested on their own) are not entered.
 */
export function switchCases(layout: Layout, skip: ReadonlySet<Layout> = new Set()): Map<SwitchDecl, string>[] {
  const out: Map<SwitchDecl, string>[] = [];
  const seen = new Set<string>();
  const ids = new Map<SwitchDecl, number>();
  const walk = (items: Layout, path: Map<SwitchDecl, string>): void => {
    if (items !== layout && skip.has(items)) return;
    for (const item of items) {
      if (isSwitch(item)) {
        if (path.has(item)) continue; // the same declaration met again below itself: already pinned
        if (!ids.has(item)) ids.set(item, ids.size);
        // A switch with a key function maps every value to a case (no default to reach).
        for (const key of [...Object.keys(item.cases), ...(item.key ? [] : [DEFAULT])]) {
          const id = `${ids.get(item)}:${key}`;
          if (seen.has(id)) continue;
          seen.add(id);
          const pinned = new Map(path).set(item, key);
          out.push(pinned);
          walk(Object.hasOwn(item.cases, key) ? item.cases[key] : (item.default ?? []), pinned);
        }
      } else {
        const t = item.type;
        if (typeof t === 'object' && 'blob' in t) walk(t.blob, path);
        if (typeof t === 'object' && 'repeat' in t) walk(t.repeat, path);
      }
    }
  };
  walk(layout, new Map());
  return out;
}

const name = fc.stringMatching(/^[!-+\--~]{1,10}$/);
const text = fc.string({ unit: 'grapheme', maxLength: 10 });

function codeArb(values: Readonly<Record<number, string>> | undefined, max: number): fc.Arbitrary<number> {
  const any = fc.integer({ min: 0, max });
  const known = values ? Object.keys(values).map(Number) : [];
  return known.length ? fc.oneof(fc.constantFrom(...known), any) : any;
}

/** A value of the switch field that selects `key`. */
function valueFor(sw: SwitchDecl, f: FieldDecl, key: string): unknown {
  const selects = (v: unknown) => {
    const k = sw.key ? sw.key(v) : String(v);
    return key === DEFAULT ? !Object.hasOwn(sw.cases, k) : k === key;
  };
  if (f.type === 'boolean') return key === 'true';
  if (f.type === 'byte' || f.type === 'uint32') {
    for (let v = 0; v < 256; v++) if (selects(v)) return v;
    return 0xfffffffe;
  }
  return key === DEFAULT ? 'unknown-thing@example.com' : key;
}

function fieldArb(f: FieldDecl, pins: Pins, selector?: SwitchDecl): fc.Arbitrary<unknown> {
  if (selector && pins.has(selector)) return fc.constant(valueFor(selector, f, pins.get(selector)!));
  const t = f.type;
  if (selector && (t === 'text' || t === 'string')) {
    return fc.oneof(fc.constantFrom(...Object.keys(selector.cases)), fc.constant('unknown-thing@example.com'));
  }
  if (typeof t === 'string') {
    switch (t) {
      case 'byte': return codeArb(f.values, 255);
      case 'boolean': return fc.boolean();
      case 'uint32': return codeArb(f.values, 0xffffffff);
      case 'uint64': return fc.bigInt({ min: 0n, max: (1n << 64n) - 1n });
      case 'mpint': return fc.bigInt({ min: -(1n << 200n), max: 1n << 200n });
      case 'text': return text;
      case 'name-list': return fc.array(name, { maxLength: 4 });
      case 'rest': return fc.uint8Array({ minLength: f.optional ? 1 : 0, maxLength: 20 });
      default: return fc.uint8Array({ maxLength: 20 });
    }
  }
  if ('bytes' in t) return fc.uint8Array({ minLength: t.bytes, maxLength: t.bytes });
  if ('blob' in t) return layoutArb(t.blob, pins);
  if ('split' in t) {
    return fc.record(Object.fromEntries(t.split.map((p) => [p.name, p.size === 'rest'
      ? fc.uint8Array({ maxLength: 40 })
      : fc.uint8Array({ minLength: p.size, maxLength: p.size })])));
  }
  const items = fc.array(layoutArb(t.repeat, pins), { maxLength: 3 });
  // Without a count the group runs to the end, so an item that swallows the rest (raw bytes) must be the last.
  return t.count ? items : items.map((list) => {
    const i = list.findIndex((item) => hasRest(t.repeat, item));
    return i < 0 ? list : list.slice(0, i + 1);
  });
}

function hasRest(layout: Layout, obj: Record<string, unknown>): boolean {
  return layout.some((item) => isSwitch(item)
    ? hasRest(item.cases[item.key ? item.key(obj[item.switch]) : String(obj[item.switch])] ?? item.default ?? [{ name: 'data', type: 'rest', doc: '' }], obj)
    : item.type === 'rest'); // an optional rest swallows what follows even when absent
}

/** An arbitrary value object for a layout; switches in `pins` are forced to their case. */
export function layoutArb(layout: Layout, pins: Pins = new Map()): fc.Arbitrary<Record<string, unknown>> {
  const selectors = new Map<string, SwitchDecl>();
  for (const item of layout) if (isSwitch(item)) selectors.set(item.switch, item);
  // Runs of plain fields become one record; only a switch needs the value generated so far (a chain).
  let arb: fc.Arbitrary<Record<string, unknown>> = fc.constant({});
  let run: Record<string, fc.Arbitrary<unknown>> = {};
  const flush = () => {
    if (Object.keys(run).length === 0) return;
    const record = fc.record(run);
    arb = fc.tuple(arb, record).map(([a, b]) => {
      const merged: Record<string, unknown> = { ...a };
      for (const [k, v] of Object.entries(b)) if (v !== undefined) merged[k] = v;
      return merged;
    });
    run = {};
  };
  for (const item of layout) {
    if (isSwitch(item)) {
      flush();
      arb = arb.chain((obj) => {
        const key = item.key ? item.key(obj[item.switch]) : String(obj[item.switch]);
        const chosen = Object.hasOwn(item.cases, key) ? item.cases[key] : item.default ?? [{ name: 'data', type: 'rest', doc: '' } as FieldDecl];
        return layoutArb(chosen, pins).map((extra) => ({ ...obj, ...extra }));
      });
    } else {
      const fa = fieldArb(item, pins, selectors.get(item.name));
      run[item.name] = item.optional ? fc.option(fa, { nil: undefined }) : fa;
    }
  }
  flush();
  return arb.map((obj) => {
    for (const item of layout) {
      if (!isSwitch(item) && typeof item.type === 'object' && 'repeat' in item.type && item.type.count) {
        obj[item.type.count] = (obj[item.name] as unknown[]).length;
      }
    }
    return obj;
  });
}

/** The leaves of a field tree, in order. */
export function leaves(nodes: FieldNode[]): FieldNode[] {
  return nodes.flatMap((n) => (n.children ? leaves(n.children) : [n]));
}

/** Asserts-by-return: the first gap or overlap in the leaves' cover of [start, end), or null. */
export function coverProblem(nodes: FieldNode[], start: number, end: number): string | null {
  let at = start;
  for (const leaf of leaves(nodes)) {
    if (leaf.span.start !== at) return `${leaf.path} starts at ${leaf.span.start}, expected ${at}`;
    if (leaf.span.end < leaf.span.start) return `${leaf.path} ends before it starts`;
    at = leaf.span.end;
  }
  return at === end ? null : `the leaves end at ${at}, expected ${end}`;
}
