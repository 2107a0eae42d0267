/**
 * @module messages/blobs
 * Public key and signature blobs, declared as layouts: RFC 4253 §6.6 (ssh-rsa, ssh-dss), RFC 8332 (rsa-sha2-256/512
 * signatures), RFC 5656 §3.1 (ecdsa-sha2-nistp256/384/521 and OID-named curves), RFC 8709 (ssh-ed25519, ssh-ed448),
 * OpenSSH PROTOCOL.u2f (sk- security-key variants) and PROTOCOL.certkeys (the -cert-v01@openssh.com certificates,
 * with every field).
 * Messages embed these as nested fields, so a key inside a KEXDH_REPLY shows its own spans.
 */
import { decodeLayout, type Decoded } from './codec.ts';
import { blob, field, repeat, switchOn, unknownRest, type Layout } from './layout.ts';

const CERTKEYS = 'OpenSSH PROTOCOL.certkeys';
const U2F = 'OpenSSH PROTOCOL.u2f';

const keyType = field('type', 'text', 'The key type name, which says how the rest of the blob is laid out.', { rfc: 'RFC 4253 §6.6' });

const rsaKey: Layout = [
  field('e', 'mpint', 'The RSA public exponent (usually 65537).', { rfc: 'RFC 4253 §6.6' }),
  field('n', 'mpint', 'The RSA modulus, the product of two secret primes; its size is the key size.', { rfc: 'RFC 4253 §6.6' }),
];
const dssKey: Layout = [
  field('p', 'mpint', 'The DSA prime modulus.', { rfc: 'RFC 4253 §6.6' }),
  field('q', 'mpint', 'The DSA subgroup order (160 bits).', { rfc: 'RFC 4253 §6.6' }),
  field('g', 'mpint', 'The DSA generator.', { rfc: 'RFC 4253 §6.6' }),
  field('y', 'mpint', 'The DSA public value g^x mod p.', { rfc: 'RFC 4253 §6.6' }),
];
const ed25519Key: Layout = [field('key', 'string', 'The 32-byte Ed25519 public key.', { rfc: 'RFC 8709 §4' })];
const ed448Key: Layout = [field('key', 'string', 'The 57-byte Ed448 public key.', { rfc: 'RFC 8709 §4' })];
const ecdsaKey: Layout = [
  field('curve', 'text', 'The curve name again (nistp256, nistp384 or nistp521).', { rfc: 'RFC 5656 §3.1' }),
  field('Q', 'string', 'The public point, uncompressed: 0x04 | x | y.', { rfc: 'RFC 5656 §3.1' }),
];
const application = field('application', 'text', 'The FIDO application string the security key was enrolled for, usually "ssh:".', { rfc: U2F });

/** The base key types (no certificates). */
const plainKeyCases: Record<string, Layout> = {
  'ssh-rsa': rsaKey,
  'ssh-dss': dssKey,
  'ssh-ed25519': ed25519Key,
  'ssh-ed448': ed448Key,
  'ecdsa-sha2-nistp256': ecdsaKey,
  'ecdsa-sha2-nistp384': ecdsaKey,
  'ecdsa-sha2-nistp521': ecdsaKey,
  // RFC 5656 §6.1: a curve without a nistp name is named by its OID (secp256k1 here, which AsyncSSH supports).
  'ecdsa-sha2-1.3.132.0.10': ecdsaKey,
  'sk-ecdsa-sha2-nistp256@openssh.com': [...ecdsaKey, application],
  'sk-ssh-ed25519@openssh.com': [...ed25519Key, application],
};

/** A public key blob without certificates: what a certificate's signing CA key is. */
export const plainPublicKeyLayout: Layout = [keyType, switchOn('type', plainKeyCases, { default: unknownRest('key type') })];

// --- signatures ---------------------------------------------------------------------------------------------------

const ecdsaSignature: Layout = [
  field('r', 'mpint', 'The ECDSA signature value r.', { rfc: 'RFC 5656 §3.1.2' }),
  field('s', 'mpint', 'The ECDSA signature value s (OpenSSH does not normalise it to the low half).', { rfc: 'RFC 5656 §3.1.2' }),
];
const skTail: Layout = [
  field('flags', 'byte', 'FIDO flags: 0x01 user present, 0x04 user verified.', { rfc: U2F, values: { 0: 'none', 1: 'user-present', 4: 'user-verified', 5: 'user-present,user-verified' } }),
  field('counter', 'uint32', 'The security key\'s signature counter, which goes up with each use.', { rfc: U2F }),
];
const rsaSignature: Layout = [field('signature', 'string', 'The RSA signature: s = m^d mod n, as many bytes as the modulus (PKCS#1 v1.5).', { rfc: 'RFC 8332 §3' })];

