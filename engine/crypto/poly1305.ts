/**
 * @module crypto/poly1305
 * The one-time authenticator Poly1305 (RFC 8439 §2.5), one whole message at a time: a 1.3 KB WebAssembly module
 * (poly1305.wat, five 26-bit limbs with 64-bit products; several times faster than JavaScript can be without 64-bit
 * multiplies) wherever WebAssembly runs - node, browsers, workers - and noble's portable implementation otherwise
 * (a page whose content security policy forbids WebAssembly).
 */
import { poly1305 as noblePoly1305 } from '@noble/ciphers/_poly1305.js';
import { POLY1305_WASM_BASE64 } from './poly1305-wasm-bytes.ts';

/** Writes Poly1305(key, message) (key: 32 bytes r | s) into the first 16 bytes of `tag`. */
export type Poly1305Into = (key: Uint8Array, message: Uint8Array, tag: Uint8Array) => void;

interface Poly1305Exports {
  memory: WebAssembly.Memory;
  init(): void;
  blocks(length: number, final: number): void;
  finish(): void;
}

/** The module's memory layout (poly1305.wat): key at 0, tag at 32, message bytes from 64. */
const KEY_AT = 0;
const TAG_AT = 32;
const MESSAGE_AT = 64;
/** Message bytes per call: a multiple of 16 that leaves room for padding a last partial block within the page. */
const CHUNK = 65536 - MESSAGE_AT - 64;

/** noble's Poly1305, the portable fallback (and the cross-check of the WebAssembly one in tests). */
export const noblePoly1305Into: Poly1305Into = (key, message, tag) => {
  noblePoly1305.create(key).update(message).digestInto(tag);
};

function decodeBase64(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text);
  const bytes = new Uint8Array(new ArrayBuffer(binary.length));
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** The WebAssembly Poly1305, or undefined where WebAssembly cannot be compiled here. */
function instantiate(): Poly1305Into | undefined {
  let exports: Poly1305Exports;
  try {
    if (typeof WebAssembly !== 'object') return undefined;
    // Synchronous compilation: allowed for modules this small on a browser's main thread too.
    const instance = new WebAssembly.Instance(new WebAssembly.Module(decodeBase64(POLY1305_WASM_BASE64)));
    exports = instance.exports as unknown as Poly1305Exports;
  } catch {
    return undefined;
  }
  const memory = new Uint8Array(exports.memory.buffer);
  const { init, blocks, finish } = exports;
  return (key, message, tag) => {
    memory.set(key.subarray(0, 32), KEY_AT);
    init();
    let at = 0;
    for (; message.length - at > CHUNK; at += CHUNK) {
      memory.set(message.subarray(at, at + CHUNK), MESSAGE_AT);
      blocks(CHUNK, 0);
    }
    memory.set(message.subarray(at), MESSAGE_AT);
    blocks(message.length - at, 1);
    finish();
    tag.set(memory.subarray(TAG_AT, TAG_AT + 16));
    memory.fill(0, KEY_AT, KEY_AT + 32);
  };
}

/** The WebAssembly Poly1305 when this platform runs WebAssembly (for tests that compare the two). */
export const wasmPoly1305Into: Poly1305Into | undefined = instantiate();

/** Poly1305 by the fastest implementation available here. */
export const poly1305Into: Poly1305Into = wasmPoly1305Into ?? noblePoly1305Into;
