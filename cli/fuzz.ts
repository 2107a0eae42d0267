/**
 * `npm run fuzz [-- --target NAME] [--cases N | --seconds S] [--seed N] [--case I] [--jobs N] [--progress S]`: runs the fuzz
 * targets of engine/fuzz on inputs made from the real captures in ../shared/fixtures/openssh-ssh2 and prints, per
 * target, the cases run, the failures, the cases per second and the seconds taken. Each target runs in a worker
 * thread watched from here: a case that never returns (a hang) is stopped and reported like any other failure. Every
 * `--progress` seconds (default 60) each running target's counts so far go to stderr, and an interrupt (Ctrl-C)
 * prints the counts reached before stopping, so a long run that is cut short still reports what it checked. Exits
 * 1 on any failure,
 * printing a reproducer (seed + case index, the command to re-run it, the input written under
 * node_modules/.cache/sshlens-fuzz/); 2 on bad usage or when the fixtures are missing.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { getHeapStatistics } from 'node:v8';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { buildCorpus, type FuzzCorpus } from '../engine/fuzz/corpus.ts';
import { caseRandom } from '../engine/fuzz/random.ts';
import { DEFAULT_TIME_LIMIT_MS, runTarget, type FuzzFailure, type FuzzRunResult } from '../engine/fuzz/runner.ts';
import { FUZZ_TARGETS, fuzzTarget } from '../engine/fuzz/targets.ts';
import { parseArgs, UsageError } from './args.ts';

export const FIXTURES = decodeURIComponent(new URL('../../shared/fixtures/openssh-ssh2', import.meta.url).pathname);
const CACHE = decodeURIComponent(new URL('../node_modules/.cache/sshlens-fuzz', import.meta.url).pathname);

/** The corpus from every capture and key log of the fixtures folder (or the first `limit` captures). */
export function loadCorpus(limit = Infinity): FuzzCorpus {
  const names = readdirSync(FIXTURES).sort();
  const pcaps = names.filter((n) => n.endsWith('.pcap')).slice(0, limit);
  const wanted = names.filter((n) => n.endsWith('.pcapng') || (n.endsWith('.keylog') && pcaps.some((p) => n.startsWith(p.slice(0, -5) + '.'))));
  return buildCorpus([...pcaps, ...wanted].map((name) => ({ name, bytes: new Uint8Array(readFileSync(join(FIXTURES, name))) })));
}

/** Heap and array buffers in use (array buffers live outside the JS heap). */
export const memoryInUse = () => {
  const s = getHeapStatistics();
  return s.used_heap_size + s.external_memory;
};

/** Slots of the Int32Array a worker shares with the watcher. */
const HEARTBEAT = { index: 0, ready: 1, started: 2, failures: 3 } as const;

interface Job {
  target: string;
  seed: number;
  cases?: number;
  seconds?: number;
  firstCase: number;
  timeLimitMs: number;
  heartbeat: SharedArrayBuffer;
}

if (!isMainThread) {
  const job = workerData as Job;
  const beat = new Int32Array(job.heartbeat);
  const corpus = loadCorpus();
  Atomics.store(beat, HEARTBEAT.ready, 1); // corpus loaded: the watchdog starts timing cases
  const result = runTarget(fuzzTarget(job.target)!, corpus, {
    seed: job.seed, firstCase: job.firstCase, timeLimitMs: job.timeLimitMs, memory: memoryInUse,
    ...(job.cases === undefined ? {} : { cases: job.cases }), ...(job.seconds === undefined ? {} : { seconds: job.seconds }),
    beforeCase: (index) => { Atomics.store(beat, HEARTBEAT.index, index); Atomics.add(beat, HEARTBEAT.started, 1); },
    afterFailure: () => { Atomics.add(beat, HEARTBEAT.failures, 1); },
  });
  parentPort!.postMessage(result);
} else {
  process.exitCode = await main(process.argv.slice(2));
}

