/**
 * @fayger/transpiler bench: the interpreter's C kernels (packages/interpreter/bench/c, compiled by clang -O2)
 * run by V8's own WebAssembly, by @fayger/interpreter and by @fayger/transpiler, side by side in one process
 * (engines alternate run by run; median wall and CPU time), then each kernel at a small size under
 * `node --jitless` in a child process (interpreter vs transpiler), and transpile time (MB/s; compile +
 * instantiate = time to first instruction). Targets are printed beside the figures, never asserted.
 *   pnpm build && pnpm bench            (= node bench/run.mjs)
 *   node bench/run.mjs --runs 3 --only fib,sha256 --scale 0.5 --no-jitless
 *   node bench/run.mjs --only compile --no-jitless      (compile MB/s on large modules only)
 *   node bench/run.mjs --resumable [--base <dist> | --base old=<dist>,main=<dist>] [--rounds 4] [--only qsort]
 *     [--invoke]: the same A/B on the plain path (`invoke`) instead
 *     the resumable path only (generator forms in 1e6 fuel slices, as the runtime runs them), each kernel in
 *     child processes (median CPU ms of --runs calls, median over rounds); with --base, those dists (e.g. copies
 *     of an older build's dist/) against ./dist, order alternating per round, and new/base per kernel + geomean;
 *     --in-process: all dists in one child per kernel and round, calls alternating.
 * Results: bench-results/transpiler.json (gitignored).
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const here = dirname(fileURLToPath(import.meta.url));
const { values: opts } = parseArgs({
  options: {
    runs: { type: 'string', default: '5' },
    only: { type: 'string' },
    scale: { type: 'string', default: '1' },
    'no-jitless': { type: 'boolean', default: false },
    resumable: { type: 'boolean', default: false },
    base: { type: 'string' },
    rounds: { type: 'string', default: '4' },
    'in-process': { type: 'boolean', default: false },
    invoke: { type: 'boolean', default: false },
  },
});
const RUNS = Number(opts.runs);
const SCALE = Number(opts.scale);

// The interpreter's bench kernels (read as files, not imported), with its sizes.
// `resumable`: the --resumable sizes (~100–250 ms a call on the resumable path, so that a process's noise counts less).
const KERNELS = [
  { name: 'fib', arg: 30, jitless: 20, resumable: 30, fixed: true },
  { name: 'sieve', arg: 4, jitless: 1, resumable: 12 },
  { name: 'xorshift', arg: 2_000_000, jitless: 50_000, resumable: 12_000_000 },
  { name: 'matmul', arg: 120, jitless: 24, resumable: 280 },
  { name: 'sha256', arg: 40, jitless: 1, resumable: 600 },
  { name: 'qsort', arg: 40_000, jitless: 1_500, resumable: 40_000 },
  { name: 'vm', arg: 5_000, jitless: 250, resumable: 60_000 },
  { name: 'lz', arg: 128, jitless: 2, resumable: 384 },
].filter((k) => !opts.only || opts.only.split(',').includes(k.name));

const cDir = join(here, '../../interpreter/bench/c');
const outDir = join(here, '../bench-results');
const FLAGS = ['--target=wasm32', '-O2', '-nostdlib', '-Wl,--no-entry', '-Wl,--export=run'];

function build(name, extra = []) {
  const srcs = [join(cDir, `${name}.c`), join(cDir, 'rt.c')];
  const flags = [...FLAGS, ...extra];
  const hash = createHash('sha256').update(flags.join(' '));
  for (const s of srcs) hash.update(readFileSync(s));
  mkdirSync(join(outDir, 'c-build'), { recursive: true });
  const out = join(outDir, 'c-build', `${name}-${hash.digest('hex').slice(0, 12)}.wasm`);
  if (!existsSync(out))
    execFileSync(process.env.CLANG ?? 'clang', [...flags, '-o', out, ...srcs], { stdio: ['ignore', 'ignore', 'pipe'] });
  return out;
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const geomean = (xs) => Math.exp(xs.reduce((a, x) => a + Math.log(x), 0) / xs.length);
const unsigned = (v) => (typeof v === 'bigint' ? BigInt.asUintN(64, v) : typeof v === 'number' ? v >>> 0 : v);

const trDist = join(here, '../dist');
const interpDist = join(here, '../../interpreter/dist');

if (opts.resumable) {
  // Old-vs-new A/B of the resumable path: separate processes (no shared JIT state), order alternating by round,
  // median of the rounds' medians. The machine's noise is about ±5-10 % per kernel: use several rounds.
  // --base <dist> or --base <label>=<dist>,<label>=<dist>: each compared with ./dist (label "new").
  const bases = {};
  for (const [i, b] of (opts.base ? opts.base.split(',') : []).entries()) {
    const at = b.indexOf('=');
    bases[at > 0 ? b.slice(0, at) : i === 0 ? 'base' : `base${i}`] = at > 0 ? b.slice(at + 1) : b;
  }
  const dists = { ...bases, new: trDist };
  const names = Object.keys(dists);
  const res = {};
  const rounds = Number(opts.rounds);
  const files = {};
  for (const k of KERNELS) {
    try {
      files[k.name] = build(k.name);
    } catch (e) {
      console.log(`${k.name}: skipped (clang: ${String(e.message).split('\n')[0]})`);
    }
  }
  console.log(
    opts.invoke
      ? `plain path (invoke, same A/B and sizes), ${rounds} rounds × ${RUNS} runs, CPU ms`
      : `resumable path (call().run({ fuel: 1e6 }) slices), ${rounds} rounds × ${RUNS} runs, CPU ms`,
  );
  for (let round = 0; round < rounds; round++)
    for (const k of KERNELS) {
      if (!files[k.name]) continue;
      const arg = k.fixed ? k.resumable - (SCALE < 1 ? 3 : 0) : Math.max(1, Math.round(k.resumable * SCALE));
      const order = round % 2 ? [...names].reverse() : names;
      // --in-process: one child runs all dists, their calls alternating (less process-to-process noise, but
      // the dists share the process's JIT state: a kernel can differ by its position in the order).
      for (const group of opts['in-process'] ? [order] : order.map((n) => [n])) {
        const out = execFileSync(
          process.execPath,
          [
            join(here, 'resumable-child.mjs'),
            group.map((n) => dists[n]).join(','),
            files[k.name],
            String(arg),
            String(RUNS),
            ...(opts.invoke ? ['invoke'] : []),
          ],
          { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
        );
        const lines = out.trim().split('\n').slice(-group.length);
        group.forEach((which, i) => {
          const r = JSON.parse(lines[i]);
          const e = (res[k.name] ??= { name: k.name, arg, ms: {}, result: r.result });
          (e.ms[which] ??= []).push(r.cpuMs);
          if (r.result !== e.result) throw new Error(`${k.name}: ${which} returned ${r.result}, another ${e.result}`);
        });
      }
    }
  const out = [];
  for (const e of Object.values(res)) {
    const row = { name: e.name, arg: e.arg, result: e.result, cpuMs: {}, ratios: {} };
    let line = `${e.name.padEnd(9)} ${String(e.arg).padEnd(8)}`;
    for (const n of names) {
      row.cpuMs[n] = median(e.ms[n]);
      line += ` ${n} ${row.cpuMs[n].toFixed(1).padStart(7)} ms`;
    }
    // The ratio: median of the rounds' paired ratios (the two processes of a round ran back to back).
    for (const n of Object.keys(bases)) {
      const rounds = e.ms.new.map((x, i) => x / e.ms[n][i]);
      row.ratios[n] = median(rounds);
      line += `  new/${n} ${row.ratios[n].toFixed(3)} (${rounds.map((x) => x.toFixed(2)).join(' ')})`;
    }
    out.push(row);
    console.log(line);
  }
  const summary = { date: new Date().toISOString(), node: process.version, rounds, runs: RUNS, dists, kernels: out };
  summary.geomeanRatios = {};
  for (const n of Object.keys(bases)) {
    summary.geomeanRatios[n] = geomean(out.map((r) => r.ratios[n]));
    console.log(`geomean new/${n} ${summary.geomeanRatios[n].toFixed(3)}`);
  }
  mkdirSync(outDir, { recursive: true });
  const file = join(outDir, opts.invoke ? 'invoke-ab.json' : 'resumable.json');
  writeFileSync(file, `${JSON.stringify(summary, null, 1)}\n`);
  console.log(`results: ${file}`);
  process.exit(0);
}
const tr = await import(`${trDist}/index.js`);
const interp = await import(`${interpDist}/index.js`);

function time(fn) {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const result = fn();
  const ms = performance.now() - t0;
  const c = process.cpuUsage(c0);
  return { result, ms, cpuMs: (c.user + c.system) / 1000 };
}

const results = {
  date: new Date().toISOString(),
  node: process.version,
  runs: RUNS,
  scale: SCALE,
  kernels: [],
  jitless: [],
};
console.log(`@fayger/transpiler bench (node ${process.version}, ${RUNS} runs, scale ${SCALE})`);
console.log(
  'kernel      arg        native ms  transp. ms  interp. ms  tr/native (cpu)   interp/tr (cpu)   transpile MB/s  first-instr ms',
);
for (const k of KERNELS) {
  let file;
  try {
    file = build(k.name);
  } catch (e) {
    console.log(`${k.name}: skipped (clang: ${String(e.message).split('\n')[0]})`);
    continue;
  }
  const bytes = new Uint8Array(readFileSync(file));
  const arg = k.fixed ? k.arg - (SCALE < 1 ? 3 : 0) : Math.max(1, Math.round(k.arg * SCALE));
  // Time to first instruction: compile + instantiate, fresh module each time.
  const compiles = [];
  const firsts = [];
  for (let i = 0; i < 3; i++) {
    const c = time(() => tr.compileModule(bytes));
    compiles.push(c.ms);
    firsts.push(c.ms + time(() => tr.instantiateModule(c.result, {})).ms);
  }
  const native = new WebAssembly.Instance(new WebAssembly.Module(bytes), {});
  const tInst = tr.instantiateModule(tr.compileModule(bytes), {});
  const iInst = interp.instantiateModule(interp.compileModule(bytes), {});
  // The native API returns raw bits: an f32/f64 result is compared with native's number through its bits.
  const resultType = tInst.module.exports.find((x) => x.name === 'run').type.results[0];
  const bits = (v) => {
    const dv = new DataView(new ArrayBuffer(8));
    if (resultType === 'f64') {
      dv.setFloat64(0, v);
      return dv.getBigUint64(0);
    }
    if (resultType === 'f32') {
      dv.setFloat32(0, v);
      return dv.getUint32(0);
    }
    return unsigned(v);
  };
  const runs = { native: [], tr: [], interp: [] };
  const engines = [
    ['native', () => bits(native.exports.run(arg))],
    ['tr', () => tInst.invoke('run', [arg])[0]],
    ['interp', () => iInst.invoke('run', [arg])[0]],
  ];
  let expected;
  for (let r = 0; r < RUNS + 1; r++) {
    for (const [name, fn] of engines) {
      const m = time(fn);
      const v = unsigned(m.result);
      if (expected === undefined) expected = v;
      else if (v !== expected) throw new Error(`${k.name}: ${name} returned ${v}, native ${expected}`);
      if (r > 0) runs[name].push(m); // the first round warms up
    }
  }
  const med = (xs, key) => median(xs.map((x) => x[key]));
  const e = {
    name: k.name,
    arg,
    result: String(expected),
    nativeMs: med(runs.native, 'ms'),
    transpilerMs: med(runs.tr, 'ms'),
    interpreterMs: med(runs.interp, 'ms'),
    nativeCpuMs: med(runs.native, 'cpuMs'),
    transpilerCpuMs: med(runs.tr, 'cpuMs'),
    interpreterCpuMs: med(runs.interp, 'cpuMs'),
    transpileMBps: bytes.length / 1e6 / (median(compiles) / 1000),
    firstInstructionMs: median(firsts),
    bytes: bytes.length,
  };
  e.ratioVsNative = e.transpilerMs / e.nativeMs;
  e.cpuRatioVsNative = e.transpilerCpuMs / Math.max(e.nativeCpuMs, 0.001);
  e.speedupOverInterpreter = e.interpreterMs / e.transpilerMs;
  e.cpuSpeedupOverInterpreter = e.interpreterCpuMs / Math.max(e.transpilerCpuMs, 0.001);
  results.kernels.push(e);
  console.log(
    `${k.name.padEnd(11)} ${String(arg).padEnd(10)} ${e.nativeMs.toFixed(1).padStart(9)} ${e.transpilerMs.toFixed(1).padStart(11)} ${e.interpreterMs.toFixed(1).padStart(11)}  ${e.ratioVsNative.toFixed(2).padStart(6)}× (${e.cpuRatioVsNative.toFixed(2)}×)   ${e.speedupOverInterpreter.toFixed(2).padStart(6)}× (${e.cpuSpeedupOverInterpreter.toFixed(2)}×)   ${e.transpileMBps.toFixed(2).padStart(8)}   ${e.firstInstructionMs.toFixed(1).padStart(8)}`,
  );
}
if (results.kernels.length) {
  results.geomeanVsNative = geomean(results.kernels.map((e) => e.ratioVsNative));
  results.cpuGeomeanVsNative = geomean(results.kernels.map((e) => e.cpuRatioVsNative));
  results.geomeanSpeedupOverInterpreter = geomean(results.kernels.map((e) => e.speedupOverInterpreter));
  console.log(
    `geomean with JIT: transpiler/native ${results.geomeanVsNative.toFixed(2)}× wall, ${results.cpuGeomeanVsNative.toFixed(2)}× CPU (target ≤ 3×); interpreter/transpiler ${results.geomeanSpeedupOverInterpreter.toFixed(2)}×`,
  );
}

// SIMD: the interpreter's c/simd.c built scalar and with -msimd128 (clang auto-vectorizes it), each under V8,
// the transpiler and the interpreter, alternated run by run.
if (!opts.only || opts.only.split(',').includes('simd')) {
  try {
    const arg = Math.max(1, Math.round(20 * SCALE));
    const builds = { scalar: build('simd'), simd: build('simd', ['-msimd128']) };
    const e = { name: 'simd', arg };
    let expected;
    for (const [kind, file] of Object.entries(builds)) {
      const bytes = new Uint8Array(readFileSync(file));
      const native = new WebAssembly.Instance(new WebAssembly.Module(bytes), {});
      const tInst = tr.instantiateModule(tr.compileModule(bytes), {});
      const iInst = interp.instantiateModule(interp.compileModule(bytes), {});
      const runs = { native: [], tr: [], interp: [] };
      const engines = [
        ['native', () => native.exports.run(arg) >>> 0],
        ['tr', () => tInst.invoke('run', [arg])[0]],
        ['interp', () => iInst.invoke('run', [arg])[0]],
      ];
      // Three warm-up rounds: run() is one large function, which TurboFan compiles on a background thread for
      // a while (counted in the process's CPU time); the interpreter and V8 get the same rounds.
      for (let r = 0; r < RUNS + 3; r++) {
        for (const [name, fn] of engines) {
          const m = time(fn);
          if (expected === undefined) expected = m.result;
          else if (m.result !== expected)
            throw new Error(`simd (${kind}): ${name} returned ${m.result}, expected ${expected}`);
          if (r > 2) runs[name].push(m);
        }
      }
      for (const [name, xs] of Object.entries(runs)) {
        e[`${name}${kind === 'simd' ? 'Simd' : 'Scalar'}Ms`] = median(xs.map((x) => x.ms));
        e[`${name}${kind === 'simd' ? 'Simd' : 'Scalar'}CpuMs`] = median(xs.map((x) => x.cpuMs));
      }
    }
    e.transpilerSimdOverScalarCpu = e.trSimdCpuMs / e.trScalarCpuMs;
    e.transpilerSimdVsNativeSimdCpu = e.trSimdCpuMs / Math.max(e.nativeSimdCpuMs, 0.001);
    e.interpreterOverTranspilerSimdCpu = e.interpSimdCpuMs / e.trSimdCpuMs;
    results.simd = e;
    console.log(
      `\nsimd(${arg}) CPU ms: native scalar ${e.nativeScalarCpuMs.toFixed(1)} / SIMD ${e.nativeSimdCpuMs.toFixed(1)}; transpiler scalar ${e.trScalarCpuMs.toFixed(1)} / SIMD ${e.trSimdCpuMs.toFixed(1)} (${e.transpilerSimdOverScalarCpu.toFixed(2)}×); interpreter scalar ${e.interpScalarCpuMs.toFixed(1)} / SIMD ${e.interpSimdCpuMs.toFixed(1)}; interpreter/transpiler on the SIMD build ${e.interpreterOverTranspilerSimdCpu.toFixed(2)}×; results match`,
    );
  } catch (err) {
    console.log(`simd: skipped (${String(err.message).split('\n')[0]})`);
  }
}

// Compile throughput on large modules: a real one (brotli-wasm's 1 MB Rust build, a devDependency) and the
// interpreter's seeded synthetic module (bench/big-module.mjs), each compiled 3 times (median): compileModule
// (decode + validate + emit + new Function), then instantiateModule (link, run the factory).
if (!opts.only || opts.only.split(',').includes('compile')) {
  const require = createRequire(import.meta.url);
  const { buildBigModule } = await import(join(here, '../../interpreter/bench/big-module.mjs'));
  const big = [
    [
      'brotli-wasm (Rust, real)',
      () => readFileSync(join(dirname(require.resolve('brotli-wasm')), 'pkg.node/brotli_wasm_bg.wasm')),
    ],
    ['synthetic 2 MiB (big-module.mjs)', () => buildBigModule(2 << 20)],
  ];
  results.compile = [];
  console.log(
    '\ncompile (median of 3): bytes, compileModule ms (decode + validate + emit + new Function), MB/s, generated chars, + instantiate ms',
  );
  for (const [name, load] of big) {
    let bytes;
    try {
      bytes = new Uint8Array(load());
    } catch (err) {
      console.log(`${name}: skipped (${String(err.message).split('\n')[0]})`);
      continue;
    }
    const cs = [];
    const is = [];
    let mod;
    for (let i = 0; i < 3; i++) {
      const c = time(() => tr.compileModule(bytes));
      mod = c.result;
      cs.push(c.ms);
      // Function imports get stubs of their types (never called: no start function runs guest code here).
      const imports = {};
      for (const imp of mod.imports) {
        if (imp.kind !== 'function') throw new Error(`${name}: a ${imp.kind} import (the bench stubs functions only)`);
        imports[imp.module] ??= {};
        imports[imp.module][imp.name] = tr.hostFunction(imp.type, () => {
          throw new Error('bench stub called');
        });
      }
      is.push(time(() => tr.instantiateModule(mod, imports, { fuel: 1e9 })).ms);
    }
    const e = {
      name,
      bytes: bytes.length,
      compileMs: median(cs),
      instantiateMs: median(is),
      sourceChars: mod.source.length,
    };
    e.compileMBps = bytes.length / 1e6 / (e.compileMs / 1000);
    e.endToEndMBps = bytes.length / 1e6 / ((e.compileMs + e.instantiateMs) / 1000);
    results.compile.push(e);
    console.log(
      `${name.padEnd(34)} ${String(e.bytes).padStart(8)} ${e.compileMs.toFixed(0).padStart(6)} ms ${e.compileMBps.toFixed(2).padStart(6)} MB/s ${String(e.sourceChars).padStart(9)} chars  + ${e.instantiateMs.toFixed(0)} ms (${e.endToEndMBps.toFixed(2)} MB/s to first instruction)`,
    );
  }
}

if (!opts['no-jitless']) {
  console.log('\nnode --jitless (child process): interpreter ms, transpiler ms, speed-up (target ≥ 5×)');
  for (const k of KERNELS) {
    let file;
    try {
      file = build(k.name);
    } catch {
      continue;
    }
    const arg = Math.max(1, Math.round(k.jitless * SCALE));
    const out = execFileSync(
      process.execPath,
      ['--jitless', join(here, 'child.mjs'), `${interpDist},${trDist}`, file, String(arg), String(RUNS)],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const [i, t] = JSON.parse(out.trim().split('\n').at(-1));
    if (i.result !== t.result)
      throw new Error(`${k.name} under --jitless: interpreter ${i.result}, transpiler ${t.result}`);
    const e = { name: k.name, arg, interpreterMs: i.ms, transpilerMs: t.ms, speedup: i.ms / t.ms };
    results.jitless.push(e);
    console.log(
      `${k.name.padEnd(11)} ${String(arg).padEnd(8)} ${i.ms.toFixed(1).padStart(9)} ${t.ms.toFixed(1).padStart(9)}  ${e.speedup.toFixed(2)}×`,
    );
  }
  if (results.jitless.length) {
    results.jitlessGeomeanSpeedup = geomean(results.jitless.map((e) => e.speedup));
    console.log(
      `geomean under --jitless: transpiler ${results.jitlessGeomeanSpeedup.toFixed(2)}× faster than the interpreter (target ≥ 5×)`,
    );
  }
}
mkdirSync(outDir, { recursive: true });
writeFileSync(join(outDir, 'transpiler.json'), `${JSON.stringify(results, null, 1)}\n`);
console.log(`results: ${join(outDir, 'transpiler.json')}`);
