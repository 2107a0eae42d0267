/**
 * @module kex/shared-secret
 * The shared secret K as it enters the exchange hash and the key derivation (RFC 4253 §7.2, §8): an mpint for the
 * classic methods (RFC 4251 §5: leading zeros dropped, 0x00 added before a set top bit, so not always 32 bytes for
 * curve25519, RFC 8731 §3), a string for the hybrid KEM methods (RFC 9941 §2.4). Both forms carry their wire bytes.
 */
import { WireWriter, unsignedMpintBytes } from '../wire/index.ts';

export interface SharedSecret {
  encoding: 'mpint' | 'string';
  /** The content bytes: the mpint's two's-complement bytes, or the string's bytes. */
  content: Uint8Array;
  /** The whole wire encoding, uint32 length included: what H and the key derivation hash. */
  wire: Uint8Array;
}

/** K from an unsigned big-endian number (X25519 output, ECDH x coordinate, DH value as bytes). */
export function mpintSecret(unsignedBigEndian: Uint8Array): SharedSecret {
  const content = unsignedMpintBytes(unsignedBigEndian);
  return { encoding: 'mpint', content, wire: new WireWriter(content.length + 4).string(content).finish() };
}

/** K of a hybrid method: the hash output, hashed as a string. */
export function stringSecret(bytes: Uint8Array): SharedSecret {
  return { encoding: 'string', content: bytes, wire: new WireWriter(bytes.length + 4).string(bytes).finish() };
}
