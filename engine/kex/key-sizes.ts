/**
 * @module kex/key-sizes
 * How many bytes of each derived key A-F the negotiated algorithms take (RFC 4253 §7.2), read from the cipher and
 * MAC registries that the transport also runs: IV and key per cipher, MAC key per MAC, no MAC key beside an AEAD
 * cipher (its MAC slot is ignored).
 */
import { getCipherAlgorithm } from '../crypto/ciphers.ts';
import { getMacAlgorithm } from '../crypto/macs.ts';
import type { KeySizes } from './derive.ts';

export interface NegotiatedSymmetric {
  cipherClientToServer: string;
  cipherServerToClient: string;
  /** null when ignored (AEAD cipher). */
  macClientToServer: string | null;
  macServerToClient: string | null;
}

export function keySizesFor(n: NegotiatedSymmetric): KeySizes {
  const direction = (cipherName: string, macName: string | null) => {
    const cipher = getCipherAlgorithm(cipherName);
    const macKey = cipher.aead || macName === null ? 0 : getMacAlgorithm(macName).keyLength;
    return { iv: cipher.ivLength, key: cipher.keyLength, mac: macKey };
  };
  const c2s = direction(n.cipherClientToServer, n.macClientToServer);
  const s2c = direction(n.cipherServerToClient, n.macServerToClient);
  return {
    ivClientToServer: c2s.iv, ivServerToClient: s2c.iv,
    keyClientToServer: c2s.key, keyServerToClient: s2c.key,
    macKeyClientToServer: c2s.mac, macKeyServerToClient: s2c.mac,
  };
}
