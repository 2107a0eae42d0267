/**
 * @module wire/reader
 * Reads the SSH data types of RFC 4251 §5 from a byte buffer and records a {@link FieldSpan} for every field: its
 * path, absolute byte span and decoded value. Lengths are checked against the remaining bytes before anything is
 * sliced, so a hostile length never allocates. Strings come back as views into the input, not copies.
 *
 * Nested structures (a key blob inside a string) are read with {@link WireReader.nested}: the child reader shares the
 * span list, prefixes its paths with the parent field's path and keeps absolute offsets.
 */
import { WireError } from './errors.ts';
import { toHex } from './hex.ts';
import type { FieldSpan, WireType, WireValue } from './types.ts';

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

export interface ReaderOptions {
  /** Absolute offset of `bytes[0]` in the outer buffer (for spans of nested or sliced data). Default 0. */
  base?: number;
  /** Path prefix for every field read, e.g. `host_key`. Default none. */
  prefix?: string;
  /** Where to record spans; a nested reader shares its parent's list. Default a new list. */
  spans?: FieldSpan[];
}

export class WireReader {
  readonly spans: FieldSpan[];
  private pos = 0;
  private readonly base: number;
  private readonly prefix: string;

  constructor(
    private readonly bytes: Uint8Array,
    options: ReaderOptions = {},
  ) {
    this.base = options.base ?? 0;
    this.prefix = options.prefix ?? '';
    this.spans = options.spans ?? [];
  }

  /** Offset of the next unread byte, relative to this reader's buffer. */
  get offset(): number {
    return this.pos;
  }

  /** Absolute offset of the next unread byte. */
  get absoluteOffset(): number {
    return this.base + this.pos;
  }

  get remaining(): number {
    return this.bytes.length - this.pos;
  }

  /** The full path of a field named `name` in this reader. */
  pathOf(name: string): string {
    return this.prefix ? (name ? `${this.prefix}.${name}` : this.prefix) : name;
  }

  /** RFC 4251 §5 byte. */
  byte(name: string): number {
    this.need(name, 1);
    return this.record(name, 'byte', 1, this.bytes[this.pos]);
  }

  /** RFC 4251 §5 byte[n]: `n` bytes whose length is known from context (e.g. the 16-byte KEXINIT cookie). */
  fixedBytes(name: string, n: number): Uint8Array {
    this.need(name, n);
    return this.record(name, 'bytes', n, this.bytes.subarray(this.pos, this.pos + n));
  }

  /** RFC 4251 §5 boolean: one byte, 0 or 1. Any other value is refused (the RFC forbids storing it). */
  boolean(name: string): boolean {
    this.need(name, 1);
    const b = this.bytes[this.pos];
    if (b > 1) this.fail('invalid-boolean', `boolean byte is ${b}, expected 0 or 1`, name, 0);
    return this.record(name, 'boolean', 1, b === 1);
  }

  /** RFC 4251 §5 uint32, big-endian. */
  uint32(name: string): number {
    this.need(name, 4);
    return this.record(name, 'uint32', 4, this.peekUint32());
  }

  /** RFC 4251 §5 uint64, big-endian, as a bigint. */
  uint64(name: string): bigint {
    this.need(name, 8);
    const hi = BigInt(this.peekUint32());
    const lo = BigInt(this.peekUint32(4));
    return this.record(name, 'uint64', 8, (hi << 32n) | lo);
  }

  /** RFC 4251 §5 string: uint32 length then that many bytes, returned as a view. */
  string(name: string): Uint8Array {
    const length = this.lengthPrefix(name);
    return this.record(name, 'string', 4 + length, this.bytes.subarray(this.pos + 4, this.pos + 4 + length));
  }

  /**
   * A string holding UTF-8 text (RFC 4251 §5 says ISO-10646 UTF-8 for human-readable strings). Invalid UTF-8 does not
   * fail: the value is then the raw bytes, so hostile input still decodes and re-encodes exactly.
   */
  text(name: string): string | Uint8Array {
    const length = this.lengthPrefix(name);
    const raw = this.bytes.subarray(this.pos + 4, this.pos + 4 + length);
    let value: string | Uint8Array;
    try {
      value = utf8.decode(raw);
    } catch {
      value = raw;
    }
    return this.record(name, 'text', 4 + length, value);
  }

