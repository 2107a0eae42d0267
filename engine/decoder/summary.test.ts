/** inert(): text from the wire shown, never obeyed - its fast path for clean text gives what the escaping loop gives. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { inert } from './summary.ts';

/** The documented behaviour, code point by code point: escape what could move a cursor or reorder text, cut at max. */
function escapeEach(text: string, max: number): string {
  let out = '';
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    const escaped = code === 0x5c ? '\\\\' : code === 0x0a ? '\\n' : code === 0x0d ? '\\r' : code === 0x09 ? '\\t'
      : code < 0x20 || (code >= 0x7f && code < 0xa0) ? `\\x${code.toString(16).padStart(2, '0')}`
      : (code >= 0x200b && code <= 0x200f) || (code >= 0x202a && code <= 0x202e) || (code >= 0x2066 && code <= 0x2069) || code === 0xfeff
        ? `\\u{${code.toString(16)}}` : ch;
    out += escaped;
    if (out.length > max) return out.slice(0, max) + '…';
  }
  return out;
}

describe('inert', () => {
  it('shows clean text as it is, cut at max with an ellipsis', () => {
    expect(inert('ssh-userauth')).toBe('ssh-userauth');
    expect(inert('a'.repeat(10), 4)).toBe('aaaa…');
    expect(inert('héllo wörld ✓', 200)).toBe('héllo wörld ✓');
  });

  it('escapes controls, the backslash, bidi overrides and invisible characters', () => {
    expect(inert('a\u001b[2Jb\\c\n')).toBe('a\\x1b[2Jb\\\\c\\n');
    expect(inert('\u202eevil\u200b\ufeff')).toBe('\\u{202e}evil\\u{200b}\\u{feff}');
    expect(inert('\u0085\u007f\t\r')).toBe('\\x85\\x7f\\t\\r');
    expect(inert(new Uint8Array(3))).toBe('<3 bytes, not UTF-8>');
  });

  it('gives what escaping each code point gives, for any text and any cut', () => {
    // Characters from every class the escape handles, plus plain ASCII, non-ASCII and astral ones.
    const alphabet = ['a', 'Z', ' ', '\\', '\n', '\r', '\t', '\x00', '\x1b', '\x7f', '\x85', '\u00e9', '\u200b', '\u200f', '\u202a',
      '\u202e', '\u2066', '\u2069', '\ufeff', '\u2192', '\u{1f600}', '\ud800'];
    fc.assert(fc.property(fc.array(fc.constantFrom(...alphabet), { maxLength: 60 }), fc.integer({ min: 0, max: 80 }), (chars, max) => {
      const text = chars.join('');
      expect(inert(text, max)).toBe(escapeEach(text, max));
    }), { numRuns: 2000 });
  });
});
