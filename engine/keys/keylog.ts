/**
 * @module keys/keylog
 * SSH key logs as Wireshark reads them (preference `ssh.keylog_file`; see SSH-FACTS.md "Key logs"): one line per
 * key exchange, in one of three forms -
 *   `<cookie> <hex>`                  the side's ephemeral private key (the only form Wireshark 4.0 reads)
 *   `<cookie> PRIVATE_KEY <hex>`      the same, named: DH/GEX exponent x or y, or the raw X25519 scalar
 *   `<cookie> SHARED_SECRET <hex>`    K: a minimal unsigned big-endian number, or for the hybrid KEMs the hash
 *                                     output that is hashed as a string (kept exactly as written, leading zeros too)
 * where `<cookie>` is the 16-byte KEXINIT cookie (RFC 4253 §7.1) of the side whose secret it is. Hex is either
 * case; blank lines and lines starting with `#` are skipped; lines may be of any length. A decoder matches a line
 * to a key exchange by the KEXINIT cookie of either side, the server's first as Wireshark does.
 */
import { fromHex, toHex } from '../wire/hex.ts';
import { KeysError } from './errors.ts';

export const COOKIE_LENGTH = 16;

/** How the line was written. `bare` is the old form: a private key without a type word. */
export type KeyLogForm = 'bare' | 'PRIVATE_KEY' | 'SHARED_SECRET';
export type KeyLogSecretKind = 'private-key' | 'shared-secret';

export interface KeyLogEntry {
  cookie: Uint8Array;
  /** Lower-case hex of the cookie: the lookup key. */
  cookieHex: string;
  kind: KeyLogSecretKind;
  form: KeyLogForm;
  value: Uint8Array;
  source: { file: string; line: number };
}

export interface KeyLogProblem {
  file: string;
  line: number;
  /** `file:line: what is wrong`, ready to show. */
  message: string;
}

const TYPE_WORDS: Record<string, KeyLogSecretKind> = { PRIVATE_KEY: 'private-key', SHARED_SECRET: 'shared-secret' };
const FORMS = 'expected "<cookie> <hex>", "<cookie> PRIVATE_KEY <hex>" or "<cookie> SHARED_SECRET <hex>"';
const utf8 = new TextDecoder('utf-8');

/** Parses one key log file; bad lines become problems, good lines are kept. */
export function parseKeyLog(input: string | Uint8Array, file = 'key log'): { entries: KeyLogEntry[]; problems: KeyLogProblem[] } {
  const text = typeof input === 'string' ? input : utf8.decode(input);
  const entries: KeyLogEntry[] = [];
  const problems: KeyLogProblem[] = [];
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\n|\r/);
  lines.forEach((raw, index) => {
    const line = index + 1;
    const fields = raw.trim().split(/[ \t]+/);
    if (fields[0] === '' || fields[0].startsWith('#')) return;
    const problem = (what: string) => problems.push({ file, line, message: `${file}:${line}: ${what}` });
    let form: KeyLogForm;
    if (fields.length === 2) form = 'bare';
    else if (fields.length === 3 && fields[1] in TYPE_WORDS) form = fields[1] as KeyLogForm;
    else if (fields.length === 3) return problem(`unknown secret type "${clip(fields[1])}"; ${FORMS}`);
    else return problem(`${fields.length} fields; ${FORMS}`);
    const cookie = fromHex(fields[0]);
    if (!cookie || cookie.length !== COOKIE_LENGTH) {
      return problem(`the cookie "${clip(fields[0])}" is not ${COOKIE_LENGTH * 2} hex digits (the 16-byte KEXINIT cookie)`);
    }
    const valueText = fields[fields.length - 1];
    // K is a number: a writer that prints it with %x (Python's format(k, 'x'), BigInt toString(16)) drops the
    // leading zero nibble about one time in sixteen. Read such a SHARED_SECRET as the number it is.
    const value = fromHex(form === 'SHARED_SECRET' && valueText.length % 2 === 1 ? `0${valueText}` : valueText);
    if (!value || value.length === 0) {
      return problem(`the ${form === 'SHARED_SECRET' ? 'shared secret' : 'private key'} is not hex with an even number of digits ("${clip(valueText)}")`);
    }
    entries.push({ cookie, cookieHex: toHex(cookie), kind: form === 'SHARED_SECRET' ? 'shared-secret' : 'private-key', form, value, source: { file, line } });
  });
  return { entries, problems };
}

