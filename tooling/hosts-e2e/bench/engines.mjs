// `pnpm bench` (second part): the in-app stack on embedded engines — Hermes (hermes-engine-cli) and QuickJS
// (quickjs-ng, wasm build) — against `node --jitless`. Writes bench-results/engines.json and prints a table.
//  - bundle size of the in-app stack as an app ships it (minified; gzip level 9): the QuickJS bundle
//    (esbuild, es2023) and the Hermes bundle (lowered by the React Native Babel preset, compact);
//  - time from the start of the app bundle's evaluation to the guest's first instruction crossing the bridge
//    (hello.buf; median of --runs, default 3), and to the app's first statement (module initialisation);
//  - the interpreter's bench workloads (packages/interpreter/bench/c, built with clang) run by
//    @fayger/interpreter inside each engine, as a ratio to the same bundle under `node --jitless`. Sizes are
//    the interpreter bench's own --jitless sizes times --scale (default 1; lower it if an engine is too slow).
// Usage: node bench/engines.mjs [--runs N] [--scale S] [--only fib,sha256] [--skip-kernels]
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import {
  buildEngineBundles,
  bundleEntry,
  HERMES_FLAGS,
  hermesBinary,
  runInEngine,
  sizes,
} from '../scripts/engines.mjs';

const pkg = dirname(dirname(fileURLToPath(import.meta.url)));
const repo = dirname(dirname(pkg));
const argv = process.argv.slice(2);
const opt = (name, def) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : def;
};
const runs = Number(opt('runs', 3));
const scale = Number(opt('scale', 1));
const only = opt('only', '')?.split(',').filter(Boolean) ?? [];
const engines = hermesBinary() ? ['hermes', 'quickjs'] : ['quickjs'];
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const geomean = (xs) => Math.exp(xs.reduce((a, x) => a + Math.log(x), 0) / xs.length);
const log = (...a) => console.log(...a);

const result = {
  benchmark: 'in-app stack on embedded engines',
  date: new Date().toISOString(),
  node: process.version,
  engines: {
    hermes: hermesBinary()
      ? 'hermes-engine-cli 0.12.0 (hermes VM, flags ' + HERMES_FLAGS.join(' ') + ')'
      : 'unavailable',
    quickjs: 'quickjs-ng via @jitl/quickjs-ng-wasmfile-release-sync (wasm, in Node)',
  },
  bundles: {},
  startup: {},
  kernels: [],
};

// --- bundle sizes -----------------------------------------------------------------------------------------
log(
  'bundle of the in-app stack (loader, security/noble, runtime, interpreter, adapter-core bus, adapter-in-app, polyfills):',
);
const minified = {};
for (const e of ['quickjs', 'hermes']) {
  const b = await buildEngineBundles(e, { minify: true });
  minified[e] = b;
  const s = sizes(b.app);
  result.bundles[e] = {
    minifiedBytes: s.minified,
    gzipBytes: s.gzip,
    build:
      e === 'hermes'
        ? 'esbuild bundle, then Babel @react-native/babel-preset (profile default), compact'
        : 'esbuild, es2023, minified',
  };
  log(
    `  ${e.padEnd(8)} ${(s.minified / 1024).toFixed(1).padStart(7)} KiB minified, ${(s.gzip / 1024).toFixed(1).padStart(6)} KiB gzip`,
  );
}
const poly = sizes(await bundleEntry('polyfills.ts', 'quickjs', { minify: true }));
result.bundles.polyfillsOnly = { minifiedBytes: poly.minified, gzipBytes: poly.gzip };
log(
  `  of which polyfills (TextEncoder/Decoder, URL, AbortController): ${(poly.minified / 1024).toFixed(1)} KiB minified, ${(poly.gzip / 1024).toFixed(1)} KiB gzip`,
);

