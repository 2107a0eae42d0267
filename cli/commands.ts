/**
 * The registry of `sshlens` commands, as data. Each command module exports a Command (name, one-line summary, help,
 * runner); the registry loads a module only when it is needed, so `sshlens --version` and a command's start-up do
 * not pay for every other command's code.
 */
export interface Command {
  name: string;
  summary: string;
  help: string;
  /** Runs with the arguments after the command name; resolves to the process exit code. */
  run(args: string[]): Promise<number>;
}

export interface CommandEntry {
  name: string;
  load(): Promise<Command>;
}

export const commands: CommandEntry[] = [
  { name: 'decode', load: async () => (await import('./decode.ts')).decodeCommand },
  { name: 'algorithms', load: async () => (await import('./algorithms.ts')).algorithmsCommand },
  { name: 'exec', load: async () => (await import('./exec.ts')).execCommand },
  { name: 'serve', load: async () => (await import('./serve.ts')).serveCommand },
];
