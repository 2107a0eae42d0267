/**
 * `npm run bench [-- --mib N --sessions N]`: every benchmark of the project, each printing ratios against a peer
 * measured in the same run. Long: it records its captures first (cached under node_modules/.cache/sshlens-bench).
 */
import { parseArgs } from '../args.ts';
import { benchDecode } from './decode-bench.ts';

const { options } = parseArgs(process.argv.slice(2), [{ name: 'mib', value: true }, { name: 'sessions', value: true }]);
await benchDecode({ mib: Number(options.mib ?? 256), sessions: Number(options.sessions ?? 300) });
