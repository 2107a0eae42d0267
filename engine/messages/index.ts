/**
 * @module messages
 * The SSH message catalog, declared once as data, with one interpreter (codec.ts) for decode, encode and byte spans.
 */
export * from './layout.ts';
export type { MessageEntry, EntryContext, KexFamily } from './entry.ts';
export { decodeLayout, encodeLayout, type Decoded, type DecodeError, type FieldNode } from './codec.ts';
export { decodePublicKeyBlob, decodeSignatureBlob, publicKeyLayout, plainPublicKeyLayout, signatureLayout } from './blobs.ts';
export { messageCatalog, lookupMessage, decodeMessage, encodeMessage, type MessageContext, type DecodedMessage } from './catalog.ts';
export { kexFamily } from './kex.ts';
export { DISCONNECT_REASONS } from './transport.ts';
export { TERMINAL_MODES, OPEN_FAILURE_REASONS, hostkeysProveSignedDataLayout } from './connection.ts';
export { userauthSignedDataLayout } from './userauth.ts';
export { describeLayout, type LayoutRow } from './describe.ts';
