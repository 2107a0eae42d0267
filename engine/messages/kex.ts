/**
 * @module messages/kex
 * Key exchange messages 30..49, whose meaning depends on the negotiated kex method (RFC 4251 §7): Diffie-Hellman
 * groups (RFC 4253 §8, RFC 8268), group exchange (RFC 4419), ECDH (RFC 5656 §4) and curve25519 (RFC 8731), the
 * hybrid post-quantum KEMs sntrup761x25519 (RFC 9941), mlkem768x25519 (draft-ietf-sshm-mlkem-hybrid-kex) and the
 * ML-KEM + NIST-curve hybrids (draft-kampanakis-curdle-ssh-pq-ke), RSA
 * key exchange (RFC 4432; PuTTY and AsyncSSH offer it), and GSS-API key exchange (RFC 4462 §2, RFC 8732).
 */
import { publicKeyLayout, signatureLayout } from './blobs.ts';
import type { KexFamily, MessageEntry } from './entry.ts';
import { blob, field, switchOn, type FieldDecl } from './layout.ts';

/** The family of message shapes a kex method uses, or undefined for a method sshlens does not know. */
export function kexFamily(method: string | undefined): KexFamily | undefined {
  if (!method) return undefined;
  if (method.startsWith('diffie-hellman-group-exchange-')) return 'gex';
  if (method.startsWith('diffie-hellman-group')) return 'dh';
  if (method.startsWith('ecdh-sha2-') || method.startsWith('curve25519-sha256') || method === 'curve448-sha512') return 'ecdh';
  if (method.startsWith('sntrup761x25519-sha512') || method === 'mlkem768x25519-sha256') return 'hybrid';
  if (method === 'mlkem768nistp256-sha256') return 'hybrid-nistp256';
  if (method === 'mlkem1024nistp384-sha384') return 'hybrid-nistp384';
  if (method === 'rsa1024-sha1' || method === 'rsa2048-sha256') return 'rsa';
  if (method.startsWith('gss-curve25519-') || method.startsWith('gss-nistp') || method.startsWith('gss-curve448-')) return 'gss-ecdh';
  if (method.startsWith('gss-')) return 'gss';
  return undefined;
}

const hostKey = (rfc: string) => field('host_key', blob(publicKeyLayout), 'K_S: the server\'s public host key, which signs the exchange hash.', { rfc });
const signature = (rfc: string) =>
  field('signature', blob(signatureLayout), 'The server\'s signature over the exchange hash H, made with the host key.', { rfc });
const e = (rfc: string) => field('e', 'mpint', 'The client\'s public value e = g^x mod p, x secret.', { rfc });
const f = (rfc: string) => field('f', 'mpint', 'The server\'s public value f = g^y mod p, y secret.', { rfc });
const groupSizes = (rfc: string): FieldDecl[] => [
  field('min', 'uint32', 'The smallest group size in bits the client accepts.', { rfc }),
  field('n', 'uint32', 'The group size in bits the client would like.', { rfc }),
  field('max', 'uint32', 'The largest group size in bits the client accepts.', { rfc }),
];
const group = (rfc: string): FieldDecl[] => [
  field('p', 'mpint', 'The safe prime p the server chose.', { rfc }),
  field('g', 'mpint', 'The generator g of the subgroup.', { rfc }),
];

const DH = 'RFC 4253 §8';
const GEX = 'RFC 4419 §3';
const RSA_KEX = 'RFC 4432 §4';
const ECDH = 'RFC 5656 §4; RFC 8731 §3';
const HYBRID = 'RFC 9941 §2; draft-ietf-sshm-mlkem-hybrid-kex §2';
const HYBRID_NIST = 'draft-kampanakis-curdle-ssh-pq-ke §2.2, §2.3';
const GSS = 'RFC 4462 §2.1';
const GSS_ECDH = 'RFC 8732 §4';

const X25519_PART = { name: 'x25519', size: 32, doc: 'The X25519 public key (32 bytes), the classical half of the hybrid.' } as const;

