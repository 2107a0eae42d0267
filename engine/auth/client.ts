/**
 * @module auth/client
 * The client side of user authentication (RFC 4252): SERVICE_REQUEST ssh-userauth (RFC 4253 §10), a first `none`
 * request to learn the methods (§5.2), then the methods the caller has credentials for, in its order: publickey
 * (§7: a query, then on PK_OK the signed request over userauthSignedDataLayout), password (§8, answering a
 * PASSWD_CHANGEREQ with a new password when one is given) and keyboard-interactive (RFC 4256). Banners (§5.4) and
 * every outcome become events.
 */
import { signExchangeHash, signingKeyBlob, type SigningKey } from '../crypto/hostkey.ts';
import { encodeLayout, encodeMessage, userauthSignedDataLayout, type DecodedMessage } from '../messages/index.ts';
import type { Transport } from '../endpoint/transport.ts';
import { REASON } from '../endpoint/errors.ts';

export interface KeyboardPrompt {
  prompt: string;
  echo: boolean;
}

export interface ClientCredentials {
  user: string;
  password?: string;
  /** The answer to a PASSWD_CHANGEREQ (RFC 4252 §8). */
  newPassword?: string;
  privateKey?: SigningKey;
  /** Answers keyboard-interactive prompts (RFC 4256 §3.3), one answer per prompt. */
  keyboardInteractive?: (prompts: KeyboardPrompt[], name: string, instruction: string) => string[];
  /** The order to try methods in (default publickey, keyboard-interactive, password). */
  methods?: string[];
}

const SERVICE = 'ssh-connection';

/** The signature algorithm for a user key: RSA keys sign rsa-sha2-512/256 when the server lists them (RFC 8332 §3.3). */
export function userKeyAlgorithm(key: SigningKey, serverSigAlgs: string[] | undefined): string {
  if (key.type !== 'ssh-rsa') return key.type;
  const algs = serverSigAlgs ?? ['rsa-sha2-256'];
  return ['rsa-sha2-512', 'rsa-sha2-256'].find((a) => algs.includes(a)) ?? 'ssh-rsa';
}

export class ClientAuth {
  done = false;
  private tried: string[] = [];
  private current: string | undefined;

  constructor(private readonly transport: Transport, private readonly credentials: ClientCredentials) {}

  /** After the first key exchange: ask for the ssh-userauth service. */
  start(): void {
    this.transport.send(encodeMessage('SSH_MSG_SERVICE_REQUEST', { service_name: 'ssh-userauth' }));
  }

  handle(message: DecodedMessage): void {
    const v = message.value;
    switch (message.name) {
      case 'SSH_MSG_SERVICE_ACCEPT':
        this.transport.emit({ type: 'service-accepted', service: String(v.service_name) });
        return this.request('none', {});
      case 'SSH_MSG_USERAUTH_BANNER':
        return this.transport.emit({ type: 'banner', message: String(v.message) });
      case 'SSH_MSG_USERAUTH_SUCCESS':
        this.done = true;
        this.transport.authMethod = undefined;
        return this.transport.emit({ type: 'auth-success', user: this.credentials.user, method: this.current ?? 'none' });
      case 'SSH_MSG_USERAUTH_FAILURE': {
        const methods = (v.methods as string[]) ?? [];
        if (this.current && this.current !== 'none') {
          this.transport.emit({ type: 'auth-failure', method: this.current, methodsLeft: methods, partial: v.partial_success === true });
        }
        return this.next(methods);
      }
      case 'SSH_MSG_USERAUTH_PK_OK':
        return this.signedPublicKey();
      case 'SSH_MSG_USERAUTH_PASSWD_CHANGEREQ':
        this.transport.emit({ type: 'auth-password-change', prompt: String(v.prompt) });
        if (this.credentials.newPassword === undefined) return this.giveUp();
        return this.request('password', { changing: true, password: this.credentials.password ?? '', new_password: this.credentials.newPassword });
      case 'SSH_MSG_USERAUTH_INFO_REQUEST': {
        const prompts = (v.prompts as KeyboardPrompt[]) ?? [];
        const answers = this.credentials.keyboardInteractive?.(prompts, String(v.name), String(v.instruction))
          ?? prompts.map(() => this.credentials.password ?? '');
        this.transport.send(encodeMessage('SSH_MSG_USERAUTH_INFO_RESPONSE', { responses: answers.map((response) => ({ response })) }, { auth: 'keyboard-interactive' }));
        return;
      }
    }
  }

  private available(): string[] {
    const c = this.credentials;
    const order = c.methods ?? ['publickey', 'keyboard-interactive', 'password'];
    return order.filter((m) => (m === 'publickey' ? !!c.privateKey
      : m === 'password' ? c.password !== undefined
      : m === 'keyboard-interactive' ? !!c.keyboardInteractive || (c.password !== undefined && !!c.methods?.includes(m))
      : m === 'none'));
  }

  private next(allowed: string[]): void {
    const method = this.available().find((m) => allowed.includes(m) && !this.tried.includes(m));
    if (!method) return this.giveUp();
    this.tried.push(method);
    if (method === 'publickey') {
      const key = this.credentials.privateKey!;
      return this.request('publickey', { has_signature: false, algorithm: userKeyAlgorithm(key, this.transport.serverSigAlgs), public_key: signingKeyBlob(key) });
    }
    if (method === 'password') return this.request('password', { changing: false, password: this.credentials.password! });
    return this.request('keyboard-interactive', { language: '', submethods: '' });
  }

  private giveUp(): void {
    this.transport.emit({ type: 'auth-exhausted', tried: [...this.tried] });
    this.transport.disconnect(REASON.noMoreAuthMethods, 'no more authentication methods to try');
  }

  /** RFC 4252 §7: the signature covers session_id and the request, as declared in userauthSignedDataLayout. */
  private signedPublicKey(): void {
    const key = this.credentials.privateKey!;
    const algorithm = userKeyAlgorithm(key, this.transport.serverSigAlgs);
    const public_key = signingKeyBlob(key);
    const signed = encodeLayout(userauthSignedDataLayout, {
      session_id: this.transport.sessionId!, message_number: 50, user: this.credentials.user, service: SERVICE,
      method: 'publickey', has_signature: true, algorithm, public_key,
    });
    const signature = signExchangeHash(algorithm, key, signed);
    this.request('publickey', { has_signature: true, algorithm, public_key, signature });
  }

  private request(method: string, fields: Record<string, unknown>): void {
    this.current = method;
    this.transport.authMethod = method;
    this.transport.send(encodeMessage('SSH_MSG_USERAUTH_REQUEST', { user: this.credentials.user, service: SERVICE, method, ...fields }));
  }
}
