/**
 * @module messages/entry
 * The shape of one catalog entry: a message number, its SSH_MSG_* name, where it is specified, a one-line summary,
 * the context in which this meaning applies (numbers 30..49 depend on the kex method, 60..79 on the auth method in
 * progress, RFC 4251 §7), and the layout of the payload after the message number byte.
 */
import type { Layout } from './layout.ts';

/** Families of kex methods that share message shapes (see kexFamily in kex.ts). */
export type KexFamily = 'dh' | 'gex' | 'ecdh' | 'hybrid' | 'hybrid-nistp256' | 'hybrid-nistp384' | 'rsa' | 'gss' | 'gss-ecdh';

export interface EntryContext {
  /** The kex family whose messages these are (30..49). */
  kex?: KexFamily;
  /** The auth method in progress (60..79), e.g. `publickey`. */
  auth?: string;
  /** The global request a REQUEST_SUCCESS answers. */
  globalRequest?: string;
}

export interface MessageEntry {
  number: number;
  /** The SSH_MSG_* name, e.g. `SSH_MSG_KEXINIT`. */
  name: string;
  /** Where the message is specified, e.g. `RFC 4253 §7.1`. */
  rfc: string;
  /** One line for a student: what the message does. */
  summary: string;
  context?: EntryContext;
  /** The payload after the message number byte. */
  layout: Layout;
}
