/**
 * @module endpoint/algorithms
 * What an endpoint offers in its KEXINIT (RFC 4253 §7.1): every kex method, cipher, MAC and compression method in
 * the registries, in OpenSSH's order of preference, narrowed by the caller. The pseudo-algorithms (RFC 8308 ext-info,
 * OpenSSH's strict-kex markers) are appended here and never win a negotiation.
 */
import { CIPHER_ALGORITHMS } from '../crypto/ciphers.ts';
import { COMPRESSION_ALGORITHMS } from '../crypto/compression.ts';
import { MAC_ALGORITHMS } from '../crypto/macs.ts';
import type { SigningKey } from '../crypto/hostkey.ts';
import { KEX_METHODS } from '../kex/methods.ts';
import type { KexInitProposal } from '../kex/negotiate.ts';
import { LocalProtocolError } from './errors.ts';

export interface AlgorithmPreferences {
  kex?: string[];
  hostKey?: string[];
  cipher?: string[];
  mac?: string[];
  compression?: string[];
}

/** OpenSSH 9.x order: umac-64-etm first, then the other EtM MACs, then encrypt-and-MAC. */
const MAC_ORDER = [
  'umac-64-etm@openssh.com', 'umac-128-etm@openssh.com', 'hmac-sha2-256-etm@openssh.com', 'hmac-sha2-512-etm@openssh.com',
  'hmac-sha1-etm@openssh.com', 'umac-64@openssh.com', 'umac-128@openssh.com', 'hmac-sha2-256', 'hmac-sha2-512', 'hmac-sha1',
];

export const SUPPORTED = {
  // RFC 4432 RSA key exchange is decoded, not run: the engine plays neither side of it.
  kex: KEX_METHODS.filter((m) => m.family !== 'rsa').map((m) => m.name),
  hostKey: ['ssh-ed25519', 'ecdsa-sha2-nistp256', 'ecdsa-sha2-nistp384', 'ecdsa-sha2-nistp521', 'rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'],
  cipher: CIPHER_ALGORITHMS.map((c) => c.name).filter((n) => n !== 'none'),
  mac: [...MAC_ORDER, ...MAC_ALGORITHMS.map((m) => m.name).filter((n) => !MAC_ORDER.includes(n))],
  compression: COMPRESSION_ALGORITHMS.map((c) => c.name),
};

/**
 * OpenSSH 9.x's kex list (myproposal.h) with the post-quantum hybrids we also speak ahead of it (ML-KEM first, as in
 * OpenSSH 10). The exotic methods of the registry (curve448, secp256k1, group15/17, the @ssh.com names, SHA-1 groups)
 * stay in SUPPORTED, so a caller can ask for them, but are never offered unasked.
 */
const KEX_ORDER = [
  'mlkem768x25519-sha256', 'sntrup761x25519-sha512', 'sntrup761x25519-sha512@openssh.com',
  'curve25519-sha256', 'curve25519-sha256@libssh.org', 'ecdh-sha2-nistp256', 'ecdh-sha2-nistp384', 'ecdh-sha2-nistp521',
  'diffie-hellman-group-exchange-sha256', 'diffie-hellman-group16-sha512', 'diffie-hellman-group18-sha512',
  'diffie-hellman-group14-sha256',
];

/** What an endpoint offers when not told otherwise: the usual algorithms, strongest and fastest first. */
export const DEFAULT_PREFERENCES: Required<AlgorithmPreferences> = {
  kex: KEX_ORDER,
  hostKey: SUPPORTED.hostKey,
  cipher: ['chacha20-poly1305@openssh.com', 'aes128-gcm@openssh.com', 'aes256-gcm@openssh.com', 'aes128-ctr', 'aes192-ctr', 'aes256-ctr'],
  mac: MAC_ORDER,
  compression: ['none', 'zlib@openssh.com'],
};

/** The host key algorithms a key can serve (RFC 8332: an RSA key serves three signature algorithms). */
export function hostKeyAlgorithmsFor(key: SigningKey): string[] {
  if (key.type === 'ssh-rsa') return ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'];
  return [key.type];
}

function check(kind: keyof typeof SUPPORTED, names: string[]): string[] {
  for (const n of names) {
    if (kind === 'kex' && KEX_METHODS.some((m) => m.name === n && m.family === 'rsa')) {
      throw new LocalProtocolError('unknown-algorithm', `kex method "${n}" (RFC 4432 RSA key exchange) is decoded by sshlens but its engine cannot run it`);
    }
    if (!SUPPORTED[kind].includes(n)) {
      throw new LocalProtocolError('unknown-algorithm', `unknown ${kind} algorithm "${n}" (known: ${SUPPORTED[kind].join(', ')})`);
    }
  }
  return names;
}

export interface ProposalInput {
  role: 'client' | 'server';
  cookie: Uint8Array;
  preferences: AlgorithmPreferences;
  /** Server: the algorithms its host keys serve. */
  hostKeyAlgorithms?: string[];
  strictKex: boolean;
  extInfo: boolean;
}

/** The KEXINIT fields (RFC 4253 §7.1), pseudo-algorithms appended to the kex list. */
export function buildProposal(input: ProposalInput): KexInitProposal & { cookie: Uint8Array; reserved: number } {
  const p = input.preferences;
  const kex = [...check('kex', p.kex ?? DEFAULT_PREFERENCES.kex)];
  if (input.extInfo) kex.push(input.role === 'client' ? 'ext-info-c' : 'ext-info-s');
  if (input.strictKex) kex.push(input.role === 'client' ? 'kex-strict-c-v00@openssh.com' : 'kex-strict-s-v00@openssh.com');
  let hostKey = check('hostKey', p.hostKey ?? DEFAULT_PREFERENCES.hostKey);
  if (input.hostKeyAlgorithms) hostKey = hostKey.filter((n) => input.hostKeyAlgorithms!.includes(n));
  const cipher = check('cipher', p.cipher ?? DEFAULT_PREFERENCES.cipher);
  const mac = check('mac', p.mac ?? DEFAULT_PREFERENCES.mac);
  const compression = check('compression', p.compression ?? DEFAULT_PREFERENCES.compression);
  return {
    cookie: input.cookie,
    kex_algorithms: kex,
    server_host_key_algorithms: hostKey,
    encryption_algorithms_client_to_server: cipher,
    encryption_algorithms_server_to_client: cipher,
    mac_algorithms_client_to_server: mac,
    mac_algorithms_server_to_client: mac,
    compression_algorithms_client_to_server: compression,
    compression_algorithms_server_to_client: compression,
    languages_client_to_server: [],
    languages_server_to_client: [],
    first_kex_packet_follows: false,
    reserved: 0,
  };
}