  /**
   * RFC 4251 §5 mpint: two's complement, big-endian, in a string; zero is the empty string; no needless leading
   * 0x00 or 0xff byte (refused, since re-encoding would not give back the same bytes).
   */
  mpint(name: string): bigint {
    const length = this.lengthPrefix(name);
    const raw = this.bytes.subarray(this.pos + 4, this.pos + 4 + length);
    // Zero is the empty string, so a lone 0x00 is as needless as a leading one (RFC 4251 §5).
    if ((length === 1 && raw[0] === 0) || (length > 1 && ((raw[0] === 0 && raw[1] < 0x80) || (raw[0] === 0xff && raw[1] >= 0x80)))) {
      this.fail('non-minimal-mpint', `mpint has a needless leading 0x${raw[0].toString(16).padStart(2, '0')} byte`, name, 4);
    }
    return this.record(name, 'mpint', 4 + length, mpintValue(raw));
  }

  /**
   * RFC 4251 §5 name-list: a string of comma-separated US-ASCII names. The RFC wants every name non-empty, but real
   * peers send empty ones (libssh 0.10.6 ends its cipher lists with a comma) and OpenSSH accepts them, so an empty
   * name is kept as '' (it matches nothing in a negotiation, and re-encoding gives back the same bytes).
   */
  nameList(name: string): string[] {
    const length = this.lengthPrefix(name);
    const raw = this.bytes.subarray(this.pos + 4, this.pos + 4 + length);
    for (let i = 0; i < raw.length; i++) {
      const c = raw[i];
      if (c < 0x21 || c > 0x7e) {
        this.fail('bad-name-list', `name-list contains byte 0x${c.toString(16).padStart(2, '0')}, not printable US-ASCII`, name, 4 + i);
      }
    }
    let text = '';
    for (let i = 0; i < raw.length; i++) text += String.fromCharCode(raw[i]);
    return this.record(name, 'name-list', 4 + length, text === '' ? [] : text.split(','));
  }

  /** Every remaining byte (e.g. the opaque data of an unknown message or request). */
  rest(name: string): Uint8Array {
    return this.record(name, 'rest', this.remaining, this.bytes.subarray(this.pos));
  }

  /**
   * A reader over the content of a string field just read (e.g. a public key blob), whose paths sit under `name` and
   * whose spans are absolute. The caller reads the nested fields and calls `end()` on it.
   */
  nested(name: string, content: Uint8Array, contentOffset: number): WireReader {
    return new WireReader(content, { base: contentOffset, prefix: this.pathOf(name), spans: this.spans });
  }

  /** Reads a string and returns a reader over its content (see {@link nested}). The string's own span is kept. */
  stringReader(name: string): WireReader {
    const contentOffset = this.absoluteOffset + 4;
    const content = this.string(name);
    return this.nested(name, content, contentOffset);
  }

  /** Asserts that every byte was read: trailing bytes after the last declared field are an error. */
  end(): void {
    if (this.remaining > 0) {
      this.fail('trailing-bytes', `${this.remaining} unexpected byte(s) after the last field`, '', 0);
    }
  }

  private need(name: string, n: number): void {
    if (this.remaining < n) {
      this.fail('truncated', `needs ${n} byte(s) but only ${this.remaining} remain`, name, 0);
    }
  }

  private lengthPrefix(name: string): number {
    this.need(name, 4);
    const length = this.peekUint32();
    if (length > this.remaining - 4) {
      this.fail('length-beyond-buffer', `length ${length} exceeds the ${this.remaining - 4} byte(s) that remain`, name, 0);
    }
    return length;
  }

  private peekUint32(at = 0): number {
    const p = this.pos + at;
    const b = this.bytes;
    return ((b[p] << 24) | (b[p + 1] << 16) | (b[p + 2] << 8) | b[p + 3]) >>> 0;
  }

  private record<T extends WireValue>(name: string, type: WireType, size: number, value: T): T {
    const start = this.base + this.pos;
    this.spans.push({ path: this.pathOf(name), type, start, end: start + size, value });
    this.pos += size;
    return value;
  }

  private fail(code: ConstructorParameters<typeof WireError>[0], message: string, name: string, delta: number): never {
    throw new WireError(code, message, this.pathOf(name), this.base + this.pos + delta);
  }
}

/** The value of an mpint's two's-complement big-endian bytes (RFC 4251 §5). */
export function mpintValue(raw: Uint8Array): bigint {
  if (raw.length === 0) return 0n;
  let value = BigInt('0x' + toHex(raw));
  if (raw[0] & 0x80) value -= 1n << BigInt(raw.length * 8);
  return value;
}
