/**
 * @module crypto/hostkey-file
 * OpenSSH private key files (`-----BEGIN OPENSSH PRIVATE KEY-----`, OpenSSH PROTOCOL.key), unencrypted or protected
 * with a passphrase (bcrypt_pbkdf + aes256-ctr, what ssh-keygen makes by default; also the AES CTR, CBC and GCM
 * forms `ssh-keygen -Z` offers), for ssh-ed25519, ecdsa-sha2-nistp256/384/521 and ssh-rsa keys. The result is a
 * {@link SigningKey}.
 *
 *   "openssh-key-v1\0" | string ciphername | string kdfname | string kdfoptions | uint32 N | string publickey (N)
 *   | string private section: uint32 check | uint32 check | per key (string type | key fields | string comment)
 *     | padding 1, 2, 3...
 */
import { cbc, ctr, gcm } from '@noble/ciphers/aes.js';
import { p256, p384, p521 } from '@noble/curves/nist.js';
import { ed25519 } from '@noble/curves/ed25519.js';
import { bigIntToBytes } from '../kex/modp-groups.ts';
import { WireReader, concatBytes, equalBytes } from '../wire/index.ts';
import { isSshlensError } from '../errors.ts';
import { bcryptPbkdf } from './hostkey-file-bcrypt-pbkdf.ts';
import { HostKeyError, type NistCurveId } from './hostkey-blob.ts';
import { signingKeyBlob, type SigningKey } from './hostkey.ts';

const MAGIC = 'openssh-key-v1\0';
/** About a minute of pure-JS bcrypt_pbkdf; ssh-keygen's default is 16, `-a 100` is the usual "paranoid" choice. */
const MAX_BCRYPT_ROUNDS = 1000;
const BEGIN = '-----BEGIN OPENSSH PRIVATE KEY-----';
const END = '-----END OPENSSH PRIVATE KEY-----';

/**
 * The ciphers a key file may be encrypted with (OpenSSH cipher.c, used with sequence number 0 and no AAD): key and
 * IV sizes, block size, tag length (GCM's 16-byte tag follows the encrypted string), and how to decrypt.
 */
interface FileCipher {
  keyLength: number;
  ivLength: number;
  blockSize: number;
  tagLength: number;
  decrypt(key: Uint8Array, iv: Uint8Array, data: Uint8Array): Uint8Array;
}
const aesCtr = (keyLength: number): FileCipher => ({ keyLength, ivLength: 16, blockSize: 16, tagLength: 0, decrypt: (k, iv, d) => ctr(k, iv).decrypt(d) });
const aesCbc = (keyLength: number): FileCipher => ({ keyLength, ivLength: 16, blockSize: 16, tagLength: 0, decrypt: (k, iv, d) => cbc(k, iv, { disablePadding: true }).decrypt(d) });
const aesGcm = (keyLength: number): FileCipher => ({ keyLength, ivLength: 12, blockSize: 16, tagLength: 16, decrypt: (k, iv, d) => gcm(k, iv).decrypt(d) });

const FILE_CIPHERS: Record<string, FileCipher> = {
  none: { keyLength: 0, ivLength: 0, blockSize: 8, tagLength: 0, decrypt: (_k, _iv, d) => d },
  'aes128-ctr': aesCtr(16),
  'aes192-ctr': aesCtr(24),
  'aes256-ctr': aesCtr(32),
  'aes128-cbc': aesCbc(16),
  'aes192-cbc': aesCbc(24),
  'aes256-cbc': aesCbc(32),
  'aes128-gcm@openssh.com': aesGcm(16),
  'aes256-gcm@openssh.com': aesGcm(32),
};

export interface PrivateKeyFile {
  key: SigningKey;
  comment: string;
  /** Public key blob, as listed in the file's clear part. */
  publicKeyBlob: Uint8Array;
  encrypted: boolean;
}

/** True when `text` looks like an OpenSSH private key file. */
export function isOpenSshPrivateKey(text: string): boolean {
  return text.includes(BEGIN);
}

/** Parses an OpenSSH private key file (the first key if it holds several). */
export function parseOpenSshPrivateKey(text: string, passphrase?: string): PrivateKeyFile {
  const bytes = unarmor(text);
  try {
    return parseKeyBytes(bytes, passphrase);
  } catch (e) {
    if (e instanceof HostKeyError || !isSshlensError(e)) throw e;
    throw new HostKeyError('bad-key-file', `malformed OpenSSH private key: ${e.message}`);
  }
}

function unarmor(text: string): Uint8Array {
  const start = text.indexOf(BEGIN);
  const end = text.indexOf(END);
  if (start < 0 || end < start) throw new HostKeyError('bad-key-file', `not an OpenSSH private key file: no "${BEGIN}" ... "${END}" block`);
  const base64 = text.slice(start + BEGIN.length, end).replace(/\s+/g, '');
  let binary: string;
  try {
    binary = atob(base64);
  } catch {
    throw new HostKeyError('bad-key-file', 'the OpenSSH private key block is not valid base64');
  }
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < out.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}

