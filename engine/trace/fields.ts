/**
 * @module trace/fields
 * A decoded field as the trace stores it: the structural shape the message catalog (engine/messages) produces.
 * Spans are relative to the first byte of the payload (the message number).
 */
export interface DecodedField {
  path: string;
  name: string;
  type: string;
  start: number;
  end: number;
  value?: unknown;
  doc?: string;
  rfc?: string;
  children?: DecodedField[];
}
