/**
 * @module crypto/hostkey
 * Host key algorithms as a registry (RFC 4253 §6.6, RFC 8709, RFC 5656 §6, RFC 8332, OpenSSH PROTOCOL.certkeys) and
 * the signature over the exchange hash H in both directions: verify (decoder, client) and sign (simulated server).
 * - ssh-ed25519 signs H itself (RFC 8709 §6, RFC 8032 §5.1).
 * - ecdsa-sha2-nistpN signs HASH_N(H) with blob `mpint r | mpint s` (RFC 5656 §3.1.2, §6.2.1); OpenSSH does not
 *   normalise s, so high-S signatures are valid here (`lowS: false`).
 * - rsa-sha2-256/512 and ssh-rsa are PKCS#1 v1.5 over SHA-256/512/SHA-1 (RFC 8332 §3, RFC 4253 §6.6), see ./rsa.ts.
 * - ssh-ed448 signs H itself (RFC 8709 §6, RFC 8032 §5.2, empty context); ssh-dss is DSA over SHA-1(H) with a 40-byte
 *   r | s blob (RFC 4253 §6.6, ./dsa.ts). Both are verify-only: the engine never signs with them.
 * - The -cert-v01@openssh.com names verify H with the certified key; the CA's signature over the certificate is
 *   checked and reported separately.
 * Verification never throws on bad input: it reports verified false with the reason.
 */
import { ed25519 } from '@noble/curves/ed25519.js';
import { ed448 } from '@noble/curves/ed448.js';
import { p256, p384, p521 } from '@noble/curves/nist.js';
import type { RandomBytes } from '../kex/dh.ts';
import { bigIntToBytes, bytesToBigInt } from '../kex/modp-groups.ts';
import { hashBytes, type HashName } from '../kex/hashes.ts';
import {
  HostKeyError, certifiedKeyType, encodePublicKeyBlob, encodeSignatureBlob, parsePublicKeyBlob, parseSignatureBlob,
  type Certificate, type NistCurveId, type PlainKeyType, type PlainPublicKey, type SignatureData, type VerifiableKeyType,
} from './hostkey-blob.ts';
import { dsaVerify } from './dsa.ts';
import { rsaGenerate, rsaSign, rsaVerify, type RsaHash, type RsaPrivateKey } from './rsa.ts';

export interface HostKeyAlgorithm {
  /** The name negotiated in server_host_key_algorithms. */
  name: string;
  /** The type named inside the public key blob. */
  keyType: string;
  /** The plain key type that signs (the certified key for a certificate). */
  plainKeyType: VerifiableKeyType;
  /** sshlens verifies this algorithm's signatures but never makes them (no signing key type). */
  verifyOnly?: true;
  /** The name inside the signature blob. */
  signatureFormat: string;
  /** For ECDSA and RSA: the hash applied to H before signing (Ed25519 hashes internally). */
  hash?: HashName;
  certificate: boolean;
  spec: string;
}

const plain: HostKeyAlgorithm[] = [
  { name: 'ssh-ed25519', keyType: 'ssh-ed25519', plainKeyType: 'ssh-ed25519', signatureFormat: 'ssh-ed25519', certificate: false, spec: 'RFC 8709 §6' },
  { name: 'ecdsa-sha2-nistp256', keyType: 'ecdsa-sha2-nistp256', plainKeyType: 'ecdsa-sha2-nistp256', signatureFormat: 'ecdsa-sha2-nistp256', hash: 'sha256', certificate: false, spec: 'RFC 5656 §6.2.1' },
  { name: 'ecdsa-sha2-nistp384', keyType: 'ecdsa-sha2-nistp384', plainKeyType: 'ecdsa-sha2-nistp384', signatureFormat: 'ecdsa-sha2-nistp384', hash: 'sha384', certificate: false, spec: 'RFC 5656 §6.2.1' },
  { name: 'ecdsa-sha2-nistp521', keyType: 'ecdsa-sha2-nistp521', plainKeyType: 'ecdsa-sha2-nistp521', signatureFormat: 'ecdsa-sha2-nistp521', hash: 'sha512', certificate: false, spec: 'RFC 5656 §6.2.1' },
  { name: 'rsa-sha2-512', keyType: 'ssh-rsa', plainKeyType: 'ssh-rsa', signatureFormat: 'rsa-sha2-512', hash: 'sha512', certificate: false, spec: 'RFC 8332 §3' },
  { name: 'rsa-sha2-256', keyType: 'ssh-rsa', plainKeyType: 'ssh-rsa', signatureFormat: 'rsa-sha2-256', hash: 'sha256', certificate: false, spec: 'RFC 8332 §3' },
  { name: 'ssh-rsa', keyType: 'ssh-rsa', plainKeyType: 'ssh-rsa', signatureFormat: 'ssh-rsa', hash: 'sha1', certificate: false, spec: 'RFC 4253 §6.6' },
  { name: 'ssh-ed448', keyType: 'ssh-ed448', plainKeyType: 'ssh-ed448', signatureFormat: 'ssh-ed448', certificate: false, verifyOnly: true, spec: 'RFC 8709 §6' },
  { name: 'ssh-dss', keyType: 'ssh-dss', plainKeyType: 'ssh-dss', signatureFormat: 'ssh-dss', hash: 'sha1', certificate: false, verifyOnly: true, spec: 'RFC 4253 §6.6' },
];