function parseKeyBytes(bytes: Uint8Array, passphrase?: string): PrivateKeyFile {
  const magic = new TextEncoder().encode(MAGIC);
  if (!equalBytes(bytes.subarray(0, magic.length), magic)) {
    throw new HostKeyError('bad-key-file', 'the key block does not start with "openssh-key-v1"');
  }
  const r = new WireReader(bytes.subarray(magic.length), { base: magic.length });
  const text = (b: Uint8Array) => new TextDecoder().decode(b);
  const cipherName = text(r.string('ciphername'));
  const kdfName = text(r.string('kdfname'));
  const kdfOptions = r.string('kdfoptions');
  const count = r.uint32('number of keys');
  if (count < 1) throw new HostKeyError('bad-key-file', 'the key file holds no key');
  const publicKeyBlob = r.string('public key');
  for (let i = 1; i < count; i++) r.string('public key');
  const sealed = r.string('private section');

  const cipher = FILE_CIPHERS[cipherName];
  if (!cipher) throw new HostKeyError('unsupported', `key files encrypted with "${cipherName}" are not supported (supported: ${Object.keys(FILE_CIPHERS).join(', ')})`);
  let section = sealed;
  if (cipherName !== 'none') {
    if (kdfName !== 'bcrypt') throw new HostKeyError('unsupported', `unsupported key derivation "${kdfName}" (only bcrypt)`);
    if (passphrase === undefined || passphrase === '') throw new HostKeyError('wrong-passphrase', 'this private key is encrypted: a passphrase is needed');
    const options = new WireReader(kdfOptions);
    const salt = options.string('salt');
    const rounds = options.uint32('rounds');
    if (salt.length === 0 || rounds < 1 || rounds > MAX_BCRYPT_ROUNDS) {
      throw new HostKeyError('unsupported', `bcrypt_pbkdf with a ${salt.length}-byte salt and ${rounds} rounds is not supported (1..${MAX_BCRYPT_ROUNDS} rounds, ssh-keygen's default is 16)`);
    }
    const material = bcryptPbkdf(new TextEncoder().encode(passphrase), salt, cipher.keyLength + cipher.ivLength, rounds);
    if (sealed.length % cipher.blockSize !== 0) throw new HostKeyError('bad-key-file', `the encrypted section is not a multiple of ${cipher.blockSize} bytes`);
    const tag = r.fixedBytes('authentication tag', cipher.tagLength);
    const sealedWithTag = cipher.tagLength ? concatBytes(sealed, tag) : sealed;
    try {
      section = cipher.decrypt(material.subarray(0, cipher.keyLength), material.subarray(cipher.keyLength), sealedWithTag);
    } catch {
      throw new HostKeyError('wrong-passphrase', 'wrong passphrase (the authentication tag does not match)');
    }
  }
  r.end();

  const p = new WireReader(section);
  const check1 = p.uint32('checkint');
  const check2 = p.uint32('checkint');
  if (check1 !== check2) {
    throw new HostKeyError(cipherName === 'none' ? 'bad-key-file' : 'wrong-passphrase',
      cipherName === 'none' ? 'the private section check numbers differ: the file is damaged' : 'wrong passphrase (the decrypted check numbers differ)');
  }
  const key = readPrivateKey(p);
  const comment = text(p.string('comment'));
  // Padding 1, 2, 3, ... up to the block size (PROTOCOL.key).
  const padding = p.rest('padding');
  for (let i = 0; i < padding.length; i++) {
    if (padding[i] !== i + 1) throw new HostKeyError('bad-key-file', 'the private section padding is not 1, 2, 3, ...');
  }
  if (!equalBytes(signingKeyBlob(key), publicKeyBlob) && count === 1) {
    throw new HostKeyError('bad-key-file', 'the private key does not match the public key listed in the file');
  }
  return { key, comment, publicKeyBlob, encrypted: cipherName !== 'none' };
}

const NIST = { nistp256: p256, nistp384: p384, nistp521: p521 } as const;

/** The private fields per key type (OpenSSH PROTOCOL.key and sshkey.c's private serialisation). */
function readPrivateKey(p: WireReader): SigningKey {
  const type = new TextDecoder().decode(p.string('keytype'));
  if (type === 'ssh-ed25519') {
    const publicKey = p.string('public key');
    const secret = p.string('secret key'); // seed (32) | public key (32)
    if (publicKey.length !== 32 || secret.length !== 64) throw new HostKeyError('bad-key-file', 'an ssh-ed25519 private key has a 32-byte public and 64-byte secret part');
    const seed = secret.slice(0, 32);
    if (!equalBytes(ed25519.getPublicKey(seed), publicKey)) throw new HostKeyError('bad-key-file', 'the ssh-ed25519 seed does not give the stored public key');
    return { type, seed, publicKey: publicKey.slice() };
  }
  if (type === 'ssh-rsa') {
    const n = p.mpint('n');
    const e = p.mpint('e');
    const d = p.mpint('d');
    const iqmp = p.mpint('iqmp');
    const pr = p.mpint('p');
    const q = p.mpint('q');
    if (pr * q !== n) throw new HostKeyError('bad-key-file', 'the RSA primes do not multiply to the modulus');
    return { type, n, e, d, iqmp, p: pr, q };
  }
  const curve = (['nistp256', 'nistp384', 'nistp521'] as NistCurveId[]).find((c) => type === `ecdsa-sha2-${c}`);
  if (curve) {
    const curveName = new TextDecoder().decode(p.string('curve'));
    if (curveName !== curve) throw new HostKeyError('bad-key-file', `key type ${type} names curve "${curveName}"`);
    const Q = p.string('Q').slice();
    const size = NIST[curve].lengths.secretKey!;
    const scalar = p.mpint('d');
    const d = bigIntToBytes(scalar < 0n ? 0n : scalar, size);
    let derived: Uint8Array | null = null;
    try {
      if (d.length === size) derived = NIST[curve].getPublicKey(d, false);
    } catch {
      derived = null; // 0 or >= n
    }
    if (!derived || !equalBytes(derived, Q)) throw new HostKeyError('bad-key-file', `the ${curve} private scalar does not give the stored public point`);
    return { type: `ecdsa-sha2-${curve}`, curve, d, Q };
  }
  throw new HostKeyError('unsupported', `private keys of type "${type}" are not supported (ssh-ed25519, ecdsa-sha2-nistp256/384/521, ssh-rsa)`);
}
