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
 * - `curve25519`: the same messages with X25519, or X448 for curve448-sha512 (RFC 8731)
 * - `hybrid-kem`: 30 HYBRID_INIT(C_INIT) / 31 HYBRID_REPLY(K_S, S_REPLY, sig), a post-quantum KEM plus X25519
 *   (RFC 9941 for sntrup761, draft-ietf-sshm-mlkem-hybrid-kex for ML-KEM) or plus ECDH on P-256 / P-384
 *   (draft-kampanakis-curdle-ssh-pq-ke §2.3, mlkem768nistp256-sha256 and mlkem1024nistp384-sha384)
 * - `rsa`: 30 KEXRSA_PUBKEY(K_S, K_T) / 31 KEXRSA_SECRET(encrypted secret) / 32 KEXRSA_DONE(sig) (RFC 4432): the
 *   client picks K and encrypts it to the server's transient RSA key K_T. Decoded only (K from a SHARED_SECRET
 *   key-log line); the engine does not play either side.
 */
export type KexFamily = 'dh-group' | 'dh-gex' | 'ecdh-nist' | 'curve25519' | 'hybrid-kem' | 'rsa';
/** The NIST curves of RFC 5656 §10.1, and secp256k1 (SEC 2), which RFC 5656 §6.1 names by its OID (AsyncSSH offers it). */
export type NistCurveName = 'p256' | 'p384' | 'p521' | 'secp256k1';
/** The Montgomery curve of a `curve25519`-family method (RFC 8731 §3: X25519 or X448 from RFC 7748). */
export type MontgomeryCurveName = 'x25519' | 'x448';
export type KemName = 'mlkem768' | 'mlkem1024' | 'sntrup761';
/** The classical half of a hybrid: X25519, or ECDH on a NIST curve. */
export type HybridCurveName = 'x25519' | 'p256' | 'p384';

export interface KexMethod {
  name: string;
  family: KexFamily;
  /** HASH of the exchange hash and key derivation. */
  hash: HashName;
  /** `mpint` for every method except the hybrids, whose K is `string HASH(K_pq | K_classical)`. */
  sharedSecretEncoding: 'mpint' | 'string';
  group?: ModpGroupName;
  curve?: NistCurveName;
  /** `curve25519` family: X25519 (default) or X448. */
  montgomery?: MontgomeryCurveName;
  kem?: KemName;
  /** `hybrid-kem`: the classical curve (default X25519). */
  hybridCurve?: HybridCurveName;
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
const ecdh = (curve: NistCurveName, hash: HashName, name = `ecdh-sha2-nist${curve}`, spec = 'RFC 5656 §4'): KexMethod => ({
  name, family: 'ecdh-nist', hash, sharedSecretEncoding: 'mpint', curve,
  clientPublicName: 'Q_C', serverPublicName: 'Q_S', spec,
});
const c25519 = (name: string, montgomery: MontgomeryCurveName = 'x25519', hash: HashName = 'sha256'): KexMethod => ({
  name, family: 'curve25519', hash, sharedSecretEncoding: 'mpint', montgomery,
  clientPublicName: 'Q_C', serverPublicName: 'Q_S', spec: 'RFC 8731 §3',
});
/** SSH Communications Security's names (Tectia; offered by AsyncSSH): the RFC 3526 groups with other hashes. */
const sshCom = (group: ModpGroupName, hash: HashName): KexMethod =>
  dhGroup(`diffie-hellman-${group}-${hash}@ssh.com`, group, hash, 'SSH Communications Security (as offered by AsyncSSH)');
const hybrid = (name: string, kem: KemName, hash: HashName, spec: string, hybridCurve: HybridCurveName = 'x25519'): KexMethod => ({
  name, family: 'hybrid-kem', hash, sharedSecretEncoding: 'string', kem, hybridCurve,
  clientPublicName: 'C_INIT', serverPublicName: 'S_REPLY', spec,
});

/** RFC 4432 §3 and §4: K is an mpint; K_T and the encrypted secret are strings in H. */
const rsaKex = (name: string, hash: HashName): KexMethod => ({
  name, family: 'rsa', hash, sharedSecretEncoding: 'mpint', clientPublicName: 'encrypted_secret', serverPublicName: 'K_T', spec: 'RFC 4432',
});

export const KEX_METHODS: readonly KexMethod[] = [
  hybrid('mlkem768x25519-sha256', 'mlkem768', 'sha256', 'draft-ietf-sshm-mlkem-hybrid-kex'),
  hybrid('mlkem768nistp256-sha256', 'mlkem768', 'sha256', 'draft-kampanakis-curdle-ssh-pq-ke §2.3.1', 'p256'),
  hybrid('mlkem1024nistp384-sha384', 'mlkem1024', 'sha384', 'draft-kampanakis-curdle-ssh-pq-ke §2.3.2', 'p384'),
  hybrid('sntrup761x25519-sha512', 'sntrup761', 'sha512', 'RFC 9941'),
  hybrid('sntrup761x25519-sha512@openssh.com', 'sntrup761', 'sha512', 'RFC 9941'),
  c25519('curve25519-sha256'),
  c25519('curve25519-sha256@libssh.org'),
  c25519('curve448-sha512', 'x448', 'sha512'),
  ecdh('p256', 'sha256'),
  ecdh('p384', 'sha384'),
  ecdh('p521', 'sha512'),
  // RFC 5656 §6.1: a curve without a nistp name is named by its OID; §6.2.1: SHA-256 for a 256-bit curve.
  ecdh('secp256k1', 'sha256', 'ecdh-sha2-1.3.132.0.10', 'RFC 5656 §4, §6.1'),
  gex('diffie-hellman-group-exchange-sha256', 'sha256'),
  gex('diffie-hellman-group-exchange-sha1', 'sha1'),
  gex('diffie-hellman-group-exchange-sha224@ssh.com', 'sha224'),
  gex('diffie-hellman-group-exchange-sha384@ssh.com', 'sha384'),
  gex('diffie-hellman-group-exchange-sha512@ssh.com', 'sha512'),
  dhGroup('diffie-hellman-group16-sha512', 'group16', 'sha512', 'RFC 8268 §3'),
  dhGroup('diffie-hellman-group18-sha512', 'group18', 'sha512', 'RFC 8268 §3'),
  dhGroup('diffie-hellman-group14-sha256', 'group14', 'sha256', 'RFC 8268 §3'),
  dhGroup('diffie-hellman-group14-sha1', 'group14', 'sha1', 'RFC 4253 §8.2'),
  dhGroup('diffie-hellman-group1-sha1', 'group1', 'sha1', 'RFC 4253 §8.1'),
  // RFC 8268 §3 lists these too; PuTTY and AsyncSSH offer them.
  dhGroup('diffie-hellman-group15-sha512', 'group15', 'sha512', 'RFC 8268 §3'),
  dhGroup('diffie-hellman-group17-sha512', 'group17', 'sha512', 'RFC 8268 §3'),
  sshCom('group14', 'sha224'), sshCom('group14', 'sha256'), sshCom('group15', 'sha256'), sshCom('group15', 'sha384'),
  sshCom('group16', 'sha384'), sshCom('group16', 'sha512'), sshCom('group18', 'sha512'),
  rsaKex('rsa2048-sha256', 'sha256'),
  rsaKex('rsa1024-sha1', 'sha1'),
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