/** Every host key algorithm: the plain ones, then their OpenSSH certificate forms. */
export const HOST_KEY_ALGORITHMS: readonly HostKeyAlgorithm[] = [
  ...plain,
  ...plain.map((a) => ({
    ...a,
    name: `${a.name}-cert-v01@openssh.com`,
    keyType: `${a.keyType}-cert-v01@openssh.com`,
    certificate: true,
    spec: 'OpenSSH PROTOCOL.certkeys',
  })),
];

export function findHostKeyAlgorithm(name: string): HostKeyAlgorithm | undefined {
  return HOST_KEY_ALGORITHMS.find((a) => a.name === name);
}

const NIST = { nistp256: p256, nistp384: p384, nistp521: p521 } as const;

/** OpenSSH's fingerprint: `SHA256:` + unpadded base64 of SHA-256(public key blob). */
export function fingerprintSha256(blob: Uint8Array): string {
  let binary = '';
  for (const b of hashBytes('sha256', blob)) binary += String.fromCharCode(b);
  return 'SHA256:' + btoa(binary).replace(/=+$/, '');
}

export interface HostKeyInfo {
  /** The type named in the blob ('' when it could not be read). */
  keyType: string;
  fingerprint: string;
  /** Key size in bits: 256 for Ed25519, the curve size for ECDSA, the modulus size for RSA. */
  bits?: number;
  /** Why the blob could not be read, when it could not. */
  error?: string;
  certificate?: CertificateReport;
}

/** What a host key blob is (for K_S, hostkeys-00@openssh.com, publickey auth): never throws. */
export function describeHostKey(blob: Uint8Array): HostKeyInfo {
  const fingerprint = fingerprintSha256(blob);
  let key;
  try {
    key = parsePublicKeyBlob(blob);
  } catch (e) {
    return { keyType: '', fingerprint, error: errorText(e) };
  }
  const plainKey = 'certified' in key ? key.key : key;
  const bits = plainKey.type === 'ssh-ed25519' ? 256 : plainKey.type === 'ssh-ed448' ? 448
    : plainKey.type === 'ssh-rsa' ? plainKey.n.toString(2).length : plainKey.type === 'ssh-dss' ? plainKey.p.toString(2).length
      : Number(plainKey.curve.slice('nistp'.length));
  return { keyType: key.type, fingerprint, bits, certificate: 'certified' in key ? checkCertificate(key) : undefined };
}

/**
 * A platform Ed25519 verification (node:crypto in the CLI, ~15x noble's): true when the signature is valid under
 * RFC 8032 §5.1.7. Installed with {@link setEd25519Verifier}; the engine itself imports nothing from node.
 */
export type Ed25519Verifier = (publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array) => boolean;

let nativeEd25519: Ed25519Verifier | undefined;

export function setEd25519Verifier(verifier: Ed25519Verifier | undefined): void {
  nativeEd25519 = verifier;
}

/**
 * noble's verdict (its default ZIP 215 rules), reached faster: a signature the platform accepts under RFC 8032's
 * stricter rules is one ZIP 215 accepts too, so only what the platform rejects is left to noble.
 */
