/**
 * @module kex/kex
 * Both sides of every key exchange method in one interface, dispatched on the registry's family (RFC 4253 §8,
 * RFC 4419 §3, RFC 5656 §4, RFC 8731 §3, RFC 9941 §2). The RNG is injected, so a seeded RNG gives the same bytes.
 *
 * Public values are what the messages carry: a bigint for e and f (mpints), bytes for Q_C/Q_S and C_INIT/S_REPLY
 * (strings). Private values: a bigint DH exponent, or bytes (X25519 or ECDH scalar; for a hybrid client the KEM
 * secret key then the X25519 scalar; for a hybrid server its X25519 scalar).
 */
import { dhPrivateExponent, dhPublicValue, dhSharedSecret, type RandomBytes } from './dh.ts';
import { montgomeryKeyPair, montgomerySharedSecret, nistKeyPair, nistSharedSecret } from './ecdh.ts';
import { KexError } from './errors.ts';
import { decodeHybridPrivate, encodeHybridPrivate, hybridClientFinish, hybridClientInit, hybridParts, hybridServerReply } from './hybrid.ts';
import { kexMethod, type KexMethod } from './methods.ts';
import { modpGroup, type DhGroup } from './modp-groups.ts';
import type { SharedSecret } from './shared-secret.ts';

export type KexPublicValue = bigint | Uint8Array;
export type KexPrivateValue = bigint | Uint8Array;

/** The group a DH method works in: fixed for dh-group methods, the GROUP message's (p, g) for group exchange. */
export function dhGroupOf(method: KexMethod, group?: DhGroup): DhGroup {
  if (method.group) return modpGroup(method.group);
  if (!group) throw new KexError('no-group', `${method.name} needs the group (p, g) from SSH_MSG_KEX_DH_GEX_GROUP`);
  return group;
}

/** The client's first step: its private value and the public value for KEXDH_INIT / ECDH_INIT / HYBRID_INIT. */
export function clientKexInit(
  methodName: string,
  randomBytes: RandomBytes,
  group?: DhGroup,
): { privateValue: KexPrivateValue; clientPublic: KexPublicValue } {
  const method = kexMethod(methodName);
  switch (method.family) {
    case 'rsa':
      throw rsaKexUnsupported(method);
    case 'dh-group':
    case 'dh-gex': {
      const g = dhGroupOf(method, group);
      const x = dhPrivateExponent(g, randomBytes);
      return { privateValue: x, clientPublic: dhPublicValue(g, x) };
    }
    case 'curve25519': {
      const pair = montgomeryKeyPair(method.montgomery ?? 'x25519', randomBytes);
      return { privateValue: pair.privateKey, clientPublic: pair.publicKey };
    }
    case 'ecdh-nist': {
      const pair = nistKeyPair(method.curve!, randomBytes);
      return { privateValue: pair.privateKey, clientPublic: pair.publicKey };
    }
    case 'hybrid-kem': {
      const { kem, curve } = hybridParts(method);
      const init = hybridClientInit(kem, curve, randomBytes);
      return { privateValue: encodeHybridPrivate(init.privateValue), clientPublic: init.C_INIT };
    }
  }
}

/** The server's step: from the client's public value, its own private and public values and K. */
export function serverKexReply(
  methodName: string,
  clientPublic: KexPublicValue,
  randomBytes: RandomBytes,
  group?: DhGroup,
): { privateValue: KexPrivateValue; serverPublic: KexPublicValue; K: SharedSecret } {
  const method = kexMethod(methodName);
  switch (method.family) {
    case 'rsa':
      throw rsaKexUnsupported(method);
    case 'dh-group':
    case 'dh-gex': {
      const g = dhGroupOf(method, group);
      const e = asBigInt(method, clientPublic, 'e');
      const y = dhPrivateExponent(g, randomBytes);
      const K = dhSharedSecret(g, y, e, 'e');
      return { privateValue: y, serverPublic: dhPublicValue(g, y), K };
    }
    case 'curve25519': {
      const Q_C = asBytes(method, clientPublic, 'Q_C');
      const curve = method.montgomery ?? 'x25519';
      const pair = montgomeryKeyPair(curve, randomBytes);
      return { privateValue: pair.privateKey, serverPublic: pair.publicKey, K: montgomerySharedSecret(curve, pair.privateKey, Q_C, 'Q_C') };
    }
    case 'ecdh-nist': {
      const Q_C = asBytes(method, clientPublic, 'Q_C');
      const pair = nistKeyPair(method.curve!, randomBytes);
      return { privateValue: pair.privateKey, serverPublic: pair.publicKey, K: nistSharedSecret(method.curve!, pair.privateKey, Q_C, 'Q_C') };
    }
    case 'hybrid-kem': {
      const { kem, curve } = hybridParts(method);
      const reply = hybridServerReply(kem, curve, method.hash, asBytes(method, clientPublic, 'C_INIT'), randomBytes);
      return { privateValue: reply.classicalPrivate, serverPublic: reply.S_REPLY, K: reply.K };
    }
  }
}

/** The client's last step: K from its private value and the server's public value. */
export function clientKexFinish(
  methodName: string,
  privateValue: KexPrivateValue,
  serverPublic: KexPublicValue,
  group?: DhGroup,
): SharedSecret {
  const method = kexMethod(methodName);
  switch (method.family) {
    case 'rsa':
      throw rsaKexUnsupported(method);
    case 'dh-group':
    case 'dh-gex':
      return dhSharedSecret(dhGroupOf(method, group), asBigInt(method, privateValue, 'x'), asBigInt(method, serverPublic, 'f'), 'f');
    case 'curve25519':
      return montgomerySharedSecret(method.montgomery ?? 'x25519', asBytes(method, privateValue, 'client scalar'), asBytes(method, serverPublic, 'Q_S'), 'Q_S');
    case 'ecdh-nist':
      return nistSharedSecret(method.curve!, asBytes(method, privateValue, 'client scalar'), asBytes(method, serverPublic, 'Q_S'), 'Q_S');
    case 'hybrid-kem': {
      const { kem, curve } = hybridParts(method);
      const decoded = decodeHybridPrivate(kem, curve, asBytes(method, privateValue, 'client private value'));
      if (!decoded) {
        throw new KexError('wrong-value-kind', `the ${method.name} client private value must be the ${kem.name} secret key (${kem.secretKeyLength} bytes) then the ${curve.label} scalar (${curve.privateKeyLength})`);
      }
      return hybridClientFinish(kem, curve, method.hash, decoded, asBytes(method, serverPublic, 'S_REPLY'));
    }
  }
}

/** RFC 4432 is decoded only: the engine plays neither side of an RSA key exchange. */
function rsaKexUnsupported(method: KexMethod): KexError {
  return new KexError('unsupported-method', `${method.name} (RFC 4432 RSA key exchange) is decoded by sshlens but not run by its engine`);
}

export function asBigInt(method: KexMethod, value: KexPublicValue, name: string): bigint {
  if (typeof value !== 'bigint') {
    throw new KexError('wrong-value-kind', `${method.name}: ${name} is an mpint (a bigint here), got ${value.length} bytes`, name);
  }
  return value;
}

export function asBytes(method: KexMethod, value: KexPublicValue, name: string): Uint8Array {
  if (typeof value === 'bigint') {
    throw new KexError('wrong-value-kind', `${method.name}: ${name} is a string of bytes, got a number`, name);
  }
  return value;
}