const gssCommon = (kex: 'gss' | 'gss-ecdh', rfc: string): MessageEntry[] => [
  {
    number: 31, name: 'SSH_MSG_KEXGSS_CONTINUE', rfc, context: { kex }, summary: 'Another GSS-API context token, while the context is being built.',
    layout: [field('output_token', 'string', 'A token from GSS_Init_sec_context or GSS_Accept_sec_context, for the peer.', { rfc: GSS })],
  },
  {
    number: 33, name: 'SSH_MSG_KEXGSS_HOSTKEY', rfc, context: { kex }, summary: 'The server\'s host key, sent before COMPLETE when it has one.',
    layout: [hostKey(GSS)],
  },
  {
    number: 34, name: 'SSH_MSG_KEXGSS_ERROR', rfc, context: { kex }, summary: 'GSS-API error details, before the kex fails.',
    layout: [
      field('major_status', 'uint32', 'The GSS-API major status code.', { rfc: GSS }),
      field('minor_status', 'uint32', 'The mechanism-specific minor status code.', { rfc: GSS }),
      field('message', 'text', 'A human-readable error message.', { rfc: GSS }),
      field('language', 'text', 'A language tag for the message.', { rfc: GSS }),
    ],
  },
];

const completeTail: FieldDecl[] = [
  field('mic', 'string', 'The GSS-API MIC token over the exchange hash H: it authenticates the server instead of a host key signature.', { rfc: GSS }),
  field('has_output_token', 'boolean', 'Whether a final context token follows.', { rfc: GSS }),
];
const outputTokenIf = switchOn('has_output_token', {
  true: [field('output_token', 'string', 'The last token from GSS_Accept_sec_context.', { rfc: GSS })],
  false: [],
});

