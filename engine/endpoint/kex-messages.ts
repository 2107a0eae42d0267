/**
 * @module endpoint/kex-messages
 * The kex method's own messages (30..49) as an endpoint writes and reads them, per family: RFC 4253 §8 (KEXDH_INIT e,
 * KEXDH_REPLY K_S f sig), RFC 4419 §3 (GEX REQUEST, GROUP, INIT, REPLY), RFC 5656 §4 / RFC 8731 §3 (ECDH Q_C, Q_S),
 * RFC 9941 §2 (HYBRID C_INIT, S_REPLY). Encoding and decoding go through the message catalog; the key sizes each
 * direction takes come from the cipher and MAC registries (RFC 4253 §7.2).
 */
import { getCipherAlgorithm } from '../crypto/ciphers.ts';
import { getMacAlgorithm } from '../crypto/macs.ts';
import type { DerivedKeys, KeySizes } from '../kex/derive.ts';
import type { KexPublicValue } from '../kex/kex.ts';
import { hybridParts } from '../kex/hybrid.ts';
import { kexMethod, type KexFamily, type KexMethod } from '../kex/methods.ts';
import type { SlotName } from '../kex/negotiate.ts';
import { encodeMessage, type DecodedMessage } from '../messages/index.ts';
import type { DirectionKeys } from '../transport/binary-packet.ts';
import { RemoteProtocolError, REASON } from './errors.ts';

const INIT_NAME: Record<KexFamily, string> = {
  'dh-group': 'SSH_MSG_KEXDH_INIT', 'dh-gex': 'SSH_MSG_KEX_DH_GEX_INIT', 'ecdh-nist': 'SSH_MSG_KEX_ECDH_INIT',
  curve25519: 'SSH_MSG_KEX_ECDH_INIT', 'hybrid-kem': 'SSH_MSG_KEX_HYBRID_INIT',
  // RFC 4432: named for completeness; endpoints never negotiate RSA kex (algorithms.ts keeps it out of SUPPORTED).
  rsa: 'SSH_MSG_KEXRSA_SECRET',
};
const REPLY_NAME: Record<KexFamily, string> = {
  'dh-group': 'SSH_MSG_KEXDH_REPLY', 'dh-gex': 'SSH_MSG_KEX_DH_GEX_REPLY', 'ecdh-nist': 'SSH_MSG_KEX_ECDH_REPLY',
  curve25519: 'SSH_MSG_KEX_ECDH_REPLY', 'hybrid-kem': 'SSH_MSG_KEX_HYBRID_REPLY', rsa: 'SSH_MSG_KEXRSA_DONE',
};

/** The number of the INIT message the client sends with its public value (32 for group exchange, else 30). */
export const initNumber = (method: string): number => (kexMethod(method).family === 'dh-gex' ? 32 : 30);
/** The number of the server's REPLY (33 for group exchange, else 31). */
export const replyNumber = (method: string): number => (kexMethod(method).family === 'dh-gex' ? 33 : 31);

/**
 * RFC 9941 §2.1, draft-kampanakis-curdle-ssh-pq-ke §2.2: C_INIT / S_REPLY = post-quantum part | classical public
 * key (32-byte X25519, or an uncompressed NIST point), in the catalog's part names.
 */
function split(method: KexMethod, bytes: Uint8Array, first: string): Record<string, Uint8Array> {
  const { curve } = hybridParts(method);
  const at = bytes.length - curve.publicKeyLength;
  return { [first]: bytes.subarray(0, at), [curve.name === 'x25519' ? 'x25519' : 'ecdh_point']: bytes.subarray(at) };
}

/** The client's INIT carrying its public value. */
export function encodeKexInit(method: string, clientPublic: KexPublicValue): Uint8Array {
  const m = kexMethod(method);
  const value = m.family === 'dh-group' || m.family === 'dh-gex' ? { e: clientPublic }
    : m.family === 'hybrid-kem' ? { C_INIT: split(m, clientPublic as Uint8Array, 'pq_public_key') }
    : { Q_C: clientPublic };
  return encodeMessage(INIT_NAME[m.family], value, { kex: method });
}

