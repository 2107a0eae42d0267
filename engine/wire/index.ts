/**
 * @module wire
 * The SSH wire format, RFC 4251 §5: a span-recording reader, an exact writer and typed decode errors.
 */
export * from './types.ts';
export * from './errors.ts';
export { WireReader, mpintValue, type ReaderOptions } from './reader.ts';
export { WireWriter, mpintBytes, unsignedMpintBytes } from './writer.ts';
export * from './hex.ts';
