import { parseArgs, type ParseArgsConfig } from 'node:util';
import { FaygerError } from '@fayger/contracts';

export type Options = NonNullable<ParseArgsConfig['options']>;

/** parseArgs with usage errors as FaygerErrors (exit code 1) naming the command. */
export interface Parsed {
  values: Record<string, string | boolean | (string | boolean)[] | undefined>;
  positionals: string[];
}

/**
 * Parses a command's options. Mistakes are reported in the CLI's own words, never as parseArgs text: an unknown
 * option names the closest known ones ("did you mean --trusted-roots?"), a missing value names its option.
 */
export function parse(command: string, args: string[], options: Options): Parsed {
  const all: Options = { ...options, help: { type: 'boolean', short: 'h' } };
  try {
    return parseArgs({ args, options: all, allowPositionals: true, strict: true });
  } catch (err) {
    throw parseError(command, err as Error & { code?: string }, all);
  }
}

function parseError(command: string, err: Error & { code?: string }, options: Options): FaygerError {
  const message = err.message;
  if (err.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    const flag = /'([^']+)'/.exec(message)?.[1] ?? message;
    const suggestions = suggestOptions(flag, options);
    return new FaygerError({
      code: 'CLI_USAGE',
      phase: command,
      what: `fayger ${command}`,
      found: `unknown option ${flag}`,
      hint: `${suggestions.length ? `Did you mean ${suggestions.join(' or ')}? ` : ''}Run \`fayger ${command} --help\` for the options; an argument that starts with "-" goes after \`--\`.`,
      details: { option: flag, suggestions },
    });
  }
  if (err.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    // "Option '-o, --out <value>' argument missing" / "Option '--json' does not take an argument".
    const spec = /'([^']+)'/.exec(message)?.[1] ?? '';
    const long = /--[\w-]+/.exec(spec)?.[0] ?? spec;
    const missing = /argument missing/.test(message);
    return usage(
      command,
      missing ? `${long} without a value` : `a value after ${long}`,
      missing ? `${long} <value>` : `${long} alone (it takes no value)`,
    );
  }
  return usage(command, message.replace(/\.$/, ''));
}

/** Known long options closest to `flag` (a few edits away, scaled by length, or one is a prefix of the other), best first. */
export function suggestOptions(flag: string, options: Options): string[] {
  const name = flag.replace(/^-+/, '').split('=')[0]!.toLowerCase();
  if (!name) return [];
  const shortHit = Object.entries(options)
    .filter(([, o]) => o.short === name)
    .map(([long]) => `--${long}`);
  if (flag.startsWith('-') && !flag.startsWith('--') && shortHit.length) return shortHit;
  const scored = Object.keys(options)
    .map((long) => {
      const d = distance(name, long);
      const prefix = long.startsWith(name) || name.startsWith(long);
      return { long, score: prefix && Math.min(name.length, long.length) >= 3 ? Math.min(d, 1) : d };
    })
    .filter((s) => s.score <= (name.length <= 3 ? 1 : name.length <= 6 ? 2 : 3) && s.score < s.long.length)
    .sort((a, b) => a.score - b.score || a.long.localeCompare(b.long));
  return scored.slice(0, 2).map((s) => `--${s.long}`);
}

function distance(a: string, b: string): number {
  // Damerau-Levenshtein (optimal string alignment): a swapped pair of letters is one edit.
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[a.length]![b.length]!;
}

export function usage(command: string, found: string, expected?: string): FaygerError {
  return new FaygerError({
    code: 'CLI_USAGE',
    phase: command,
    what: `fayger ${command}`,
    ...(expected ? { expected } : {}),
    found,
    hint: `Run \`fayger ${command} --help\` for the options and examples.`,
  });
}

export function one(command: string, positionals: string[], what: string): string {
  if (positionals.length !== 1)
    throw usage(
      command,
      positionals.length === 0 ? `no ${what}` : `${positionals.length} arguments (${positionals.join(' ')})`,
      `exactly one ${what}`,
    );
  return positionals[0];
}

export function parseDateOption(command: string, name: string, value: string | undefined): Date | undefined {
  if (value === undefined) return undefined;
  const t = Date.parse(value);
  if (Number.isNaN(t))
    throw usage(command, `--${name} ${JSON.stringify(value)}`, 'an ISO 8601 date-time such as 2027-01-01T00:00:00Z');
  return new Date(t);
}

export function parseIntOption(
  command: string,
  name: string,
  value: string | undefined,
  min: number,
): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < min)
    throw usage(command, `--${name} ${JSON.stringify(value)}`, `an integer ≥ ${min}`);
  return n;
}
