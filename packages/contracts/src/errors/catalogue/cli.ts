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
  CLI_PACK_PATH_ESCAPES: {
    layer: 'cli',
    title:
      'A pack input (manifest or section file) is not a regular file whose real path lies inside the pack directory (a symlink out of it, `..`, an absolute path, or a special file).',
    remedy:
      'Copy the file into the pack directory; `fayger pack` never follows a link out of it, so a secret elsewhere on disk cannot be packed and signed by mistake.',
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
  CLI_KEY_OUT_OF_SCOPE: {
    layer: 'cli',
    title:
      "A signing key would sign an artifact whose publisher or id lies outside the key's publisher scopes, so no host that trusts the key for those scopes would accept it.",
    remedy:
      "Sign with a key created for this publisher (`fayger keygen -p <publisher>`), change the manifest's publisher and id to fit the key, or pass --any-scope to sign anyway (every host trusting the key only for its scopes will refuse the result).",
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
  CLI_PUSH_FAILED: {
    layer: 'cli',
    title: 'fayger push could not store the artifact (S3 PUT refused, IPFS API error, blockstore not writable).',
    remedy:
      'Check the target URL, endpoint and credentials (or the IPFS API address / blockstore directory); the cause holds the server answer.',
  },
} as const satisfies Record<string, ErrorCodeInfo>;