const signatureCases: Record<string, Layout> = {
  'ssh-rsa': rsaSignature,
  'rsa-sha2-256': rsaSignature,
  'rsa-sha2-512': rsaSignature,
  'ssh-dss': [
    field('signature', { split: [
      { name: 'r', size: 20, doc: 'The DSA signature value r, 160 bits.' },
      { name: 's', size: 20, doc: 'The DSA signature value s, 160 bits.' },
    ] }, 'The DSA signature: r and s, 20 bytes each.', { rfc: 'RFC 4253 §6.6' }),
  ],
  'ssh-ed25519': [field('signature', 'string', 'The 64-byte Ed25519 signature (R | S).', { rfc: 'RFC 8709 §6' })],
  'ssh-ed448': [field('signature', 'string', 'The 114-byte Ed448 signature (R | S).', { rfc: 'RFC 8709 §6' })],
  'ecdsa-sha2-1.3.132.0.10': [field('signature', blob(ecdsaSignature), 'The ECDSA signature, a blob holding r and s.', { rfc: 'RFC 5656 §3.1.2' })],
  'ecdsa-sha2-nistp256': [field('signature', blob(ecdsaSignature), 'The ECDSA signature, a blob holding r and s.', { rfc: 'RFC 5656 §3.1.2' })],
  'ecdsa-sha2-nistp384': [field('signature', blob(ecdsaSignature), 'The ECDSA signature, a blob holding r and s.', { rfc: 'RFC 5656 §3.1.2' })],
  'ecdsa-sha2-nistp521': [field('signature', blob(ecdsaSignature), 'The ECDSA signature, a blob holding r and s.', { rfc: 'RFC 5656 §3.1.2' })],
  'sk-ecdsa-sha2-nistp256@openssh.com': [
    field('signature', blob(ecdsaSignature), 'The ECDSA signature made by the security key, a blob holding r and s.', { rfc: U2F }),
    ...skTail,
  ],
  'sk-ssh-ed25519@openssh.com': [
    field('signature', 'string', 'The 64-byte Ed25519 signature made by the security key.', { rfc: U2F }),
    ...skTail,
  ],
  'webauthn-sk-ecdsa-sha2-nistp256@openssh.com': [
    field('signature', blob(ecdsaSignature), 'The ECDSA signature made through WebAuthn, a blob holding r and s.', { rfc: U2F }),
    ...skTail,
    field('origin', 'text', 'The WebAuthn origin the browser reported.', { rfc: U2F }),
    field('client_data', 'string', 'The WebAuthn clientData JSON that was hashed into the signed data.', { rfc: U2F }),
    field('extensions', 'string', 'WebAuthn extensions (normally empty).', { rfc: U2F }),
  ],
};

/** A signature blob (RFC 4253 §6.6): `string format | format-specific signature data`. */
export const signatureLayout: Layout = [
  field('format', 'text', 'The signature format name, which says which algorithm and hash made it.', { rfc: 'RFC 4253 §6.6' }),
  switchOn('format', signatureCases, { default: unknownRest('signature format') }),
];

// --- certificates (PROTOCOL.certkeys) ------------------------------------------------------------------------------

const criticalOptionData: Record<string, Layout> = {
  'force-command': [field('data', blob([field('command', 'text', 'The only command this certificate may run.', { rfc: CERTKEYS })]), 'The option data: a string holding the command.', { rfc: CERTKEYS })],
  'source-address': [field('data', blob([field('addresses', 'text', 'Comma-separated CIDR addresses the certificate may be used from.', { rfc: CERTKEYS })]), 'The option data: a string holding the address list.', { rfc: CERTKEYS })],
  'verify-required': [field('data', 'string', 'Empty: the flag alone requires user verification on the security key.', { rfc: CERTKEYS })],
};
const flagExtension: Layout = [field('data', 'string', 'Empty: the extension\'s presence grants the permission.', { rfc: CERTKEYS })];
const extensionData: Record<string, Layout> = Object.fromEntries(
  ['no-touch-required', 'permit-X11-forwarding', 'permit-agent-forwarding', 'permit-port-forwarding', 'permit-pty', 'permit-user-rc'].map((n) => [n, flagExtension]),
);
const unknownData: Layout = [field('data', 'string', 'Data of an option or extension sshlens does not know.', { rfc: CERTKEYS, unknown: true })];