const clip = (text: string) => (text.length > 40 ? `${text.slice(0, 40)}...` : text);

/** Several key log files merged; look-ups by KEXINIT cookie. */
export class KeyLog {
  readonly entries: KeyLogEntry[] = [];
  readonly problems: KeyLogProblem[] = [];
  private byCookie = new Map<string, KeyLogEntry[]>();

  /** Adds a file's lines; returns the problems found in it (also kept in `problems`). */
  add(input: string | Uint8Array, file = 'key log'): KeyLogProblem[] {
    const { entries, problems } = parseKeyLog(input, file);
    for (const entry of entries) {
      const known = this.byCookie.get(entry.cookieHex) ?? [];
      const same = known.find((k) => k.kind === entry.kind);
      if (same) {
        if (toHex(same.value) !== toHex(entry.value)) {
          const where = `${same.source.file}:${same.source.line}`;
          problems.push({ file, line: entry.source.line, message: `${file}:${entry.source.line}: cookie ${entry.cookieHex} already has a different ${entry.kind} (from ${where}); that one is kept` });
        }
        continue; // the same line in two files (or twice in one) counts once
      }
      known.push(entry);
      this.byCookie.set(entry.cookieHex, known);
      this.entries.push(entry);
    }
    this.problems.push(...problems);
    return problems;
  }

  /** The lines for one KEXINIT cookie. */
  find(cookie: Uint8Array): KeyLogEntry[] {
    return this.byCookie.get(toHex(cookie)) ?? [];
  }

  /** The lines that fit a key exchange: the server cookie's first, then the client's (Wireshark's order). */
  forKeyExchange(clientCookie: Uint8Array, serverCookie: Uint8Array): { side: 'server' | 'client'; entry: KeyLogEntry }[] {
    return [
      ...this.find(serverCookie).map((entry) => ({ side: 'server' as const, entry })),
      ...this.find(clientCookie).map((entry) => ({ side: 'client' as const, entry })),
    ];
  }
}

/**
 * One key log line. `form` defaults to the named form of the kind; `bare` (Wireshark 4.0's only form) is for
 * private keys only.
 */
export function formatKeyLogLine(entry: { cookie: Uint8Array; kind: KeyLogSecretKind; value: Uint8Array }, form?: KeyLogForm): string {
  if (entry.cookie.length !== COOKIE_LENGTH) throw new KeysError('bad-key-log-entry', `a KEXINIT cookie is ${COOKIE_LENGTH} bytes, not ${entry.cookie.length}`);
  if (entry.value.length === 0) throw new KeysError('bad-key-log-entry', 'an empty secret cannot be written to a key log');
  const chosen = form ?? (entry.kind === 'shared-secret' ? 'SHARED_SECRET' : 'PRIVATE_KEY');
  if ((chosen === 'SHARED_SECRET') !== (entry.kind === 'shared-secret')) {
    throw new KeysError('bad-key-log-entry', `a ${entry.kind} cannot be written in the ${chosen} form`);
  }
  return chosen === 'bare' ? `${toHex(entry.cookie)} ${toHex(entry.value)}` : `${toHex(entry.cookie)} ${chosen} ${toHex(entry.value)}`;
}

/** A whole key log: one line per entry, each ended by a line feed. */
export function writeKeyLog(entries: { cookie: Uint8Array; kind: KeyLogSecretKind; value: Uint8Array; form?: KeyLogForm }[]): string {
  return entries.map((entry) => formatKeyLogLine(entry, entry.form) + '\n').join('');
}
