import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { conformanceDir, suiteDir } from './corpus.js';
import { ENGINE_NAMES, type EngineName } from './engines/create-engine.js';
import type { ScriptResult } from './run-script.js';
import { runSuite, summaryLine } from './run-suite.js';

const USAGE = `usage: conformance [--engine interpreter|interpreter-sliced|facade|native] [--only a,b,c] [--jobs N] [--timeout-ms MS] [--in-process] [--failures N]`;

const { values } = parseArgs({
  options: {
    engine: { type: 'string', default: 'interpreter' },
    only: { type: 'string' },
    jobs: { type: 'string' },
    'timeout-ms': { type: 'string', default: '180000' },
    'in-process': { type: 'boolean', default: false },
    failures: { type: 'string', default: '3' },
    help: { type: 'boolean', default: false },
  },
});

if (values.help) {
  console.log(USAGE);
  process.exit(0);
}

const engine = values.engine as EngineName;
if (!ENGINE_NAMES.includes(engine)) {
  console.error(`unknown engine "${values.engine}": expected one of ${ENGINE_NAMES.join(', ')}\n${USAGE}`);
  process.exit(2);
}

const dir = suiteDir();
if (!dir) {
  console.log(
    `conformance: skipped — no spec-test corpus at ${conformanceDir()}/wasm-spec-2.0 ` +
      `(set FAYGER_CONFORMANCE_DIR to the folder holding wasm-spec-2.0/ to run it)`,
  );
  process.exit(0);
}

const showFailures = Number(values.failures);
const printScript = (r: ScriptResult): void => {
  const applicable = r.passed + r.failed;
  const mark = r.failed === 0 ? 'ok  ' : 'FAIL';
  const extra = r.textOnly ? `  (+${r.textOnly} text-only)` : '';
  console.log(`${mark} ${r.name.padEnd(32)} ${String(r.passed).padStart(5)} / ${String(applicable).padEnd(5)} ${(r.ms / 1000).toFixed(1).padStart(6)} s${extra}`);
  for (const c of r.commands.filter((c) => c.status === 'fail').slice(0, showFailures)) {
    console.log(`       line ${c.line} ${c.type}: ${(c.detail ?? '').slice(0, 300)}`);
  }
};

console.log(`conformance: engine ${engine}, corpus ${dir}`);
const report = await runSuite({
  engine,
  dir,
  only: values.only?.split(',').map((s) => s.trim()).filter(Boolean),
  isolate: !values['in-process'],
  jobs: values.jobs ? Number(values.jobs) : undefined,
  timeoutMs: Number(values['timeout-ms']),
  onScript: printScript,
});

for (const s of report.skipped) console.log(`skip ${s.name.padEnd(32)} ${s.commands} commands (simd)`);

const reportsDir = resolve(dirname(fileURLToPath(import.meta.url)), '../reports');
mkdirSync(reportsDir, { recursive: true });
const stamp = report.startedAt.replace(/[:.]/g, '-');
const reportPath = join(reportsDir, `${report.suite}-${engine}-${stamp}.json`);
const json = JSON.stringify(report, null, 1);
writeFileSync(reportPath, json);
writeFileSync(join(reportsDir, `${report.suite}-${engine}-latest.json`), json);
console.log(`report: ${reportPath} (${(report.ms / 1000).toFixed(1)} s)`);
console.log(summaryLine(report));
process.exitCode = report.passed < report.applicable ? 1 : 0;
