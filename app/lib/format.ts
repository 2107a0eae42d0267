/** Formatting of values from traces for display: hex, sizes, times, field values (strings made inert). */
import type { Timestamp } from '../../engine/trace/model.ts';
import { bytesAsText, inertString } from './inert.ts';

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

export function hexByte(byte: number): string {
  return HEX[byte];
}

export function toHex(bytes: Uint8Array, max = Infinity): string {
  let out = '';
  const n = Math.min(bytes.length, max);
  for (let i = 0; i < n; i++) out += HEX[bytes[i]];
  return n < bytes.length ? `${out}… (${bytes.length} bytes)` : out;
}

export function offsetLabel(offset: number): string {
  return offset.toString(16).padStart(6, '0');
}

export function formatTime(time: Timestamp | undefined, origin?: Timestamp): string {
  if (!time) return '';
  if (origin) {
    const ms = (time.seconds - origin.seconds) * 1000 + (time.nanoseconds - origin.nanoseconds) / 1e6;
    return `+${ms.toFixed(3)} ms`;
  }
  return new Date(time.seconds * 1000 + Math.floor(time.nanoseconds / 1e6)).toISOString();
}

/** A field value as one line of inert text. */
export function formatValue(value: unknown, max = 96): string {
  if (value === undefined) return '';
  if (value === null) return 'null';
  if (value instanceof Uint8Array) {
    const text = value.length > 0 && value.length <= 256 ? bytesAsText(value) : null;
    const printable = text !== null && /^[\x20-\x7e]*$/.test(text);
    return printable ? `"${text}"` : `${toHex(value, 32)}${value.length <= 32 ? ` (${value.length} bytes)` : ''}`;
  }
  if (typeof value === 'bigint') {
    const hex = value.toString(16);
    return hex.length > 64 ? `0x${hex.slice(0, 64)}… (${hex.length * 4} bits)` : `0x${hex}`;
  }
  if (typeof value === 'string') return `"${inertString(value, max)}"`;
  if (Array.isArray(value)) return inertString(value.map((item) => (typeof item === 'string' ? item : formatValue(item, 24))).join(','), max);
  if (typeof value === 'object') return '{…}';
  return String(value);
}
