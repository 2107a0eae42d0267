/**
 * @module kex/methods
 * The key exchange methods sshlens knows, declared once as data: family, hash, group / curve / KEM, how the shared
 * secret K is encoded, and the names the spec gives the two public values. Negotiation, the exchange hash, key
 * derivation, key logs and the tests all read this registry.
 */
import { KexError } from './errors.ts';
import type { HashName } from './hashes.ts';
import type { ModpGroupName } from './modp-groups.ts';

/**
 * - `dh-group`: fixed MODP group, messages 30 KEXDH_INIT(e) / 31 KEXDH_REPLY(K_S, f, sig) (RFC 4253 §8)
 * - `dh-gex`: group exchange, 34 REQUEST / 30 REQUEST_OLD, 31 GROUP, 32 INIT(e), 33 REPLY (RFC 4419)
 * - `ecdh-nist`: 30 KEX_ECDH_INIT(Q_C) / 31 KEX_ECDH_REPLY(K_S, Q_S, sig) (RFC 5656 §4)
 * - `curve25519`: the same messages with X25519 (RFC 8731)
 * - `hybrid-kem`: 30 HYBRID_INIT(C_INIT) / 31 HYBRID_REPLY(K_S, S_REPLY, sig), a post-quantum KEM plus X25519
 *   (RFC 9941 for sntrup761, draft-ietf-sshm-mlkem-hybrid-kex for ML-KEM)
 */
export type KexFamily = 'dh-group' | 'dh-gex' | 'ecdh-nist' | 'curve25519' | 'hybrid-kem';
export type NistCurveName = 'p256' | 'p384' | 'p521';
export type KemName = 'mlkem768' | 'sntrup761';

export interface KexMethod {
  name: string;
  family: KexFamily;
  /** HASH of the exchange hash and key derivation. */
  hash: HashName;
  /** `mpint` for every method except the hybrids, whose K is `string HASH(K_pq | K_x25519)`. */
  sharedSecretEncoding: 'mpint' | 'string';
  group?: ModpGroupName;
  curve?: NistCurveName;
  kem?: KemName;
  /** The spec's names for the client's and the server's public value (as they appear in H). */
  clientPublicName: string;
  serverPublicName: string;
  spec: string;
}

const dhGroup = (name: string, group: ModpGroupName, hash: HashName, spec: string): KexMethod => ({
  name, family: 'dh-group', hash, sharedSecretEncoding: 'mpint', group, clientPublicName: 'e', serverPublicName: 'f', spec,
});
const gex = (name: string, hash: HashName): KexMethod => ({
  name, family: 'dh-gex', hash, sharedSecretEncoding: 'mpint', clientPublicName: 'e', serverPublicName: 'f', spec: 'RFC 4419',
});
const ecdh = (curve: NistCurveName, hash: HashName): KexMethod => ({
  name: `ecdh-sha2-nist${curve}`, family: 'ecdh-nist', hash, sharedSecretEncoding: 'mpint', curve,
  clientPublicName: 'Q_C', serverPublicName: 'Q_S', spec: 'RFC 5656 §4',
});
const c25519 = (name: string): KexMethod => ({
  name, family: 'curve25519', hash: 'sha256', sharedSecretEncoding: 'mpint',
  clientPublicName: 'Q_C', serverPublicName: 'Q_S', spec: 'RFC 8731 §3',
});
const hybrid = (name: string, kem: KemName, hash: HashName, spec: string): KexMethod => ({
  name, family: 'hybrid-kem', hash, sharedSecretEncoding: 'string', kem,
  clientPublicName: 'C_INIT', serverPublicName: 'S_REPLY', spec,
});

export const KEX_METHODS: readonly KexMethod[] = [
  hybrid('mlkem768x25519-sha256', 'mlkem768', 'sha256', 'draft-ietf-sshm-mlkem-hybrid-kex'),
  hybrid('sntrup761x25519-sha512', 'sntrup761', 'sha512', 'RFC 9941'),
  hybrid('sntrup761x25519-sha512@openssh.com', 'sntrup761', 'sha512', 'RFC 9941'),
  c25519('curve25519-sha256'),
  c25519('curve25519-sha256@libssh.org'),
  ecdh('p256', 'sha256'),
  ecdh('p384', 'sha384'),
  ecdh('p521', 'sha512'),
  gex('diffie-hellman-group-exchange-sha256', 'sha256'),
  gex('diffie-hellman-group-exchange-sha1', 'sha1'),
  dhGroup('diffie-hellman-group16-sha512', 'group16', 'sha512', 'RFC 8268 §3'),
  dhGroup('diffie-hellman-group18-sha512', 'group18', 'sha512', 'RFC 8268 §3'),
  dhGroup('diffie-hellman-group14-sha256', 'group14', 'sha256', 'RFC 8268 §3'),
  dhGroup('diffie-hellman-group14-sha1', 'group14', 'sha1', 'RFC 4253 §8.2'),
  dhGroup('diffie-hellman-group1-sha1', 'group1', 'sha1', 'RFC 4253 §8.1'),
];

const byName = new Map(KEX_METHODS.map((m) => [m.name, m]));

export function findKexMethod(name: string): KexMethod | undefined {
  return byName.get(name);
}

/** The registry entry for `name`, or a KexError naming the methods that are known. */
export function kexMethod(name: string): KexMethod {
  const method = byName.get(name);
  if (!method) {
    throw new KexError('unknown-method', `unknown key exchange method "${name}" (known: ${KEX_METHODS.map((m) => m.name).join(', ')})`);
  }
  return method;
}
