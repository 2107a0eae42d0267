/**
 * @module crypto/macs
 * The MAC registry (RFC 4253 §6.4, RFC 6668 for hmac-sha2-*, OpenSSH PROTOCOL §1.5 for the -etm@openssh.com forms
 * and umac-*@openssh.com). An entry is data plus a factory for a keyed MAC that is reused for every packet of one
 * direction and key epoch.
 *
 * - HMAC: `mac = HMAC(key, uint32 sequence_number | data)` (RFC 4253 §6.4), truncated for the -96 forms.
 * - UMAC: `mac = UMAC(key, data, nonce = uint64 sequence_number)` (OpenSSH PROTOCOL; RFC 4418).
 * - SSH Communications Security's hmac-sha*@ssh.com names (Tectia, offered by AsyncSSH) are the same HMAC with their own
 *   key sizes - hmac-sha256@ssh.com takes only a 16-byte key - and have no EtM form.
 * Where `data` is the whole plaintext packet for encrypt-and-MAC, or `uint32 length | ciphertext` for EtM.
 */
import { hmac } from '@noble/hashes/hmac.js';
import { md5, sha1 } from '@noble/hashes/legacy.js';
import { sha224, sha256, sha384, sha512 } from '@noble/hashes/sha2.js';
import { badKeyLength, unknownAlgorithm } from './algorithm-errors.ts';
import { Umac } from './umac.ts';

/** A keyed MAC for one direction and key epoch. */
export interface SshMac {
  /** Bytes of MAC on the wire. */
  readonly length: number;
  /** Writes the MAC of `data` for packet `sequenceNumber` into `out` (at least `length` bytes). */
  compute(sequenceNumber: number, data: Uint8Array, out: Uint8Array): void;
}

export interface MacAlgorithm {
  readonly name: string;
  /** Bytes of key material taken from key derivation letter E/F (RFC 4253 §7.2). */
  readonly keyLength: number;
  /** Bytes of MAC on the wire. */
  readonly macLength: number;
  /** EtM: the MAC covers the ciphertext and the length travels in the clear (OpenSSH PROTOCOL §1.5). */
  readonly encryptThenMac: boolean;
  /** Where it is specified. */
  readonly spec: string;
  create(key: Uint8Array): SshMac;
}

const HASHES = { sha1, sha224, sha256, sha384, sha512, md5 } as const;

/**
 * A platform HMAC (node:crypto in the CLI, installed at start-up; the engine itself imports nothing from node),
 * several times faster than noble's in JavaScript, with identical results (cli/node-crypto.test.ts cross-checks).
 */
export interface HmacProvider {
  /** A keyed HMAC: returns the full digest of the concatenated parts. */
  create(hash: keyof typeof HASHES, key: Uint8Array): (parts: readonly Uint8Array[]) => Uint8Array;
}

let hmacProvider: HmacProvider | undefined;

/** Installs (or, with undefined, removes) the platform HMAC used by MACs created from now on. */
export function setHmacProvider(provider: HmacProvider | undefined): void {
  hmacProvider = provider;
}

/**
 * RFC 2104 HMAC over `uint32 seq | data`, truncated to `macLength`; the inner and outer hash states are keyed once
 * and cloned per packet. The registry entries use it with the exact key sizes SSH derives.
 */
export function sshHmac(hashName: keyof typeof HASHES, macLength: number, key: Uint8Array): SshMac {
  // The platform HMAC for every size: noble's keyed state is about as fast on small packets once V8 has optimised it,
  // but a capture of many short sessions is decoded mostly before that happens (several times slower cold).
  if (hmacProvider) return providedHmac(hmacProvider.create(hashName, key), macLength);
  return nobleHmac(hashName, macLength, key);
}

function nobleHmac(hashName: keyof typeof HASHES, macLength: number, key: Uint8Array): SshMac {
  const hash = HASHES[hashName];
  const keyed = hmac.create(hash, key);
  const work = keyed.clone();
  const sequence = new Uint8Array(4);
  const digest = new Uint8Array(keyed.outputLen);
  return {
    length: macLength,
    compute(sequenceNumber, data, out) {
      keyed._cloneInto(work);
      sequence[0] = sequenceNumber >>> 24; sequence[1] = sequenceNumber >>> 16;
      sequence[2] = sequenceNumber >>> 8; sequence[3] = sequenceNumber;
      work.update(sequence).update(data).digestInto(digest);
      for (let i = 0; i < macLength; i++) out[i] = digest[i];
    },
  };
}

