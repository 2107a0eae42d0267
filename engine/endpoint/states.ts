/**
 * @module endpoint/states
 * The transport's state machine as one table that does not know its role (after h11's `_state.py`): each direction
 * of a connection - what one side sends, and what the other receives - moves through the same phases, and both
 * endpoints apply the same table to the messages they send and the messages they receive. Lessons import
 * TRANSITIONS and draw it, so a diagram cannot drift from the code.
 *
 * RFC 4253 §7.1: after a KEXINIT its sender sends only kex messages and transport-generic ones (1..19) until its
 * NEWKEYS. RFC 4252 §5.1 / RFC 4254: connection messages only after USERAUTH_SUCCESS. Strict kex
 * (draft-miller-sshm-strict-kex §3): KEXINIT first, and nothing but kex messages until the first NEWKEYS.
 */

export type Phase =
  | 'first-kexinit' | 'first-kex'
  | 'userauth' | 'userauth-rekey'
  | 'connection' | 'connection-rekey'
  | 'closed';

/** What kind of message moves the machine (RFC 4250 §4.1 number ranges). */
export type MessageClass =
  | 'DISCONNECT' | 'generic' | 'service' | 'EXT_INFO' | 'KEXINIT' | 'NEWKEYS' | 'kex-method'
  | 'userauth' | 'USERAUTH_SUCCESS' | 'connection' | 'unknown';

export interface Transition {
  from: Phase;
  on: MessageClass;
  to: Phase;
  /** Only without strict kex: strict kex makes this message fatal here. */
  notStrict?: boolean;
  /** The transition moves both directions (USERAUTH_SUCCESS ends authentication for the whole connection). */
  both?: boolean;
  why: string;
}

const ANY: Phase[] = ['first-kexinit', 'first-kex', 'userauth', 'userauth-rekey', 'connection', 'connection-rekey'];

export const TRANSITIONS: readonly Transition[] = [
  ...ANY.map((from): Transition => ({ from, on: 'DISCONNECT', to: 'closed', why: 'RFC 4253 §11.1: either side may end the connection at any time' })),
  { from: 'first-kexinit', on: 'KEXINIT', to: 'first-kex', why: 'RFC 4253 §7.1: key exchange begins with each side sending KEXINIT' },
  { from: 'first-kexinit', on: 'generic', to: 'first-kexinit', notStrict: true, why: 'RFC 4253 §11: IGNORE, DEBUG, UNIMPLEMENTED may come at any time - except under strict kex' },
  { from: 'first-kex', on: 'kex-method', to: 'first-kex', why: 'RFC 4253 §7: the method\'s own messages (30..49)' },
  { from: 'first-kex', on: 'generic', to: 'first-kex', notStrict: true, why: 'RFC 4253 §7.1 allows transport-generic messages during kex; strict kex forbids them (Terrapin, CVE-2023-48795)' },
  { from: 'first-kex', on: 'NEWKEYS', to: 'userauth', why: 'RFC 4253 §7.3: this direction uses the new keys from here' },
  { from: 'userauth', on: 'generic', to: 'userauth', why: 'RFC 4253 §11' },
  { from: 'userauth', on: 'service', to: 'userauth', why: 'RFC 4253 §10: SERVICE_REQUEST ssh-userauth, SERVICE_ACCEPT' },
  { from: 'userauth', on: 'EXT_INFO', to: 'userauth', why: 'RFC 8308 §2.4: EXT_INFO right after the first NEWKEYS' },
  { from: 'userauth', on: 'userauth', to: 'userauth', why: 'RFC 4252: requests, failures, banners, method messages 60..79' },
  { from: 'userauth', on: 'USERAUTH_SUCCESS', to: 'connection', both: true, why: 'RFC 4252 §5.1: authentication is over; the connection protocol starts' },
  { from: 'userauth', on: 'KEXINIT', to: 'userauth-rekey', why: 'RFC 4253 §9: either side may start a new key exchange' },
  { from: 'userauth-rekey', on: 'kex-method', to: 'userauth-rekey', why: 'RFC 4253 §7' },
  { from: 'userauth-rekey', on: 'generic', to: 'userauth-rekey', why: 'RFC 4253 §7.1' },
  { from: 'userauth-rekey', on: 'NEWKEYS', to: 'userauth', why: 'RFC 4253 §7.3' },
  { from: 'userauth-rekey', on: 'USERAUTH_SUCCESS', to: 'connection-rekey', both: true, why: 'the other direction may still be authenticating while this one rekeys' },
  { from: 'connection', on: 'generic', to: 'connection', why: 'RFC 4253 §11' },
  { from: 'connection', on: 'connection', to: 'connection', why: 'RFC 4254: global requests and channels' },
  { from: 'connection', on: 'EXT_INFO', to: 'connection', why: 'OpenSSH ext-info-in-auth: a second EXT_INFO after USERAUTH_SUCCESS' },
  { from: 'connection', on: 'userauth', to: 'connection', why: 'RFC 4252 §5.1: requests after success are ignored' },
  { from: 'connection', on: 'KEXINIT', to: 'connection-rekey', why: 'RFC 4253 §9' },
  { from: 'connection-rekey', on: 'kex-method', to: 'connection-rekey', why: 'RFC 4253 §7' },
  { from: 'connection-rekey', on: 'generic', to: 'connection-rekey', why: 'RFC 4253 §7.1' },
  { from: 'connection-rekey', on: 'NEWKEYS', to: 'connection', why: 'RFC 4253 §7.3' },
];

