/**
 * @module messages
 * The SSH message catalog, declared once as data (layout.ts, the layouts in this folder), with one interpreter
 * (codec.ts) for decode, encode and byte spans.
 */
export * from './layout.ts';
export { decodeLayout, encodeLayout, type Decoded, type DecodeError, type FieldNode } from './codec.ts';
export { decodePublicKeyBlob, decodeSignatureBlob, publicKeyLayout, plainPublicKeyLayout, signatureLayout } from './blobs.ts';
