import { describe, expect, test } from 'vitest';
import { formatLink, parseLink } from './url.ts';

describe('deep links', () => {
  test('round-trip every part of a view', () => {
    const link = { file: 'openssh-ssh2/ns_c25519_chacha20.pcap', session: 1, message: 42, layer: 'payload' as const, field: 'message:kex_algorithms' };
    const hash = formatLink(link);
    expect(hash).toBe('#file=openssh-ssh2%2Fns_c25519_chacha20.pcap&session=1&message=42&layer=payload&field=message%3Akex_algorithms');
    expect(parseLink(hash)).toEqual({ sample: undefined, sim: undefined, seed: undefined, step: undefined, ...link });
  });
  test('a simulation step', () => {
    expect(formatLink({ sim: 'terrapin', seed: 7, step: 3, session: 0, message: 3, layer: null, field: null })).toBe('#sim=terrapin&seed=7&step=3&message=3');
    expect(parseLink('#sim=terrapin&seed=7&step=3')).toMatchObject({ sim: 'terrapin', seed: 7, step: 3 });
  });
  test('ignores what it does not understand instead of failing', () => {
    expect(parseLink('#session=-3&message=1e9&layer=<script>&field=')).toEqual({
      sample: undefined, file: undefined, sim: undefined, seed: undefined, step: undefined, session: 0, message: null, layer: null, field: null,
    });
    expect(formatLink(parseLink(''))).toBe('');
  });
});
