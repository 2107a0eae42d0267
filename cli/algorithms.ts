/** `sshlens algorithms [KIND] [--json]`: every supported algorithm per kind, like `ssh -Q`. */
import { ALGORITHM_KINDS, supportedAlgorithms, type AlgorithmKind } from '../engine/crypto/algorithms.ts';
import { parseArgs, UsageError } from './args.ts';
import type { Command } from './commands.ts';

export const algorithmsCommand: Command = {
  name: 'algorithms',
  summary: 'list the supported key exchanges, host keys, ciphers, MACs and compressions',
  help: [
    'Usage: sshlens algorithms [KIND] [--json]',
    '',
    `Lists every algorithm sshlens supports. KIND is one of ${ALGORITHM_KINDS.join(', ')};`,
    'without it, all kinds with a heading each. --json prints {"kex":[...],...} with the spec of each.',
  ].join('\n'),
  async run(args) {
    const { options, positional } = parseArgs(args, [{ name: 'json' }]);
    if (positional.length > 1) throw new UsageError('give at most one KIND');
    const kind = positional[0] as AlgorithmKind | undefined;
    if (kind !== undefined && !ALGORITHM_KINDS.includes(kind)) throw new UsageError(`unknown kind "${kind}": one of ${ALGORITHM_KINDS.join(', ')}`);
    const all = supportedAlgorithms();
    if (options.json) {
      process.stdout.write(JSON.stringify(kind ? { [kind]: all[kind] } : all, null, 1) + '\n');
    } else if (kind) {
      process.stdout.write(all[kind].map((a) => a.name).join('\n') + '\n');
    } else {
      const sections = ALGORITHM_KINDS.map((k) => `${k}:\n${all[k].map((a) => `  ${a.name.padEnd(44)} ${a.spec}`).join('\n')}`);
      process.stdout.write(sections.join('\n\n') + '\n');
    }
    return 0;
  },
};