/** RFC 4250 §4.1: which class a message number belongs to. */
export function classify(n: number): MessageClass {
  if (n === 1) return 'DISCONNECT';
  if ((n >= 2 && n <= 4) || n === 192 || n === 193) return 'generic';
  if (n === 5 || n === 6) return 'service';
  if (n === 7) return 'EXT_INFO';
  if (n === 20) return 'KEXINIT';
  if (n === 21) return 'NEWKEYS';
  if (n >= 30 && n <= 49) return 'kex-method';
  if (n === 52) return 'USERAUTH_SUCCESS';
  if (n >= 50 && n <= 79) return 'userauth';
  if (n >= 80 && n <= 127) return 'connection';
  return 'unknown';
}

export type Step = { ok: true; to: Phase; both: boolean } | { ok: false; reason: string; unimplemented: boolean };

/** The table lookup: where a direction goes on a message, or why it may not carry it. */
export function step(from: Phase, n: number, strict: boolean): Step {
  const on = classify(n);
  const row = TRANSITIONS.find((t) => t.from === from && t.on === on);
  if (row && !(row.notStrict && strict)) return { ok: true, to: row.to, both: row.both ?? false };
  if (row && row.notStrict) {
    return { ok: false, unimplemented: false, reason: `message ${n} is not allowed before the first NEWKEYS under strict kex (draft-miller-sshm-strict-kex; a Terrapin-style injection)` };
  }
  if (on === 'unknown' && from !== 'first-kexinit' && from !== 'first-kex') {
    return { ok: false, unimplemented: true, reason: `message ${n} is not one this endpoint implements (RFC 4253 §11.4)` };
  }
  return { ok: false, unimplemented: false, reason: `message ${n} (${on}) is not allowed in phase ${from}` };
}

/**
 * The table as a Graphviz DOT graph (after h11's make-state-diagrams.py): one edge per row, labelled with the message
 * class; rows that strict kex forbids are dashed. Lessons render it, so the drawing is the code.
 */
export function transitionDiagram(): string {
  const lines = ['digraph ssh_direction {', '  rankdir=LR;', '  node [shape=box, style=rounded];'];
  for (const t of TRANSITIONS) {
    if (t.on === 'DISCONNECT' && t.from !== 'connection') continue; // one DISCONNECT edge stands for all
    const style = t.notStrict ? ', style=dashed' : '';
    lines.push(`  "${t.from}" -> "${t.to}" [label="${t.on}"${style}, tooltip="${t.why.replace(/"/g, "'")}"];`);
  }
  lines.push('}');
  return lines.join('\n');
}
