/** The registry of `sshlens` commands, as data: each command has a name, a one-line summary, help and a runner. */
import { algorithmsCommand } from './algorithms.ts';
import { decodeCommand } from './decode.ts';
import { execCommand } from './exec.ts';
import { serveCommand } from './serve.ts';

export interface Command {
  name: string;
  summary: string;
  help: string;
  /** Runs with the arguments after the command name; resolves to the process exit code. */
  run(args: string[]): Promise<number>;
}

export const commands: Command[] = [decodeCommand, algorithmsCommand, execCommand, serveCommand];
