/**
 * @module kex/exchange-hash
 * The exchange hash H (RFC 4253 §8, RFC 4419 §3, RFC 5656 §4, RFC 8731 §3, RFC 9941 §2.4):
 *   H = HASH(string V_C | string V_S | string I_C | string I_S | string K_S | <method part> | K)
 * with the method part declared per family below. Every input comes back with its name, type, meaning and exact
 * encoded bytes, so a UI can show each one and recompute H by hashing their concatenation.
 */
import { WireWriter } from '../wire/index.ts';
import { KexError } from './errors.ts';
import { hashParts, type HashName } from './hashes.ts';
import { asBigInt, asBytes, type KexPublicValue } from './kex.ts';
import { kexMethod, type KexFamily, type KexMethod } from './methods.ts';
import type { SharedSecret } from './shared-secret.ts';
import { hybridParts } from './hybrid.ts';

/** Group exchange parameters (RFC 4419): the request (min and max absent for SSH_MSG_KEX_DH_GEX_REQUEST_OLD) and the group. */
export interface GexParameters {
  min?: number;
  n: number;
  max?: number;
  p: bigint;
  g: bigint;
}

export interface ExchangeHashInputs {
  method: string;
  /** Identification lines without CR LF (RFC 4253 §4.2). */
  V_C: string | Uint8Array;
  V_S: string | Uint8Array;
  /** The whole KEXINIT payloads, from the message number byte 20 on. */
  I_C: Uint8Array;
  I_S: Uint8Array;
  /** The server's host key blob. */
  K_S: Uint8Array;
  clientPublic: KexPublicValue;
  serverPublic: KexPublicValue;
  /** Group exchange only. */
  gex?: GexParameters;
  /** K, as a SharedSecret or directly its wire bytes (uint32 length included). */
  K: SharedSecret | Uint8Array;
}

export interface HashInputPart {
  name: string;
  type: 'string' | 'mpint' | 'uint32';
  meaning: string;
  /** The exact bytes hashed for this input. */
  encoded: Uint8Array;
}

export interface ExchangeHash {
  method: string;
  hash: HashName;
  H: Uint8Array;
  inputs: HashInputPart[];
}

const utf8 = new TextEncoder();
const str = (name: string, meaning: string, bytes: Uint8Array): HashInputPart => ({
  name, type: 'string', meaning, encoded: new WireWriter(bytes.length + 4).string(bytes).finish(),
});
const mp = (name: string, meaning: string, value: bigint): HashInputPart => ({
  name, type: 'mpint', meaning, encoded: new WireWriter().mpint(value).finish(),
});
const u32 = (name: string, meaning: string, value: number): HashInputPart => ({
  name, type: 'uint32', meaning, encoded: new WireWriter(4).uint32(value).finish(),
});

