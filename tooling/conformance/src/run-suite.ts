import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { listScripts, SUITE } from './corpus.js';
import { createEngine, type EngineName } from './engines/create-engine.js';
import { loadScript, runScript, type ScriptResult } from './run-script.js';

export interface SuiteOptions {
  readonly engine: EngineName;
  readonly dir: string;
  /** Only these scripts (default: all). */
  readonly only?: readonly string[];
  /** Run each script in a worker thread with a timeout (needs the built dist). */
  readonly isolate?: boolean;
  readonly jobs?: number;
  readonly timeoutMs?: number;
  readonly onScript?: (r: ScriptResult) => void;
}

export interface SkippedScript {
  readonly name: string;
  readonly commands: number;
}

export interface SuiteReport {
  readonly suite: string;
  readonly engine: EngineName;
  readonly dir: string;
  readonly node: string;
  readonly startedAt: string;
  readonly ms: number;
  readonly passed: number;
  readonly applicable: number;
  readonly textOnly: number;
  readonly simdSkipped: number;
  readonly scripts: readonly ScriptResult[];
  readonly skipped: readonly SkippedScript[];
}

export async function runSuite(opts: SuiteOptions): Promise<SuiteReport> {
  const startedAt = new Date().toISOString();
  const t0 = performance.now();
  const all = listScripts(opts.dir).filter((n) => !opts.only || opts.only.includes(n));
  // Nothing is skipped any more (SIMD included); the field stays so reports keep their shape.
  const skipped: SkippedScript[] = [];
  const names = all;
  const results = new Map<string, ScriptResult>();

  if (opts.isolate) {
    const jobs = Math.max(1, opts.jobs ?? Math.min(2, availableParallelism()));
    const queue = [...names];
    const lane = async (): Promise<void> => {
      for (let name = queue.shift(); name !== undefined; name = queue.shift()) {
        const r = await runIsolated(opts.engine, opts.dir, name, opts.timeoutMs ?? 180_000);
        results.set(name, r);
        opts.onScript?.(r);
      }
    };
    await Promise.all(Array.from({ length: jobs }, lane));
  } else {
    const engine = await createEngine(opts.engine);
    for (const name of names) {
      const r = await runScript(engine, opts.dir, name);
      results.set(name, r);
      opts.onScript?.(r);
    }
  }

  const scripts = names.map((n) => results.get(n)!);
  const passed = scripts.reduce((s, r) => s + r.passed, 0);
  const applicable = scripts.reduce((s, r) => s + r.passed + r.failed, 0);
  const textOnly = scripts.reduce((s, r) => s + r.textOnly, 0);
  const simdSkipped = skipped.reduce((s, r) => s + r.commands, 0);
  return {
    suite: SUITE,
    engine: opts.engine,
    dir: opts.dir,
    node: process.version,
    startedAt,
    ms: Math.round(performance.now() - t0),
    passed,
    applicable,
    textOnly,
    simdSkipped,
    scripts,
    skipped,
  };
}

/** Every applicable command of a script that could not finish counts as failed, with the reason. */
async function runIsolated(engine: EngineName, dir: string, name: string, timeoutMs: number): Promise<ScriptResult> {
  const started = performance.now();
  const outcome = await new Promise<ScriptResult | string>((resolve) => {
    const worker = new Worker(new URL('./worker.js', import.meta.url), {
      workerData: { engine, dir, name },
      resourceLimits: { maxOldGenerationSizeMb: 1024 },
    });
    let settled = false;
    const settle = (v: ScriptResult | string): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void worker.terminate();
      resolve(v);
    };
    const timer = setTimeout(() => settle(`timed out after ${timeoutMs} ms`), timeoutMs);
    worker.once('message', (r: ScriptResult) => settle(r));
    worker.once('error', (e) => settle(`worker crashed: ${e instanceof Error ? e.message : String(e)}`));
    worker.once('exit', (code) => settle(`worker exited with code ${code} before reporting`));
  });
  if (typeof outcome !== 'string') return outcome;
  const script = await loadScript(dir, name);
  const commands = script.commands.map((c) =>
    c.module_type === 'text'
      ? { line: c.line, type: c.type, status: 'text-only' as const }
      : { line: c.line, type: c.type, status: 'fail' as const, detail: outcome },
  );
  const textOnly = commands.filter((c) => c.status === 'text-only').length;
  return {
    name,
    passed: 0,
    failed: commands.length - textOnly,
    textOnly,
    ms: performance.now() - started,
    commands,
  };
}

export function summaryLine(r: Pick<SuiteReport, 'passed' | 'applicable' | 'textOnly' | 'simdSkipped'>): string {
  return `${SUITE} core: passed ${r.passed} / applicable ${r.applicable} (text-only ${r.textOnly}, simd ${r.simdSkipped} skipped)`;
}
