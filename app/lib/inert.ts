/**
 * Hostile strings made inert: text from the wire (banners, user names, commands, DEBUG messages) is split into plain
 * runs and escape tokens, so control characters (C0, DEL, C1), bidirectional overrides and isolates (Trojan Source,
 * CVE-2021-42574), zero-width characters and lone surrogates are shown as visible escapes and never interpreted.
 */
export type InertSegment = { kind: 'text'; text: string } | { kind: 'escape'; text: string; title: string };

const NAMED: Record<number, string> = {
  0x00: 'NUL', 0x07: 'BEL', 0x08: 'backspace', 0x09: 'tab', 0x0a: 'line feed', 0x0b: 'vertical tab', 0x0c: 'form feed',
  0x0d: 'carriage return', 0x1b: 'ESC (terminal escape sequence)', 0x7f: 'DEL',
  0x200b: 'zero width space', 0x200c: 'zero width non-joiner', 0x200d: 'zero width joiner',
  0x200e: 'left-to-right mark', 0x200f: 'right-to-left mark', 0x2028: 'line separator', 0x2029: 'paragraph separator',
  0x202a: 'left-to-right embedding', 0x202b: 'right-to-left embedding', 0x202c: 'pop directional formatting',
  0x202d: 'left-to-right override', 0x202e: 'right-to-left override', 0x2066: 'left-to-right isolate',
  0x2067: 'right-to-left isolate', 0x2068: 'first strong isolate', 0x2069: 'pop directional isolate',
  0xfeff: 'zero width no-break space (BOM)',
};
const SHORT: Record<number, string> = { 0x09: '\\t', 0x0a: '\\n', 0x0d: '\\r', 0x1b: '\\e' };

/** True for a code point that must not be rendered as itself. */
export function isHostileCodePoint(code: number): boolean {
  return code < 0x20 || (code >= 0x7f && code < 0xa0) || (code >= 0x200b && code <= 0x200f) || code === 0x2028 ||
    code === 0x2029 || (code >= 0x202a && code <= 0x202e) || (code >= 0x2066 && code <= 0x2069) || code === 0xfeff ||
    (code >= 0xd800 && code <= 0xdfff);
}

function escapeOf(code: number): InertSegment {
  const hex = code.toString(16).toUpperCase();
  const text = SHORT[code] ?? (code < 0x100 ? `\\x${hex.padStart(2, '0')}` : `\\u{${hex}}`);
  const name = NAMED[code] ?? ((code >= 0xd800 && code <= 0xdfff) ? 'lone surrogate (invalid text)' : 'control character');
  return { kind: 'escape', text, title: `U+${hex.padStart(4, '0')} ${name}` };
}

/** Splits text into plain runs and escapes; `max` code points at most, then an ellipsis run. */
export function inertSegments(text: string, max = Infinity): InertSegment[] {
  const out: InertSegment[] = [];
  let run = '';
  let count = 0;
  for (const ch of text) {
    if (count++ >= max) {
      run += '…';
      break;
    }
    const code = ch.codePointAt(0)!;
    if (isHostileCodePoint(code)) {
      if (run) out.push({ kind: 'text', text: run });
      run = '';
      out.push(escapeOf(code));
    } else run += ch;
  }
  if (run) out.push({ kind: 'text', text: run });
  return out;
}

/** The inert form as one plain string (for titles, aria labels and search). */
export function inertString(text: string, max = Infinity): string {
  return inertSegments(text, max).map((segment) => segment.text).join('');
}

/** Bytes from the wire as text: UTF-8 when valid, else a note, never a lossy guess. */
export function bytesAsText(bytes: Uint8Array): string | null {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
}
