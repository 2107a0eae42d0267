/**
 * @module endpoint/values
 * Small byte helpers of the endpoints: key-log values (SSH-FACTS.md: K as a minimal unsigned number, or the hybrid's
 * hash output; a private exponent as unsigned big-endian bytes) and joining chunks.
 */
import type { SharedSecret } from '../kex/shared-secret.ts';

export function unsignedBytes(value: bigint): Uint8Array {
  const hex = value.toString(16);
  const padded = hex.length % 2 ? `0${hex}` : hex;
  const out = new Uint8Array(padded.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(padded.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/** The key log's SHARED_SECRET value: K as a minimal unsigned number, or the hybrid's hash output (SSH-FACTS.md). */
export function sharedSecretValue(K: SharedSecret): Uint8Array {
  if (K.encoding === 'string') return K.content;
  let i = 0;
  while (i < K.content.length - 1 && K.content[i] === 0) i++;
  return K.content.subarray(i);
}

