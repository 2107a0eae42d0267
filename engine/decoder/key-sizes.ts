/**
 * @module decoder/key-sizes
 * How many bytes of each derived key (RFC 4253 §7.2, letters A-F) the negotiated ciphers and MACs take, read from
 * the cipher and MAC registries that the engine's endpoints use too. AEAD ciphers take no MAC key.
 */
import { CIPHER_ALGORITHMS } from '../crypto/ciphers.ts';
import { MAC_ALGORITHMS } from '../crypto/macs.ts';
import type { KeySizer } from './kex-tracker.ts';

const cipherByName = new Map(CIPHER_ALGORITHMS.map((c) => [c.name, c]));
const macByName = new Map(MAC_ALGORITHMS.map((m) => [m.name, m]));

export const isAeadCipher = (name: string): boolean => cipherByName.get(name)?.aead ?? false;

export const registryKeySizer: KeySizer = Object.assign(
  (winners: Parameters<KeySizer>[0]) => {
    const sizes = { ivClientToServer: 0, ivServerToClient: 0, keyClientToServer: 0, keyServerToClient: 0, macKeyClientToServer: 0, macKeyServerToClient: 0 };
    for (const [dir, cipherName, macName] of [
      ['ClientToServer', winners.cipherClientToServer, winners.macClientToServer],
      ['ServerToClient', winners.cipherServerToClient, winners.macServerToClient],
    ] as const) {
      const cipher = cipherName ? cipherByName.get(cipherName) : undefined;
      if (!cipher) return `the cipher ${cipherName ?? '(none agreed)'} is not one sshlens can decrypt`;
      sizes[`iv${dir}`] = cipher.ivLength;
      sizes[`key${dir}`] = cipher.keyLength;
      if (!cipher.aead) {
        const mac = macName ? macByName.get(macName) : undefined;
        if (!mac) return `the MAC ${macName ?? '(none agreed)'} is not one sshlens can verify`;
        sizes[`macKey${dir}`] = mac.keyLength;
      }
    }
    return sizes;
  },
  { isAead: isAeadCipher },
);