/** The method part of H for each family. */
const METHOD_PARTS: Record<KexFamily, (m: KexMethod, i: ExchangeHashInputs) => HashInputPart[]> = {
  /** RFC 4253 §8: mpint e | mpint f. */
  'dh-group': (m, i) => [
    mp('e', "client's DH public value g^x mod p", asBigInt(m, i.clientPublic, 'e')),
    mp('f', "server's DH public value g^y mod p", asBigInt(m, i.serverPublic, 'f')),
  ],
  /** RFC 4419 §3: uint32 min | uint32 n | uint32 max | mpint p | mpint g | mpint e | mpint f; REQUEST_OLD: n only. */
  'dh-gex': (m, i) => {
    const gex = i.gex;
    if (!gex) throw new KexError('no-group', `${m.name}: the exchange hash needs the request (min, n, max) and the group (p, g)`);
    if ((gex.min === undefined) !== (gex.max === undefined)) {
      throw new KexError('no-group', `${m.name}: give both min and max (SSH_MSG_KEX_DH_GEX_REQUEST) or neither (REQUEST_OLD)`);
    }
    const request = gex.min === undefined
      ? [u32('n', 'preferred group size in bits (REQUEST_OLD)', gex.n)]
      : [
          u32('min', 'minimal acceptable group size in bits', gex.min),
          u32('n', 'preferred group size in bits', gex.n),
          u32('max', 'maximal acceptable group size in bits', gex.max!),
        ];
    return [
      ...request,
      mp('p', 'safe prime chosen by the server', gex.p),
      mp('g', 'generator chosen by the server', gex.g),
      mp('e', "client's DH public value g^x mod p", asBigInt(m, i.clientPublic, 'e')),
      mp('f', "server's DH public value g^y mod p", asBigInt(m, i.serverPublic, 'f')),
    ];
  },
  /** RFC 5656 §4: string Q_C | string Q_S. */
  'ecdh-nist': (m, i) => [
    str('Q_C', "client's ephemeral public key (uncompressed point)", asBytes(m, i.clientPublic, 'Q_C')),
    str('Q_S', "server's ephemeral public key (uncompressed point)", asBytes(m, i.serverPublic, 'Q_S')),
  ],
  /** RFC 8731 §3: as RFC 5656, with 32-byte X25519 public keys. */
  curve25519: (m, i) => [
    str('Q_C', "client's ephemeral X25519 public key", asBytes(m, i.clientPublic, 'Q_C')),
    str('Q_S', "server's ephemeral X25519 public key", asBytes(m, i.serverPublic, 'Q_S')),
  ],
  /** RFC 4432 §4: string K_T | string encrypted secret (then mpint K). */
  rsa: (m, i) => [
    str('K_T', "server's transient RSA public key blob", asBytes(m, i.serverPublic, 'K_T')),
    str('encrypted_secret', 'K encrypted by the client to K_T (RSAES-OAEP)', asBytes(m, i.clientPublic, 'encrypted_secret')),
  ],
  /** RFC 9941 §2.4, draft-kampanakis-curdle-ssh-pq-ke §2.5: string C_INIT | string S_REPLY. */
  'hybrid-kem': (m, i) => [
    str('C_INIT', `client's KEM public key | ${hybridParts(m).curve.label} public key`, asBytes(m, i.clientPublic, 'C_INIT')),
    str('S_REPLY', `server's KEM ciphertext | ${hybridParts(m).curve.label} public key`, asBytes(m, i.serverPublic, 'S_REPLY')),
  ],
};

/** Every input of H, in order, with its encoded bytes. */
export function exchangeHashInputs(inputs: ExchangeHashInputs): HashInputPart[] {
  const method = kexMethod(inputs.method);
  const text = (v: string | Uint8Array, name: string) => {
    const bytes = typeof v === 'string' ? utf8.encode(v) : v;
    if (bytes.includes(0x0d) || bytes.includes(0x0a)) {
      throw new KexError('bad-identification', `${name} must be the identification line without CR LF (RFC 4253 §8)`, name);
    }
    return bytes;
  };
  const K = inputs.K instanceof Uint8Array ? inputs.K : inputs.K.wire;
  return [
    str('V_C', "client's identification string, without CR LF", text(inputs.V_C, 'V_C')),
    str('V_S', "server's identification string, without CR LF", text(inputs.V_S, 'V_S')),
    str('I_C', "payload of the client's SSH_MSG_KEXINIT", inputs.I_C),
    str('I_S', "payload of the server's SSH_MSG_KEXINIT", inputs.I_S),
    str('K_S', "server's public host key blob", inputs.K_S),
    ...METHOD_PARTS[method.family](method, inputs),
    {
      name: 'K',
      type: method.sharedSecretEncoding,
      meaning: method.sharedSecretEncoding === 'mpint' ? 'shared secret, as an mpint' : 'shared secret HASH(K_pq | K_x25519), as a string',
      encoded: K,
    },
  ];
}

/** H = HASH(all inputs, concatenated), with the inputs listed. */
export function exchangeHash(inputs: ExchangeHashInputs): ExchangeHash {
  const method = kexMethod(inputs.method);
  const parts = exchangeHashInputs(inputs);
  return { method: method.name, hash: method.hash, H: hashParts(method.hash, parts.map((p) => p.encoded)), inputs: parts };
}
