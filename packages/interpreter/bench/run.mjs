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
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { buildBigModule } from './big-module.mjs';
import { loadInterpreter, nativeEngine, runWebassemblyjs, unsigned } from './engines.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);

const { values: opts } = parseArgs({
  options: {
    runs: { type: 'string', default: '7' },
    only: { type: 'string' },
    scale: { type: 'string', default: '1' },
    out: { type: 'string', default: join(here, '../bench-results/interpreter.json') },
  },
});
const RUNS = Math.max(1, Number(opts.runs));
const SCALE = Number(opts.scale);

const TARGETS = { geomeanRatio: 20, worstRatio: 60, compileMBps: 20, hostCallNs: 200 };

/** Workload argument sizes: native runs in a few ms, the interpreter in well under a second per run. */
const WORKLOADS = [
  { name: 'alu', arg: 5_000_000, what: 'i32 ALU loop (iterations)' },
  { name: 'fib', arg: 30, what: 'recursive fib(n)' },
  { name: 'hash64', arg: 64, what: 'FNV-1a 64 over 64 KiB (rounds)' },
  { name: 'matmul', arg: 160, what: 'f64 matrix multiply (n x n)' },
  { name: 'sort', arg: 150_000, what: 'quicksort over i32 array (elements)' },
  { name: 'dispatch', arg: 2_000_000, what: 'call_indirect dispatch (steps)' },
];

const scaled = (w) => (w.name === 'fib' ? w.arg + Math.round(Math.log2(SCALE) * 1.44) : Math.max(1, Math.round(w.arg * SCALE)));

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
function measure(call, runs, warmups) {
  let result;
  const warmStart = performance.now();
  for (let i = 0; i < warmups || (i < 50 && performance.now() - warmStart < 250); i++) result = call();
  const times = [];
  for (let i = 0; i < runs; i++) {
    const t = time(call);
    times.push(t.ms);
    result = t.result;
  }
  return { medianMs: median(times), runsMs: times, result };
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

const interp = await loadInterpreter();
const report = {
  node: process.version,
  date: new Date().toISOString(),
  interpreter: interp.available ? interp.name : `unavailable: ${interp.reason}`,
  runs: RUNS,
  scale: SCALE,
  targets: TARGETS,
  workloads: [],
  summary: {},
};
const rows = [];
const log = (s) => process.stdout.write(`${s}\n`);

log(`bench: node ${process.version}, interpreter ${report.interpreter}, ${RUNS} runs per engine`);

// --- workloads -----------------------------------------------------------------------------------------------
for (const w of WORKLOADS.filter((w) => !opts.only || opts.only.split(',').includes(w.name))) {
  const bytes = wat(w.name);
  const arg = scaled(w);
  const native = nativeEngine.instantiate(bytes, {});
  const callNative = () => native.call('run', [arg]);
  const entry = { name: w.name, what: w.what, arg };
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
        resultsMatch: unsigned(p.b.result) === unsigned(p.a.result),
      });
      if (!entry.resultsMatch) entry.mismatch = { native: String(unsigned(p.a.result)), interpreter: String(unsigned(p.b.result)) };
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
  ]);
  log(`  ${rows.at(-1).join('  ')}`);
}

const ratios = report.workloads.filter((w) => w.ratio !== undefined && w.resultsMatch).map((w) => w.ratio);
if (ratios.length > 0) {
  report.summary.geomeanRatio = Math.exp(ratios.reduce((s, r) => s + Math.log(r), 0) / ratios.length);
  report.summary.worstRatio = Math.max(...ratios);
  report.summary.worstWorkload = report.workloads.find((w) => w.ratio === report.summary.worstRatio)?.name;
  const cpu = report.workloads.filter((w) => w.cpuRatio !== undefined && w.resultsMatch).map((w) => w.cpuRatio);
  report.summary.geomeanCpuRatio = Math.exp(cpu.reduce((s, r) => s + Math.log(r), 0) / cpu.length);
}

// --- decode + validate + compile throughput -----------------------------------------------------------------
if (!opts.only || opts.only.split(',').includes('compile')) {
  const big = buildBigModule(Math.round((1 << 20) * Math.max(1, SCALE)));
  const mb = big.length / 1e6;
  const nat = measure(() => nativeEngine.compile(big), 3, 1);
  const entry = { bytes: big.length, nativeMs: nat.medianMs, nativeMBps: mb / (nat.medianMs / 1000) };
  if (interp.available) {
    try {
      const c = measure(() => interp.compile(big), 3, 1);
      entry.interpreterMs = c.medianMs;
      entry.interpreterMBps = mb / (c.medianMs / 1000);
    } catch (e) {
      entry.error = describe(e);
    }
  }
  report.compile = entry;
  report.summary.compileMBps = entry.interpreterMBps;
  log(`  compile ${big.length} bytes: native ${fmtMs(entry.nativeMs)} (${entry.nativeMBps.toFixed(0)} MB/s, lazy), interpreter ${entry.interpreterMs !== undefined ? `${fmtMs(entry.interpreterMs)} (${entry.interpreterMBps.toFixed(1)} MB/s)` : entry.error ?? '-'}`);
}

