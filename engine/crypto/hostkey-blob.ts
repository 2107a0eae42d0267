/**
 * @module crypto/hostkey-blob
 * Public key and signature blobs of the host key algorithms (RFC 4253 §6.6, RFC 5656 §3.1, RFC 8709 §4 and §6,
 * RFC 8332 §3, OpenSSH PROTOCOL.certkeys), as data: each key type lists its fields once, and parse and encode both
 * read that list. A minimal parser for the host key layer; the message catalog has the span-recording one.
 */
import { SshlensError, isSshlensError } from '../errors.ts';
import { WireReader, WireWriter } from '../wire/index.ts';

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
  | { type: 'ssh-rsa'; e: bigint; n: bigint };

export type PlainKeyType = PlainPublicKey['type'];

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

/** Reads the key-specific fields of a plain key type (RFC 8709 §4, RFC 5656 §3.1, RFC 4253 §6.6). */
function readKeyFields(r: WireReader, type: string): PlainPublicKey {
  if (type === 'ssh-ed25519') {
    const publicKey = r.string('key');
    if (publicKey.length !== 32) throw new HostKeyError('bad-key-blob', `an ssh-ed25519 key is 32 bytes, this one is ${publicKey.length}`);
    return { type, publicKey };
  }
  if (type === 'ssh-rsa') {
    const e = r.mpint('e');
    const n = r.mpint('n');
    if (e <= 0n || n <= 0n) throw new HostKeyError('bad-key-blob', 'an ssh-rsa key needs positive e and n');
    return { type, e, n };
  }
  const curve = CURVES.find((c) => type === `ecdsa-sha2-${c}`);
  if (curve) {
    const name = new TextDecoder().decode(r.string('curve'));
    if (name !== curve) throw new HostKeyError('bad-key-blob', `key type ${type} names curve "${name}" inside its blob`);
    return { type: `ecdsa-sha2-${curve}`, curve, Q: r.string('Q') };
  }
  throw new HostKeyError('unknown-key-type', `unsupported key type "${type}" (known: ssh-ed25519, ecdsa-sha2-nistp256/384/521, ssh-rsa and their -cert-v01@openssh.com certificates)`);
}

function writeKeyFields(w: WireWriter, key: PlainPublicKey): void {
  if (key.type === 'ssh-ed25519') w.string(key.publicKey);
  else if (key.type === 'ssh-rsa') w.mpint(key.e).mpint(key.n);
  else w.text(key.curve).string(key.Q);
}

/** Decodes a public key blob: `string type | type-specific fields`, or a certificate. */
export function parsePublicKeyBlob(blob: Uint8Array): PublicKey {
  return guard('bad-key-blob', 'public key blob', () => {
    const r = new WireReader(blob);
    const type = new TextDecoder().decode(r.string('type'));
    const plainType = certifiedKeyType(type);
    if (plainType === null) {
      const key = readKeyFields(r, type);
      r.end();
      return key;
    }
    const nonce = r.string('nonce');
    const key = readKeyFields(r, plainType);
    const serial = r.uint64('serial');
    const certType = r.uint32('type');
    const keyId = new TextDecoder().decode(r.string('key id'));
    const principalsReader = r.stringReader('valid principals');
    const principals: string[] = [];
    while (principalsReader.remaining > 0) principals.push(new TextDecoder().decode(principalsReader.string('principal')));
    const validAfter = r.uint64('valid after');
    const validBefore = r.uint64('valid before');
    const criticalOptions = r.string('critical options');
    const extensions = r.string('extensions');
    r.string('reserved');
    const signatureKey = r.string('signature key');
    const signedBytes = blob.subarray(0, r.offset);
    const signature = r.string('signature');
    r.end();
    return {
      certified: true as const, type, nonce, key, serial, certType, keyId, principals, validAfter, validBefore,
      criticalOptions, extensions, signatureKey, signature, signedBytes,
    };
  });
}

/** The public key blob of a plain key. */
export function encodePublicKeyBlob(key: PlainPublicKey): Uint8Array {
  const w = new WireWriter().text(key.type);
  writeKeyFields(w, key);
  return w.finish();
}

/** RFC 4253 §6.6: `string signature format | string signature blob`. */
export function parseSignatureBlob(blob: Uint8Array): { format: string; data: Uint8Array } {
  return guard('bad-signature-blob', 'signature blob', () => {
    const r = new WireReader(blob);
    const format = new TextDecoder().decode(r.string('format'));
    const data = r.string('data');
    r.end();
    return { format, data };
  });
}

export function encodeSignatureBlob(format: string, data: Uint8Array): Uint8Array {
  return new WireWriter().text(format).string(data).finish();
}

/** RFC 5656 §3.1.2: the ECDSA signature data is `mpint r | mpint s`. */
export function parseEcdsaSignature(data: Uint8Array): { r: bigint; s: bigint } {
  return guard('bad-signature-blob', 'ECDSA signature', () => {
    const reader = new WireReader(data);
    const r = reader.mpint('r');
    const s = reader.mpint('s');
    reader.end();
    return { r, s };
  });
}

export function encodeEcdsaSignature(r: bigint, s: bigint): Uint8Array {
  return new WireWriter().mpint(r).mpint(s).finish();
}

/** Wire errors become one typed HostKeyError saying which blob was bad. */
function guard<T>(code: HostKeyErrorCode, what: string, body: () => T): T {
  try {
    return body();
  } catch (e) {
    if (e instanceof HostKeyError) throw e;
    if (isSshlensError(e)) throw new HostKeyError(code, `malformed ${what}: ${e.message}`);
    throw e;
  }
}
