/**
 * @module crypto/hostkey-blob
 * Public key and signature blobs of the host key algorithms (RFC 4253 §6.6, RFC 5656 §3.1, RFC 8709 §4 and §6,
 * RFC 8332 §3, OpenSSH PROTOCOL.certkeys) as typed values for signing and verifying. The layouts live once, in the
 * message catalog (engine/messages/blobs.ts): this module only turns its decoded values into the keys the host key
 * layer needs, and encodes through the same layouts.
 */
import { SshlensError } from '../errors.ts';
import { decodePublicKeyBlob, decodeSignatureBlob, encodeLayout, publicKeyLayout, signatureLayout, type Decoded } from '../messages/index.ts';

export type HostKeyErrorCode = 'unknown-key-type' | 'bad-key-blob' | 'bad-signature-blob' | 'bad-key-file' | 'wrong-passphrase' | 'unsupported';

export class HostKeyError extends SshlensError {
  declare readonly code: HostKeyErrorCode;
  constructor(code: HostKeyErrorCode, message: string) {
    super(code, message);
  }
}

export type NistCurveId = 'nistp256' | 'nistp384' | 'nistp521';

export type PlainPublicKey =
  | { type: 'ssh-ed25519'; publicKey: Uint8Array }
  | { type: `ecdsa-sha2-${NistCurveId}`; curve: NistCurveId; Q: Uint8Array }
  | { type: 'ssh-rsa'; e: bigint; n: bigint }
  /** Verify-only legacy and rare types (RFC 8709 §4, RFC 4253 §6.6). */
  | { type: 'ssh-ed448'; publicKey: Uint8Array }
  | { type: 'ssh-dss'; p: bigint; q: bigint; g: bigint; y: bigint };

/** The key types sshlens can sign with (host keys of the engine and the simulator). */
export type PlainKeyType = Exclude<PlainPublicKey['type'], 'ssh-ed448' | 'ssh-dss'>;
/** Every plain key type sshlens can verify a signature of. */
export type VerifiableKeyType = PlainPublicKey['type'];

/** OpenSSH PROTOCOL.certkeys: a certificate wraps a plain key with the fields below and a CA signature. */
export interface Certificate {
  type: string;
  nonce: Uint8Array;
  key: PlainPublicKey;
  serial: bigint;
  /** 1 = user certificate, 2 = host certificate. */
  certType: number;
  keyId: string;
  principals: string[];
  validAfter: bigint;
  validBefore: bigint;
  criticalOptions: Uint8Array;
  extensions: Uint8Array;
  /** The CA's public key blob. */
  signatureKey: Uint8Array;
  /** The CA's signature blob. */
  signature: Uint8Array;
  /** The bytes the CA signed: the whole blob up to and including the signature key. */
  signedBytes: Uint8Array;
}

export type PublicKey = PlainPublicKey | (Certificate & { certified: true });

const CURVES: readonly NistCurveId[] = ['nistp256', 'nistp384', 'nistp521'];
const CERT_SUFFIX = '-cert-v01@openssh.com';

/** Plain key type of a certificate type name: `ssh-ed25519-cert-v01@openssh.com` -> `ssh-ed25519`. */
export function certifiedKeyType(type: string): string | null {
  return type.endsWith(CERT_SUFFIX) ? type.slice(0, -CERT_SUFFIX.length) : null;
}

/** The decoded blob, or a HostKeyError saying what was wrong with it. */
function decoded(result: Decoded, what: string, code: HostKeyErrorCode): Record<string, unknown> {
  if (result.error) throw new HostKeyError(code, `malformed ${what}: ${result.error.message}`);
  const v = result.value;
  const name = typeof v.type === 'string' ? v.type : typeof v.format === 'string' ? v.format : '(not text)';
  if (result.unknown && v.data !== undefined) {
    throw new HostKeyError('unknown-key-type', `unsupported ${what} type "${name}" (known: ssh-ed25519, ssh-ed448, ecdsa-sha2-nistp256/384/521, ssh-rsa, ssh-dss and their -cert-v01@openssh.com certificates)`);
  }
  return v;
}

