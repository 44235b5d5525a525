// The command dispatcher. Kept light: `fayger --version` and every `--help` load nothing but strings, and a
// command's dependencies (typebox schemas, the loader, the interpreter, adapters) load only when it runs.
import { initHelp } from './commands/init-help.js';
import { inspectHelp } from './commands/inspect-help.js';
import { keygenHelp } from './commands/keygen-help.js';
import { packHelp } from './commands/pack-help.js';
import { pushHelp } from './commands/push-help.js';
import { resumeHelp } from './commands/resume-help.js';
import { signHelp } from './commands/sign-help.js';
import { verifyHelp } from './commands/verify-help.js';
import type { CliIo } from './cli-io.js';
import { VERSION } from './version.js';

type Command = (args: string[], io: CliIo) => Promise<number>;

// run's help lists the default limits, which live with the runtime: loaded only when asked for.
const runHelp = async (): Promise<string> => (await import('./commands/run-help.js')).runHelp;

const COMMANDS: Record<
  string,
  { load: () => Promise<Command>; help: string | (() => Promise<string>); summary: string }
> = {
  init: {
    load: async () => (await import('./commands/init.js')).init,
    help: initHelp,
    summary: 'scaffold a guest project that builds into a signed BuF',
  },
  keygen: {
    load: async () => (await import('./commands/keygen.js')).keygen,
    help: keygenHelp,
    summary: 'create an Ed25519 signing key and its trusted-roots entry',
  },
  pack: {
    load: async () => (await import('./commands/pack.js')).pack,
    help: packHelp,
    summary: 'build a .buf from a directory (optionally signed)',
  },
  sign: {
    load: async () => (await import('./commands/sign.js')).sign,
    help: signHelp,
    summary: 'sign an existing .buf',
  },
  verify: {
    load: async () => (await import('./commands/verify.js')).verify,
    help: verifyHelp,
    summary: 'verify a .buf against trusted roots',
  },
  inspect: {
    load: async () => (await import('./commands/inspect.js')).inspect,
    help: inspectHelp,
    summary: 'show header, manifest, sections and signatures',
  },
  run: {
    load: async () => (await import('./commands/run-cached.js')).run,
    help: runHelp,
    summary: 'load, verify and run a .buf, or run a bare .wasm module (unsigned, local)',
  },
  resume: {
    load: async () => (await import('./commands/resume.js')).resume,
    help: resumeHelp,
    summary: 'continue a guest from a snapshot (fayger run --snapshot)',
  },
  push: {
    load: async () => (await import('./commands/push.js')).push,
    help: pushHelp,
    summary: 'publish a .buf to S3 (s3://bucket/key) or IPFS (prints the CID)',
  },
};

/** Usage errors and exit 1 before any command module loads (the same line the commands print). */
const USAGE_EXIT = 1;

export const mainHelp = `fayger — build, sign, verify, inspect and run BuF artifacts

Usage: fayger <command> [options]     fayger <command> --help     fayger --version

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
  10  internal error (a bug: please report it)
  run exits with the guest's own code (0–255), 134 when the guest traps, and 111–120 for its own failures
  (111 usage, 112 verification, 113 malformed, 114 I/O, 115 unsupported, 116 guest stopped by Fayger,
  117 required capability missing, 119 guest exit code outside 0–255, 120 internal): see fayger run --help.
On failure the error code (e.g. SECURITY_SIGNATURE_INVALID) is printed on stderr.

Example session:
  fayger init hello && cd hello && npm install && npm run build && npm start
  fayger keygen -p com.example.* -o keys/release --roots trusted-roots.json
  fayger pack ./app -o app.buf --sign keys/release.key.json
  fayger verify app.buf --roots trusted-roots.json
  fayger inspect app.buf --json
  fayger run app.buf --trusted-roots trusted-roots.json --explain    (exits with the guest's exit code)
  fayger run prog.wasm --dir .::/ --env HOME=/ -- input.txt          (a bare wasm32-wasip1 module, unsigned)
  fayger push app.buf ipfs --api http://127.0.0.1:5001               (prints ipfs://<CID>)
  fayger run ipfs://<CID> --trusted-roots trusted-roots.json         (also s3://bucket/key, https://…)
`;

async function helpOf(c: { help: string | (() => Promise<string>) }): Promise<string> {
  return typeof c.help === 'string' ? c.help : c.help();
}

/** True when the command's own options (before `--`) ask for help. */
function wantsHelp(args: string[]): boolean {
  const dash = args.indexOf('--');
  return (dash >= 0 ? args.slice(0, dash) : args).some((a) => a === '--help' || a === '-h');
}

/** Runs one command line (without the node and script arguments); resolves to the process exit code. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    const topic = name === 'help' ? args[0] : undefined;
    if (topic && COMMANDS[topic]) io.stdout(await helpOf(COMMANDS[topic]));
    else io.stdout(mainHelp);
    // `fayger` alone is a request for help, not a mistake.
    return 0;
  }
  if (name === '--version' || name === '-v') {
    io.stdout(`fayger ${VERSION}\n`);
    return 0;
  }
  const command = COMMANDS[name];
  if (!command) {
    io.stderr(
      `fayger: error CLI_USAGE: unknown command ${JSON.stringify(name)}. Commands: ${Object.keys(COMMANDS).join(', ')}. Run \`fayger --help\`.\n`,
    );
    return USAGE_EXIT;
  }
  if (wantsHelp(args)) {
    io.stdout(await helpOf(command));
    return 0;
  }
  try {
    return await (await command.load())(args, io);
  } catch (err) {
    const [{ FaygerError }, { exitCodeFor }, { forCli }] = await Promise.all([
      import('@fayger/contracts'),
      import('./exit-codes.js'),
      import('./hints.js'),
    ]);
    const code = exitCodeFor(err);
    if (FaygerError.is(err)) {
      const shown = forCli(err, name);
      io.stderr(`fayger ${name}: error ${shown.code} (phase ${shown.phase}): ${shown.message}\n`);
      if (args.includes('--json'))
        io.stdout(`${JSON.stringify({ ok: false, exitCode: code, error: shown.toJSON() }, null, 2)}\n`);
    } else {
      io.stderr(`fayger ${name}: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    }
    return code;
  }
}
