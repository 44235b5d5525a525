// `fayger run` through a V8 code cache. Most of a short run's start-up is V8 compiling the ~1.5 MB the command
// needs (typebox, the contracts' schemas, the loader, runtime, interpreter and adapters). Node 22.1+ caches
// that itself (bin.ts turns on module.enableCompileCache); Node 20 has no code cache for ES modules, so the
// build also emits the command as one CommonJS file (dist/run.cjs), which is compiled here with vm.Script and
// the cachedData V8 produced on an earlier run, kept in the state directory. Anything unusual (no run.cjs, as
// in the test bundle or from sources; FAYGER_CODE_CACHE=0; Node with its own compile cache; a cache V8
// rejects) falls back to the ordinary path or rebuilds the cache; a cache problem never fails a run.
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import * as nodeModule from 'node:module';
import { homedir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';
import type { CliIo } from '../cli-io.js';

type RunCommand = (args: string[], io: CliIo) => Promise<number>;

/** The state directory as fayger/node's defaultStateDir finds it (kept here: importing it would load the bundle). */
function stateDir(args: string[], cwd: string): string {
  const dash = args.indexOf('--');
  const own = dash >= 0 ? args.slice(0, dash) : args;
  const i = own.indexOf('--state-dir');
  if (i >= 0 && own[i + 1]) return resolve(cwd, own[i + 1]!);
  const eq = own.find((a) => a.startsWith('--state-dir='));
  if (eq) return resolve(cwd, eq.slice('--state-dir='.length));
  const env = process.env;
  if (env['FAYGER_STATE_DIR']) return resolve(env['FAYGER_STATE_DIR']);
  if (env['XDG_STATE_HOME']) return join(env['XDG_STATE_HOME'], 'fayger');
  if (process.platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'fayger');
  if (process.platform === 'win32') return join(env['LOCALAPPDATA'] ?? join(homedir(), 'AppData', 'Local'), 'fayger');
  return join(homedir(), '.local', 'state', 'fayger');
}

interface Cached {
  run: RunCommand;
  /** Writes V8's cache after the run when there was none or V8 rejected it. */
  save(): void;
}

function loadCached(args: string[], io: CliIo): Cached | undefined {
  if (process.env['FAYGER_CODE_CACHE'] === '0') return undefined;
  // Node 22.1+: its own compile cache (bin.ts) already covers the ES module chunks.
  if (typeof (nodeModule as { enableCompileCache?: unknown }).enableCompileCache === 'function') return undefined;
  let file: string;
  let source: string;
  let size: number;
  let mtime: number;
  try {
    file = fileURLToPath(new URL('../run.cjs', import.meta.url));
    const st = statSync(file);
    size = st.size;
    mtime = Math.round(st.mtimeMs);
    source = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  // One cache per bundle and Node build; V8 checks the source and its own version and flags again.
  const cacheFile = join(stateDir(args, io.cwd), 'cache', `run-${size}-${mtime}-${process.version}-${process.arch}.v8`);
  let cachedData: Buffer | undefined;
  try {
    cachedData = readFileSync(cacheFile);
  } catch {
    cachedData = undefined;
  }
  const script = new vm.Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, {
    filename: file,
    ...(cachedData ? { cachedData } : {}),
  });
  const module = { exports: {} as { run?: RunCommand } };
  (script.runInThisContext() as (...a: unknown[]) => void)(
    module.exports,
    nodeModule.createRequire(file),
    module,
    file,
    dirname(file),
  );
  const run = module.exports.run;
  if (typeof run !== 'function') return undefined;
  return {
    run,
    save: () => {
      if (cachedData && !script.cachedDataRejected) return;
      try {
        mkdirSync(dirname(cacheFile), { recursive: true, mode: 0o700 });
        const tmp = `${cacheFile}.${process.pid}.tmp`;
        writeFileSync(tmp, script.createCachedData(), { mode: 0o600 });
        renameSync(tmp, cacheFile);
        // Caches of earlier bundles or Node builds are never used again: one stays.
        const dir = dirname(cacheFile);
        for (const f of readdirSync(dir))
          if (/^run-.*\.v8$/.test(f) && f !== basename(cacheFile)) rmSync(join(dir, f), { force: true });
      } catch {
        // A read-only or missing state directory only costs the next start-up its cache.
      }
    },
  };
}

export async function run(args: string[], io: CliIo): Promise<number> {
  const cached = loadCached(args, io);
  if (!cached) return (await import('./run.js')).run(args, io);
  try {
    return await cached.run(args, io);
  } finally {
    // After the run: the cache then also holds the functions the run compiled lazily.
    cached.save();
  }
}
