/**
 * @module capture/layout
 * Fixed-size headers of capture files and network layers, declared once as data: an ordered list of
 * `[name, size in bytes]`. Reading one gives a plain object of unsigned numbers, in the byte order asked for
 * (capture files come in either order; network headers are big-endian).
 */
export type FieldSize = 1 | 2 | 4;
export type Layout<Name extends string> = {
  readonly fields: readonly (readonly [Name, FieldSize])[];
  readonly size: number;
  /** The fields again as two flat arrays, and an object with every field at 0 that each read copies (so the result
   * gets its shape at once instead of growing one property at a time). */
  readonly names: readonly Name[];
  readonly sizes: readonly FieldSize[];
  readonly template: Readonly<Partial<Record<Name, number>>>;
  /** Each field's place, for reading single fields on hot paths with {@link readField} (no object per read). */
  readonly field: Readonly<Record<Name, FieldPlace>>;
};

/** Where one field of a layout lies: bytes from the start of the header, and its size. */
export interface FieldPlace {
  readonly offset: number;
  readonly size: FieldSize;
}

export function layout<const Name extends string>(fields: readonly (readonly [Name, FieldSize])[]): Layout<Name> {
  const template = {} as Record<Name, number>;
  const field = {} as Record<Name, FieldPlace>;
  let offset = 0;
  for (const [name, size] of fields) {
    template[name] = 0;
    field[name] = { offset, size };
    offset += size;
  }
  return {
    fields, size: offset,
    names: fields.map(([name]) => name), sizes: fields.map(([, size]) => size), template, field,
  };
}

/** Reads `layout` at `offset`; the caller has checked that `layout.size` bytes are there. */
export function readLayout<Name extends string>(
  bytes: Uint8Array,
  offset: number,
  shape: Layout<Name>,
  littleEndian = false,
): Record<Name, number> {
  // Plain byte arithmetic: this runs for every frame, and a DataView per call showed in decode profiles.
  const out = { ...shape.template } as Record<Name, number>;
  const { names, sizes } = shape;
  const b = bytes;
  let at = offset;
  for (let i = 0; i < names.length; i++) {
    const size = sizes[i];
    out[names[i]] = size === 1 ? b[at]
      : size === 2 ? (littleEndian ? b[at] | (b[at + 1] << 8) : (b[at] << 8) | b[at + 1])
      : (littleEndian ? b[at] | (b[at + 1] << 8) | (b[at + 2] << 16) | (b[at + 3] << 24) : (b[at] << 24) | (b[at + 1] << 16) | (b[at + 2] << 8) | b[at + 3]) >>> 0;
    at += size;
  }
  return out;
}

/**
 * Reads one field of a header that starts at `base` (the caller has checked that the header is there). The per-frame
 * paths (pcap records, link, IP and TCP headers) read their fields one by one with this: a whole-header readLayout
 * builds an object with computed keys on every frame, which showed at 4% of a bulk decode's profile.
 */
export function readField(bytes: Uint8Array, base: number, place: FieldPlace, littleEndian = false): number {
  const at = base + place.offset;
  const size = place.size;
  if (size === 1) return bytes[at];
  if (size === 2) return littleEndian ? bytes[at] | (bytes[at + 1] << 8) : (bytes[at] << 8) | bytes[at + 1];
  return (littleEndian
    ? bytes[at] | (bytes[at + 1] << 8) | (bytes[at + 2] << 16) | (bytes[at + 3] << 24)
    : (bytes[at] << 24) | (bytes[at + 1] << 16) | (bytes[at + 2] << 8) | bytes[at + 3]) >>> 0;
}

/** Writes `values` in `layout` order; the inverse of readLayout (used by the pcapng writer and test builders). */
export function writeLayout<Name extends string>(
  shape: Layout<Name>,
  values: Record<Name, number>,
  littleEndian = false,
): Uint8Array {
  const out = new Uint8Array(shape.size);
  const view = new DataView(out.buffer);
  let at = 0;
  for (const [name, size] of shape.fields) {
    const value = values[name];
    if (size === 1) view.setUint8(at, value);
    else if (size === 2) view.setUint16(at, value, littleEndian);
    else view.setUint32(at, value, littleEndian);
    at += size;
  }
  return out;
}
