/**
 * @module kex/finish
 * The end of a key exchange in one call, as the capture decryptor, the client and the server all need it:
 * H from its named inputs (RFC 4253 §8 and the method's spec), the session id (the first H, RFC 4253 §7.2), the six
 * keys A-F at the sizes the negotiated cipher and MAC need, and the check of the host key signature over H.
 */
import { verifyHostKeySignature, type HostKeyVerification } from '../crypto/hostkey.ts';
import { deriveKeys, type DerivedKeys, type KeySizes } from './derive.ts';
import { exchangeHash, type ExchangeHash, type ExchangeHashInputs } from './exchange-hash.ts';

export interface FinishInputs extends ExchangeHashInputs {
  /** H of the connection's first key exchange; omit it for the first one (session_id = H). */
  sessionId?: Uint8Array;
  sizes: KeySizes;
  /** The negotiated host key algorithm and the signature blob from the reply, when there is one to check. */
  hostKeyAlgorithm?: string;
  signature?: Uint8Array;
}

export interface KeyExchangeOutcome {
  exchangeHash: ExchangeHash;
  sessionId: Uint8Array;
  /** K's wire encoding, as hashed. */
  K: Uint8Array;
  keys: DerivedKeys;
  /** Present when a signature and an algorithm were given. */
  hostKey?: HostKeyVerification;
}

export function finishKeyExchange(inputs: FinishInputs): KeyExchangeOutcome {
  const hash = exchangeHash(inputs);
  const K = inputs.K instanceof Uint8Array ? inputs.K : inputs.K.wire;
  const sessionId = inputs.sessionId ?? hash.H;
  const keys = deriveKeys({ hash: hash.hash, K, H: hash.H, sessionId, sizes: inputs.sizes });
  const hostKey = inputs.signature && inputs.hostKeyAlgorithm
    ? verifyHostKeySignature({ algorithm: inputs.hostKeyAlgorithm, hostKeyBlob: inputs.K_S, signatureBlob: inputs.signature, H: hash.H })
    : undefined;
  return { exchangeHash: hash, sessionId, K, keys, hostKey };
}