// --- startup: bundle evaluation → first guest instruction --------------------------------------------------
const hello = join(repo, 'examples/hello/dist/hello.buf');
const roots = join(repo, '.fayger-dev/trusted-roots.json');
for (const e of engines) {
  const first = [];
  const init = [];
  for (let i = 0; i < runs; i++) {
    const r = await runInEngine(e, minified[e], hello, roots);
    first.push(r.marks.firstCall - r.marks.evalStart);
    init.push(r.marks['app-start'] - r.marks.evalStart);
  }
  result.startup[e] = { firstInstructionMs: median(first), moduleInitMs: median(init), runs: first };
  log(
    `  ${e}: bundle evaluation → guest's first instruction ${median(first).toFixed(0)} ms (module initialisation ${median(init).toFixed(0)} ms; median of ${runs})`,
  );
}

// --- interpreter workloads inside each engine vs node --jitless --------------------------------------------
const WORKLOADS = [
  { name: 'fib', arg: 20 },
  { name: 'sieve', arg: 1 },
  { name: 'xorshift', arg: 50_000 },
  { name: 'matmul', arg: 24 },
  { name: 'sha256', arg: 1 },
  { name: 'qsort', arg: 1_500 },
  { name: 'vm', arg: 250 },
  { name: 'lz', arg: 2 },
];
let buildKernel;
let clangMissing;
try {
  ({ buildKernel } = await import(join(repo, 'packages/interpreter/bench/c-build.mjs')));
} catch (e) {
  clangMissing = String(e);
}
function run(cmd, args) {
  return new Promise((ok, fail) =>
    execFile(cmd, args, { encoding: 'utf8', maxBuffer: 16 << 20, timeout: 600_000 }, (err, stdout, stderr) => {
      const line = stdout.split('\n').find((l) => l.startsWith('@@bench '));
      if (!line)
        return fail(
          new Error(
            `${cmd}: no result${err ? ` (${err.message})` : ''}\n${stdout.slice(-2000)}\n${stderr.slice(-2000)}`,
          ),
        );
      ok(JSON.parse(line.slice(8)));
    }),
  );
}
async function inQuickJS(code, input) {
  const { newQuickJSWASMModuleFromVariant } = await import('quickjs-emscripten-core');
  const variant = (await import('@jitl/quickjs-ng-wasmfile-release-sync')).default;
  const QuickJS = await newQuickJSWASMModuleFromVariant(variant);
  const rt = QuickJS.newRuntime();
  rt.setMemoryLimit(512 * 1024 * 1024);
  rt.setMaxStackSize(4 * 1024 * 1024);
  const vm = rt.newContext();
  let out;
  const host = vm.newObject();
  for (const [k, v] of Object.entries(input)) {
    const h = typeof v === 'number' ? vm.newNumber(v) : vm.newString(v);
    vm.setProp(host, k, h);
    h.dispose();
  }
  const now = vm.newFunction('now', () => vm.newNumber(performance.now()));
  const done = vm.newFunction('done', (j) => void (out = JSON.parse(vm.getString(j))));
  vm.setProp(host, 'now', now);
  vm.setProp(host, 'done', done);
  now.dispose();
  done.dispose();
  vm.setProp(vm.global, '__faygerBench', host);
  host.dispose();
  const r = vm.evalCode(code, 'bench.js');
  if (r.error) {
    const e = vm.dump(r.error);
    r.error.dispose();
    throw new Error(`quickjs: ${e?.message ?? e}`);
  }
  r.value.dispose();
  vm.dispose();
  rt.dispose();
  return out;
}

