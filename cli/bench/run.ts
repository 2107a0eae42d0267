/**
 * `npm run bench [-- --mib N --sessions N --only PART]`: every benchmark of the project, each printing ratios against a peer
 * measured in the same run. Long: it records its captures first (cached under node_modules/.cache/sshlens-bench).
 */
import { parseArgs } from '../args.ts';
import { benchDecode, benchManySessions } from './decode-bench.ts';
import { benchEngine } from './engine-bench.ts';
import { benchBrowserAes } from './browser-aes-bench.ts';
import { benchUi } from './ui-bench.ts';

const { options } = parseArgs(process.argv.slice(2), [
  { name: 'mib', value: true }, { name: 'sessions', value: true }, { name: 'only', value: true },
]);
/** `--only decode|many|engine|browser|ui` runs one part (many: decode's many-sessions part alone); without it, all. */
const runs = (part: string) => options.only === undefined || options.only === part;
if (runs('decode')) await benchDecode({ mib: Number(options.mib ?? 256), sessions: Number(options.sessions ?? 300) });
if (options.only === 'many') await benchManySessions(Number(options.sessions ?? 300));
if (runs('engine')) await benchEngine({ mib: Math.min(64, Number(options.mib ?? 64)) });
if (runs('browser')) await benchBrowserAes({ mib: Math.min(16, Number(options.mib ?? 16)) });
if (runs('ui')) await benchUi({ mib: 100 });
