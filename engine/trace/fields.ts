/**
 * @module trace/fields
 * A decoded field as the trace stores it: the message catalog's field node (engine/messages/codec.ts), with a span
 * relative to the first byte of the payload (the message number), its explanation and RFC section.
 */
export type { FieldNode as DecodedField } from '../messages/index.ts';
