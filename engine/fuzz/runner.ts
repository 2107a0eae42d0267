/**
 * @module fuzz/runner
 * Runs a fuzz target case by case and checks the invariant on each: the decoder returns normally (problems recorded)
 * or throws a typed SshlensError (engine/errors.ts); a target's own InvariantViolation, any other exception, a case
 * slower than the time bound, or a heap growth beyond a small multiple of the input is a failure. Each case has its
 * own random source from (seed, index), so a failure is reproduced from those two numbers alone.
 * Pure engine code: the caller supplies the clock and the heap measure (node: v8.getHeapStatistics).
 */
import { isSshlensError } from '../errors.ts';
import type { FuzzCorpus } from './corpus.ts';
import { caseRandom } from './random.ts';
import { InvariantViolation, type FuzzTarget } from './target.ts';

export interface FuzzRunOptions {
  seed: number;
  /** Stop after this many cases... */
  cases?: number;
  /** ...or after this many seconds, whichever comes first. */
  seconds?: number;
  /** Index of the first case (to re-run one case: firstCase N, cases 1). */
  firstCase?: number;
  /** A case taking longer than this fails as `slow`. Default 5000 ms. */
  timeLimitMs?: number;
  /** Heap plus array-buffer bytes in use, measured before and after each case. */
  memory?: () => number;
  /** Most heap growth allowed for an input of `size` bytes. Default 64 MiB + 256 x size. */
  memoryAllowance?: (size: number) => number;
  now?: () => number;
  /** Keep this many failures in full (the rest are counted). Default 5. */
  keepFailures?: number;
  /** Called before each case with its index (a watchdog's heartbeat). */
  beforeCase?: (index: number) => void;
  /** Called after each case that failed (so a watcher can report failures while the run goes on). */
  afterFailure?: (failure: FuzzFailure) => void;
}

export interface FuzzFailure {
  target: string;
  seed: number;
  index: number;
  kind: 'exception' | 'invariant' | 'slow' | 'memory' | 'hang';
  message: string;
  /** The exception's stack, for the developer. */
  stack?: string;
  steps: string[];
  input: { bytes: Uint8Array; extension: string };
}

export interface FuzzRunResult {
  target: string;
  seed: number;
  cases: number;
  failureCount: number;
  failures: FuzzFailure[];
  elapsedMs: number;
}

const now = () => globalThis.performance.now();
export const DEFAULT_TIME_LIMIT_MS = 5000;
export const defaultMemoryAllowance = (size: number) => 64 * 1024 * 1024 + 256 * size;

/** Generates and runs case `index`; undefined when the invariant held. */
export function runCase(target: FuzzTarget, corpus: FuzzCorpus, seed: number, index: number, options: Omit<FuzzRunOptions, 'seed'> = {}): FuzzFailure | undefined {
  const clock = options.now ?? now;
  const { input, steps } = target.generate(corpus, caseRandom(seed, index));
  const fail = (kind: FuzzFailure['kind'], message: string, stack?: string): FuzzFailure => ({
    target: target.name, seed, index, kind, message, ...(stack ? { stack } : {}), steps, input: target.save(input),
  });
  const before = options.memory?.() ?? 0;
  const start = clock();
  try {
    target.run(input);
  } catch (error) {
    if (error instanceof InvariantViolation) return fail('invariant', error.message, error.stack);
    if (!isSshlensError(error)) {
      const e = error as Error;
      return fail('exception', `${e?.name ?? typeof error}: ${e?.message ?? String(error)}`, e?.stack);
    }
  }
  const elapsed = clock() - start;
  if (elapsed > (options.timeLimitMs ?? DEFAULT_TIME_LIMIT_MS)) return fail('slow', `took ${elapsed.toFixed(0)} ms (limit ${options.timeLimitMs ?? DEFAULT_TIME_LIMIT_MS} ms)`);
  if (options.memory) {
    const growth = options.memory() - before;
    const size = target.size(input);
    const allowed = (options.memoryAllowance ?? defaultMemoryAllowance)(size);
    if (growth > allowed) return fail('memory', `memory grew by ${(growth / 1048576).toFixed(1)} MiB for a ${size}-byte input (allowed ${(allowed / 1048576).toFixed(1)} MiB)`);
  }
  return undefined;
}

/** Runs cases firstCase, firstCase + 1... until `cases` or `seconds` is reached. */
export function runTarget(target: FuzzTarget, corpus: FuzzCorpus, options: FuzzRunOptions): FuzzRunResult {
  const clock = options.now ?? now;
  const start = clock();
  const first = options.firstCase ?? 0;
  const deadline = options.seconds === undefined ? Infinity : start + options.seconds * 1000;
  const limit = options.cases ?? (options.seconds === undefined ? 1000 : Infinity);
  const failures: FuzzFailure[] = [];
  let failureCount = 0;
  let cases = 0;
  for (; cases < limit && (cases === 0 || clock() < deadline); cases++) {
    options.beforeCase?.(first + cases);
    const failure = runCase(target, corpus, options.seed, first + cases, options);
    if (failure) {
      failureCount++;
      options.afterFailure?.(failure);
      if (failures.length < (options.keepFailures ?? 5)) failures.push(failure);
    }
  }
  return { target: target.name, seed: options.seed, cases, failureCount, failures, elapsedMs: clock() - start };
}
