import { FaygerError } from '@fayger/contracts';
import { init, initHelp } from './commands/init.js';
import { inspect, inspectHelp } from './commands/inspect.js';
import { keygen, keygenHelp } from './commands/keygen.js';
import { pack, packHelp } from './commands/pack.js';
import { run, runHelp } from './commands/run.js';
import { sign, signHelp } from './commands/sign.js';
import { verify, verifyHelp } from './commands/verify.js';
import { EXIT_CODES, exitCodeFor } from './exit-codes.js';
import type { CliIo } from './io.js';

type Command = (args: string[], io: CliIo) => Promise<number>;

const COMMANDS: Record<string, { run: Command; help: string; summary: string }> = {
  init: { run: init, help: initHelp, summary: 'scaffold a guest project that builds into a signed BuF' },
  keygen: { run: keygen, help: keygenHelp, summary: 'create an Ed25519 signing key and its trusted-roots entry' },
  pack: { run: pack, help: packHelp, summary: 'build a .buf from a directory (optionally signed)' },
  sign: { run: sign, help: signHelp, summary: 'sign an existing .buf' },
  verify: { run: verify, help: verifyHelp, summary: 'verify a .buf against trusted roots' },
  inspect: { run: inspect, help: inspectHelp, summary: 'show header, manifest, sections and signatures' },
  run: { run, help: runHelp, summary: 'load, verify and run a .buf (loader + runtime + host adapter)' },
};

export const mainHelp = `fayger — build, sign, verify, inspect and run BuF artifacts

Usage: fayger <command> [options]     fayger <command> --help

Commands:
${Object.entries(COMMANDS)
  .map(([name, c]) => `  ${name.padEnd(8)} ${c.summary}`)
  .join('\n')}

Exit codes:
  0   success
  1   usage error (bad options, refusing to overwrite a file or drop signatures)
  2   verification failed (signature, trust policy, expiry, rollback, digest mismatch / tampering)
  3   malformed input (not a BuF, corrupt structure, bad manifest, pack config, key or roots file)
  4   I/O error (a file could not be read or written)
  5   unsupported (newer format, unknown algorithm, no fitting runtime implementation)
  6   run: the guest failed (trap, quota breach, link error)
  7   run: a required capability was not granted
  10  internal error (a bug: please report it)
On failure the error code (e.g. SECURITY_SIGNATURE_INVALID) is printed on stderr.

Example session:
  fayger init hello && cd hello && npm install && npm run build && npm start
  fayger keygen -p com.example.* -o keys/release --roots trusted-roots.json
  fayger pack ./app -o app.buf --sign keys/release.key.json
  fayger verify app.buf --roots trusted-roots.json
  fayger inspect app.buf --json
  fayger run app.buf --trusted-roots trusted-roots.json --explain    (exits with the guest's exit code)
`;

/** Runs one command line (without the node and script arguments); resolves to the process exit code. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    const topic = name === 'help' ? args[0] : undefined;
    if (topic && COMMANDS[topic]) io.stdout(COMMANDS[topic].help);
    else io.stdout(mainHelp);
    return name === undefined ? EXIT_CODES.USAGE : EXIT_CODES.OK;
  }
  if (name === '--version' || name === '-v') {
    io.stdout('fayger 0.1.0\n');
    return EXIT_CODES.OK;
  }
  const command = COMMANDS[name];
  if (!command) {
    io.stderr(`fayger: error CLI_USAGE: unknown command ${JSON.stringify(name)}. Commands: ${Object.keys(COMMANDS).join(', ')}. Run \`fayger --help\`.\n`);
    return EXIT_CODES.USAGE;
  }
  try {
    return await command.run(args, io);
  } catch (err) {
    const code = exitCodeFor(err);
    if (FaygerError.is(err)) {
      io.stderr(`fayger ${name}: error ${err.code} (phase ${err.phase}): ${err.message}\n`);
      if (args.includes('--json')) io.stdout(`${JSON.stringify({ ok: false, exitCode: code, error: err.toJSON() }, null, 2)}\n`);
    } else {
      io.stderr(`fayger ${name}: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    }
    return code;
  }
}