export const kexMessages: MessageEntry[] = [
  // Diffie-Hellman with a fixed group (RFC 4253 §8)
  { number: 30, name: 'SSH_MSG_KEXDH_INIT', rfc: DH, context: { kex: 'dh' }, summary: 'The client sends its Diffie-Hellman public value.', layout: [e(DH)] },
  {
    number: 31, name: 'SSH_MSG_KEXDH_REPLY', rfc: DH, context: { kex: 'dh' }, summary: 'The server sends its host key, its public value and its signature over the exchange hash.',
    layout: [hostKey(DH), f(DH), signature(DH)],
  },
  // Group exchange (RFC 4419)
  {
    number: 30, name: 'SSH_MSG_KEX_DH_GEX_REQUEST_OLD', rfc: 'RFC 4419 §5', context: { kex: 'gex' }, summary: 'Old form of the group request: only the preferred size.',
    layout: [field('n', 'uint32', 'The group size in bits the client would like.', { rfc: 'RFC 4419 §5' })],
  },
  { number: 34, name: 'SSH_MSG_KEX_DH_GEX_REQUEST', rfc: GEX, context: { kex: 'gex' }, summary: 'The client asks for a Diffie-Hellman group of a size it accepts.', layout: groupSizes(GEX) },
  { number: 31, name: 'SSH_MSG_KEX_DH_GEX_GROUP', rfc: GEX, context: { kex: 'gex' }, summary: 'The server sends the group (p, g) it chose.', layout: group(GEX) },
  { number: 32, name: 'SSH_MSG_KEX_DH_GEX_INIT', rfc: GEX, context: { kex: 'gex' }, summary: 'The client sends its public value in that group.', layout: [e(GEX)] },
  {
    number: 33, name: 'SSH_MSG_KEX_DH_GEX_REPLY', rfc: GEX, context: { kex: 'gex' }, summary: 'The server sends its host key, its public value and its signature over the exchange hash.',
    layout: [hostKey(GEX), f(GEX), signature(GEX)],
  },
  // ECDH and curve25519 (RFC 5656 §4, RFC 8731 §3)
  {
    number: 30, name: 'SSH_MSG_KEX_ECDH_INIT', rfc: ECDH, context: { kex: 'ecdh' }, summary: 'The client sends its ephemeral elliptic-curve public key.',
    layout: [field('Q_C', 'string', 'The client\'s ephemeral public key: an uncompressed point (0x04|x|y), or 32 bytes for curve25519.', { rfc: ECDH })],
  },
  {
    number: 31, name: 'SSH_MSG_KEX_ECDH_REPLY', rfc: ECDH, context: { kex: 'ecdh' }, summary: 'The server sends its host key, its ephemeral public key and its signature over the exchange hash.',
    layout: [
      hostKey(ECDH),
      field('Q_S', 'string', 'The server\'s ephemeral public key, same form as Q_C.', { rfc: ECDH }),
      signature(ECDH),
    ],
  },
  // Hybrid post-quantum KEMs
  {
    number: 30, name: 'SSH_MSG_KEX_HYBRID_INIT', rfc: HYBRID, context: { kex: 'hybrid' }, summary: 'The client sends a post-quantum KEM public key and an X25519 public key, concatenated.',
    layout: [field('C_INIT', { split: [
      { name: 'pq_public_key', size: 'rest', doc: 'The KEM public key: 1158 bytes for sntrup761, 1184 for ML-KEM-768.' },
      X25519_PART,
    ] }, 'The client\'s two public keys in one string: the post-quantum one first, then X25519.', { rfc: HYBRID })],
  },
  {
    number: 31, name: 'SSH_MSG_KEX_HYBRID_REPLY', rfc: HYBRID, context: { kex: 'hybrid' }, summary: 'The server sends its host key, the KEM ciphertext with its X25519 public key, and its signature.',
    layout: [
      hostKey(HYBRID),
      field('S_REPLY', { split: [
        { name: 'pq_ciphertext', size: 'rest', doc: 'The KEM ciphertext encapsulating a secret to the client\'s key: 1039 bytes for sntrup761, 1088 for ML-KEM-768.' },
        X25519_PART,
      ] }, 'The server\'s reply in one string: the KEM ciphertext, then its X25519 public key.', { rfc: HYBRID }),
      signature(HYBRID),
    ],
  },
  // ML-KEM with ECDH on a NIST curve: the same two messages, the classical part an uncompressed point (RFC 5656).
  ...(['nistp256', 'nistp384'] as const).flatMap((curve): MessageEntry[] => {
    const kex = `hybrid-${curve}` as const;
    const point = { name: 'ecdh_point', size: curve === 'nistp256' ? 65 : 97, doc: `The ${curve} ECDH public key: an uncompressed point (0x04|x|y), the classical half of the hybrid.` } as const;
    const kem = curve === 'nistp256' ? 'ML-KEM-768' : 'ML-KEM-1024';
    return [
      {
        number: 30, name: 'SSH_MSG_KEX_HYBRID_INIT', rfc: HYBRID_NIST, context: { kex }, summary: `The client sends an ${kem} public key and a ${curve} ECDH public key, concatenated.`,
        layout: [field('C_INIT', { split: [
          { name: 'pq_public_key', size: 'rest', doc: `The ${kem} public key (${curve === 'nistp256' ? 1184 : 1568} bytes).` },
          point,
        ] }, 'The client\'s two public keys in one string: the post-quantum one first, then the ECDH point.', { rfc: HYBRID_NIST })],
      },
      {
        number: 31, name: 'SSH_MSG_KEX_HYBRID_REPLY', rfc: HYBRID_NIST, context: { kex }, summary: `The server sends its host key, the ${kem} ciphertext with its ECDH public key, and its signature.`,
        layout: [
          hostKey(HYBRID_NIST),
          field('S_REPLY', { split: [
            { name: 'pq_ciphertext', size: 'rest', doc: `The ${kem} ciphertext encapsulating a secret to the client's key (${curve === 'nistp256' ? 1088 : 1568} bytes).` },
            point,
          ] }, 'The server\'s reply in one string: the KEM ciphertext, then its ECDH point.', { rfc: HYBRID_NIST }),
          signature(HYBRID_NIST),
        ],
      },
    ];
  }),
  // RSA key exchange (RFC 4432 §4): the client picks K and encrypts it to the server's transient RSA key.
  {
    number: 30, name: 'SSH_MSG_KEXRSA_PUBKEY', rfc: RSA_KEX, context: { kex: 'rsa' }, summary: 'The server sends its host key and a transient RSA key for the client to encrypt the secret to.',
    layout: [
      hostKey(RSA_KEX),
      field('K_T', blob(publicKeyLayout), 'K_T: a transient RSA public key (at least 1024 bits for rsa1024-sha1, 2048 for rsa2048-sha256).', { rfc: RSA_KEX }),
    ],
  },
  {
    number: 31, name: 'SSH_MSG_KEXRSA_SECRET', rfc: RSA_KEX, context: { kex: 'rsa' }, summary: 'The client sends the shared secret K, RSAES-OAEP-encrypted to K_T.',
    layout: [field('encrypted_secret', 'string', 'RSAES-OAEP-ENCRYPT(K_T, mpint K) with the method\'s hash (RFC 8017 §7.1): only the server can read K.', { rfc: RSA_KEX })],
  },
  {
    number: 32, name: 'SSH_MSG_KEXRSA_DONE', rfc: RSA_KEX, context: { kex: 'rsa' }, summary: 'The server signs the exchange hash with its host key.',
    layout: [signature(RSA_KEX)],
  },
  // GSS-API key exchange with Diffie-Hellman (RFC 4462 §2)
  {
    number: 30, name: 'SSH_MSG_KEXGSS_INIT', rfc: GSS, context: { kex: 'gss' }, summary: 'The client sends its first GSS-API token and its Diffie-Hellman public value.',
    layout: [field('output_token', 'string', 'The first token from GSS_Init_sec_context.', { rfc: GSS }), e(GSS)],
  },
  {
    number: 32, name: 'SSH_MSG_KEXGSS_COMPLETE', rfc: GSS, context: { kex: 'gss' }, summary: 'The server sends its public value and a MIC over the exchange hash.',
    layout: [f(GSS), ...completeTail, outputTokenIf],
  },
  ...gssCommon('gss', GSS),
  {
    number: 40, name: 'SSH_MSG_KEXGSS_GROUPREQ', rfc: 'RFC 4462 §2.2', context: { kex: 'gss' }, summary: 'Group exchange over GSS-API: the client asks for a group size.',
    layout: groupSizes('RFC 4462 §2.2'),
  },
  {
    number: 41, name: 'SSH_MSG_KEXGSS_GROUP', rfc: 'RFC 4462 §2.2', context: { kex: 'gss' }, summary: 'Group exchange over GSS-API: the server sends the group.',
    layout: group('RFC 4462 §2.2'),
  },
  // GSS-API key exchange with ECDH / curve25519 (RFC 8732)
  {
    number: 30, name: 'SSH_MSG_KEXGSS_INIT', rfc: GSS_ECDH, context: { kex: 'gss-ecdh' }, summary: 'The client sends its first GSS-API token and its ephemeral public key.',
    layout: [
      field('output_token', 'string', 'The first token from GSS_Init_sec_context.', { rfc: GSS }),
      field('Q_C', 'string', 'The client\'s ephemeral public key.', { rfc: GSS_ECDH }),
    ],
  },
  {
    number: 32, name: 'SSH_MSG_KEXGSS_COMPLETE', rfc: GSS_ECDH, context: { kex: 'gss-ecdh' }, summary: 'The server sends its ephemeral public key and a MIC over the exchange hash.',
    layout: [field('Q_S', 'string', 'The server\'s ephemeral public key.', { rfc: GSS_ECDH }), ...completeTail, outputTokenIf],
  },
  ...gssCommon('gss-ecdh', GSS_ECDH),
];
