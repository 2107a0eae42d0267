/**
 * @module kex/derive
 * Key derivation, RFC 4253 §7.2: X = HASH(K | H | letter | session_id) for the letters A-F, extended while more
 * bytes are needed by K2 = HASH(K | H | K1), K3 = HASH(K | H | K1 | K2), ... - every earlier block, not just the
 * last (Wireshark hashes only the last one, which breaks keys longer than two hash blocks). K is hashed in its
 * wire encoding (mpint, or string for the hybrids); session_id is the H of the connection's first key exchange.
 * Sizes are passed in: they come from the cipher and MAC registries.
 */
import { concatBytes } from '../wire/index.ts';
import { hashParts, type HashName } from './hashes.ts';

/** RFC 4253 §7.2 letters and what each one keys. */
export const KEY_LETTERS = [
  { letter: 'A', name: 'ivClientToServer', meaning: 'initial IV, client to server' },
  { letter: 'B', name: 'ivServerToClient', meaning: 'initial IV, server to client' },
  { letter: 'C', name: 'keyClientToServer', meaning: 'encryption key, client to server' },
  { letter: 'D', name: 'keyServerToClient', meaning: 'encryption key, server to client' },
  { letter: 'E', name: 'macKeyClientToServer', meaning: 'integrity key, client to server' },
  { letter: 'F', name: 'macKeyServerToClient', meaning: 'integrity key, server to client' },
] as const;

export type KeyName = (typeof KEY_LETTERS)[number]['name'];
export type KeyLetter = (typeof KEY_LETTERS)[number]['letter'];

/** Each letter as the one byte that is hashed. */
const LETTER_BYTES = Object.fromEntries(KEY_LETTERS.map(({ letter }) => [letter, new Uint8Array([letter.charCodeAt(0)])])) as Record<KeyLetter, Uint8Array>;

/** One derived key of `length` bytes for `letter` (RFC 4253 §7.2). */
export function deriveKey(
  hash: HashName,
  K: Uint8Array,
  H: Uint8Array,
  letter: KeyLetter,
  sessionId: Uint8Array,
  length: number,
): Uint8Array {
  if (length === 0) return new Uint8Array(0);
  const blocks = [hashParts(hash, [K, H, LETTER_BYTES[letter], sessionId])];
  let have = blocks[0].length;
  while (have < length) {
    const next = hashParts(hash, [K, H, ...blocks]);
    blocks.push(next);
    have += next.length;
  }
  return concatBytes(...blocks).subarray(0, length);
}

export interface KeySizes {
  ivClientToServer: number;
  ivServerToClient: number;
  keyClientToServer: number;
  keyServerToClient: number;
  macKeyClientToServer: number;
  macKeyServerToClient: number;
}

export interface DerivationInputs {
  hash: HashName;
  /** K in its wire encoding (uint32 length included): SharedSecret.wire. */
  K: Uint8Array;
  H: Uint8Array;
  sessionId: Uint8Array;
  sizes: KeySizes;
}

export type DerivedKeys = Record<KeyName, Uint8Array>;

/** All six keys A-F at the sizes given. */
export function deriveKeys(inputs: DerivationInputs): DerivedKeys {
  const out = {} as DerivedKeys;
  for (const { letter, name } of KEY_LETTERS) {
    out[name] = deriveKey(inputs.hash, inputs.K, inputs.H, letter, inputs.sessionId, inputs.sizes[name]);
  }
  return out;
}
