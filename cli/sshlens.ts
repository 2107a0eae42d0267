/** Entry point of the `sshlens` command: runs cli/main.ts and exits with its code. Never prints a stack trace. */
import { setFlagsFromString } from 'node:v8';
import { main } from './main.ts';

// A command runs for seconds, mostly before V8 has optimised its code: on a capture of 300 short sessions, TurboFan's
// background compiles cost ~40% of the CPU time, and without inlining they cost less than they save (~10% less CPU
// in all; the steady state of a long decode measured the same). Takes effect for every compile from here on.
setFlagsFromString('--no-turbo-inlining');

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`sshlens: internal error: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
