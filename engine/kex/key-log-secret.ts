/**
 * @module kex/key-log-secret
 * K from a key-log line, for the capture decryptor (Wireshark's `ssh.keylog_file` forms, see SSH-FACTS.md):
 * - `PRIVATE_KEY` (and the bare old form): one side's private value - a DH/GEX exponent (unsigned big-endian), the
 *   32-byte X25519 scalar, an ECDH scalar, or for a hybrid client the KEM secret key then the X25519 scalar. It is
 *   checked against both public values in the messages, then combined with the other one.
 * - `SHARED_SECRET`: K itself - a minimal unsigned big-endian number (made an mpint here), or for the hybrids the
 *   hash output that is hashed as a string.
 */
import { bytesToBigInt, type DhGroup } from './modp-groups.ts';
import { dhPublicValue, dhSharedSecret } from './dh.ts';
import { montgomeryPublicKey, montgomerySharedSecret, nistPublicKey, nistSharedSecret, MONTGOMERY_BYTES, NIST_CURVE_BYTES } from './ecdh.ts';
import { KexError } from './errors.ts';
import { HASHES } from './hashes.ts';
import { decodeHybridPrivate, hybridClientFinish, hybridParts } from './hybrid.ts';
import { asBigInt, asBytes, dhGroupOf, type KexPublicValue } from './kex.ts';
import { kexMethod } from './methods.ts';
import { mpintSecret, stringSecret, type SharedSecret } from './shared-secret.ts';
import { equalBytes, fromHex } from '../wire/index.ts';

export type Side = 'client' | 'server';

export interface KeyLogSecretInput {
  method: string;
  clientPublic: KexPublicValue;
  serverPublic: KexPublicValue;
  /** Group exchange: the (p, g) of SSH_MSG_KEX_DH_GEX_GROUP. */
  group?: DhGroup;
  kind: 'PRIVATE_KEY' | 'SHARED_SECRET';
  /** The secret as hex (either case) or bytes. */
  secret: string | Uint8Array;
  /** Whose KEXINIT cookie the line was written with. */
  cookieSide: Side;
}

export interface KeyLogSecretResult {
  K: SharedSecret;
  /** For PRIVATE_KEY: whose private value it turned out to be. */
  privateValueOf?: Side;
  /** Something worth telling the user (e.g. the value belongs to the side whose cookie it did not come with). */
  note?: string;
}

export function sharedSecretFromKeyLog(input: KeyLogSecretInput): KeyLogSecretResult {
  const method = kexMethod(input.method);
  const secret = typeof input.secret === 'string' ? parseHex(input.secret) : input.secret;

  if (input.kind === 'SHARED_SECRET') {
    if (method.sharedSecretEncoding === 'string') {
      const size = HASHES[method.hash].outputLength;
      if (secret.length !== size) {
        throw new KexError('bad-key-log-secret', `SHARED_SECRET for ${method.name} must be the ${size}-byte ${method.hash} output, it is ${secret.length} bytes`);
      }
      return { K: stringSecret(secret) };
    }
    return { K: mpintSecret(secret) };
  }

  // RFC 4432: the client picks K and sends it encrypted to the server's transient key; no private value of the
  // exchange gives K without that transient RSA private key, which no key log holds.
  if (method.family === 'rsa') {
    throw new KexError('key-log-mismatch', `${method.name} (RFC 4432) needs K itself: the client chose it and sent it encrypted to the server's transient RSA key, which sshlens cannot decrypt without that key's private half; log this exchange as "<cookie> SHARED_SECRET <hex K>"`);
  }
  // PRIVATE_KEY: find whose private value it is, try the cookie's side first.
  const order: Side[] = input.cookieSide === 'client' ? ['client', 'server'] : ['server', 'client'];
  for (const side of order) {
    const K = tryPrivateValue(input, secret, side);
    if (K) {
      const note = side === input.cookieSide ? undefined
        : `the PRIVATE_KEY came with the ${input.cookieSide}'s cookie but is the ${side}'s private value`;
      return { K, privateValueOf: side, note };
    }
  }
  const hint = method.family === 'hybrid-kem'
    ? ` (for ${method.name} give the client's ${method.kem} secret key then its ${hybridParts(method).curve.label} scalar, or SHARED_SECRET)`
    : '';
  throw new KexError('key-log-mismatch', `this PRIVATE_KEY is not the private value behind either public value (${method.clientPublicName} or ${method.serverPublicName}) of this ${method.name} exchange${hint}`);
}