function providedHmac(mac: (parts: readonly Uint8Array[]) => Uint8Array, macLength: number): SshMac {
  const sequence = new Uint8Array(4);
  return {
    length: macLength,
    compute(sequenceNumber, data, out) {
      sequence[0] = sequenceNumber >>> 24; sequence[1] = sequenceNumber >>> 16;
      sequence[2] = sequenceNumber >>> 8; sequence[3] = sequenceNumber;
      out.set(mac([sequence, data]).subarray(0, macLength));
    },
  };
}

/** UMAC with the 8-byte big-endian sequence number as nonce. */
function umacMac(tagLength: 8 | 16, key: Uint8Array): SshMac {
  const umac = new Umac(key, tagLength);
  const nonce = new Uint8Array(8);
  return {
    length: tagLength,
    compute(sequenceNumber, data, out) {
      nonce[4] = sequenceNumber >>> 24; nonce[5] = sequenceNumber >>> 16;
      nonce[6] = sequenceNumber >>> 8; nonce[7] = sequenceNumber;
      umac.tag(data, nonce, out);
    },
  };
}

function define(
  name: string, keyLength: number, macLength: number, spec: string, make: (key: Uint8Array) => SshMac, withEtm = true,
): MacAlgorithm[] {
  const entry = (entryName: string, encryptThenMac: boolean): MacAlgorithm => ({
    name: entryName, keyLength, macLength, encryptThenMac, spec,
    create(key) {
      if (key.length !== keyLength) throw badKeyLength('MAC', entryName, 'key', keyLength, key.length);
      return make(key);
    },
  });
  const base = name.replace(/@openssh\.com$/, '');
  return withEtm ? [entry(name, false), entry(`${base}-etm@openssh.com`, true)] : [entry(name, false)];
}

/** Every MAC sshlens can compute, plain and EtM forms. */
export const MAC_ALGORITHMS: readonly MacAlgorithm[] = [
  ...define('hmac-sha2-256', 32, 32, 'RFC 6668 §2', (k) => sshHmac('sha256', 32, k)),
  ...define('hmac-sha2-512', 64, 64, 'RFC 6668 §2', (k) => sshHmac('sha512', 64, k)),
  ...define('hmac-sha1', 20, 20, 'RFC 4253 §6.4', (k) => sshHmac('sha1', 20, k)),
  ...define('hmac-sha1-96', 20, 12, 'RFC 4253 §6.4', (k) => sshHmac('sha1', 12, k)),
  ...define('hmac-md5', 16, 16, 'RFC 4253 §6.4', (k) => sshHmac('md5', 16, k)),
  ...define('hmac-md5-96', 16, 12, 'RFC 4253 §6.4', (k) => sshHmac('md5', 12, k)),
  ...define('umac-64@openssh.com', 16, 8, 'OpenSSH PROTOCOL, RFC 4418', (k) => umacMac(8, k)),
  ...define('umac-128@openssh.com', 16, 16, 'OpenSSH PROTOCOL, RFC 4418', (k) => umacMac(16, k)),
  // Truncated SHA-2 HMACs (draft-ietf-curdle-ssh-... never standardised; PuTTY, AsyncSSH offer them).
  ...define('hmac-sha2-256-96', 32, 12, 'RFC 4253 §6.4 (SHA-2, truncated to 96 bits)', (k) => sshHmac('sha256', 12, k)),
  ...define('hmac-sha2-512-96', 64, 12, 'RFC 4253 §6.4 (SHA-2, truncated to 96 bits)', (k) => sshHmac('sha512', 12, k)),
  // SSH Communications Security's names, key and MAC sizes as AsyncSSH uses them; encrypt-and-MAC only.
  ...define('hmac-sha256-2@ssh.com', 32, 32, 'SSH Communications Security (as offered by AsyncSSH)', (k) => sshHmac('sha256', 32, k), false),
  ...define('hmac-sha224@ssh.com', 28, 28, 'SSH Communications Security (as offered by AsyncSSH)', (k) => sshHmac('sha224', 28, k), false),
  ...define('hmac-sha256@ssh.com', 16, 32, 'SSH Communications Security (as offered by AsyncSSH)', (k) => sshHmac('sha256', 32, k), false),
  ...define('hmac-sha384@ssh.com', 48, 48, 'SSH Communications Security (as offered by AsyncSSH)', (k) => sshHmac('sha384', 48, k), false),
  ...define('hmac-sha512@ssh.com', 64, 64, 'SSH Communications Security (as offered by AsyncSSH)', (k) => sshHmac('sha512', 64, k), false),
];

const byName = new Map(MAC_ALGORITHMS.map((m) => [m.name, m]));

/** The registry entry for `name`, or an AlgorithmError naming the supported MACs. */
export function getMacAlgorithm(name: string): MacAlgorithm {
  const found = byName.get(name);
  if (!found) throw unknownAlgorithm('MAC', name, MAC_ALGORITHMS.map((m) => m.name));
  return found;
}