/** The plain key inside decoded fields (RFC 8709 §4, RFC 5656 §3.1, RFC 4253 §6.6). */
function plainKey(type: string, v: Record<string, unknown>): PlainPublicKey {
  if (type === 'ssh-ed25519') {
    const publicKey = v.key as Uint8Array;
    if (publicKey.length !== 32) throw new HostKeyError('bad-key-blob', `an ssh-ed25519 key is 32 bytes, this one is ${publicKey.length}`);
    return { type, publicKey };
  }
  if (type === 'ssh-ed448') {
    const publicKey = v.key as Uint8Array;
    if (publicKey.length !== 57) throw new HostKeyError('bad-key-blob', `an ssh-ed448 key is 57 bytes, this one is ${publicKey.length}`);
    return { type, publicKey };
  }
  if (type === 'ssh-dss') {
    const [p, q, g, y] = [v.p, v.q, v.g, v.y] as bigint[];
    if (p <= 0n || q <= 0n || g <= 0n || y <= 0n) throw new HostKeyError('bad-key-blob', 'an ssh-dss key needs positive p, q, g and y');
    return { type, p, q, g, y };
  }
  if (type === 'ssh-rsa') {
    const e = v.e as bigint;
    const n = v.n as bigint;
    if (e <= 0n || n <= 0n) throw new HostKeyError('bad-key-blob', 'an ssh-rsa key needs positive e and n');
    return { type, e, n };
  }
  const curve = CURVES.find((c) => type === `ecdsa-sha2-${c}`);
  if (curve) {
    if (v.curve !== curve) throw new HostKeyError('bad-key-blob', `key type ${type} names curve "${String(v.curve)}" inside its blob`);
    return { type: `ecdsa-sha2-${curve}`, curve, Q: v.Q as Uint8Array };
  }
  throw new HostKeyError('unknown-key-type', `unsupported key type "${type}" (known: ssh-ed25519, ssh-ed448, ecdsa-sha2-nistp256/384/521, ssh-rsa, ssh-dss and their -cert-v01@openssh.com certificates)`);
}

/** Decodes a public key blob (`string type | type-specific fields`) or a certificate, with the catalog's layout. */
export function parsePublicKeyBlob(blob: Uint8Array): PublicKey {
  const result = decodePublicKeyBlob(blob);
  const v = decoded(result, 'public key blob', 'bad-key-blob');
  const type = typeof v.type === 'string' ? v.type : '(not text)';
  const plainType = certifiedKeyType(type);
  if (plainType === null) return plainKey(type, v);
  const node = (name: string) => result.fields.find((f) => f.name === name)!;
  const principals = (v.valid_principals as { principals: { name: unknown }[] }).principals.map((p) => String(p.name));
  return {
    certified: true as const,
    type,
    nonce: v.nonce as Uint8Array,
    key: plainKey(plainType, v),
    serial: v.serial as bigint,
    certType: v.cert_type as number,
    keyId: typeof v.key_id === 'string' ? v.key_id : new TextDecoder().decode(v.key_id as Uint8Array),
    principals,
    validAfter: v.valid_after as bigint,
    validBefore: v.valid_before as bigint,
    criticalOptions: node('critical_options').value as Uint8Array,
    extensions: node('extensions').value as Uint8Array,
    signatureKey: node('signature_key').value as Uint8Array,
    signature: node('signature').value as Uint8Array,
    signedBytes: blob.subarray(0, node('signature').span.start),
  };
}

/** The public key blob of a plain key, through the catalog's layout. */
export function encodePublicKeyBlob(key: PlainPublicKey): Uint8Array {
  if (key.type === 'ssh-ed25519') return encodeLayout(publicKeyLayout, { type: key.type, key: key.publicKey });
  if (key.type === 'ssh-ed448') return encodeLayout(publicKeyLayout, { type: key.type, key: key.publicKey });
  if (key.type === 'ssh-rsa') return encodeLayout(publicKeyLayout, { type: key.type, e: key.e, n: key.n });
  if (key.type === 'ssh-dss') return encodeLayout(publicKeyLayout, { type: key.type, p: key.p, q: key.q, g: key.g, y: key.y });
  return encodeLayout(publicKeyLayout, { type: key.type, curve: key.curve, Q: key.Q });
}

/** Signature data: bytes (Ed25519, Ed448, RSA), r and s (ECDSA, RFC 5656 §3.1.2), or r and s of 20 bytes (DSA). */
export type SignatureData = Uint8Array | { r: bigint | Uint8Array; s: bigint | Uint8Array };

/** RFC 4253 §6.6: `string signature format | format-specific data`, with the catalog's layout. */
export function parseSignatureBlob(blob: Uint8Array): { format: string; data: SignatureData } {
  const v = decoded(decodeSignatureBlob(blob), 'signature blob', 'bad-signature-blob');
  const format = typeof v.format === 'string' ? v.format : '(not text)';
  const data = v.signature;
  if (!(data instanceof Uint8Array) && !(data && typeof data === 'object' && 'r' in data && 's' in data)) {
    throw new HostKeyError('bad-signature-blob', `signature format "${format}" is not one sshlens verifies`);
  }
  return { format, data: data as SignatureData };
}

export function encodeSignatureBlob(format: string, data: SignatureData): Uint8Array {
  return encodeLayout(signatureLayout, { format, signature: data });
}
