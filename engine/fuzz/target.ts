/**
 * @module fuzz/target
 * What a fuzz target is: a way to make a case's input from the corpus and the case's own random source, a way to
 * run the decoder on it, and a way to save the input for a reproducer. The invariant every target shares (see
 * runner.ts): the decoder returns normally - with its problems recorded - or throws one of the project's typed
 * errors (SshlensError); anything else is a bug. A target may check more and say so by throwing InvariantViolation.
 */
import fc from 'fast-check';
import type { FuzzCorpus } from './corpus.ts';
import type { FuzzRandom } from './random.ts';

export interface FuzzCase<T> {
  input: T;
  /** How the input was made, in words (the mutations applied, the generator used). */
  steps: string[];
}

export interface FuzzTarget<T = unknown> {
  name: string;
  /** One line: which decoder, fed with what. */
  about: string;
  generate(corpus: FuzzCorpus, random: FuzzRandom): FuzzCase<T>;
  run(input: T): void;
  /** The input as a file for a reproducer. */
  save(input: T): { bytes: Uint8Array; extension: string };
  /** The size the memory bound is a multiple of. */
  size(input: T): number;
}

/** A target-specific property that does not hold (contiguous stream offsets, spans covering a payload...). */
export class InvariantViolation extends Error {
  override name = 'InvariantViolation';
}

export function check(condition: unknown, message: string): asserts condition {
  if (!condition) throw new InvariantViolation(message);
}

export const defineTarget = <T>(target: FuzzTarget<T>): FuzzTarget<unknown> => target as unknown as FuzzTarget<unknown>;

/** One value of a fast-check arbitrary, drawn with a seed from the case's random source (reproducible). */
export function sampleOne<T>(arbitrary: fc.Arbitrary<T>, random: FuzzRandom): T {
  return fc.sample(arbitrary, { seed: random.uint32() | 0, numRuns: 1 })[0];
}