function certificate(keyFields: Layout): Layout {
  return [
    field('nonce', 'string', 'Random bytes chosen by the CA, so that signature collisions cannot be planned.', { rfc: CERTKEYS }),
    ...keyFields,
    field('serial', 'uint64', 'A serial number chosen by the CA, e.g. to revoke the certificate.', { rfc: CERTKEYS }),
    field('cert_type', 'uint32', 'Whether this certifies a user key (1) or a host key (2).', { rfc: CERTKEYS, values: { 1: 'SSH_CERT_TYPE_USER', 2: 'SSH_CERT_TYPE_HOST' } }),
    field('key_id', 'text', 'A free-form name the CA gave the certificate, written to logs.', { rfc: CERTKEYS }),
    field('valid_principals', blob([field('principals', repeat([field('name', 'text', 'A user name or host name.', { rfc: CERTKEYS })]), 'The names this certificate is valid for.', { rfc: CERTKEYS })]),
      'The user or host names the certificate is valid for; empty means any.', { rfc: CERTKEYS }),
    field('valid_after', 'uint64', 'Start of validity, in seconds since 1970 (UTC).', { rfc: CERTKEYS }),
    field('valid_before', 'uint64', 'End of validity, in seconds since 1970; 0xffffffffffffffff means forever.', { rfc: CERTKEYS }),
    field('critical_options', blob([field('options', repeat([
      field('name', 'text', 'The option name; a server that does not know it must refuse the certificate.', { rfc: CERTKEYS }),
      switchOn('name', criticalOptionData, { default: unknownData }),
    ]), 'The critical options, sorted by name.', { rfc: CERTKEYS })]), 'Restrictions a server must enforce (or refuse the certificate).', { rfc: CERTKEYS }),
    field('extensions', blob([field('extensions', repeat([
      field('name', 'text', 'The extension name; unknown ones are ignored.', { rfc: CERTKEYS }),
      switchOn('name', extensionData, { default: unknownData }),
    ]), 'The extensions, sorted by name.', { rfc: CERTKEYS })]), 'Optional permissions (pty, port forwarding...) a server may ignore.', { rfc: CERTKEYS }),
    field('reserved', 'string', 'Reserved, empty.', { rfc: CERTKEYS }),
    field('signature_key', blob(plainPublicKeyLayout), 'The CA\'s public key that signed this certificate.', { rfc: CERTKEYS }),
    field('signature', blob(signatureLayout), 'The CA\'s signature over every field above, from the type name to the signature key.', { rfc: CERTKEYS }),
  ];
}

const certCases: Record<string, Layout> = {
  'ssh-rsa-cert-v01@openssh.com': certificate(rsaKey),
  'ssh-dss-cert-v01@openssh.com': certificate(dssKey),
  'ssh-ed25519-cert-v01@openssh.com': certificate(ed25519Key),
  'ssh-ed448-cert-v01@openssh.com': certificate(ed448Key),
  'ecdsa-sha2-nistp256-cert-v01@openssh.com': certificate(ecdsaKey),
  'ecdsa-sha2-nistp384-cert-v01@openssh.com': certificate(ecdsaKey),
  'ecdsa-sha2-nistp521-cert-v01@openssh.com': certificate(ecdsaKey),
  'sk-ecdsa-sha2-nistp256-cert-v01@openssh.com': certificate([...ecdsaKey, application]),
  'sk-ssh-ed25519-cert-v01@openssh.com': certificate([...ed25519Key, application]),
};

/** A public key blob (RFC 4253 §6.6): `string type | type-specific fields`; certificates included. */
export const publicKeyLayout: Layout = [
  keyType,
  switchOn('type', { ...plainKeyCases, ...certCases }, { default: unknownRest('key type') }),
];

/**
 * Decodes a public key or certificate blob. Value fields by type: ssh-rsa {type, e, n}; ssh-dss {type, p, q, g, y};
 * ssh-ed25519 {type, key}; ecdsa-sha2-* {type, curve, Q}; sk-* add {application}; *-cert-v01@openssh.com {type,
 * nonce, <key fields>, serial, cert_type, key_id, valid_principals: {principals: [{name}]}, valid_after,
 * valid_before, critical_options: {options: [{name, data}]}, extensions: {extensions: [{name, data}]}, reserved,
 * signature_key: {type, ...}, signature: {format, ...}}. Unknown types decode as {type, data} with `unknown` set.
 * `base` is the blob's absolute offset, for spans. Never throws on bad input: see `error`.
 */
export function decodePublicKeyBlob(bytes: Uint8Array, base = 0, path = ''): Decoded {
  return decodeLayout(publicKeyLayout, bytes, base, path);
}

/**
 * Decodes a signature blob. Value fields by format: ssh-rsa / rsa-sha2-256 / rsa-sha2-512 / ssh-ed25519 {format,
 * signature: bytes}; ssh-dss {format, signature: {r, s} (20 bytes each)}; ecdsa-sha2-* {format, signature: {r, s}
 * (bigints)}; sk-* add {flags, counter}; webauthn-sk-* also {origin, client_data, extensions}.
 */
export function decodeSignatureBlob(bytes: Uint8Array, base = 0, path = ''): Decoded {
  return decodeLayout(signatureLayout, bytes, base, path);
}
