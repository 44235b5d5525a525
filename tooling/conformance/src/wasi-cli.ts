import { existsSync, rmSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { conformanceDir, repoRoot } from './corpus.js';
import { listWasiTests, runWasiSuite, scratchDir, wasiSuiteDir, wasiSummaryLine, WASI_SUITE } from './wasi-suite.js';

const USAGE = `usage: conformance-wasi [--only name,…] [--host server|desktop] [--jitless] [--timeout-ms MS] [--keep]

Runs every program of ${WASI_SUITE} (c/ and assemblyscript/) through the built CLI's \`fayger run\` and prints
"${WASI_SUITE}: passed N / M"; exits 1 when N < M.`;

const { values } = parseArgs({
  options: {
    only: { type: 'string' },
    host: { type: 'string', default: 'server' },
    jitless: { type: 'boolean', default: false },
    'timeout-ms': { type: 'string', default: '300000' },
    keep: { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
});
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
const host = values.host === 'desktop' ? 'desktop' : 'server';

const dir = wasiSuiteDir();
if (!dir) {
  console.log(
    `${WASI_SUITE}: skipped — no suite at ${conformanceDir()}/${WASI_SUITE} (set FAYGER_CONFORMANCE_DIR to the folder holding ${WASI_SUITE}/ to run it)`,
  );
  process.exit(0);
}
const bin = resolve(repoRoot(), 'packages/cli/dist/bin.js');
if (!existsSync(bin)) {
  console.error(
    `${WASI_SUITE}: the CLI is not built (${bin} is missing): run \`pnpm turbo run build --filter @fayger/cli...\` first`,
  );
  process.exit(2);
}
const only = values.only
  ?.split(',')
  .map((s) => s.trim())
  .filter(Boolean);
const all = listWasiTests(dir);
const tests = only ? all.filter((t) => only.some((o) => t.name === o || t.name.endsWith(`/${o}`))) : all;
const work = scratchDir();
console.log(
  `${WASI_SUITE}: ${tests.length} programs from ${dir} through ${bin} (host ${host}${values.jitless ? ', node --jitless' : ''})`,
);
const report = await runWasiSuite({
  runner: {
    node: process.execPath,
    bin,
    nodeFlags: values.jitless ? ['--jitless'] : [],
    work,
    host,
    timeoutMs: Number(values['timeout-ms']),
  },
  tests,
  onResult: (o) => {
    console.log(`${o.ok ? 'ok  ' : 'FAIL'} ${o.name.padEnd(48)} ${(o.ms / 1000).toFixed(1).padStart(6)} s`);
    if (!o.ok) console.log(`       ${o.detail}`);
  },
});
if (!values.keep) rmSync(work, { recursive: true, force: true });
else console.log(`scratch kept at ${work}`);
console.log(`(run as ${report.mode}s; ${dirname(fileURLToPath(import.meta.url))})`);
console.log(
  wasiSummaryLine({ passed: report.passed, total: all.length === tests.length ? report.total : tests.length }),
);
process.exitCode = report.passed < tests.length ? 1 : 0;
