import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, '../../..');
const config = join(repoRoot, '.dependency-cruiser.cjs');
const depcruiseBin = join(here, '../node_modules/dependency-cruiser/bin/dependency-cruise.mjs');
const fixtures = join(here, 'fixtures');

interface Violation {
  type: string;
  from: string;
  to: string;
  rule: { name: string; severity: string };
  cycle?: unknown[];
}
interface CruiseOutput {
  summary: { violations: Violation[]; error: number; ruleSetUsed: { forbidden: Array<{ name: string }> } };
}

/**
 * Builds a throwaway workspace: the clean fixture, optionally overlaid with the planted violations, plus a
 * node_modules that links each fixture package by name (as pnpm would) and holds the fake npm packages.
 */
function makeWorkspace(withViolations: boolean): string {
  const dir = mkdtempSync(join(tmpdir(), 'fayger-layer-rules-'));
  cpSync(join(fixtures, 'workspace'), dir, { recursive: true });
  if (withViolations) cpSync(join(fixtures, 'violations'), dir, { recursive: true });
  const nm = join(dir, 'node_modules');
  mkdirSync(join(nm, '@fayger'), { recursive: true });
  for (const pkg of readdirSync(join(dir, 'packages'))) {
    const linkName = pkg === 'fayger' ? join(nm, 'fayger') : join(nm, '@fayger', pkg);
    symlinkSync(join(dir, 'packages', pkg), linkName, 'dir');
  }
  for (const lib of readdirSync(join(fixtures, 'npm')))
    cpSync(join(fixtures, 'npm', lib), join(nm, lib), { recursive: true });
  return dir;
}

async function depcruise(cwd: string, outputType: 'json' | 'err'): Promise<{ exitCode: number; stdout: string }> {
  const run = promisify(execFile);
  const args = [depcruiseBin, '--config', config, '--output-type', outputType, 'packages'];
  try {
    const { stdout } = await run(process.execPath, args, { cwd, maxBuffer: 64 * 1024 * 1024 });
    return { exitCode: 0, stdout };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    if (typeof e.code !== 'number') throw new Error(`depcruise did not run: ${e.stderr ?? String(error)}`);
    return { exitCode: e.code, stdout: e.stdout ?? '' };
  }
}

/**
 * Runs the real config: once with JSON output (to read rule names) and once with the default text reporter,
 * whose exit code is what `pnpm lint:deps` (and so CI) sees; the JSON reporter always exits 0.
 */
async function cruise(cwd: string): Promise<{ exitCode: number; output: CruiseOutput }> {
  const [json, text] = await Promise.all([depcruise(cwd, 'json'), depcruise(cwd, 'err')]);
  return { exitCode: text.exitCode, output: JSON.parse(json.stdout) as CruiseOutput };
}

