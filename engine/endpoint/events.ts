/**
 * @module endpoint/events
 * What an endpoint reports through nextEvent(): transport milestones (RFC 4253), authentication (RFC 4252, 4256),
 * and connection-layer happenings (RFC 4254). Plain data, so a UI can list them and tests can compare them.
 */
import type { Negotiation } from '../kex/negotiate.ts';

export type Role = 'client' | 'server';

export interface HostKeyInfo {
  algorithm: string;
  blob: Uint8Array;
  /** OpenSSH's SHA256: fingerprint. */
  fingerprint: string;
  /** The server's signature over H verified. */
  verified: boolean;
  reason: string;
}

export type EndpointEvent =
  | { type: 'identification'; line: string }
  | { type: 'kex-complete'; index: number; negotiation: Negotiation; strict: boolean; H: Uint8Array; sessionId: Uint8Array; hostKey: HostKeyInfo }
  | { type: 'ext-info'; extensions: { name: string; value: unknown }[] }
  | { type: 'service-accepted'; service: string }
  | { type: 'disconnect'; by: 'peer' | 'local'; reason: number; description: string }
  | { type: 'debug'; message: string; alwaysDisplay: boolean }
  | { type: 'unimplemented'; sequence: number }
  | { type: 'banner'; message: string }
  | { type: 'auth-success'; user: string; method: string }
  | { type: 'auth-failure'; method: string; methodsLeft: string[]; partial: boolean }
  | { type: 'auth-password-change'; prompt: string }
  | { type: 'auth-exhausted'; tried: string[] }
  | { type: 'channel-open'; channel: number; channelType: string; value: Record<string, unknown> }
  | { type: 'channel-open-confirmed'; channel: number }
  | { type: 'channel-open-failed'; channel: number; reason: number; description: string }
  | { type: 'channel-request'; channel: number; request: string; value: Record<string, unknown>; wantReply: boolean; accepted: boolean }
  | { type: 'channel-reply'; channel: number; request: string; success: boolean }
  | { type: 'channel-data'; channel: number; data: Uint8Array; stream: 'stdout' | 'stderr' }
  | { type: 'channel-eof'; channel: number }
  | { type: 'channel-close'; channel: number }
  | { type: 'global-request'; name: string; value: Record<string, unknown>; wantReply: boolean; accepted: boolean }
  | { type: 'global-reply'; name: string; success: boolean; value: Record<string, unknown> };
