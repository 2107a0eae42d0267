/**
 * @module endpoint/errors
 * Errors of the engine's endpoints: a protocol violation by the peer (RemoteProtocolError: we disconnect) or a misuse
 * of the API (LocalProtocolError), after h11's split. Each carries the DISCONNECT reason code it maps to
 * (RFC 4250 §4.2.2).
 */
import { SshlensError } from '../errors.ts';

export class EndpointError extends SshlensError {
  constructor(code: string, message: string, readonly reason = 2) {
    super(code, message);
  }
}

/** The peer broke the protocol: the endpoint sends DISCONNECT with `reason` and stops. */
export class RemoteProtocolError extends EndpointError {}

/** The caller asked for something the protocol does not allow now. */
export class LocalProtocolError extends EndpointError {}

/** RFC 4250 §4.2.2 reason codes the endpoints use. */
export const REASON = {
  protocolError: 2,
  keyExchangeFailed: 3,
  macError: 5,
  compressionError: 6,
  serviceNotAvailable: 7,
  hostKeyNotVerifiable: 9,
  byApplication: 11,
  authCancelledByUser: 13,
  noMoreAuthMethods: 14,
} as const;