// One planted violation per rule: [rule name, file that commits it, what it depends on].
const PLANTED: Array<[rule: string, from: string, to: string]> = [
  ['contracts-no-fayger', 'packages/contracts/src/bad-fayger.ts', 'packages/observability/src/index.ts'],
  ['contracts-no-node-builtins', 'packages/contracts/src/bad-node.ts', 'events'],
  ['contracts-npm-typebox-only', 'packages/contracts/src/bad-npm.ts', 'node_modules/left-pad/index.js'],
  ['observability-contracts-only', 'packages/observability/src/bad-runtime.ts', 'packages/runtime/src/index.ts'],
  ['observability-no-node-builtins', 'packages/observability/src/bad-node.ts', 'process'],
  ['otel-contracts-only', 'packages/otel/src/bad-observability.ts', 'packages/observability/src/index.ts'],
  ['otel-no-node-builtins', 'packages/otel/src/bad-node.ts', 'http'],
  ['security-contracts-only', 'packages/security/src/bad-loader.ts', 'packages/loader/src/index.ts'],
  ['security-node-builtins-only-in-node-module', 'packages/security/src/hash.ts', 'crypto'],
  ['loader-contracts-only', 'packages/loader/src/bad-runtime.ts', 'packages/runtime/src/index.ts'],
  ['loader-node-builtins-only-in-node-module', 'packages/loader/src/parse.ts', 'buffer'],
  ['runtime-contracts-only', 'packages/runtime/src/bad-loader.ts', 'packages/loader/src/index.ts'],
  ['runtime-no-node-builtins', 'packages/runtime/src/bad-node.ts', 'os'],
  ['interpreter-contracts-only', 'packages/interpreter/src/bad-adapter.ts', 'packages/adapter-core/src/index.ts'],
  ['interpreter-no-node-builtins', 'packages/interpreter/src/bad-node.ts', 'worker_threads'],
  ['transpiler-contracts-only', 'packages/transpiler/src/bad-runtime.ts', 'packages/runtime/src/index.ts'],
  ['transpiler-no-node-builtins', 'packages/transpiler/src/bad-node.ts', 'vm'],
  ['transpiler-contracts-only', 'packages/transpiler/src/bad-interpreter.ts', 'packages/interpreter/src/index.ts'],
  ['wasm-contracts-only', 'packages/wasm/src/bad-interpreter.ts', 'packages/interpreter/src/index.ts'],
  ['wasm-no-node-builtins', 'packages/wasm/src/bad-node.ts', 'buffer'],
  ['adapter-core-contracts-only', 'packages/adapter-core/src/bad-runtime.ts', 'packages/runtime/src/index.ts'],
  ['adapter-core-no-node-builtins', 'packages/adapter-core/src/bad-node.ts', 'fs'],
  ['node-host-contracts-only', 'packages/node-host/src/bad-loader.ts', 'packages/loader/src/index.ts'],
  ['adapter-server-core-contracts-only', 'packages/adapter-server/src/bad-runtime.ts', 'packages/runtime/src/index.ts'],
  [
    'adapter-desktop-core-contracts-only',
    'packages/adapter-desktop/src/bad-interpreter.ts',
    'packages/interpreter/src/index.ts',
  ],
  ['adapter-browser-core-contracts-only', 'packages/adapter-browser/src/bad-loader.ts', 'packages/loader/src/index.ts'],
  ['adapter-browser-no-node-builtins', 'packages/adapter-browser/src/bad-node.ts', 'path'],
  [
    'adapter-in-app-core-contracts-only',
    'packages/adapter-in-app/src/bad-security.ts',
    'packages/security/src/index.ts',
  ],
  ['adapter-in-app-no-node-builtins', 'packages/adapter-in-app/src/bad-node.ts', 'worker_threads'],
  [
    'adapter-x-no-other-adapter',
    'packages/adapter-server/src/bad-other-adapter.ts',
    'packages/adapter-browser/src/index.ts',
  ],
  // A cycle is reported once, on the edge that closes it.
  ['no-circular', 'packages/cli/src/cycle-a.ts', 'packages/cli/src/cycle-b.ts'],
  ['no-relative-cross-package', 'packages/fayger/src/bad-relative.ts', 'packages/loader/src/internal.ts'],
  ['no-deep-import', 'packages/fayger/src/bad-deep.ts', '@fayger/loader/src/internal.js'],
  ['src-no-dev-dependencies', 'packages/fayger/src/bad-dev.ts', 'node_modules/dev-only-lib/index.js'],
  ['no-undeclared-dependency', 'packages/fayger/src/bad-undeclared.ts', 'node_modules/undeclared-lib/index.js'],
  ['no-unresolvable', 'packages/fayger/src/bad-unresolvable.ts', './does-not-exist.js'],
  ['no-unresolvable', 'packages/cli/src/bad-undeclared-workspace.ts', '@fayger/not-a-package'],
];

const key = (rule: string, from: string, to: string) => `${rule}: ${from} → ${to}`;

describe('.dependency-cruiser.cjs layer rules', () => {
  const dirs: string[] = [];
  let clean: Awaited<ReturnType<typeof cruise>>;
  let planted: Awaited<ReturnType<typeof cruise>>;

  beforeAll(async () => {
    dirs.push(makeWorkspace(false), makeWorkspace(true));
    [clean, planted] = await Promise.all([cruise(dirs[0]!), cruise(dirs[1]!)]);
  });
  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('passes the clean fixture (every layer using what it may, composition roots using everything)', () => {
    expect(clean.output.summary.violations.map((v) => key(v.rule.name, v.from, v.to))).toEqual([]);
    expect(clean.exitCode).toBe(0);
  });

  it('reports each planted violation by its rule name, and nothing else', () => {
    const reported = planted.output.summary.violations.map((v) => key(v.rule.name, v.from, v.to)).sort();
    const expected = PLANTED.map(([r, f, t]) => key(r, f, t)).sort();
    expect(reported).toEqual(expected);
    expect(planted.output.summary.violations.every((v) => v.rule.severity === 'error')).toBe(true);
    expect(planted.exitCode).not.toBe(0);
  });

  it('has a planted violation for every rule in the config', () => {
    const ruleNames = planted.output.summary.ruleSetUsed.forbidden.map((r) => r.name).sort();
    expect(new Set(ruleNames).size).toBe(ruleNames.length);
    expect([...new Set(PLANTED.map(([r]) => r))].sort()).toEqual(ruleNames);
  });

  it('names every planned package in a layer rule', () => {
    const ruleNames = planted.output.summary.ruleSetUsed.forbidden.map((r) => r.name);
    const layered = [
      'contracts',
      'observability',
      'otel',
      'security',
      'loader',
      'runtime',
      'wasm',
      'interpreter',
      'transpiler',
      'adapter-core',
      'adapter-server',
      'adapter-desktop',
      'adapter-browser',
      'adapter-in-app',
    ];
    for (const pkg of layered)
      expect(ruleNames.some((n) => n.startsWith(`${pkg}-`) && (n.endsWith('-only') || n.endsWith('-no-fayger')))).toBe(
        true,
      );
  });
});
