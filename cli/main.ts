/**
 * The `sshlens` command line (logic; cli/sshlens.ts is the entry point): dispatches to one module per command. Node only.
 * Usage errors exit 2; no stack trace ever reaches the user (main() catches everything).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { UsageError } from './args.ts';
import { commands, type Command } from './commands.ts';

const packageJson = JSON.parse(
  readFileSync(fileURLToPath(new URL('../package.json', import.meta.url)), 'utf8'),
) as { version: string };

export async function usage(): Promise<string> {
  const lines = [
    'sshlens - see SSH: decrypt captured sessions, step through the protocol, explain every byte',
    '',
    'Usage: sshlens COMMAND [ARGS]',
    '       sshlens --help | --version',
    '',
    'Commands:',
  ];
  const width = Math.max(...commands.map((c) => c.name.length));
  for (const entry of commands) lines.push(`  ${entry.name.padEnd(width)}  ${(await entry.load()).summary}`);
  lines.push('', 'Run `sshlens COMMAND --help` for the options of one command.');
  return lines.join('\n');
}

export async function main(argv: string[]): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined || first === '--help' || first === '-h' || first === 'help') {
    process.stdout.write((await usage()) + '\n');
    return first === undefined ? 2 : 0;
  }
  if (first === '--version' || first === '-V') {
    process.stdout.write(`sshlens ${packageJson.version}\n`);
    return 0;
  }
  const entry = commands.find((c) => c.name === first);
  if (!entry) {
    process.stderr.write(`sshlens: unknown command '${first}'. Run 'sshlens --help' for the list.\n`);
    return 2;
  }
  const command: Command = await entry.load();
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(command.help + '\n');
    return 0;
  }
  try {
    return await command.run(rest);
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`sshlens ${command.name}: ${error.message}\n`);
      return 2;
    }
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`sshlens ${command.name}: internal error: ${message}\n`);
    return 1;
  }
}
