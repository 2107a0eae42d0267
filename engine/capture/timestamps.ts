/**
 * @module capture/timestamps
 * pcapng timestamps (draft-ietf-opsawg-pcapng §4.2 `if_tsresol`, `if_tsoffset`): a 64-bit count of units since
 * 1970, where a unit is 10^-n seconds (top bit of if_tsresol clear) or 2^-n seconds (top bit set); the default is
 * microseconds. Converted exactly to whole seconds + nanoseconds; resolutions finer than a nanosecond are truncated
 * toward zero.
 */
import type { Timestamp } from './records.ts';

export const DEFAULT_TSRESOL = 6;

export function unitsToTimestamp(high: number, low: number, tsresol: number, offsetSeconds = 0n): Timestamp {
  const units = (BigInt(high >>> 0) << 32n) | BigInt(low >>> 0);
  const exponent = BigInt(tsresol & 0x7f);
  const perSecond = tsresol & 0x80 ? 1n << exponent : 10n ** exponent;
  const seconds = units / perSecond + offsetSeconds;
  const rest = units % perSecond;
  const nanoseconds = (rest * 1_000_000_000n) / perSecond;
  return { seconds: Number(seconds), nanoseconds: Number(nanoseconds) };
}

/** The inverse for the writer: nanosecond units (if_tsresol 9). */
export function timestampToNanosecondUnits(time: Timestamp): { high: number; low: number } {
  const units = BigInt(time.seconds) * 1_000_000_000n + BigInt(time.nanoseconds);
  return { high: Number(units >> 32n), low: Number(units & 0xffffffffn) };
}