function ed25519Verify(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean {
  if (nativeEd25519?.(publicKey, message, signature)) return true;
  return ed25519.verify(signature, message, publicKey);
}

/** Verifies a signature made by a plain key over `message` (H) for a plain algorithm; returns null or the failure. */
export function verifyPlainSignature(algorithm: HostKeyAlgorithm, key: PlainPublicKey, format: string, data: SignatureData, message: Uint8Array): string | null {
  if (key.type !== algorithm.plainKeyType) return `the key is ${key.type}, the algorithm ${algorithm.name} needs ${algorithm.plainKeyType}`;
  if (format !== algorithm.signatureFormat) return `the signature is ${format} but ${algorithm.name} needs ${algorithm.signatureFormat}`;
  try {
    const isBytes = data instanceof Uint8Array;
    if (key.type === 'ssh-ed25519') {
      if (!isBytes) return 'an Ed25519 signature is 64 bytes, not r and s';
      if (data.length !== 64) return `an Ed25519 signature is 64 bytes, this one is ${data.length}`;
      return ed25519Verify(data, message, key.publicKey) ? null : 'the Ed25519 signature does not match';
    }
    if (key.type === 'ssh-ed448') {
      if (!isBytes) return 'an Ed448 signature is 114 bytes, not r and s';
      if (data.length !== 114) return `an Ed448 signature is 114 bytes, this one is ${data.length}`;
      return ed448.verify(data, message, key.publicKey) ? null : 'the Ed448 signature does not match';
    }
    if (key.type === 'ssh-dss') {
      if (isBytes) return 'a DSA signature is r and s, 20 bytes each';
      return dsaVerify(key, message, toBigInt(data.r), toBigInt(data.s));
    }
    if (key.type === 'ssh-rsa') {
      if (!isBytes) return 'an RSA signature is a byte string, not r and s';
      return rsaVerify(key, algorithm.hash as RsaHash, message, data) ? null : `the RSA PKCS#1 v1.5 ${algorithm.hash} signature does not match`;
    }
    const curve = NIST[key.curve];
    const size = curve.lengths.secretKey!;
    if (isBytes) return 'an ECDSA signature is mpint r | mpint s';
    const [r, s] = [toBigInt(data.r), toBigInt(data.s)];
    const n = curve.Point.CURVE().n;
    if (r <= 0n || s <= 0n || r >= n || s >= n) return 'the ECDSA r or s is out of range (0, n)';
    const compact = new Uint8Array(2 * size);
    compact.set(bigIntToBytes(r, size), 0);
    compact.set(bigIntToBytes(s, size), size);
    // RFC 5656 §6.2.1: the curve's own hash of H (noble's prehash for each curve); high S allowed.
    return curve.verify(compact, message, key.Q, { prehash: true, lowS: false }) ? null : 'the ECDSA signature does not match';
  } catch (e) {
    return `the signature could not be checked: ${e instanceof Error ? e.message : String(e)}`;
  }
}

export interface CertificateReport {
  keyId: string;
  serial: bigint;
  /** 'host' or 'user' (or the number, if neither). */
  certType: string;
  principals: string[];
  validAfter: bigint;
  validBefore: bigint;
  caKeyType: string;
  caFingerprint: string;
  caSignatureVerified: boolean;
  caReason: string;
}

export interface HostKeyVerification {
  algorithm: string;
  /** The type named in the key blob ('' when the blob could not be read). */
  keyType: string;
  fingerprint: string;
  verified: boolean;
  reason: string;
  /** True when sshlens cannot check this kind of signature at all (unknown algorithm or key type), so a failure says
   * nothing about the key-log secret. */
  uncheckable?: true;
  certificate?: CertificateReport;
}

/** Checks the server's signature over H (the KEXDH_REPLY's signature) with its host key blob K_S. */
export function verifyHostKeySignature(input: { algorithm: string; hostKeyBlob: Uint8Array; signatureBlob: Uint8Array; H: Uint8Array }): HostKeyVerification {
  const fingerprint = fingerprintSha256(input.hostKeyBlob);
  // Built field by field: spreading a base object and adding fields costs microseconds in V8 (node 20).
  const outcome = (keyType: string, verified: boolean, reason: string, uncheckable = false): HostKeyVerification => {
    const result: HostKeyVerification = { algorithm: input.algorithm, fingerprint, keyType, verified, reason };
    if (uncheckable) result.uncheckable = true;
    return result;
  };
  const algorithm = findHostKeyAlgorithm(input.algorithm);
  let key;
  try {
    key = parsePublicKeyBlob(input.hostKeyBlob);
  } catch (e) {
    return outcome('', false, errorText(e), e instanceof HostKeyError && e.code === 'unknown-key-type');
  }
  if (!algorithm) return outcome(key.type, false, `sshlens cannot verify host key algorithm "${input.algorithm}" signatures`, true);
  if (key.type !== algorithm.keyType) {
    return outcome(key.type, false, `the host key is ${key.type} but the negotiated algorithm ${algorithm.name} needs ${algorithm.keyType}`);
  }
  let signature;
  try {
    signature = parseSignatureBlob(input.signatureBlob);
  } catch (e) {
    return outcome(key.type, false, errorText(e));
  }
  const plainKey = 'certified' in key ? key.key : key;
  const failure = verifyPlainSignature(algorithm, plainKey, signature.format, signature.data, input.H);
  const result = outcome(key.type, failure === null, failure ?? `${signature.format} signature over H verifies with the ${algorithm.certificate ? 'certified ' : ''}host key`);
  if ('certified' in key) result.certificate = checkCertificate(key);
  return result;
}

/** OpenSSH PROTOCOL.certkeys: the CA signs every certificate byte up to the signature key. */
export function checkCertificate(cert: Certificate): CertificateReport {
  const report = {
    keyId: cert.keyId,
    serial: cert.serial,
    certType: cert.certType === 2 ? 'host' : cert.certType === 1 ? 'user' : String(cert.certType),
    principals: cert.principals,
    validAfter: cert.validAfter,
    validBefore: cert.validBefore,
    caFingerprint: fingerprintSha256(cert.signatureKey),
  };
  let ca;
  let signature;
  try {
    ca = parsePublicKeyBlob(cert.signatureKey);
    signature = parseSignatureBlob(cert.signature);
  } catch (e) {
    return { ...report, caKeyType: '', caSignatureVerified: false, caReason: errorText(e) };
  }
  if ('certified' in ca) return { ...report, caKeyType: ca.type, caSignatureVerified: false, caReason: 'a CA key may not itself be a certificate' };
  const algorithm = plain.find((a) => a.signatureFormat === signature.format && a.plainKeyType === ca.type);
  if (!algorithm) {
    return { ...report, caKeyType: ca.type, caSignatureVerified: false, caReason: `a ${signature.format} signature cannot come from a ${ca.type} CA key` };
  }
  const failure = verifyPlainSignature(algorithm, ca, signature.format, signature.data, cert.signedBytes);
  return { ...report, caKeyType: ca.type, caSignatureVerified: failure === null, caReason: failure ?? `the CA's ${signature.format} signature over the certificate verifies` };
}

/** A private host key that can sign. */
export type SigningKey =
  | { type: 'ssh-ed25519'; seed: Uint8Array; publicKey: Uint8Array }
  | { type: `ecdsa-sha2-${NistCurveId}`; curve: NistCurveId; d: Uint8Array; Q: Uint8Array }
  | ({ type: 'ssh-rsa' } & RsaPrivateKey);

export function publicKeyOf(key: SigningKey): Extract<PlainPublicKey, { type: PlainKeyType }> {
  if (key.type === 'ssh-ed25519') return { type: key.type, publicKey: key.publicKey };
  if (key.type === 'ssh-rsa') return { type: key.type, e: key.e, n: key.n };
  return { type: key.type, curve: key.curve, Q: key.Q };
}

export function signingKeyBlob(key: SigningKey): Uint8Array {
  return encodePublicKeyBlob(publicKeyOf(key));
}

/** The signature blob over `message` (H) for a plain host key algorithm, as the server sends it. */
export function signExchangeHash(algorithmName: string, key: SigningKey, message: Uint8Array): Uint8Array {
  const algorithm = findHostKeyAlgorithm(algorithmName);
  if (!algorithm) throw new HostKeyError('unknown-key-type', `unsupported host key algorithm "${algorithmName}"`);
  if (algorithm.plainKeyType !== key.type) {
    throw new HostKeyError('unknown-key-type', `${algorithm.name} cannot be signed with a ${key.type} key`);
  }
  if (key.type === 'ssh-ed25519') return encodeSignatureBlob(algorithm.signatureFormat, ed25519.sign(message, key.seed));
  if (key.type === 'ssh-rsa') return encodeSignatureBlob(algorithm.signatureFormat, rsaSign(key, algorithm.hash as RsaHash, message));
  const curve = NIST[key.curve];
  const size = curve.lengths.secretKey!;
  // RFC 6979 deterministic nonce; noble returns r | s, each `size` bytes.
  const compact = curve.sign(message, key.d, { prehash: true, lowS: false });
  const r = bytesToBigInt(compact.subarray(0, size));
  const s = bytesToBigInt(compact.subarray(size, 2 * size));
  return encodeSignatureBlob(algorithm.signatureFormat, { r, s });
}

/** A fresh host key from an injected RNG (RSA: `rsaBits`, default 2048; slow-ish in pure BigInt, about a second). */
export function generateHostKey(type: PlainKeyType, randomBytes: RandomBytes, rsaBits = 2048): SigningKey {
  if (type === 'ssh-ed25519') {
    const seed = randomBytes(32);
    return { type, seed, publicKey: ed25519.getPublicKey(seed) };
  }
  if (type === 'ssh-rsa') return { type, ...rsaGenerate(rsaBits, randomBytes) };
  const curveId = type.slice('ecdsa-sha2-'.length) as NistCurveId;
  const curve = NIST[curveId];
  const size = curve.lengths.secretKey!;
  const n = curve.Point.CURVE().n;
  const d = bigIntToBytes((bytesToBigInt(randomBytes(size + 8)) % (n - 1n)) + 1n, size);
  return { type, curve: curveId, d, Q: curve.getPublicKey(d, false) };
}

export { certifiedKeyType };

function toBigInt(v: bigint | Uint8Array): bigint {
  return typeof v === 'bigint' ? v : bytesToBigInt(v);
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
