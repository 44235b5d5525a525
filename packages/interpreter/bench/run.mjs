#!/usr/bin/env node
/**
 * Interpreter benchmarks, side by side with V8's native WebAssembly in one process.
 *
 *   pnpm bench                       (= node --expose-gc bench/run.mjs, after `pnpm build`)
 *   node --expose-gc bench/run.mjs --runs 3 --only alu,fib --scale 0.5
 *
 * Runs the built dist (plain Node, no type stripping). Writes bench-results/interpreter.json and prints a table.
 * Targets are reported, never asserted.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { buildBigModule } from './big-module.mjs';
import { buildKernel, clangVersion, CLANG_FLAGS } from './c-build.mjs';
import { loadInterpreter, nativeEngine, runWebassemblyjs, unsigned } from './engines.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);

const { values: opts } = parseArgs({
  options: {
    runs: { type: 'string', default: '7' },
    only: { type: 'string' },
    scale: { type: 'string', default: '1' },
    out: { type: 'string', default: join(here, '../bench-results/interpreter.json') },
    // A real module of >= 5 MB for the cold-start compile; default: binaryen's own wasm (captured once).
    big: { type: 'string' },
    // Another built dist (e.g. an older commit's) to compare under --jitless, as in `--baseline /tmp/old/dist`.
    baseline: { type: 'string' },
  },
});
const RUNS = Math.max(1, Number(opts.runs));
const SCALE = Number(opts.scale);

const TARGETS = {
  geomeanRatio: 12,
  aimGeomeanRatio: 8,
  worstRatio: 25,
  compileMBps: 20,
  coldCompileMBps: 20,
  firstRunRatio: 2,
  exportCallNs: 1000,
  hostCallNs: 50,
  gcDelta: 0.1,
  idleBytes: 64 * 1024,
  jitlessSpeedup: 3,
};

/**
 * The yardstick: C kernels in c/, compiled by clang -O2 (wasm32) at bench time. Sizes: native runs in a few ms,
 * the interpreter well under a second per run.
 */
const C_WORKLOADS = [
  { name: 'fib', arg: 30, jitless: 20, what: 'recursive fib(n): calls' },
  { name: 'sieve', arg: 4, jitless: 1, what: 'sieve of Eratosthenes over 200 KB (rounds): byte loads/stores' },
  { name: 'xorshift', arg: 2_000_000, jitless: 50_000, what: 'xorshift64* (iterations): i64 shifts, xors, multiplies' },
  { name: 'matmul', arg: 120, jitless: 24, what: 'f64 matrix multiply (n x n)' },
  { name: 'sha256', arg: 40, jitless: 1, what: 'SHA-256 of 16 KiB (rounds): i32 rotates, memory' },
  { name: 'qsort', arg: 40_000, jitless: 1_500, what: 'generic quicksort, comparator via call_indirect (elements)' },
  {
    name: 'vm',
    arg: 5_000,
    jitless: 250,
    what: 'real program: bytecode interpreter, switch dispatch (primes below n)',
  },
  { name: 'lz', arg: 128, jitless: 2, what: 'real program: LZ77 compress + decompress (KiB)' },
];
/** The former hand-written yardstick, kept for reference (`--only wat` or by name); not in the geomean. */
const WAT_WORKLOADS = [
  { name: 'alu', arg: 5_000_000, what: 'i32 ALU loop (iterations)' },
  { name: 'wat-fib', file: 'fib', arg: 30, what: 'recursive fib(n)' },
  { name: 'hash64', arg: 64, what: 'FNV-1a 64 over 64 KiB (rounds)' },
  { name: 'wat-matmul', file: 'matmul', arg: 160, what: 'f64 matrix multiply (n x n)' },
  { name: 'sort', arg: 150_000, what: 'quicksort over i32 array (elements)' },
  { name: 'dispatch', arg: 2_000_000, what: 'call_indirect dispatch (steps)' },
];
const only = opts.only ? opts.only.split(',') : null;
const want = (name) => !only || only.includes(name);

const scaled = (w) =>
  /fib$/.test(w.name) ? w.arg + Math.round(Math.log2(SCALE) * 1.44) : Math.max(1, Math.round(w.arg * SCALE));

