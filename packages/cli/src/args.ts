import { parseArgs, type ParseArgsConfig } from 'node:util';
import { FaygerError } from '@fayger/contracts';

export type Options = NonNullable<ParseArgsConfig['options']>;

/** parseArgs with usage errors as FaygerErrors (exit code 1) naming the command. */
export interface Parsed {
  values: Record<string, string | boolean | (string | boolean)[] | undefined>;
  positionals: string[];
}

export function parse(command: string, args: string[], options: Options): Parsed {
  try {
    return parseArgs({ args, options: { ...options, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true });
  } catch (err) {
    throw usage(command, (err as Error).message);
  }
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
  if (positionals.length !== 1) throw usage(command, positionals.length === 0 ? `no ${what}` : `${positionals.length} arguments (${positionals.join(' ')})`, `exactly one ${what}`);
  return positionals[0];
}

export function parseDateOption(command: string, name: string, value: string | undefined): Date | undefined {
  if (value === undefined) return undefined;
  const t = Date.parse(value);
  if (Number.isNaN(t)) throw usage(command, `--${name} ${JSON.stringify(value)}`, 'an ISO 8601 date-time such as 2027-01-01T00:00:00Z');
  return new Date(t);
}

export function parseIntOption(command: string, name: string, value: string | undefined, min: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < min) throw usage(command, `--${name} ${JSON.stringify(value)}`, `an integer ≥ ${min}`);
  return n;
}
