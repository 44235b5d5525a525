import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { conformanceDir } from './corpus.js';

export const WASI_SUITE = 'wasi-testsuite';

/** One program of the suite with its expectations (the suite README's `.json` format). */
export interface WasiTest {
  /** e.g. "c/stat-dev-ino". */
  name: string;
  wasm: string;
  args: string[];
  env: Record<string, string>;
  /** Host folder mounted read-write at the guest's "/" (a fresh copy per run), if any. */
  root: string | undefined;
  exitCode: number;
  stdout: string | undefined;
  stderr: string | undefined;
}

export interface WasiOutcome {
  name: string;
  ok: boolean;
  /** Why it failed (expected vs found). */
  detail: string | undefined;
  ms: number;
  exitCode: number | null;
  stdout: string;
  stderr: string;
}

/** The suite folder, or undefined when absent on this machine. */
export function wasiSuiteDir(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const dir = join(conformanceDir(env), WASI_SUITE);
  return existsSync(dir) ? dir : undefined;
}

/** Every `.wasm` program of the suite (c/ and assemblyscript/), with its expectations. */
export function listWasiTests(dir: string): WasiTest[] {
  const tests: WasiTest[] = [];
  for (const lang of ['c', 'assemblyscript', 'rust']) {
    const sub = join(dir, lang);
    if (!existsSync(sub)) continue;
    for (const f of readdirSync(sub)
      .filter((n) => n.endsWith('.wasm'))
      .sort()) {
      const stem = f.slice(0, -'.wasm'.length);
      const jsonPath = join(sub, `${stem}.json`);
      const spec = existsSync(jsonPath) ? (JSON.parse(readFileSync(jsonPath, 'utf8')) as Record<string, unknown>) : {};
      tests.push({
        name: `${lang}/${stem}`,
        wasm: join(sub, f),
        args: Array.isArray(spec.args) ? spec.args.map(String) : [],
        env:
          spec.env && typeof spec.env === 'object'
            ? Object.fromEntries(Object.entries(spec.env as Record<string, unknown>).map(([k, v]) => [k, String(v)]))
            : {},
        root: typeof spec.root === 'string' ? join(sub, spec.root) : undefined,
        exitCode: typeof spec.exit_code === 'number' ? spec.exit_code : 0,
        stdout: typeof spec.stdout === 'string' ? spec.stdout : undefined,
        stderr: typeof spec.stderr === 'string' ? spec.stderr : undefined,
      });
    }
  }
  return tests;
}

/** How `fayger run` is invoked: bare modules (when the CLI supports them) or packed into a signed BuF. */
export interface CliRunner {
  /** `node` and the CLI's bin.js. */
  node: string;
  bin: string;
  /** Extra node flags (e.g. --jitless). */
  nodeFlags?: readonly string[];
  /** Scratch directory (keys, packed BuFs, state, root copies). */
  work: string;
  /** Host kind forced with --host. */
  host: 'server' | 'desktop';
  timeoutMs: number;
}

interface Spawned {
  code: number | null;
  stdout: string;
  stderr: string;
}

function spawnCli(r: CliRunner, args: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<Spawned> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(r.node, [...(r.nodeFlags ?? []), r.bin, ...args], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => err.push(c));
    // stdin is a pipe closed at once (the suite's convention).
    child.stdin.end();
    const timer = setTimeout(() => child.kill('SIGKILL'), r.timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolvePromise({
        code: signal ? null : code,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
      });
    });
  });
}

/** True when `fayger run` accepts a bare `.wasm` with `--dir HOST::GUEST` (the wasmtime-style flags). */
export async function supportsBareModules(r: CliRunner): Promise<boolean> {
  const help = await spawnCli(r, ['run', '--help']);
  return /\.wasm/.test(help.stdout) && help.stdout.includes('::');
}

/** Removes `*.cleanup` files (the upstream runner's convention) below `dir`. */
function removeCleanup(dir: string): void {
  for (const d of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, d.name);
    if (d.name.endsWith('.cleanup')) rmSync(p, { recursive: true, force: true });
    else if (d.isDirectory()) removeCleanup(p);
  }
}

/**
 * Packs a program into a BuF signed by a throwaway key (used until the CLI runs bare modules): a manifest that
 * asks, optionally, for what a WASI command may use; the run's flags grant what the test needs.
 */
async function packProgram(r: CliRunner, t: WasiTest, key: string): Promise<string> {
  const id = `wasi-testsuite.${t.name.replace(/[^a-zA-Z0-9]+/g, '-')}`;
  const dir = join(r.work, 'pack', basename(id));
  mkdirSync(dir, { recursive: true });
  cpSync(t.wasm, join(dir, 'main.wasm'));
  const optional = (name: string) => ({ name, required: false, reason: 'a WASI command may use it' });
  writeFileSync(
    join(dir, 'manifest.json'),
    JSON.stringify({
      id,
      version: '1.0.0',
      publisher: 'wasi-testsuite',
      runtime: { interface: '^1.0.0' },
      entry: { section: 'main', export: '_start' },
      capabilities: ['stdio', 'fs.read', 'fs.write', 'env', 'clock', 'random', 'timer'].map(optional),
      quotas: {},
      security: { sequence: 1 },
    }),
  );
  writeFileSync(
    join(dir, 'fayger.pack.json'),
    JSON.stringify({
      manifest: 'manifest.json',
      sections: [{ name: 'main', kind: 'code', file: 'main.wasm', required: true }],
    }),
  );
  const out = join(dir, 'main.buf');
  const res = await spawnCli(r, ['pack', dir, '-o', out, '--sign', key, '--force']);
  if (res.code !== 0) throw new Error(`packing ${t.name} failed (exit ${res.code}): ${res.stderr.trim()}`);
  return out;
}