/** The server's REPLY: host key blob, its public value, the signature over H. */
export function encodeKexReply(method: string, hostKeyBlob: Uint8Array, serverPublic: KexPublicValue, signature: Uint8Array): Uint8Array {
  const m = kexMethod(method);
  const own = m.family === 'dh-group' || m.family === 'dh-gex' ? { f: serverPublic }
    : m.family === 'hybrid-kem' ? { S_REPLY: split(m, serverPublic as Uint8Array, 'pq_ciphertext') }
    : { Q_S: serverPublic };
  return encodeMessage(REPLY_NAME[m.family], { host_key: hostKeyBlob, ...own, signature }, { kex: method });
}

/** The content bytes of a string field, by its span in the payload. */
export function rawField(message: DecodedMessage, name: string, payload: Uint8Array): Uint8Array {
  const node = message.fields.find((f) => f.name === name);
  if (!node) throw new RemoteProtocolError('bad-kex-message', `${message.name} has no ${name} field`, REASON.keyExchangeFailed);
  return payload.subarray(node.span.start + 4, node.span.end);
}

function checked(message: DecodedMessage): void {
  if (message.error) {
    throw new RemoteProtocolError('bad-kex-message', `${message.name} is malformed: ${message.error.message} (at ${message.error.path})`, REASON.keyExchangeFailed);
  }
}

/** The client's public value from its INIT. */
export function readKexInit(method: string, message: DecodedMessage, payload: Uint8Array): KexPublicValue {
  checked(message);
  const m = kexMethod(method);
  if (m.family === 'dh-group' || m.family === 'dh-gex') return message.value.e as bigint;
  return m.family === 'hybrid-kem' ? rawField(message, 'C_INIT', payload) : (message.value.Q_C as Uint8Array);
}

/** Host key blob, server public value and signature blob from the REPLY. */
export function readKexReply(method: string, message: DecodedMessage, payload: Uint8Array): { hostKeyBlob: Uint8Array; serverPublic: KexPublicValue; signatureBlob: Uint8Array } {
  checked(message);
  const m = kexMethod(method);
  const serverPublic = m.family === 'dh-group' || m.family === 'dh-gex' ? (message.value.f as bigint)
    : m.family === 'hybrid-kem' ? rawField(message, 'S_REPLY', payload) : (message.value.Q_S as Uint8Array);
  return { hostKeyBlob: rawField(message, 'host_key', payload), serverPublic, signatureBlob: rawField(message, 'signature', payload) };
}

/** RFC 4253 §7.2: how many bytes of each key the negotiated cipher and MAC take. */
export function keySizes(winners: Record<SlotName, string | null>): KeySizes {
  const sizes = { ivClientToServer: 0, ivServerToClient: 0, keyClientToServer: 0, keyServerToClient: 0, macKeyClientToServer: 0, macKeyServerToClient: 0 };
  for (const dir of ['ClientToServer', 'ServerToClient'] as const) {
    const cipher = getCipherAlgorithm(winners[`cipher${dir}`]!);
    sizes[`iv${dir}`] = cipher.ivLength;
    sizes[`key${dir}`] = cipher.keyLength;
    const mac = winners[`mac${dir}`];
    if (!cipher.aead && mac) sizes[`macKey${dir}`] = getMacAlgorithm(mac).keyLength;
  }
  return sizes;
}

/** The keys of one direction for the packet writer or reader. */
export function directionKeys(winners: Record<SlotName, string | null>, keys: DerivedKeys, sender: 'client' | 'server'): DirectionKeys {
  const d = sender === 'client' ? 'ClientToServer' : 'ServerToClient';
  return {
    cipher: winners[`cipher${d}`]!, mac: winners[`mac${d}`], compression: winners[`compression${d}`]!,
    key: keys[`key${d}`], iv: keys[`iv${d}`], macKey: keys[`macKey${d}`],
  };
}