const wabt = await require('wabt')();
function wat(name) {
  const src = readFileSync(join(here, 'workloads', `${name}.wat`), 'utf8');
  const mod = wabt.parseWat(`${name}.wat`, src);
  try {
    return new Uint8Array(mod.toBinary({}).buffer);
  } finally {
    mod.destroy();
  }
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const geomean = (xs) => Math.exp(xs.reduce((s, r) => s + Math.log(r), 0) / xs.length);

/** Wall time, and this process's CPU time (less disturbed when other processes load the machine). */
function time(fn) {
  const c0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  const result = fn();
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  const c = process.cpuUsage(c0);
  return { ms, cpuMs: (c.user + c.system) / 1000, result };
}

/**
 * Median wall time of `runs` calls after `warmups` calls; warm-up also goes on until 250 ms have passed so V8
 * has tiered the native code (and the interpreter's own JS) up before timing starts.
 */
function measure(call, runs, warmups, warmMs = 250) {
  let result;
  const warmStart = performance.now();
  for (let i = 0; i < warmups || (i < 50 && performance.now() - warmStart < warmMs); i++) result = call();
  const times = [];
  const cpu = [];
  for (let i = 0; i < runs; i++) {
    const t = time(call);
    times.push(t.ms);
    cpu.push(t.cpuMs);
    result = t.result;
  }
  return { medianMs: median(times), medianCpuMs: median(cpu), runsMs: times, result };
}

/** Like measure, for two engines at once: warm both, then time them in alternation. */
function measurePair(a, b, runs) {
  const warmA = measure(a, 0, 3);
  const warmB = measure(b, 0, 1);
  const ta = [];
  const tb = [];
  const ca = [];
  const cb = [];
  let ra = warmA.result;
  let rb = warmB.result;
  for (let i = 0; i < runs; i++) {
    const x = time(a);
    const y = time(b);
    ta.push(x.ms);
    tb.push(y.ms);
    ca.push(x.cpuMs);
    cb.push(y.cpuMs);
    ra = x.result;
    rb = y.result;
  }
  return {
    a: { medianMs: median(ta), medianCpuMs: median(ca), runsMs: ta, result: ra },
    b: { medianMs: median(tb), medianCpuMs: median(cb), runsMs: tb, result: rb },
  };
}

/** Same bits, or (f64 results) the same number: native returns signed i32 and JS numbers for f64. */
function sameResult(nat, int) {
  if (typeof nat === 'number' && !Number.isInteger(nat) && typeof int === 'bigint') {
    return new Float64Array(new BigUint64Array([int]).buffer)[0] === nat;
  }
  return unsigned(nat) === unsigned(int);
}

const interp = await loadInterpreter();
const clang = clangVersion();
const report = {
  node: process.version,
  date: new Date().toISOString(),
  interpreter: interp.available ? interp.name : `unavailable: ${interp.reason}`,
  clang: clang ?? 'not installed',
  runs: RUNS,
  scale: SCALE,
  targets: TARGETS,
  workloads: [],
  summary: {},
};
const rows = [];
const log = (s) => process.stdout.write(`${s}\n`);
const kernels = new Map();

log(`bench: node ${process.version}, interpreter ${report.interpreter}, ${RUNS} runs per engine`);
log(`C kernels: ${clang ?? 'clang not installed: C workloads skipped (apt-get install clang lld)'}`);
if (clang) log(`  built with: clang ${CLANG_FLAGS.join(' ')} c/<kernel>.c c/rt.c`);

function kernelBytes(name) {
  if (!kernels.has(name)) kernels.set(name, buildKernel(name, join(here, '../bench-results/c-build')).bytes);
  return kernels.get(name);
}

// --- workloads -----------------------------------------------------------------------------------------------
const selected = [
  ...(clang ? C_WORKLOADS.filter((w) => want(w.name) || want('c')).map((w) => ({ ...w, kind: 'c' })) : []),
  ...WAT_WORKLOADS.filter((w) => only && (only.includes(w.name) || only.includes('wat'))).map((w) => ({
    ...w,
    kind: 'wat',
  })),
];
for (const w of selected) {
  const entry = { name: w.name, kind: w.kind, what: w.what, arg: scaled(w) };
  let bytes;
  try {
    bytes = w.kind === 'c' ? kernelBytes(w.name) : wat(w.file ?? w.name);
  } catch (e) {
    entry.error = `build failed: ${describe(e)}`;
    report.workloads.push(entry);
    log(`  ${w.name}: ${entry.error}`);
    continue;
  }
  const arg = entry.arg;
  const native = nativeEngine.instantiate(bytes, {});
  const callNative = () => native.call('run', [arg]);
  let inst;
  if (interp.available) {
    try {
      inst = interp.instantiate(bytes, {});
    } catch (e) {
      entry.error = describe(e);
    }
  }
  if (inst) {
    try {
      // Alternate the engines run by run, so load from other processes on this shared machine hits both alike.
      const p = measurePair(callNative, () => inst.call('run', [arg]), RUNS);
      Object.assign(entry, {
        nativeMs: p.a.medianMs,
        nativeRunsMs: p.a.runsMs,
        interpreterMs: p.b.medianMs,
        interpreterRunsMs: p.b.runsMs,
        ratio: p.b.medianMs / p.a.medianMs,
        cpuRatio: p.b.medianCpuMs / p.a.medianCpuMs,
        resultsMatch: sameResult(p.a.result, p.b.result),
      });
      if (!entry.resultsMatch) entry.mismatch = { native: String(p.a.result), interpreter: String(p.b.result) };
    } catch (e) {
      entry.error = describe(e);
    }
  }
  if (entry.nativeMs === undefined) {
    const n = measure(callNative, RUNS, 3);
    Object.assign(entry, { nativeMs: n.medianMs, nativeRunsMs: n.runsMs });
  }
  report.workloads.push(entry);
  rows.push([
    w.name,
    `${arg}`,
    fmtMs(entry.nativeMs),
    entry.interpreterMs !== undefined ? fmtMs(entry.interpreterMs) : '-',
    entry.ratio !== undefined ? `${entry.ratio.toFixed(1)}x` : entry.error ? `error: ${entry.error.slice(0, 60)}` : '-',
    entry.cpuRatio !== undefined ? `${entry.cpuRatio.toFixed(1)}x` : '-',
    entry.resultsMatch === false ? 'MISMATCH' : entry.resultsMatch ? 'ok' : '',
    w.kind === 'c' ? `<= ${TARGETS.worstRatio}x` : '(reference)',
  ]);
  log(`  ${rows.at(-1).join('  ')}`);
}

const cRuns = report.workloads.filter((w) => w.kind === 'c' && w.ratio !== undefined && w.resultsMatch);
if (cRuns.length > 0) {
  report.summary.geomeanRatio = geomean(cRuns.map((w) => w.ratio));
  report.summary.worstRatio = Math.max(...cRuns.map((w) => w.ratio));
  report.summary.worstWorkload = cRuns.find((w) => w.ratio === report.summary.worstRatio)?.name;
  report.summary.geomeanCpuRatio = geomean(cRuns.map((w) => w.cpuRatio));
}
const watRuns = report.workloads.filter((w) => w.kind === 'wat' && w.ratio !== undefined && w.resultsMatch);
if (watRuns.length > 0) report.summary.watGeomeanRatio = geomean(watRuns.map((w) => w.ratio));

// --- SIMD: one C kernel built scalar and with -msimd128 (clang auto-vectorizes it), both in the interpreter ---
if (clang && interp.available && (want('simd') || want('c'))) {
  const entry = {
    name: 'simd',
    what: 'c/simd.c (alpha blend, SAD, f32 filter, i16 dot), scalar vs -msimd128 build',
    arg: Math.max(1, Math.round(20 * SCALE)),
  };
  try {
    const scalar = buildKernel('simd', join(here, '../bench-results/c-build'));
    const vector = buildKernel('simd', join(here, '../bench-results/c-build'), ['-msimd128']);
    entry.commands = [scalar.command, vector.command];
    const arg = entry.arg;
    const nativeVector = nativeEngine.instantiate(vector.bytes, {});
    const s = interp.instantiate(scalar.bytes, {});
    const v = interp.instantiate(vector.bytes, {});
    // Interpreter: scalar build vs SIMD build, alternated run by run.
    const p = measurePair(
      () => s.call('run', [arg]),
      () => v.call('run', [arg]),
      RUNS,
    );
    const n = measure(() => nativeVector.call('run', [arg]), RUNS, 3);
    Object.assign(entry, {
      scalarMs: p.a.medianMs,
      simdMs: p.b.medianMs,
      simdOverScalar: p.b.medianMs / p.a.medianMs,
      simdOverScalarCpu: p.b.medianCpuMs / p.a.medianCpuMs,
      nativeSimdMs: n.medianMs,
      simdVsNative: p.b.medianMs / n.medianMs,
      resultsMatch: sameResult(n.result, p.a.result) && sameResult(n.result, p.b.result),
    });
    report.summary.simdOverScalar = entry.simdOverScalar;
    report.summary.simdOverScalarCpu = entry.simdOverScalarCpu;
    log(
      `  simd(${arg}): interpreter scalar ${fmtMs(entry.scalarMs)}, SIMD ${fmtMs(entry.simdMs)} = ${entry.simdOverScalar.toFixed(2)}x (cpu ${entry.simdOverScalarCpu.toFixed(2)}x); native SIMD ${fmtMs(entry.nativeSimdMs)}; ${entry.resultsMatch ? 'results match' : 'RESULT MISMATCH'}`,
    );
  } catch (e) {
    entry.error = describe(e);
    log(`  simd: ${entry.error}`);
  }
  report.simd = entry;
}

// --- GC stability: the same kernel with a forced major GC before each run -------------------------------------
if (want('gc') && clang && interp.available) {
  const entry = { kernels: [] };
  if (typeof globalThis.gc !== 'function') {
    entry.skipped = 'run with node --expose-gc';
  } else {
    for (const w of C_WORKLOADS.filter((k) => ['fib', 'sha256', 'matmul', 'vm'].includes(k.name))) {
      const arg = scaled(w);
      const inst = interp.instantiate(kernelBytes(w.name), {});
      const call = () => inst.call('run', [arg]);
      // A long warm-up: a new kernel's first ops re-optimize the dispatch loop (seconds of compile on a loaded
      // machine), which is not what this compares.
      measure(call, 0, 5, 2000);
      const plain = [];
      const afterGc = [];
      // CPU time of this process: the machine is shared, and wall time there swings more than 10 %.
      for (let i = 0; i < RUNS; i++) {
        plain.push(time(call).cpuMs);
        globalThis.gc();
        afterGc.push(time(call).cpuMs);
      }
      const k = {
        name: w.name,
        arg,
        plainMs: median(plain),
        afterGcMs: median(afterGc),
        plainRunsMs: plain,
        afterGcRunsMs: afterGc,
      };
      k.delta = k.afterGcMs / k.plainMs - 1;
      entry.kernels.push(k);
      log(
        `  gc: ${w.name} ${fmtMs(k.plainMs)} CPU plain, ${fmtMs(k.afterGcMs)} with gc() before each run (${(k.delta * 100).toFixed(0)}%; target <= ${TARGETS.gcDelta * 100}%)`,
      );
    }
    report.summary.gcWorstDelta = Math.max(...entry.kernels.map((k) => Math.abs(k.delta)));
  }
  report.gcStability = entry;
}

// --- JS -> guest export call cost -----------------------------------------------------------------------------
if (want('calls') && interp.available) {
  const bytes = wat('trivial');
  const N = Math.max(1000, Math.round(100_000 * SCALE));
  const nat = new WebAssembly.Instance(new WebAssembly.Module(bytes), {}).exports.add;
  const mod = interp.compile(bytes);
  const inst = interp.instantiateModule(mod, {});
  const loop = (f) => () => {
    let s = 0;
    for (let i = 0; i < N; i++) s = f(i, s);
    return s;
  };
  const entry = { calls: N };
  entry.nativeNsPerCall =
    (measure(
      loop((i, s) => nat(i, s)),
      RUNS,
      2,
    ).medianCpuMs *
      1e6) /
    N;
  entry.interpreterNsPerCall =
    (measure(
      loop((i, s) => inst.invoke('add', [i, s])[0]),
      RUNS,
      2,
    ).medianCpuMs *
      1e6) /
    N;
  try {
    const facade = (await import('../dist/webassembly.js')).WebAssembly;
    const add = new facade.Instance(new facade.Module(bytes), {}).exports.add;
    entry.facadeNsPerCall =
      (measure(
        loop((i, s) => add(i, s)),
        RUNS,
        2,
      ).medianCpuMs *
        1e6) /
      N;
  } catch (e) {
    entry.facadeError = describe(e);
  }
  report.exportCall = entry;
  report.summary.exportCallNs = entry.interpreterNsPerCall;
  log(
    `  JS -> guest export call (CPU time): native ${entry.nativeNsPerCall.toFixed(0)} ns, interpreter invoke ${entry.interpreterNsPerCall.toFixed(0)} ns, facade export ${entry.facadeNsPerCall?.toFixed(0) ?? entry.facadeError} ns (target <= ${TARGETS.exportCallNs} ns)`,
  );
}

// --- decode + validate + compile throughput -----------------------------------------------------------------
if (want('compile')) {
  const big = buildBigModule(Math.round((1 << 20) * Math.max(1, SCALE)));
  const mb = big.length / 1e6;
  const nat = measure(() => nativeEngine.compile(big), 3, 1);
  const entry = { bytes: big.length, nativeMs: nat.medianMs, nativeMBps: mb / (nat.medianMs / 1000) };
  if (interp.available) {
    try {
      const c = measure(() => interp.compile(big), 3, 1);
      entry.interpreterMs = c.medianMs;
      entry.interpreterMBps = mb / (c.medianMs / 1000);
      if (interp.validate) {
        const v = measure(() => interp.validate(big), 3, 1);
        if (v.result !== true) throw new Error('validateModule rejected the generated module');
        entry.decodeValidateMs = v.medianMs;
        entry.decodeValidateMBps = mb / (v.medianMs / 1000);
      }
    } catch (e) {
      entry.error = describe(e);
    }
  }
  report.compile = entry;
  report.summary.compileMBps = entry.interpreterMBps;
  log(
    `  compile ${big.length} bytes: native ${fmtMs(entry.nativeMs)} (${entry.nativeMBps.toFixed(0)} MB/s, lazy), interpreter ${entry.interpreterMs !== undefined ? `${fmtMs(entry.interpreterMs)} (${entry.interpreterMBps.toFixed(1)} MB/s; decode+validate alone ${entry.decodeValidateMBps?.toFixed(1) ?? '?'} MB/s)` : (entry.error ?? '-')}`,
  );
}

// --- host <-> guest call cost -------------------------------------------------------------------------------
if (want('hostcall')) {
  const bytes = wat('hostcall');
  const calls = Math.max(1000, Math.round(1_000_000 * SCALE));
  const host = { env: { h: { params: ['i32'], results: ['i32'], fn: (x) => (x ^ 1) | 0 } } };
  const nat = measure(() => nativeEngine.instantiate(bytes, host).call('run', [calls]), RUNS, 2);
  const entry = { calls, nativeNsPerCall: (nat.medianCpuMs * 1e6) / calls };
  if (interp.available) {
    try {
      const inst = interp.instantiate(bytes, host);
      const i = measure(() => inst.call('run', [calls]), RUNS, 2);
      entry.interpreterNsPerCall = (i.medianCpuMs * 1e6) / calls;
      entry.resultsMatch = unsigned(i.result) === unsigned(nat.result);
    } catch (e) {
      entry.error = describe(e);
    }
  }
  report.hostCall = entry;
  report.summary.hostCallNs = entry.interpreterNsPerCall;
  log(
    `  guest -> host import call (CPU time, loop included): native ${entry.nativeNsPerCall.toFixed(0)} ns/call, interpreter ${entry.interpreterNsPerCall !== undefined ? `${entry.interpreterNsPerCall.toFixed(0)} ns/call` : (entry.error ?? '-')}${entry.resultsMatch === false ? ' MISMATCH' : ''}`,
  );
}

// --- memory per idle instance: parked in an async host import, as a sleeping guest is ---------------------
if (want('memory')) {
  const entry = {};
  if (typeof globalThis.gc !== 'function') {
    entry.skipped = 'run with node --expose-gc';
  } else if (interp.available) {
    const N = 1000;
    const bytes = wat('parked');
    const api = interp.api;
    const module = api.compileModule(bytes);
    const never = new Promise(() => {});
    const sleep = api.hostFunction({ params: ['i32'], results: [] }, () => never);
    const keep = [];
    globalThis.gc();
    globalThis.gc();
    const before = process.memoryUsage();
    for (let i = 0; i < N; i++) {
      const inst = api.instantiateModule(module, { env: { sleep } });
      const call = inst.call('run', [i]);
      const r = call.run();
      if (r.status !== 'waiting') throw new Error(`parked guest did not wait: ${r.status}`);
      keep.push(inst, call);
    }
    globalThis.gc();
    globalThis.gc();
    const after = process.memoryUsage();
    // `external` already includes ArrayBuffer memory (Node's `arrayBuffers` is a subset of it).
    entry.instances = N;
    entry.heapBytes = Math.round((after.heapUsed - before.heapUsed) / N);
    entry.externalBytes = Math.round((after.external - before.external) / N);
    entry.linearMemoryBytes = 65536;
    entry.beyondLinearMemoryBytes = entry.heapBytes + entry.externalBytes - entry.linearMemoryBytes;
    keep.length = 0;
    report.summary.idleBytes = entry.beyondLinearMemoryBytes;
  }
  report.memoryPerInstance = entry;
  log(
    `  idle instance (1-page module parked in an async import, ${entry.instances ?? '-'} of them): ${entry.skipped ?? `heap ${kb(entry.heapBytes)} + buffers ${kb(entry.externalBytes)} = ${kb(entry.beyondLinearMemoryBytes)} beyond its 64 KiB linear memory (target <= ${kb(TARGETS.idleBytes)})`}`,
  );
}

// --- cold start: a fresh process compiles a real >= 5 MB module, then runs a kernel the first time ----------
// compileModule = decode + validate of every function body + the module's compile step; function bodies are
// translated to the interpreter's code on their first call (lazy), so that part is counted in the first run.
// MB/s by CPU time (steadier on a loaded machine; it includes V8's background compile threads) and by wall time.
if (want('cold') && interp.available) {
  const entry = {};
  try {
    const big = opts.big ?? captureBinaryen();
    const kernel = clang ? join(here, '../bench-results/c-build/cold-kernel.wasm') : null;
    if (kernel) writeFileSync(kernel, kernelBytes('sha256'));
    const k = C_WORKLOADS.find((w) => w.name === 'sha256');
    const runs = [];
    for (let i = 0; i < 5; i++) {
      const out = execFileSync(
        process.execPath,
        [join(here, 'child.mjs'), 'cold', join(here, '../dist'), big, kernel ?? big, String(scaled(k)), '15'],
        { encoding: 'utf8' },
      );
      runs.push(JSON.parse(out));
    }
    entry.module = big;
    entry.bytes = runs[0].bigBytes;
    entry.processes = runs.length;
    entry.compileMBps = median(runs.map((r) => r.compileMBps));
    entry.compileCpuMBps = median(runs.map((r) => r.compileCpuMBps));
    entry.compileMs = median(runs.map((r) => r.compileMs));
    entry.compileCpuMs = median(runs.map((r) => r.compileCpuMs));
    entry.loadMs = median(runs.map((r) => r.loadMs));
    entry.kernel = 'sha256';
    entry.firstRunRatio = median(runs.map((r) => r.firstRatio));
    entry.firstRunCpuRatio = median(runs.map((r) => r.firstCpuRatio));
    entry.runs = runs;
    report.summary.coldCompileMBps = entry.compileCpuMBps;
    report.summary.coldCompileWallMBps = entry.compileMBps;
    log(
      `  cold start (fresh process, median of ${runs.length}): compileModule of ${(entry.bytes / 1e6).toFixed(1)} MB at ${entry.compileCpuMBps.toFixed(1)} MB/s of CPU time, ${entry.compileMBps.toFixed(1)} MB/s wall (target >= ${TARGETS.coldCompileMBps}; decode + validate of every body counted, bodies compile on first call); then the first sha256 run in that process ${entry.firstRunCpuRatio.toFixed(2)}x its steady state by CPU time (${entry.firstRunRatio.toFixed(2)}x wall)`,
    );
  } catch (e) {
    entry.error = describe(e);
    log(`  cold start: ${entry.error}`);
  }
  report.coldStart = entry;
}

// --- first run: each C kernel alone in a fresh process, first run against steady state (CPU time) ----------
if ((want('first') || want('cold')) && clang && interp.available) {
  const entry = { kernels: [] };
  for (const w of C_WORKLOADS) {
    const file = join(here, `../bench-results/c-build/first-${w.name}.wasm`);
    writeFileSync(file, kernelBytes(w.name));
    try {
      const runs = [];
      for (let i = 0; i < 3; i++) {
        const out = execFileSync(
          process.execPath,
          [join(here, 'child.mjs'), 'first', join(here, '../dist'), file, String(scaled(w)), '9'],
          { encoding: 'utf8' },
        );
        runs.push(JSON.parse(out));
      }
      const k = {
        name: w.name,
        arg: scaled(w),
        firstCpuMs: median(runs.map((r) => r.firstCpuMs)),
        secondCpuMs: median(runs.map((r) => r.secondCpuMs)),
        steadyCpuMs: median(runs.map((r) => r.steadyCpuMs)),
        firstRatio: median(runs.map((r) => r.firstRatio)),
        runs,
      };
      entry.kernels.push(k);
      log(
        `  first run ${w.name}(${k.arg}), fresh process, median of ${runs.length}: ${k.firstCpuMs.toFixed(0)} ms CPU, steady ${k.steadyCpuMs.toFixed(0)} ms: ${k.firstRatio.toFixed(2)}x (target <= ${TARGETS.firstRunRatio}x: ${k.firstRatio <= TARGETS.firstRunRatio ? 'meets' : 'MISSES'})`,
      );
    } catch (e) {
      entry.kernels.push({ name: w.name, error: describe(e) });
      log(`  first run ${w.name}: ${describe(e)}`);
    }
  }
  const ok = entry.kernels.filter((k) => k.firstRatio !== undefined);
  if (ok.length) {
    entry.worst = ok.reduce((a, b) => (b.firstRatio > a.firstRatio ? b : a)).name;
    report.summary.firstRunRatio = Math.max(...ok.map((k) => k.firstRatio));
    report.summary.firstRunWorst = entry.worst;
    report.summary.firstRunGeomean = geomean(ok.map((k) => k.firstRatio));
  }
  report.firstRun = entry;
}

/** binaryen's wasm (8.9 MB, from the repo's assemblyscript dependency), captured once into bench-results. */
function captureBinaryen() {
  const out = join(here, '../bench-results/binaryen.wasm');
  if (existsSync(out)) return out;
  mkdirSync(dirname(out), { recursive: true });
  const asPkg = createRequire(join(here, '../../guest-sdk-as/package.json')).resolve('assemblyscript/package.json');
  const binaryen = createRequire(asPkg).resolve('binaryen');
  const script = `let c; const o = WebAssembly.instantiate; WebAssembly.instantiate = function (b, i) { if (!c && b && b.byteLength) c = new Uint8Array(b.buffer ?? b, b.byteOffset ?? 0, b.byteLength).slice(); return o.call(this, b, i); };
await import(${JSON.stringify(pathToFileURL(binaryen).href)}); (await import('node:fs')).writeFileSync(${JSON.stringify(out)}, c);`;
  execFileSync(process.execPath, ['--input-type=module', '-e', script], { stdio: 'ignore' });
  return out;
}

// --- node --jitless: the interpreter alone (no WebAssembly there), vs native from this process --------------
if (want('jitless') && clang && interp.available) {
  const entry = { kernels: [] };
  const dists = [join(here, '../dist'), ...(opts.baseline ? [opts.baseline] : [])];
  for (const w of C_WORKLOADS) {
    const arg = w.jitless;
    const file = join(here, `../bench-results/c-build/jitless-${w.name}.wasm`);
    writeFileSync(file, kernelBytes(w.name));
    try {
      const out = JSON.parse(
        execFileSync(
          process.execPath,
          ['--jitless', join(here, 'child.mjs'), 'jitless', dists.join(','), file, String(arg), '5'],
          { encoding: 'utf8' },
        ),
      );
      const native = nativeEngine.instantiate(kernelBytes(w.name), {});
      const n = measure(() => native.call('run', [arg]), RUNS, 3);
      const k = { name: w.name, arg, jitlessMs: out[0].ms, nativeMs: n.medianMs, ratio: out[0].ms / n.medianMs };
      if (out[1]) {
        // CPU time, the two builds alternating in one process (wall time swings with the machine's load).
        k.baselineMs = out[1].ms;
        k.cpuMs = out[0].cpuMs;
        k.baselineCpuMs = out[1].cpuMs;
        k.speedup = out[1].cpuMs / out[0].cpuMs;
      }
      entry.kernels.push(k);
      log(
        `  jitless ${w.name}(${arg}): ${fmtMs(k.jitlessMs)} = ${k.ratio.toFixed(0)}x native (JIT)${k.speedup ? `; CPU ${fmtMs(k.cpuMs)} vs baseline ${fmtMs(k.baselineCpuMs)}, ${k.speedup.toFixed(2)}x faster` : ''}`,
      );
    } catch (e) {
      entry.kernels.push({ name: w.name, error: describe(e) });
      log(`  jitless ${w.name}: ${describe(e)}`);
    }
  }
  const ok = entry.kernels.filter((k) => k.ratio !== undefined);
  if (ok.length) report.summary.jitlessGeomeanRatio = geomean(ok.map((k) => k.ratio));
  const sp = ok.filter((k) => k.speedup !== undefined);
  if (sp.length) report.summary.jitlessSpeedup = geomean(sp.map((k) => k.speedup));
  report.jitless = entry;
}

// --- an unmodified npm package through the WebAssembly facade --------------------------------------------------
if (want('facade')) {
  const entry = { package: 'hash-wasm', what: 'sha256 of 256 KiB, after a warm-up hash' };
  let facade;
  try {
    facade = (await import('../dist/webassembly.js')).WebAssembly;
  } catch (e) {
    entry.error = `cannot load ../dist/webassembly.js: ${describe(e)}`;
  }
  if (facade) {
    const data = new Uint8Array(256 * 1024).map((_, i) => (i * 131 + (i >> 8)) & 255);
    const saved = Object.getOwnPropertyDescriptor(globalThis, 'WebAssembly');
    const timeWith = async (wa) => {
      Object.defineProperty(globalThis, 'WebAssembly', { value: wa, configurable: true, writable: true });
      try {
        const path = require.resolve('hash-wasm');
        delete require.cache[path];
        const hw = require(path);
        await hw.sha256('warm-up');
        const times = [];
        let digest;
        for (let i = 0; i < 3; i++) {
          const t0 = process.hrtime.bigint();
          digest = await hw.sha256(data);
          times.push(Number(process.hrtime.bigint() - t0) / 1e6);
        }
        return { ms: median(times), digest };
      } finally {
        Object.defineProperty(globalThis, 'WebAssembly', saved);
      }
    };
    try {
      const nat = await timeWith(WebAssembly);
      const fac = await timeWith(facade);
      entry.nativeMBps = data.length / 1e6 / (nat.ms / 1000);
      entry.facadeMBps = data.length / 1e6 / (fac.ms / 1000);
      entry.ratio = fac.ms / nat.ms;
      entry.resultsMatch = nat.digest === fac.digest;
    } catch (e) {
      entry.error = describe(e);
    }
  }
  report.facadeNpm = entry;
  log(
    `  hash-wasm sha256 via facade: ${entry.error ?? `${entry.facadeMBps.toFixed(2)} MB/s vs native ${entry.nativeMBps.toFixed(0)} MB/s (${entry.ratio.toFixed(0)}x)${entry.resultsMatch ? '' : ' MISMATCH'}`}`,
  );
}

// --- webassemblyjs, for reference ---------------------------------------------------------------------------
if (only?.includes('webassemblyjs')) {
  report.webassemblyjs = await runWebassemblyjs(wat, nativeEngine, interp, measure);
  for (const r of report.webassemblyjs.workloads) {
    log(
      `  webassemblyjs ${r.name}(${r.arg}): ${r.ran ? `${r.ratioVsNative.toFixed(0)}x native${r.ratioVsInterpreter !== undefined ? `, ${r.ratioVsInterpreter.toFixed(1)}x the interpreter` : ''}` : `did not run: ${r.reason}`}`,
    );
  }
}

// --- summary ------------------------------------------------------------------------------------------------
const s = report.summary;
const check = (v, ok) => (v === undefined ? 'n/a' : ok(v) ? 'meets target' : 'MISSES target');
s.verdicts = {
  geomeanRatio: check(s.geomeanRatio, (v) => v <= TARGETS.geomeanRatio),
  worstRatio: check(s.worstRatio, (v) => v <= TARGETS.worstRatio),
  compileMBps: check(s.compileMBps, (v) => v >= TARGETS.compileMBps),
  coldCompileMBps: check(s.coldCompileMBps, (v) => v >= TARGETS.coldCompileMBps),
  firstRunRatio: check(s.firstRunRatio, (v) => v <= TARGETS.firstRunRatio),
  exportCallNs: check(s.exportCallNs, (v) => v <= TARGETS.exportCallNs),
  hostCallNs: check(s.hostCallNs, (v) => v <= TARGETS.hostCallNs),
  gcDelta: check(s.gcWorstDelta, (v) => v <= TARGETS.gcDelta),
  idleBytes: check(s.idleBytes, (v) => v <= TARGETS.idleBytes),
  jitlessSpeedup: check(s.jitlessSpeedup, (v) => v >= TARGETS.jitlessSpeedup),
};
const mismatches = report.workloads.filter((w) => w.resultsMatch === false).map((w) => w.name);
if (mismatches.length) s.mismatches = mismatches;

log('');
log(table([['workload', 'size', 'native', 'interpreter', 'ratio', 'cpu ratio', 'result', 'target'], ...rows]));
log('');
const line = (label, v, target, verdict) => log(`${label.padEnd(30)}${v.padEnd(12)}(target ${target}: ${verdict})`);
line(
  'geomean ratio (C kernels)',
  fmt(s.geomeanRatio, 'x'),
  `<= ${TARGETS.geomeanRatio}x, aim ${TARGETS.aimGeomeanRatio}x`,
  `${s.verdicts.geomeanRatio}; by CPU time ${fmt(s.geomeanCpuRatio, 'x')}`,
);
line(
  `worst ratio${s.worstWorkload ? ` (${s.worstWorkload})` : ''}`,
  fmt(s.worstRatio, 'x'),
  `<= ${TARGETS.worstRatio}x`,
  s.verdicts.worstRatio,
);
if (s.watGeomeanRatio !== undefined) log(`${'geomean, WAT reference'.padEnd(30)}${fmt(s.watGeomeanRatio, 'x')}`);
line('JS -> guest export call', fmt(s.exportCallNs, ' ns'), `<= ${TARGETS.exportCallNs} ns`, s.verdicts.exportCallNs);
line('guest -> host import call', fmt(s.hostCallNs, ' ns'), `<= ${TARGETS.hostCallNs} ns`, s.verdicts.hostCallNs);
line(
  'GC: worst change after gc()',
  s.gcWorstDelta === undefined ? 'n/a' : `${(s.gcWorstDelta * 100).toFixed(0)}%`,
  `<= ${TARGETS.gcDelta * 100}%`,
  s.verdicts.gcDelta,
);
line(
  'idle instance beyond memory',
  s.idleBytes === undefined ? 'n/a' : kb(s.idleBytes),
  `<= ${kb(TARGETS.idleBytes)}`,
  s.verdicts.idleBytes,
);
line(
  'compile, warm (1 MiB gen.)',
  fmt(s.compileMBps, ' MB/s'),
  `>= ${TARGETS.compileMBps} MB/s`,
  s.verdicts.compileMBps,
);
line(
  'compile, cold (real module)',
  fmt(s.coldCompileMBps, ' MB/s'),
  `>= ${TARGETS.coldCompileMBps} MB/s`,
  `${s.verdicts.coldCompileMBps}; CPU time, wall ${fmt(s.coldCompileWallMBps, ' MB/s')}`,
);
line(
  `first run / steady${s.firstRunWorst ? ` (${s.firstRunWorst})` : ''}`,
  fmt(s.firstRunRatio, 'x'),
  `<= ${TARGETS.firstRunRatio}x`,
  `${s.verdicts.firstRunRatio}; worst kernel, geomean ${fmt(s.firstRunGeomean, 'x')}`,
);
line('jitless vs native (JIT)', fmt(s.jitlessGeomeanRatio, 'x'), 'n/a', 'reference');
line(
  'SIMD build / scalar build',
  fmt(s.simdOverScalar, 'x'),
  '<= 1x',
  s.simdOverScalar === undefined ? 'n/a' : s.simdOverScalar <= 1 ? 'meets target' : 'MISSES target',
);
line(
  'jitless speed-up vs baseline',
  s.jitlessSpeedup === undefined ? 'n/a (--baseline)' : fmt(s.jitlessSpeedup, 'x'),
  `>= ${TARGETS.jitlessSpeedup}x`,
  s.verdicts.jitlessSpeedup,
);
if (mismatches.length) log(`RESULT MISMATCH in: ${mismatches.join(', ')}`);

mkdirSync(dirname(opts.out), { recursive: true });
writeFileSync(opts.out, `${JSON.stringify(report, null, 2)}\n`);
log(`results: ${opts.out}`);

function fmt(v, unit) {
  return v === undefined ? 'n/a' : `${v.toFixed(1)}${unit}`;
}
function fmtMs(ms) {
  return ms >= 100 ? `${ms.toFixed(0)} ms` : `${ms.toFixed(2)} ms`;
}
function kb(b) {
  return `${(b / 1024).toFixed(1)} KiB`;
}
function describe(e) {
  return e instanceof Error ? `${e.name}${e.code ? ` ${e.code}` : ''}: ${e.message.split('\n')[0]}` : String(e);
}
function table(rs) {
  const widths = rs[0].map((_, c) => Math.max(...rs.map((r) => String(r[c]).length)));
  return rs.map((r) => r.map((v, c) => String(v).padEnd(widths[c])).join('  ')).join('\n');
}
