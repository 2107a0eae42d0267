/**
 * @module wire/writer
 * Writes the SSH data types of RFC 4251 §5, producing the exact bytes: big-endian integers, length-prefixed strings,
 * minimal two's-complement mpints (no needless leading byte, 0x00 before a set high bit, zero as the empty string).
 */
import { WireError } from './errors.ts';
import { fromHex } from './hex.ts';

const utf8 = new TextEncoder();

export class WireWriter {
  private buffer: Uint8Array;
  private length = 0;

  constructor(initialCapacity = 256) {
    this.buffer = new Uint8Array(initialCapacity);
  }

  /** The bytes written so far (a copy trimmed to size). */
  finish(): Uint8Array {
    return this.buffer.slice(0, this.length);
  }

  get size(): number {
    return this.length;
  }

  byte(value: number): this {
    checkRange('byte', value, 0xff);
    this.reserve(1)[0] = value;
    return this;
  }

  /** byte[n]: raw bytes with no length prefix. */
  raw(bytes: Uint8Array): this {
    this.reserve(bytes.length).set(bytes);
    return this;
  }

  boolean(value: boolean): this {
    return this.byte(value ? 1 : 0);
  }

  uint32(value: number): this {
    checkRange('uint32', value, 0xffffffff);
    const out = this.reserve(4);
    out[0] = value >>> 24;
    out[1] = (value >>> 16) & 0xff;
    out[2] = (value >>> 8) & 0xff;
    out[3] = value & 0xff;
    return this;
  }

  uint64(value: bigint): this {
    if (value < 0n || value > 0xffffffffffffffffn) throw invalid('uint64', value);
    this.uint32(Number(value >> 32n));
    return this.uint32(Number(value & 0xffffffffn));
  }

  string(bytes: Uint8Array): this {
    this.uint32(bytes.length);
    return this.raw(bytes);
  }

  /** A string of UTF-8 text; raw bytes (undecodable text kept as it came) are written as they are. */
  text(value: string | Uint8Array): this {
    return this.string(typeof value === 'string' ? utf8.encode(value) : value);
  }

  mpint(value: bigint): this {
    return this.string(mpintBytes(value));
  }

  nameList(names: readonly string[]): this {
    return this.text(names.join(','));
  }

  private reserve(n: number): Uint8Array {
    const needed = this.length + n;
    if (needed > this.buffer.length) {
      const grown = new Uint8Array(Math.max(needed, this.buffer.length * 2));
      grown.set(this.buffer.subarray(0, this.length));
      this.buffer = grown;
    }
    const view = this.buffer.subarray(this.length, needed);
    this.length = needed;
    return view;
  }
}

/** The content bytes of an mpint (RFC 4251 §5): minimal two's complement, big-endian; zero is empty. */
export function mpintBytes(value: bigint): Uint8Array {
  if (value === 0n) return new Uint8Array(0);
  const negative = value < 0n;
  // Two's complement: find the smallest byte count whose sign bit matches the value's sign.
  let magnitudeHex = (negative ? -value - 1n : value).toString(16);
  if (magnitudeHex.length % 2) magnitudeHex = '0' + magnitudeHex;
  if (magnitudeHex === '00') magnitudeHex = '';
  let bytes = fromHex(magnitudeHex)!;
  if (bytes.length === 0 || bytes[0] & 0x80) {
    const padded = new Uint8Array(bytes.length + 1);
    padded.set(bytes, 1);
    bytes = padded;
  }
  if (negative) for (let i = 0; i < bytes.length; i++) bytes[i] ^= 0xff;
  return bytes;
}

/**
 * The mpint content for an unsigned big-endian number given as bytes (e.g. an X25519 shared secret, RFC 8731 §3):
 * leading zero bytes dropped, a 0x00 added when the top bit is set.
 */
export function unsignedMpintBytes(unsigned: Uint8Array): Uint8Array {
  let i = 0;
  while (i < unsigned.length && unsigned[i] === 0) i++;
  const trimmed = unsigned.subarray(i);
  if (trimmed.length > 0 && trimmed[0] & 0x80) {
    const out = new Uint8Array(trimmed.length + 1);
    out.set(trimmed, 1);
    return out;
  }
  return trimmed.slice();
}

function checkRange(type: string, value: number, max: number): void {
  if (!Number.isInteger(value) || value < 0 || value > max) throw invalid(type, value);
}

function invalid(type: string, value: number | bigint): WireError {
  return new WireError('invalid-value', `${String(value)} is not a valid ${type}`, type, 0);
}
