/** A small command-line argument parser for the sshlens commands: options declared as data, usage errors typed. */
export class UsageError extends Error {}

export interface OptionSpec {
  /** Long name without dashes, e.g. `keylog`. */
  name: string;
  /** One-letter alias without the dash, e.g. `v`. */
  short?: string;
  /** True when the option takes a value (`--keylog FILE` or `--keylog=FILE`). */
  value?: boolean;
  /** True when it may be given more than once (values are collected). */
  repeatable?: boolean;
}

export interface ParsedArgs {
  options: Record<string, string | string[] | boolean>;
  positional: string[];
}

export function parseArgs(args: string[], specs: OptionSpec[]): ParsedArgs {
  const options: ParsedArgs['options'] = {};
  const positional: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--') {
      positional.push(...args.slice(i + 1));
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      positional.push(arg);
      continue;
    }
    const [flag, inline] = arg.startsWith('--') ? splitOnce(arg.slice(2), '=') : [arg.slice(1), undefined];
    const spec = specs.find((s) => (arg.startsWith('--') ? s.name === flag : s.short === flag));
    if (!spec) throw new UsageError(`unknown option ${arg}`);
    let value: string | boolean = true;
    if (spec.value) {
      if (inline !== undefined) value = inline;
      else if (i + 1 < args.length) value = args[++i];
      else throw new UsageError(`option --${spec.name} needs a value`);
    } else if (inline !== undefined) {
      throw new UsageError(`option --${spec.name} takes no value`);
    }
    if (spec.repeatable) {
      const list = (options[spec.name] as string[] | undefined) ?? [];
      list.push(String(value));
      options[spec.name] = list;
    } else {
      if (options[spec.name] !== undefined && spec.value) throw new UsageError(`option --${spec.name} given twice`);
      options[spec.name] = value;
    }
  }
  return { options, positional };
}

function splitOnce(text: string, separator: string): [string, string | undefined] {
  const at = text.indexOf(separator);
  return at < 0 ? [text, undefined] : [text.slice(0, at), text.slice(at + 1)];
}
