/**
 * @module crypto/overwritten-buffers
 * A platform fast path like the AES, HMAC and RSA ones beside it: arrays for callers that write every byte before
 * anything reads one (a decrypted packet, the copy of bytes that span two chunks). JavaScript zero-fills every new
 * Uint8Array, which on a 32 KiB packet costs as much as decrypting it with AES-NI; the CLI installs node's
 * `Buffer.allocUnsafeSlow` here (cli/node-crypto.ts). The engine itself imports nothing from node.
 */

/** Makes an array of `length` bytes for a caller that writes every one of them before anything reads it. */
export type OverwrittenAllocator = (length: number) => Uint8Array;

const zeroed: OverwrittenAllocator = (length) => new Uint8Array(length);
let current: OverwrittenAllocator = zeroed;

/**
 * Below this, a plain zero-filled array is cheaper: small typed arrays live on the JavaScript heap, and a platform
 * allocation costs a call out (measured: 10 times slower at 48 bytes, even at 1 KiB, 2.5 times faster at 16 KiB).
 */
const PLATFORM_FROM = 1024;

/** An array of `length` bytes whose contents are unspecified: write all of them before reading any. */
export function allocateOverwritten(length: number): Uint8Array {
  return length < PLATFORM_FROM ? new Uint8Array(length) : current(length);
}

/** Installs (or, with undefined, removes) the platform allocator. */
export function setOverwrittenAllocator(allocator: OverwrittenAllocator | undefined): void {
  current = allocator ?? zeroed;
}
