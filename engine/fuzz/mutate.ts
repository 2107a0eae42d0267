/**
 * @module fuzz/mutate
 * Mutations of real inputs: bit flips, random bytes, truncations, deletions, duplications, splices with another
 * input, and length fields (see length-fields.ts) set to the values that break parsers. Each mutation is described
 * in words, so a failure report says what was done to the input.
 */
import { concatBytes as concat } from '../wire/hex.ts';
import type { LengthField } from './length-fields.ts';
import type { FuzzRandom } from './random.ts';

/** Values a length field is set to: the edges of its width, and the off-by-ones around small sizes. */
export const EDGE_VALUES = [0, 1, 2, 3, 4, 5, 0x7fffffff, 0x80000000, 0xfffffffe, 0xffffffff, 0xffff, 0x8000, 35000, 35001, 262144];

export interface MutationOptions {
  lengthFields?: readonly LengthField[];
  /** Other inputs of the same kind to splice in (an array, or a count and an accessor: no array built per case). */
  donors?: { readonly length: number; at(index: number): Uint8Array | undefined };
  /** Most mutations per input (1 to this many). */
  maxMutations?: number;
}

export interface Mutated {
  bytes: Uint8Array;
  steps: string[];
}

function writeField(bytes: Uint8Array, field: LengthField, value: number, steps: string[]): void {
  const { offset, size, littleEndian } = field;
  if (offset + size > bytes.length) return;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (field.nibble) {
    const shift = field.nibble === 0xf0 ? 4 : 0;
    bytes[offset] = (bytes[offset] & ~field.nibble) | ((value & 0x0f) << shift);
  } else if (size === 1) bytes[offset] = value & 0xff;
  else if (size === 2) view.setUint16(offset, value & 0xffff, littleEndian);
  else if (size === 4) view.setUint32(offset, value >>> 0, littleEndian);
  else view.setBigUint64(offset, BigInt(value >>> 0) * (value > 0xffffffff ? 0x100000000n : 1n), littleEndian);
  steps.push(`${field.name} at ${offset} := ${value}`);
}

/** The value to give a length field: an edge value, or the old value nudged by a little. */
function fieldValue(bytes: Uint8Array, field: LengthField, random: FuzzRandom): number {
  if (field.nibble) return random.pick([0, 1, 4, 5, 15, random.below(16)]);
  if (random.chance(0.6)) return random.pick(EDGE_VALUES);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const old = field.size === 1 ? bytes[field.offset] : field.size === 2 ? view.getUint16(field.offset, field.littleEndian) : view.getUint32(field.offset, field.littleEndian);
  return Math.max(0, old + random.between(-8, 8));
}

/** One to `maxMutations` mutations of a copy of `input` (the input itself is never changed). */
export function mutate(input: Uint8Array, random: FuzzRandom, options: MutationOptions = {}): Mutated {
  let bytes: Uint8Array = input.slice();
  const steps: string[] = [];
  const count = random.between(1, options.maxMutations ?? 4);
  const fields = options.lengthFields ?? [];
  for (let i = 0; i < count; i++) {
    const kind = random.below(fields.length ? 10 : 8);
    const at = random.below(bytes.length);
    switch (kind) {
      case 0:
      case 1: {
        if (!bytes.length) break;
        const bit = random.below(8);
        bytes[at] ^= 1 << bit;
        steps.push(`flip bit ${bit} of byte ${at}`);
        break;
      }
      case 2: {
        if (!bytes.length) break;
        const value = random.pick([0, 0xff, 0x7f, 0x80, random.below(256)]);
        bytes[at] = value;
        steps.push(`byte ${at} := ${value}`);
        break;
      }
      case 3: {
        bytes = bytes.subarray(0, at);
        steps.push(`truncate to ${at} bytes`);
        break;
      }
      case 4: {
        const length = Math.min(bytes.length - at, random.chance(0.5) ? random.between(1, 8) : random.between(1, 2000));
        bytes = concat(bytes.subarray(0, at), bytes.subarray(at + length));
        steps.push(`delete ${length} bytes at ${at}`);
        break;
      }
      case 5: {
        const from = random.below(bytes.length);
        const length = Math.min(bytes.length - from, random.between(1, 1500));
        bytes = concat(bytes.subarray(0, at), bytes.subarray(from, from + length), bytes.subarray(at));
        steps.push(`insert a copy of ${length} bytes from ${from} at ${at}`);
        break;
      }
      case 6: {
        const donors = options.donors ?? [];
        if (!donors.length) break;
        const donor = random.below(donors.length);
        const donorBytes = donors.at(donor)!;
        const from = random.below(donorBytes.length);
        const tail = random.chance(0.5);
        const piece = tail ? donorBytes.subarray(from) : donorBytes.subarray(from, from + random.between(1, 3000));
        bytes = tail ? concat(bytes.subarray(0, at), piece) : concat(bytes.subarray(0, at), piece, bytes.subarray(at));
        steps.push(tail ? `splice: first ${at} bytes, then donor ${donor} from ${from}` : `splice ${piece.length} bytes of donor ${donor} from ${from} in at ${at}`);
        break;
      }
      case 7: {
        const length = Math.min(bytes.length - at, random.between(1, 64));
        const noise = random.bytes(length);
        bytes.set(noise, at);
        steps.push(`${length} random bytes at ${at}`);
        break;
      }
      default: {
        const field = random.pick(fields);
        if (field.offset + field.size <= bytes.length) writeField(bytes, field, fieldValue(bytes, field, random), steps);
      }
    }
  }
  return { bytes, steps };
}


/** Splits `bytes` into random chunks (views), to exercise records and packets that straddle pushes. */
export function randomChunks(bytes: Uint8Array, random: FuzzRandom): Uint8Array[] {
  const chunks: Uint8Array[] = [];
  const small = random.chance(0.3);
  for (let at = 0; at < bytes.length;) {
    const n = small ? random.between(1, 16) : random.between(1, 4096);
    chunks.push(bytes.subarray(at, at + n));
    at += n;
  }
  return chunks;
}
