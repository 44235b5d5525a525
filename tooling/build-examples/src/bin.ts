import { ensureDevKey } from './dev-key.js';
import { packExample } from './pack.js';
import { findRepoRoot } from './repo.js';

const usage = `fayger-build-example — build steps shared by the Fayger examples

Usage:
  fayger-build-example pack [dir]   pack <dir>/fayger.pack.json into <dir>/dist/<dir name>.buf,
                                    signed with the repository dev key (created on first use)
  fayger-build-example key          create the dev key (.fayger-dev/) if missing and print its paths
`;

async function main(argv: string[]): Promise<number> {
  const [command, dir = '.'] = argv;
  if (command === 'pack') {
    const out = await packExample(dir);
    process.stdout.write(`packed ${out}\n`);
    return 0;
  }
  if (command === 'key') {
    const key = await ensureDevKey(findRepoRoot(process.cwd()));
    process.stdout.write(`secret key     ${key.keyFile}\ntrusted roots  ${key.rootsFile}\n`);
    return 0;
  }
  process.stderr.write(usage);
  return command === undefined || command === '--help' ? 0 : 1;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`fayger-build-example: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