if (argv.includes('--skip-kernels')) log('interpreter workloads: skipped (--skip-kernels)');
else if (!buildKernel) log(`interpreter workloads: skipped (${clangMissing})`);
else {
  const work = await mkdtemp(join(tmpdir(), 'fayger-engine-bench-'));
  try {
    const plain = await bundleEntry('bench-kernel.ts', 'quickjs', { minify: true });
    const lowered = engines.includes('hermes')
      ? await bundleEntry('bench-kernel.ts', 'hermes', { minify: true })
      : undefined;
    log(
      `interpreter bench workloads (packages/interpreter/bench/c; sizes = that bench's --jitless sizes × ${scale}; median of ${runs}):`,
    );
    for (const w of WORKLOADS.filter((w) => only.length === 0 || only.includes(w.name))) {
      let kernel;
      try {
        kernel = buildKernel(w.name, join(work, 'c-build'));
      } catch (e) {
        log(`  ${w.name}: clang failed or absent (${String(e.message).split('\n')[0]}); skipped`);
        continue;
      }
      const input = {
        kernel: Buffer.from(kernel.bytes).toString('base64'),
        arg: Math.max(1, Math.round(w.arg * scale)),
        runs,
      };
      const k = { name: w.name, arg: input.arg };
      const nodeFile = join(work, 'node.js');
      await writeFile(
        nodeFile,
        `globalThis.__faygerBench = Object.assign(${JSON.stringify(input)}, { now: () => performance.now(), done: (j) => console.log('@@bench ' + j) });\n${plain}`,
      );
      const jl = await run(process.execPath, ['--jitless', nodeFile]);
      k.jitlessMs = jl.ms;
      const q = await inQuickJS(plain, input);
      k.quickjsMs = q.ms;
      k.quickjsRatio = q.ms / jl.ms;
      if (q.result !== jl.result)
        throw new Error(`${w.name}: quickjs result ${q.result} != node --jitless ${jl.result}`);
      if (lowered) {
        const hFile = join(work, 'hermes.js');
        await writeFile(
          hFile,
          `var __faygerBench = ${JSON.stringify(input)}; __faygerBench.now = function () { return Date.now(); }; __faygerBench.done = function (j) { print('@@bench ' + j); };\n${lowered}`,
        );
        const h = await run(hermesBinary(), [...HERMES_FLAGS, hFile]);
        if (h.result !== jl.result)
          throw new Error(`${w.name}: hermes result ${h.result} != node --jitless ${jl.result}`);
        k.hermesMs = h.ms;
        k.hermesRatio = h.ms / jl.ms;
      }
      result.kernels.push(k);
      log(
        `  ${`${w.name}(${k.arg})`.padEnd(16)} node --jitless ${k.jitlessMs.toFixed(1).padStart(8)} ms | quickjs ${k.quickjsMs.toFixed(1).padStart(9)} ms = ${k.quickjsRatio.toFixed(1).padStart(5)}x${k.hermesMs !== undefined ? ` | hermes ${k.hermesMs.toFixed(0).padStart(7)} ms = ${k.hermesRatio.toFixed(1).padStart(5)}x` : ''}`,
      );
    }
    if (result.kernels.length) {
      result.summary = { quickjsGeomeanRatio: geomean(result.kernels.map((k) => k.quickjsRatio)) };
      if (result.kernels.every((k) => k.hermesRatio !== undefined))
        result.summary.hermesGeomeanRatio = geomean(result.kernels.map((k) => k.hermesRatio));
      log(
        `  geomean vs node --jitless: quickjs ${result.summary.quickjsGeomeanRatio.toFixed(1)}x${result.summary.hermesGeomeanRatio ? `, hermes ${result.summary.hermesGeomeanRatio.toFixed(1)}x` : ''}`,
      );
    }
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
result.notes = [
  'Hermes: the CLI compiles the JS source to bytecode before it runs anything; evalStart is taken by the native-side script, so the startup figure excludes that compile (React Native apps ship precompiled bytecode). Hermes times are Date.now (1 ms resolution).',
  'QuickJS: quickjs-ng compiled to WebAssembly and run by Node (the embedder); an app embeds the native build, so absolute QuickJS times here include wasm overhead.',
];
await mkdir(join(pkg, 'bench-results'), { recursive: true });
await writeFile(join(pkg, 'bench-results', 'engines.json'), `${JSON.stringify(result, null, 2)}\n`);
log(`written to ${join(pkg, 'bench-results', 'engines.json')}`);
