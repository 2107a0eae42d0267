/**
 * @module wire/types
 * The SSH data types of RFC 4251 §5 and the span record every decoded field leaves behind.
 * A span says which bytes a field came from (absolute offsets into the buffer being decoded), so the UI can link any
 * byte to its field and back without parsing anything itself.
 */

/** RFC 4251 §5 data types, plus `text` (a string holding UTF-8) and `rest` (the remaining bytes of the payload). */
export type WireType =
  | 'byte'
  | 'bytes' // byte[n], a fixed length known from context
  | 'boolean'
  | 'uint32'
  | 'uint64'
  | 'string' // uint32 length + arbitrary bytes
  | 'text' // a string whose bytes are UTF-8 (user names, commands, messages)
  | 'mpint'
  | 'name-list'
  | 'rest';

/**
 * A decoded value. `text` is a JS string when its bytes are valid UTF-8, else the raw bytes (so decoding never fails
 * on hostile text and re-encoding gives back the exact bytes); `uint64` and `mpint` are bigints.
 */
export type WireValue = number | bigint | boolean | string | string[] | Uint8Array;

export interface FieldSpan {
  /** Dotted path of the field, e.g. `kex_algorithms` or `host_key.e`. */
  path: string;
  type: WireType;
  /** Absolute offset of the field's first byte (its length prefix included, for strings). */
  start: number;
  /** Absolute offset one past the field's last byte. */
  end: number;
  value: WireValue;
}

export interface Span {
  start: number;
  end: number;
}