export interface SuiteOptions {
  runner: CliRunner;
  tests: readonly WasiTest[];
  onResult?: (o: WasiOutcome) => void;
}

export interface SuiteReport {
  mode: 'bare module' | 'signed BuF';
  outcomes: WasiOutcome[];
  passed: number;
  total: number;
}

/** Runs every program through the real `fayger run` path and checks exit code and output prefixes. */
export async function runWasiSuite(o: SuiteOptions): Promise<SuiteReport> {
  const r = o.runner;
  mkdirSync(r.work, { recursive: true });
  const bare = await supportsBareModules(r);
  let key = '';
  let roots = '';
  if (!bare) {
    const prefix = join(r.work, 'throwaway');
    roots = join(r.work, 'trusted-roots.json');
    const k = await spawnCli(r, ['keygen', '-p', 'wasi-testsuite', '-o', prefix, '--roots', roots, '--force']);
    if (k.code !== 0) throw new Error(`fayger keygen failed (exit ${k.code}): ${k.stderr.trim()}`);
    key = `${prefix}.key.json`;
  }
  const outcomes: WasiOutcome[] = [];
  for (const t of o.tests) {
    const t0 = performance.now();
    let copy: string | undefined;
    let outcome: WasiOutcome;
    try {
      if (t.root) {
        copy = mkdtempSync(join(r.work, 'root-'));
        cpSync(t.root, copy, { recursive: true });
        removeCleanup(copy);
      }
      const envNames = Object.keys(t.env);
      const state = join(r.work, 'state');
      const common = ['--host', r.host, '--state-dir', state, '--no-version-store'];
      const args = bare
        ? [
            'run',
            t.wasm,
            ...common,
            ...(copy ? ['--dir', `${copy}::/`] : []),
            ...Object.entries(t.env).flatMap(([k, v]) => ['--env', `${k}=${v}`]),
            '--',
            ...t.args,
          ]
        : [
            'run',
            await packProgram(r, t, key),
            '--trusted-roots',
            roots,
            ...common,
            ...(copy ? ['--dir', `/=${copy}`] : []),
            ...envNames.flatMap((k) => ['--env', k]),
            '--',
            ...t.args,
          ];
      // Without bare-module support the variables reach the guest as granted variables of the CLI's environment.
      const env = bare ? process.env : { ...process.env, ...t.env };
      const res = await spawnCli(r, args, env);
      const problems: string[] = [];
      if (res.code !== t.exitCode)
        problems.push(`exit code: expected ${t.exitCode}, found ${res.code === null ? 'killed (timeout)' : res.code}`);
      if (t.stdout !== undefined && !res.stdout.startsWith(t.stdout))
        problems.push(
          `stdout: expected to start with ${JSON.stringify(t.stdout)}, found ${JSON.stringify(res.stdout.slice(0, 200))}`,
        );
      if (t.stderr !== undefined && !res.stderr.startsWith(t.stderr))
        problems.push(
          `stderr: expected to start with ${JSON.stringify(t.stderr)}, found ${JSON.stringify(res.stderr.slice(0, 200))}`,
        );
      if (problems.length && res.stderr.trim()) problems.push(`stderr was: ${res.stderr.trim().slice(0, 400)}`);
      outcome = {
        name: t.name,
        ok: problems.length === 0,
        detail: problems.join('; ') || undefined,
        ms: performance.now() - t0,
        exitCode: res.code,
        stdout: res.stdout,
        stderr: res.stderr,
      };
    } catch (e) {
      outcome = {
        name: t.name,
        ok: false,
        detail: `runner error: ${e instanceof Error ? e.message : String(e)}`,
        ms: performance.now() - t0,
        exitCode: null,
        stdout: '',
        stderr: '',
      };
    } finally {
      if (copy) rmSync(copy, { recursive: true, force: true });
    }
    outcomes.push(outcome);
    o.onResult?.(outcome);
  }
  const passed = outcomes.filter((x) => x.ok).length;
  return { mode: bare ? 'bare module' : 'signed BuF', outcomes, passed, total: o.tests.length };
}

/** The one summary line CI greps for. */
export function wasiSummaryLine(r: { passed: number; total: number }): string {
  return `wasi-testsuite: passed ${r.passed} / ${r.total}`;
}

/** A fresh scratch directory for one suite run. */
export function scratchDir(): string {
  return mkdtempSync(join(tmpdir(), 'fayger-wasi-suite-'));
}
