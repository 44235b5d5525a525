import type { ErrorCodeInfo } from '../types.js';

/** Codes raised by the `fayger` command-line tool (@fayger/cli). */
export const cliCodes = {
  CLI_USAGE: {
    layer: 'cli',
    title: 'The command line is not valid for this command.',
    remedy: 'Run `fayger <command> --help` for the options and examples.',
  },
  CLI_IO: {
    layer: 'cli',
    title: 'A file could not be read or written.',
    remedy: 'Check the path and its permissions.',
  },
  CLI_OUTPUT_EXISTS: {
    layer: 'cli',
    title: 'The output file already exists and would be overwritten.',
    remedy: 'Choose another output path, or pass --force to overwrite it.',
  },
  CLI_PACK_CONFIG_INVALID: {
    layer: 'cli',
    title: 'The pack configuration (fayger.pack.json) or the manifest it names is malformed.',
    remedy: 'Fix the field named in the message; the format is described in the @fayger/cli README.',
  },
  CLI_SIGNATURES_DROPPED: {
    layer: 'cli',
    title: 'Signing would drop existing signatures that cannot be carried over.',
    remedy: 'Pass a --key for every existing signer as well, or --replace to drop the old signatures deliberately.',
  },
  CLI_MODULE_NOT_LOCAL: {
    layer: 'cli',
    title: 'A bare WebAssembly module was named by URL; unsigned modules run only from a local path.',
    remedy: 'Download the module and run it by its local path, or run a signed BuF from the URL instead.',
  },
  CLI_NOT_AVAILABLE: {
    layer: 'cli',
    title: 'The command is not available in this version of the CLI.',
    remedy: 'Run `fayger --help` for the commands this version provides.',
  },
} as const satisfies Record<string, ErrorCodeInfo>;
