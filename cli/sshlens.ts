/** Entry point of the `sshlens` command: runs cli/main.ts and exits with its code. Never prints a stack trace. */
import { main } from './main.ts';

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`sshlens: internal error: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