async function main(args: string[]): Promise<number> {
  let options: Record<string, string | string[] | boolean>;
  try {
    ({ options } = parseArgs(args, [
      { name: 'target', value: true, repeatable: true }, { name: 'cases', value: true }, { name: 'seconds', value: true },
      { name: 'seed', value: true }, { name: 'case', value: true }, { name: 'jobs', value: true }, { name: 'time-limit', value: true },
      { name: 'hang', value: true }, { name: 'progress', value: true }, { name: 'list' },
    ]));
  } catch (error) {
    if (error instanceof UsageError) return usage(error.message);
    throw error;
  }
  if (options.list) {
    for (const t of FUZZ_TARGETS) process.stdout.write(`${t.name.padEnd(16)} ${t.about}\n`);
    return 0;
  }
  if (!existsSync(FIXTURES)) return usage(`the real captures are missing (${FIXTURES}): the fuzz corpus is made from them`);
  const names = ((options.target as string[] | undefined) ?? FUZZ_TARGETS.map((t) => t.name)).flatMap((n) => n.split(','));
  const unknown = names.filter((n) => !fuzzTarget(n));
  if (unknown.length) return usage(`unknown target ${unknown.join(', ')} (targets: ${FUZZ_TARGETS.map((t) => t.name).join(', ')})`);
  const number = (name: string) => (options[name] === undefined ? undefined : Number(options[name]));
  const seed = number('seed') ?? (Date.now() % 2 ** 31);
  const single = number('case');
  const cases = single === undefined ? number('cases') : 1;
  const seconds = single === undefined ? number('seconds') : undefined;
  const jobs = Math.max(1, number('jobs') ?? 1);
  const timeLimitMs = number('time-limit') ?? DEFAULT_TIME_LIMIT_MS;
  const hangMs = number('hang') ?? Math.max(30_000, 4 * timeLimitMs);
  const progressSeconds = number('progress') ?? 60;
  for (const [name, value] of [['seed', seed], ['case', single], ['cases', cases], ['seconds', seconds], ['jobs', jobs], ['progress', progressSeconds]] as const) {
    if (value !== undefined && !(Number.isInteger(value) && value >= 0)) return usage(`--${name} must be a whole number`);
  }
  const budget = cases === undefined && seconds === undefined ? { cases: 10_000 } : { ...(cases === undefined ? {} : { cases }), ...(seconds === undefined ? {} : { seconds }) };
  process.stdout.write(`sshlens fuzz: seed ${seed}, ${names.length} target(s), ${budget.cases !== undefined ? `${budget.cases} cases` : ''}${budget.cases !== undefined && budget.seconds !== undefined ? ' or ' : ''}${budget.seconds !== undefined ? `${budget.seconds} s` : ''} each, ${jobs} job(s)\n`);
  process.stdout.write(`${'target'.padEnd(16)} ${'cases'.padStart(10)} ${'failures'.padStart(9)} ${'cases/s'.padStart(9)} ${'seconds'.padStart(9)}\n`);

  const failures: FuzzFailure[] = [];
  const queue = [...names];
  let corpus: FuzzCorpus | undefined;
  let crashed = false;
  const running = new Map<string, { beat: Int32Array; started: number }>();
  const countsSoFar = (target: string, run: { beat: Int32Array; started: number }) => {
    const done = Atomics.load(run.beat, HEARTBEAT.started);
    const seconds = (Date.now() - run.started) / 1000;
    return `${target.padEnd(16)} ${String(done).padStart(10)} ${String(Atomics.load(run.beat, HEARTBEAT.failures)).padStart(9)} ${(done / Math.max(seconds, 1e-3)).toFixed(1).padStart(9)} ${seconds.toFixed(0).padStart(9)}`;
  };
  const progress = progressSeconds > 0 ? setInterval(() => {
    for (const [target, run] of running) process.stderr.write(`progress: ${countsSoFar(target, run)}\n`);
  }, progressSeconds * 1000) : undefined;
  const interrupted = () => {
    for (const [target, run] of running) process.stdout.write(`${countsSoFar(target, run)}  (interrupted: cases started so far)\n`);
    process.exit(130);
  };
  process.once('SIGINT', interrupted).once('SIGTERM', interrupted);
  const runOne = async (target: string) => {
    let result: FuzzRunResult;
    const heartbeat = new SharedArrayBuffer(4 * Object.keys(HEARTBEAT).length);
    running.set(target, { beat: new Int32Array(heartbeat), started: Date.now() });
    try {
      result = await inWorker({ target, seed, firstCase: single ?? 0, timeLimitMs, heartbeat, ...budget }, hangMs, () => (corpus ??= loadCorpus()));
    } catch (error) {
      // The runner itself failed (a bug in a target's generator, or the worker ran out of memory).
      process.stdout.write(`${target.padEnd(16)} worker failed: ${(error as Error).stack ?? String(error)}\n`);
      crashed = true;
      return;
    } finally {
      running.delete(target);
    }
    const rate = result.cases / Math.max(result.elapsedMs / 1000, 1e-3);
    process.stdout.write(`${target.padEnd(16)} ${String(result.cases).padStart(10)} ${String(result.failureCount).padStart(9)} ${rate.toFixed(1).padStart(9)} ${(result.elapsedMs / 1000).toFixed(0).padStart(9)}\n`);
    failures.push(...result.failures);
  };
  await Promise.all(Array.from({ length: Math.min(jobs, queue.length) }, async () => {
    for (let t = queue.shift(); t; t = queue.shift()) await runOne(t);
  }));
  clearInterval(progress);
  process.off('SIGINT', interrupted).off('SIGTERM', interrupted);
  if (failures.length === 0) return crashed ? 1 : 0;
  mkdirSync(CACHE, { recursive: true });
  for (const f of failures) {
    const file = join(CACHE, `${f.target}-seed${f.seed}-case${f.index}.${f.input.extension}`);
    writeFileSync(file, f.input.bytes);
    process.stdout.write([
      '',
      `FAIL ${f.target} (${f.kind}): ${f.message}`,
      `  reproduce: npm run fuzz -- --target ${f.target} --seed ${f.seed} --case ${f.index}${options['time-limit'] === undefined ? '' : ` --time-limit ${timeLimitMs}`}`,
      `  input: ${file} (${f.input.bytes.length} bytes)`,
      `  made by: ${f.steps.join('; ')}`,
      ...(f.stack ? [`  ${f.stack.split('\n').slice(0, 8).join('\n  ')}`] : []),
    ].join('\n') + '\n');
  }
  return 1;
}