// --- host <-> guest call cost -------------------------------------------------------------------------------
if (!opts.only || opts.only.split(',').includes('hostcall')) {
  const bytes = wat('hostcall');
  const calls = Math.max(1000, Math.round(200_000 * SCALE));
  const host = { env: { h: { params: ['i32'], results: ['i32'], fn: (x) => (x ^ 1) | 0 } } };
  const nat = measure(() => nativeEngine.instantiate(bytes, host).call('run', [calls]), RUNS, 2);
  const entry = { calls, nativeNsPerCall: (nat.medianMs * 1e6) / calls };
  if (interp.available) {
    try {
      const inst = interp.instantiate(bytes, host);
      const i = measure(() => inst.call('run', [calls]), RUNS, 1);
      entry.interpreterNsPerCall = (i.medianMs * 1e6) / calls;
      entry.resultsMatch = unsigned(i.result) === unsigned(nat.result);
    } catch (e) {
      entry.error = describe(e);
    }
  }
  report.hostCall = entry;
  report.summary.hostCallNs = entry.interpreterNsPerCall;
  log(`  host call: native ${entry.nativeNsPerCall.toFixed(0)} ns/call, interpreter ${entry.interpreterNsPerCall !== undefined ? `${entry.interpreterNsPerCall.toFixed(0)} ns/call` : entry.error ?? '-'}${entry.resultsMatch === false ? ' MISMATCH' : ''}`);
}

// --- memory per idle instance -------------------------------------------------------------------------------
if (!opts.only || opts.only.split(',').includes('memory')) {
  const entry = {};
  if (typeof globalThis.gc !== 'function') {
    entry.skipped = 'run with node --expose-gc';
  } else {
    const bytes = wat('idle');
    const N = 200;
    const perInstance = (engine) => {
      const module = engine.compile(bytes);
      const keep = [];
      globalThis.gc();
      globalThis.gc();
      const before = process.memoryUsage();
      for (let i = 0; i < N; i++) keep.push(engine.instantiateModule(module, {}));
      globalThis.gc();
      globalThis.gc();
      const after = process.memoryUsage();
      const heap = (after.heapUsed - before.heapUsed) / N;
      const external = (after.external - before.external + after.arrayBuffers - before.arrayBuffers) / N;
      keep.length = 0;
      return { heapBytes: Math.round(heap), externalBytes: Math.round(external) };
    };
    entry.instances = N;
    entry.moduleBytes = bytes.length;
    entry.native = perInstance(nativeEngine);
    if (interp.available) {
      try {
        entry.interpreter = perInstance(interp);
      } catch (e) {
        entry.error = describe(e);
      }
    }
  }
  report.memoryPerInstance = entry;
  report.summary.memoryPerInstanceBytes = entry.interpreter ? entry.interpreter.heapBytes + entry.interpreter.externalBytes : undefined;
  log(`  idle instance (1-page memory module): ${entry.skipped ?? `native heap ${kb(entry.native.heapBytes)} + buffers ${kb(entry.native.externalBytes)}, interpreter ${entry.interpreter ? `heap ${kb(entry.interpreter.heapBytes)} + buffers ${kb(entry.interpreter.externalBytes)}` : entry.error ?? '-'}`}`);
}

// --- an unmodified npm package through the WebAssembly facade --------------------------------------------------
if (!opts.only || opts.only.split(',').includes('facade')) {
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
  log(`  hash-wasm sha256 via facade: ${entry.error ?? `${entry.facadeMBps.toFixed(2)} MB/s vs native ${entry.nativeMBps.toFixed(0)} MB/s (${entry.ratio.toFixed(0)}x)${entry.resultsMatch ? '' : ' MISMATCH'}`}`);
}

// --- webassemblyjs, for reference ---------------------------------------------------------------------------
if (!opts.only || opts.only.split(',').includes('webassemblyjs')) {
  report.webassemblyjs = await runWebassemblyjs(wat, nativeEngine, interp, measure);
  for (const r of report.webassemblyjs.workloads) {
    log(`  webassemblyjs ${r.name}(${r.arg}): ${r.ran ? `${r.ratioVsNative.toFixed(0)}x native${r.ratioVsInterpreter !== undefined ? `, ${r.ratioVsInterpreter.toFixed(1)}x the interpreter` : ''}` : `did not run: ${r.reason}`}`);
  }
}

// --- summary ------------------------------------------------------------------------------------------------
const s = report.summary;
const verdict = (ok) => (ok === undefined ? 'n/a' : ok ? 'meets target' : 'MISSES target');
s.verdicts = {
  geomeanRatio: verdict(s.geomeanRatio === undefined ? undefined : s.geomeanRatio <= TARGETS.geomeanRatio),
  worstRatio: verdict(s.worstRatio === undefined ? undefined : s.worstRatio <= TARGETS.worstRatio),
  compileMBps: verdict(s.compileMBps === undefined ? undefined : s.compileMBps >= TARGETS.compileMBps),
  hostCallNs: verdict(s.hostCallNs === undefined ? undefined : s.hostCallNs <= TARGETS.hostCallNs),
};
const mismatches = report.workloads.filter((w) => w.resultsMatch === false).map((w) => w.name);
if (mismatches.length) s.mismatches = mismatches;

log('');
log(table([['workload', 'size', 'native', 'interpreter', 'ratio', 'cpu ratio', 'result'], ...rows]));
log('');
log(`geomean ratio   ${fmt(s.geomeanRatio, 'x')}   (target <= ${TARGETS.geomeanRatio}x: ${s.verdicts.geomeanRatio}; by CPU time ${fmt(s.geomeanCpuRatio, 'x')})`);
log(`worst ratio     ${fmt(s.worstRatio, 'x')}${s.worstWorkload ? ` (${s.worstWorkload})` : ''}   (target <= ${TARGETS.worstRatio}x: ${s.verdicts.worstRatio})`);
log(`compile         ${fmt(s.compileMBps, ' MB/s')}   (target >= ${TARGETS.compileMBps} MB/s: ${s.verdicts.compileMBps})`);
log(`host call       ${fmt(s.hostCallNs, ' ns')}   (target <= ${TARGETS.hostCallNs} ns: ${s.verdicts.hostCallNs})`);
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
