/**
 * @module auth/server
 * The server side of user authentication (RFC 4252), with the decisions left to policy hooks - plain functions that
 * judge each attempt: none (§5.2), password (§8, and PASSWD_CHANGEREQ when the hook asks for a change), publickey
 * (§7: PK_OK to a query, the signature checked over userauthSignedDataLayout), keyboard-interactive (RFC 4256).
 * A banner (§5.4) goes out before the first answer. After too many failures the server disconnects (§4).
 */
import { verifyHostKeySignature } from '../crypto/hostkey.ts';
import { encodeLayout, encodeMessage, userauthSignedDataLayout, type DecodedMessage, type FieldNode } from '../messages/index.ts';
import type { Transport } from '../endpoint/transport.ts';
import { REASON } from '../endpoint/errors.ts';
import type { KeyboardPrompt } from './client.ts';

export interface KeyboardChallenge {
  name?: string;
  instruction?: string;
  prompts: KeyboardPrompt[];
  check(responses: string[]): boolean;
}

export interface ServerAuthPolicy {
  /** The methods listed in USERAUTH_FAILURE (default: those with a hook). */
  methods?: string[];
  banner?: string;
  none?(user: string): boolean;
  /** true: accepted; 'change': the password is right but expired, ask for a new one (PASSWD_CHANGEREQ). */
  password?(user: string, password: string): boolean | 'change';
  changePassword?(user: string, oldPassword: string, newPassword: string): boolean;
  /** Whether this key may log in as `user` (the signature is checked by the engine). */
  publicKey?(user: string, keyBlob: Uint8Array, algorithm: string): boolean;
  keyboardInteractive?(user: string): KeyboardChallenge | null;
  /** Failed attempts before DISCONNECT (default 6, as OpenSSH's MaxAuthTries). */
  maxAttempts?: number;
}

function findNode(nodes: FieldNode[], name: string): FieldNode | undefined {
  for (const n of nodes) {
    if (n.name === name) return n;
    const inner = n.children && n.type !== 'blob' ? findNode(n.children, name) : undefined;
    if (inner) return inner;
  }
  return undefined;
}

/** The content of a string field (after its length prefix), from the payload by the field's span. */
export function rawContent(message: DecodedMessage, payload: Uint8Array, name: string): Uint8Array {
  const node = findNode(message.fields, name)!;
  return payload.subarray(node.span.start + 4, node.span.end);
}

export class ServerAuth {
  done = false;
  user: string | undefined;
  private failures = 0;
  private bannerSent = false;
  private challenge: { user: string; challenge: KeyboardChallenge } | undefined;

  constructor(private readonly transport: Transport, private readonly policy: ServerAuthPolicy) {}

  private get methods(): string[] {
    const p = this.policy;
    return p.methods ?? [
      ...(p.publicKey ? ['publickey'] : []), ...(p.password ? ['password'] : []), ...(p.keyboardInteractive ? ['keyboard-interactive'] : []),
    ];
  }

  handle(message: DecodedMessage, payload: Uint8Array): void {
    const v = message.value;
    if (message.name === 'SSH_MSG_SERVICE_REQUEST') {
      if (v.service_name !== 'ssh-userauth') {
        return this.transport.disconnect(REASON.serviceNotAvailable, `service ${String(v.service_name)} is not available`);
      }
      return this.transport.send(encodeMessage('SSH_MSG_SERVICE_ACCEPT', { service_name: 'ssh-userauth' }));
    }
    if (this.done) return; // RFC 4252 §5.1: requests after success are ignored
    if (message.name === 'SSH_MSG_USERAUTH_INFO_RESPONSE' && this.challenge) {
      const { user, challenge } = this.challenge;
      this.challenge = undefined;
      const responses = ((v.responses as { response: string }[]) ?? []).map((r) => r.response);
      return this.outcome(user, 'keyboard-interactive', responses.length === challenge.prompts.length && challenge.check(responses));
    }
    if (message.name !== 'SSH_MSG_USERAUTH_REQUEST') return;
    const user = String(v.user);
    const method = String(v.method);
    this.transport.authMethod = method;
    if (!this.bannerSent && this.policy.banner) {
      this.bannerSent = true;
      this.transport.send(encodeMessage('SSH_MSG_USERAUTH_BANNER', { message: this.policy.banner, language: '' }));
    }
    if (message.error || v.service !== 'ssh-connection') return this.outcome(user, method, false);
    switch (method) {
      case 'none':
        return this.outcome(user, method, this.policy.none?.(user) ?? false, true);
      case 'password': {
        if (!this.methods.includes('password') || !this.policy.password) return this.outcome(user, method, false);
        if (v.changing === true) {
          return this.outcome(user, method, this.policy.changePassword?.(user, String(v.password), String(v.new_password)) ?? false);
        }
        const verdict = this.policy.password(user, String(v.password));
        if (verdict === 'change') {
          this.transport.send(encodeMessage('SSH_MSG_USERAUTH_PASSWD_CHANGEREQ', { prompt: 'Your password has expired; choose a new one.', language: '' }, { auth: 'password' }));
          return;
        }
        return this.outcome(user, method, verdict);
      }
      case 'publickey':
        return this.publicKey(user, message, payload);
      case 'keyboard-interactive': {
        const challenge = this.methods.includes(method) ? this.policy.keyboardInteractive?.(user) : null;
        if (!challenge) return this.outcome(user, method, false);
        this.challenge = { user, challenge };
        this.transport.send(encodeMessage('SSH_MSG_USERAUTH_INFO_REQUEST', {
          name: challenge.name ?? '', instruction: challenge.instruction ?? '', language: '', prompts: challenge.prompts,
        }, { auth: method }));
        return;
      }
      default:
        return this.outcome(user, method, false, true);
    }
  }

  private publicKey(user: string, message: DecodedMessage, payload: Uint8Array): void {
    const v = message.value;
    const algorithm = String(v.algorithm);
    const keyBlob = rawContent(message, payload, 'public_key');
    const allowed = this.methods.includes('publickey') && (this.policy.publicKey?.(user, keyBlob, algorithm) ?? false);
    if (!allowed) return this.outcome(user, 'publickey', false);
    if (v.has_signature !== true) {
      this.transport.send(encodeMessage('SSH_MSG_USERAUTH_PK_OK', { algorithm, public_key: keyBlob }, { auth: 'publickey' }));
      return;
    }
    const signed = encodeLayout(userauthSignedDataLayout, {
      session_id: this.transport.sessionId!, message_number: 50, user, service: 'ssh-connection', method: 'publickey',
      has_signature: true, algorithm, public_key: keyBlob,
    });
    const check = verifyHostKeySignature({ algorithm, hostKeyBlob: keyBlob, signatureBlob: rawContent(message, payload, 'signature'), H: signed });
    this.outcome(user, 'publickey', check.verified);
  }

  private outcome(user: string, method: string, success: boolean, free = false): void {
    if (success) {
      this.done = true;
      this.user = user;
      this.transport.send(encodeMessage('SSH_MSG_USERAUTH_SUCCESS', {}));
      this.transport.authMethod = undefined;
      this.transport.emit({ type: 'auth-success', user, method });
      return;
    }
    if (!free) {
      this.failures++;
      this.transport.emit({ type: 'auth-failure', method, methodsLeft: this.methods, partial: false });
    }
    if (this.failures >= (this.policy.maxAttempts ?? 6)) {
      return this.transport.disconnect(REASON.noMoreAuthMethods, `too many authentication failures for ${user}`);
    }
    this.transport.send(encodeMessage('SSH_MSG_USERAUTH_FAILURE', { methods: this.methods, partial_success: false }));
  }
}