/** K when `secret` is `side`'s private value, else null. */
function tryPrivateValue(input: KeyLogSecretInput, secret: Uint8Array, side: Side): SharedSecret | null {
  const method = kexMethod(input.method);
  const own = side === 'client' ? input.clientPublic : input.serverPublic;
  const peer = side === 'client' ? input.serverPublic : input.clientPublic;
  const peerName = side === 'client' ? method.serverPublicName : method.clientPublicName;
  switch (method.family) {
    case 'dh-group':
    case 'dh-gex': {
      const group = dhGroupOf(method, input.group);
      const x = bytesToBigInt(secret);
      if (dhPublicValue(group, x) !== asBigInt(method, own, 'own public value')) return null;
      return dhSharedSecret(group, x, asBigInt(method, peer, peerName), peerName);
    }
    case 'curve25519': {
      const curve = method.montgomery ?? 'x25519';
      const size = MONTGOMERY_BYTES[curve];
      if (secret.length !== size) throw badLength(method.name, `an ${curve.toUpperCase()} scalar`, size, secret.length);
      if (!equalBytes(montgomeryPublicKey(curve, secret), asBytes(method, own, 'own public value'))) return null;
      return montgomerySharedSecret(curve, secret, asBytes(method, peer, peerName), peerName);
    }
    case 'ecdh-nist': {
      const size = NIST_CURVE_BYTES[method.curve!];
      if (secret.length > size) throw badLength(method.name, `a ${method.curve} scalar`, size, secret.length);
      // A minimal big-endian scalar may have lost leading zeros; the ECDH functions pad it back.
      if (!equalBytes(nistPublicKey(method.curve!, secret), asBytes(method, own, 'own public value'))) return null;
      return nistSharedSecret(method.curve!, secret, asBytes(method, peer, peerName), peerName);
    }
    case 'rsa':
      return null;
    case 'hybrid-kem': {
      if (side === 'server') return null; // the server's classical scalar alone does not give K_pq
      const { kem, curve } = hybridParts(method);
      const decoded = decodeHybridPrivate(kem, curve, secret);
      if (!decoded) return null;
      const C_INIT = asBytes(method, own, 'C_INIT');
      const pub = C_INIT.subarray(kem.publicKeyLength);
      if (C_INIT.length !== kem.publicKeyLength + curve.publicKeyLength) return null;
      let derived: Uint8Array;
      try {
        derived = curve.publicKey(decoded.classicalPrivate);
      } catch {
        return null; // not a scalar of this curve: the line belongs to another exchange
      }
      if (!equalBytes(derived, pub)) return null;
      return hybridClientFinish(kem, curve, method.hash, decoded, asBytes(method, peer, 'S_REPLY'));
    }
  }
}

function parseHex(hex: string): Uint8Array {
  const trimmed = hex.trim();
  const bytes = fromHex(trimmed.length % 2 ? '0' + trimmed : trimmed);
  if (!bytes) throw new KexError('bad-key-log-secret', `the key-log secret is not hexadecimal: "${trimmed.slice(0, 40)}${trimmed.length > 40 ? '...' : ''}"`);
  return bytes;
}

function badLength(method: string, what: string, size: number, got: number): KexError {
  return new KexError('bad-key-log-secret', `PRIVATE_KEY for ${method} must be ${what} of ${size} bytes, it is ${got} bytes`);
}
