import { FaygerError } from '@fayger/contracts';
import type { CliIo } from '../io.js';

export const runHelp = `fayger run — load and run a .buf (not available yet)

This version of the CLI provides the authoring commands only. \`run\` will load an artifact through the
loader, runtime and a host adapter; its options will be documented here.
`;

/** Placeholder for the composition root that wires loader + runtime + adapter (a later issue). */
export async function run(args: string[], io: CliIo): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) return io.stdout(runHelp), 0;
  throw new FaygerError({
    code: 'CLI_NOT_AVAILABLE',
    phase: 'run',
    what: 'fayger run',
    found: 'a CLI without the runtime wired in',
    hint: 'Use `fayger verify` and `fayger inspect` for now; `run` arrives with the runtime layer.',
  });
}