/** Runs one target in a worker; a case that makes no progress for `hangMs` is a hang: the worker is stopped. */
function inWorker(job: Job, hangMs: number, corpus: () => FuzzCorpus): Promise<FuzzRunResult> {
  const boot = `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))}).then((m) => { m.register(); return import(${JSON.stringify(import.meta.url)}); })`;
  const worker = new Worker(boot, { eval: true, workerData: job });
  const beat = new Int32Array(job.heartbeat);
  const started = Date.now();
  return new Promise((resolve, reject) => {
    let last = -1;
    let since = Date.now();
    const timer = setInterval(() => {
      const count = Atomics.load(beat, HEARTBEAT.started);
      if (count !== last || Atomics.load(beat, HEARTBEAT.ready) === 0) {
        last = count;
        since = Date.now();
        return;
      }
      if (Date.now() - since < hangMs) return;
      clearInterval(timer);
      const index = Atomics.load(beat, HEARTBEAT.index);
      void worker.terminate();
      // The same seed and index give the same input: make it again here to save it.
      const target = fuzzTarget(job.target)!;
      const { input, steps } = target.generate(corpus(), caseRandom(job.seed, index));
      resolve({
        target: job.target, seed: job.seed, cases: count, failureCount: 1, elapsedMs: Date.now() - started,
        failures: [{ target: job.target, seed: job.seed, index, kind: 'hang', message: `no result after ${hangMs} ms: the case hangs`, steps, input: target.save(input) }],
      });
    }, 250);
    worker.on('message', (result: FuzzRunResult) => { clearInterval(timer); resolve(result); });
    worker.on('error', (error) => { clearInterval(timer); reject(error); });
    worker.on('exit', (code) => { if (code !== 0) { clearInterval(timer); reject(new Error(`the ${job.target} worker exited with code ${code}`)); } });
  });
}

function usage(message: string): number {
  process.stderr.write(`sshlens fuzz: ${message}\nUsage: npm run fuzz -- [--target NAME]... [--cases N | --seconds S] [--seed N] [--case I] [--jobs N] [--time-limit MS] [--progress S] [--list]\n`);
  return 2;
}
