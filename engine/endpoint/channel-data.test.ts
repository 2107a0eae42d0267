/**
 * The CHANNEL_DATA fast path (RFC 4254 §5.2) against the message catalog's decoder: the same name, entry, value and
 * field tree for well-formed payloads of several sizes; malformed ones (short, a string length that does not end at
 * the payload's end) are left to the catalog, which explains them.
 */
import { describe, expect, it } from 'vitest';
import { decodeMessage, encodeMessage } from '../messages/index.ts';
import { decodeChannelData } from './channel-data.ts';

describe('decodeChannelData', () => {
  it('equals decodeMessage for well-formed CHANNEL_DATA', () => {
    for (const size of [0, 1, 100, 32768]) {
      const data = Uint8Array.from({ length: size }, (_, i) => (i * 7) & 0xff);
      const payload = encodeMessage('SSH_MSG_CHANNEL_DATA', { recipient_channel: 0xfffffffe - size, data });
      const fast = decodeChannelData(payload)!;
      const generic = decodeMessage(payload);
      expect(fast.name).toBe('SSH_MSG_CHANNEL_DATA');
      expect(fast.entry).toBe(generic.entry);
      expect({ ...fast.value }).toEqual(generic.value);
      expect(fast.unknown).toBe(generic.unknown);
      expect(fast.error).toBeUndefined();
      expect(fast.fields).toEqual(generic.fields);
    }
  });
  it('leaves malformed payloads to the catalog decoder', () => {
    const payload = encodeMessage('SSH_MSG_CHANNEL_DATA', { recipient_channel: 3, data: new Uint8Array(10) });
    expect(decodeChannelData(payload.subarray(0, 8))).toBeUndefined();
    expect(decodeChannelData(payload.subarray(0, payload.length - 1))).toBeUndefined();
    expect(decodeChannelData(Uint8Array.of(...payload, 0))).toBeUndefined();
    expect(decodeMessage(payload.subarray(0, payload.length - 1)).error).toBeDefined();
  });
});
