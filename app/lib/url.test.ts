import { describe, expect, test } from 'vitest';
import { formatLink, parseLink } from './url.ts';

describe('deep links', () => {
  test('round-trip every part of a view', () => {
    const link = { file: 'openssh-ssh2/ns_c25519_chacha20.pcap', session: 1, message: 42, layer: 'payload' as const, field: 'message:kex_algorithms' };
    const hash = formatLink(link);
    expect(hash).toBe('#file=openssh-ssh2%2Fns_c25519_chacha20.pcap&session=1&message=42&layer=payload&field=message%3Akex_algorithms');
    expect(parseLink(hash)).toEqual({ sample: undefined, ...link });
  });
  test('ignores what it does not understand instead of failing', () => {
    expect(parseLink('#session=-3&message=1e9&layer=<script>&field=')).toEqual({
      sample: undefined, file: undefined, session: 0, message: null, layer: null, field: null,
    });
    expect(formatLink(parseLink(''))).toBe('');
  });
});
