#!/usr/bin/env node
// `npx fayger` wherever the `fayger` library is installed. The command itself lives in @fayger/cli, which the
// library does not depend on (the CLI bundles OpenTelemetry and the IPFS importer: no library user should install
// them). This bin runs the CLI installed beside the library or in the project; when there is none it asks npm to
// fetch it for this one run (`npm exec`, which prompts first on a terminal), as `npx @fayger/cli` would.
// FAYGER_CLI_FETCH=0 turns the fetch off: the bin then only says how to install the CLI.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

function installedCli() {
  for (const from of [import.meta.url, pathToFileURL(join(process.cwd(), 'package.json')).href]) {
    try {
      const pkgFile = createRequire(from).resolve('@fayger/cli/package.json');
      const pkg = JSON.parse(readFileSync(pkgFile, 'utf8'));
      const bin = typeof pkg.bin === 'string' ? pkg.bin : pkg.bin?.fayger;
      if (bin) return join(dirname(pkgFile), bin);
    } catch {
      // not resolvable from here; try the next place
    }
  }
  return undefined;
}

const cli = installedCli();
if (cli) {
  // The CLI's bin reads process.argv itself.
  await import(pathToFileURL(cli).href);
} else {
  const own = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
  const spec = `@fayger/cli@^${own.version}`;
  const install = `npm install -D ${spec}`;
  if (process.env.FAYGER_CLI_FETCH === '0') {
    process.stderr.write(
      `fayger: the fayger command is in @fayger/cli, which is not installed here. Install it: ${install}\n`,
    );
    process.exit(1);
  }
  process.stderr.write(
    `fayger: the fayger command is in @fayger/cli, which is not installed here; running it through npm exec (${install} keeps it)\n`,
  );
  const windows = process.platform === 'win32';
  const r = spawnSync(
    windows ? 'npm.cmd' : 'npm',
    ['exec', '--package', spec, '--', 'fayger', ...process.argv.slice(2)],
    { stdio: 'inherit', shell: windows },
  );
  if (r.error) {
    process.stderr.write(`fayger: could not run npm (${r.error.message}). Install the CLI: ${install}\n`);
    process.exit(1);
  }
  process.exit(r.status ?? 1);
}
