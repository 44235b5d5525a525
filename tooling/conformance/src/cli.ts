import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { conformanceDir, suiteDir } from './corpus.js';
import { ENGINE_NAMES, type EngineName } from './engines/create-engine.js';
import type { ScriptResult } from './run-script.js';
import { runSuite, summaryLine } from './run-suite.js';

const USAGE = `usage: conformance [--engine interpreter|interpreter-sliced|facade|native|transpiler|transpiler-sliced] [--only a,b,c] [--jobs N] [--timeout-ms MS] [--in-process] [--failures N]`;

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
  console.log(
    `${mark} ${r.name.padEnd(32)} ${String(r.passed).padStart(5)} / ${String(applicable).padEnd(5)} ${(r.ms / 1000).toFixed(1).padStart(6)} s${extra}`,
  );
  for (const c of r.commands.filter((c) => c.status === 'fail').slice(0, showFailures)) {
    console.log(`       line ${c.line} ${c.type}: ${(c.detail ?? '').slice(0, 300)}`);
  }
};

console.log(`conformance: engine ${engine}, corpus ${dir}`);
const report = await runSuite({
  engine,
  dir,
  only: values.only
    ?.split(',')
    .map((s) => s.trim())
    .filter(Boolean),
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
const latestPath = join(reportsDir, `${report.suite}-${engine}-latest.json`);
printChanges(latestPath, report);
const json = JSON.stringify(report, null, 1);
writeFileSync(reportPath, json);
writeFileSync(latestPath, json);
console.log(`report: ${reportPath} (${(report.ms / 1000).toFixed(1)} s)`);
// The interpreter's line keeps its historical form; other engines are tagged: `wasm-spec-2.0 core [transpiler]: …`.
console.log(
  engine === 'interpreter' ? summaryLine(report) : summaryLine(report).replace(' core:', ` core [${engine}]:`),
);
process.exitCode = report.passed < report.applicable ? 1 : 0;

/** Commands that changed outcome since the previous run of this engine (over the scripts both runs covered). */
function printChanges(previousPath: string, current: { scripts: readonly ScriptResult[] }): void {
  if (!existsSync(previousPath)) return;
  let previous: { scripts: readonly ScriptResult[] };
  try {
    previous = JSON.parse(readFileSync(previousPath, 'utf8')) as { scripts: readonly ScriptResult[] };
  } catch {
    return;
  }
  const failing = (scripts: readonly ScriptResult[], only: Set<string>) =>
    new Set(
      scripts
        .filter((s) => only.has(s.name))
        .flatMap((s) => s.commands.filter((c) => c.status === 'fail').map((c) => `${s.name}:${c.line}`)),
    );
  const both = new Set(current.scripts.map((s) => s.name).filter((n) => previous.scripts.some((p) => p.name === n)));
  const before = failing(previous.scripts, both);
  const now = failing(current.scripts, both);
  const regressed = [...now].filter((k) => !before.has(k));
  const fixed = [...before].filter((k) => !now.has(k));
  if (regressed.length || fixed.length) {
    console.log(
      `since the previous ${engine} run: ${fixed.length} fixed, ${regressed.length} newly failing${regressed.length ? ` (${regressed.slice(0, 10).join(', ')}${regressed.length > 10 ? ', …' : ''})` : ''}`,
    );
  }
}
