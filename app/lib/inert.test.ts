/** Hostile strings (Trojan Source, CVE-2021-42574; terminal escapes in banners) come out visible and inert. */
import { describe, expect, test } from 'vitest';
import { bytesAsText, inertSegments, inertString } from './inert.ts';

describe('inert strings', () => {
  test('plain text stays one run', () => {
    expect(inertSegments('SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u10')).toEqual([{ kind: 'text', text: 'SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u10' }]);
  });
  test('a terminal escape sequence and CR LF become visible escapes', () => {
    const segments = inertSegments('hi\x1b[2J\r\n');
    expect(segments.map((s) => s.kind)).toEqual(['text', 'escape', 'text', 'escape', 'escape']);
    expect(inertString('hi\x1b[2J\r\n')).toBe('hi\\e[2J\\r\\n');
    expect(segments[1]).toMatchObject({ title: 'U+001B ESC (terminal escape sequence)' });
  });
  test('bidi overrides and isolates (the Trojan Source characters) are escaped, not applied', () => {
    const text = 'admin\u202E\u2066txt.exe\u2069';
    expect(inertString(text)).toBe('admin\\u{202E}\\u{2066}txt.exe\\u{2069}');
    for (const segment of inertSegments(text)) {
      if (segment.kind === 'text') expect(segment.text).not.toMatch(/[\u202a-\u202e\u2066-\u2069]/);
    }
  });
  test('C1 controls, zero-width characters and lone surrogates are escaped', () => {
    expect(inertString('a\u009bb\u200bc\ud800d')).toBe('a\\x9Bb\\u{200B}c\\u{D800}d');
  });
  test('long strings are cut with an ellipsis', () => {
    expect(inertString('abcdef', 3)).toBe('abc…');
  });
  test('bytes that are not UTF-8 are reported, not guessed', () => {
    expect(bytesAsText(new Uint8Array([0x68, 0x69]))).toBe('hi');
    expect(bytesAsText(new Uint8Array([0xff, 0xfe, 0x80]))).toBeNull();
  });
});
