// Runtime benchmarks, run with plain Node against the built dist (pnpm bench builds first):
//   node --expose-gc bench/run.mjs [--quick]
// Writes bench-results/runtime.json. Figures on a shared 2-core machine are noisy: compare ratios from one run.
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { validateInstruction } from '@fayger/contracts';
import { createInterpreterImplementation } from '@fayger/interpreter';
import { createRuntime } from '../dist/index.js';

const here = dirname(fileURLToPath(import.meta.url));
const quick = process.argv.includes('--quick');
const wabt = await createRequire(import.meta.url)('wabt')();

function wat(text) {
  const m = wabt.parseWat('bench.wat', text, {});
  try {
    return new Uint8Array(m.toBinary({}).buffer);
  } finally {
    m.destroy();
  }
}

/** A minimal in-memory InstructionBus: validates like the real bus, answers sync ops at once, async ops on a microtask. */
function benchBus(validate = true) {
  const open = new Map();
  const never = new Set();
  return {
    adapterId: 'bench',
    hostKind: 'server',
    available: () => [{ name: 'clock' }, { name: 'timer' }, { name: 'app' }],
    negotiate(requested) {
      const granted = requested.map((r) => ({ name: r.name }));
      return { entries: [], granted, missingRequired: [], absentOptional: [] };
    },
    open(b) {
      open.set(b.instanceId, b);
    },
    subscribe: () => () => undefined,
    async close(id) {
      open.delete(id);
      never.delete(id);
    },
    dispatch(ins, instanceId) {
      if (validate) validateInstruction(ins);
      if (!open.has(instanceId)) return { v: 1, id: ins.id, ok: false, error: { code: 'ADAPTER_INSTANCE_UNKNOWN' } };
      switch (ins.op) {
        case 'clock.now':
          return { v: 1, id: ins.id, ok: true, value: { timeMs: 0 } };
        case 'timer.sleep':
          return Promise.resolve({ v: 1, id: ins.id, ok: true, value: {} });
        case 'app.poll':
          return new Promise(() => never.add(instanceId)); // idle forever
        default:
          return {
            v: 1,
            id: ins.id,
            ok: false,
            error: { code: 'ADAPTER_UNSUPPORTED_OP', message: ins.op, phase: ins.op },
          };
      }
    },
  };
}

function buf(code, capabilities = [], quotas = {}) {
  return {
    manifest: {
      id: 'bench.guest',
      version: '1.0.0',
      publisher: 'bench',
      runtime: { interface: '^1.0.0' },
      entry: { section: 'code', export: '_start' },
      capabilities: capabilities.map((name) => ({ name, required: true })),
      quotas,
      security: { sequence: 1 },
    },
    has: (n) => n === 'code',
    section: async () => code,
  };
}

const runtimeFor = (limits = {}, validate = true) =>
  createRuntime({ implementations: [createInterpreterImplementation()], bus: benchBus(validate), limits });

// ---- guest → host round trips ------------------------------------------------------------
const loopGuest = (callExpr, n) =>
  wat(`(module
    (import "fayger" "clock_now" (func $now (param i32) (result f64)))
    (import "fayger" "sleep_ms" (func $sleep (param f64) (result i32)))
    (memory (export "memory") 1)
    (func (export "_start") (local $i i32)
      (loop $l ${callExpr}
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br_if $l (i32.lt_u (local.get $i) (i32.const ${n}))))))`);

async function timeRun(code, caps, validate) {
  const rt = runtimeFor({ sliceFuel: 1_000_000 }, validate);
  const t0 = process.hrtime.bigint();
  await rt.instantiate(buf(code, caps)).runToCompletion();
  return Number(process.hrtime.bigint() - t0);
}

async function roundTrip(callExpr, n, caps, validate = true) {
  const base = loopGuest('(nop)', n);
  const withCall = loopGuest(callExpr, n);
  await timeRun(withCall, caps, validate); // warm up
  await timeRun(base, caps, validate);
  const samples = [];
  for (let r = 0; r < 3; r++) {
    const a = await timeRun(withCall, caps, validate);
    const b = await timeRun(base, caps, validate);
    samples.push((a - b) / n);
  }
  samples.sort((x, y) => x - y);
  return samples[1];
}

const SYNC_N = quick ? 20_000 : 100_000;
const ASYNC_N = quick ? 2_000 : 20_000;
const syncNs = await roundTrip('(drop (call $now (i32.const 1)))', SYNC_N, ['clock']);
const syncTrustNs = await roundTrip('(drop (call $now (i32.const 1)))', SYNC_N, ['clock'], false);
const asyncNs = await roundTrip('(drop (call $sleep (f64.const 0)))', ASYNC_N, ['timer']);
console.log(
  `sync round trip (fayger.clock_now → clock.now): ${(syncNs / 1000).toFixed(2)} µs/call with a validating bus, ${(syncTrustNs / 1000).toFixed(2)} µs/call runtime side only (bus skips validation)`,
);
console.log(
  `async round trip (fayger.sleep_ms → timer.sleep, suspend + resume): ${(asyncNs / 1000).toFixed(2)} µs/call`,
);

// ---- 1,000 concurrent idle instances --------------------------------------------------------
const IDLE_N = quick ? 200 : 1000;
const idleGuest = wat(`(module
  (import "fayger" "call" (func $call (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 0) "app.poll")
  (data (i32.const 16) "{}")
  (func (export "_start") (drop (call $call (i32.const 0) (i32.const 8) (i32.const 16) (i32.const 2)))))`);
const gc = globalThis.gc ?? (() => undefined);
gc();
const before = process.memoryUsage();
const idleRt = runtimeFor();
const idle = [];
for (let i = 0; i < IDLE_N; i++) idle.push(idleRt.instantiate(buf(idleGuest, ['app'])));
await Promise.all(idle.map((x) => x.start()));
// Wait until every instance has run its first slice and is parked on the host promise.
const t0Idle = Date.now();
while (!idle.every((x) => x.usage().hostCalls === 1) && Date.now() - t0Idle < 20_000)
  await new Promise((r) => setTimeout(r, 20));
const settleMs = Date.now() - t0Idle;
gc();
const after = process.memoryUsage();
const allWaiting = idle.every((x) => x.state === 'Running' && x.usage().hostCalls === 1);

const perInstance = {
  heapBytes: Math.round((after.heapUsed - before.heapUsed) / IDLE_N),
  arrayBufferBytes: Math.round((after.arrayBuffers - before.arrayBuffers) / IDLE_N),
};
await idleRt.shutdown();
idle.length = 0;

// The same guests parked directly on the implementation (no runtime), side by side: the runtime's own share.
gc();
const beforeImpl = process.memoryUsage();
const impl = createInterpreterImplementation();
const compiledIdle = await impl.compile(idleGuest);
const bare = [];
for (let i = 0; i < IDLE_N; i++) {
  const g = await compiledIdle.instantiate({ fayger: { call: () => new Promise(() => undefined) } });
  const c = g.call('_start', []);
  c.run({ fuel: 10_000 });
  bare.push([g, c]);
}
gc();
const afterImpl = process.memoryUsage();
const implPerInstance = {
  heapBytes: Math.round((afterImpl.heapUsed - beforeImpl.heapUsed) / IDLE_N),
  arrayBufferBytes: Math.round((afterImpl.arrayBuffers - beforeImpl.arrayBuffers) / IDLE_N),
};
for (const [g] of bare) g.terminate();
const runtimeOverheadBytes =
  perInstance.heapBytes + perInstance.arrayBufferBytes - implPerInstance.heapBytes - implPerInstance.arrayBufferBytes;
console.log(
  `${IDLE_N} idle instances (each parked on app.poll, all waiting: ${allWaiting}, ${settleMs} ms until all parked):`,
);
console.log(
  `  JS heap ${(perInstance.heapBytes / 1024).toFixed(1)} KiB/instance, guest memory ${(perInstance.arrayBufferBytes / 1024).toFixed(1)} KiB/instance (1 page declared)`,
);
console.log(
  `  of which the implementation alone (same guest parked without the runtime): heap ${(implPerInstance.heapBytes / 1024).toFixed(1)} KiB, buffers ${(implPerInstance.arrayBufferBytes / 1024).toFixed(1)} KiB; runtime overhead ≈ ${(runtimeOverheadBytes / 1024).toFixed(1)} KiB/instance`,
);

// ---- fairness of two busy instances --------------------------------------------------------
const busy = wat(
  `(module (func (export "_start") (local $i i32) (loop $l (local.set $i (i32.add (local.get $i) (i32.const 1))) (br $l))))`,
);
const fairRt = runtimeFor({ sliceFuel: 10_000 });
const a = fairRt.instantiate(buf(busy));
const b = fairRt.instantiate(buf(busy));
await Promise.all([a.start(), b.start()]);
const FAIR_MS = quick ? 300 : 1000;
await new Promise((r) => setTimeout(r, FAIR_MS));
a.suspend();
b.suspend();
const fa = a.usage().fuelUsed;
const fb = b.usage().fuelUsed;
await fairRt.shutdown();
const shareA = fa / (fa + fb);
console.log(
  `fairness over ${FAIR_MS} ms: fuel A ${fa}, B ${fb}, share A ${(shareA * 100).toFixed(1)} %, spread ${((Math.abs(fa - fb) / Math.max(fa, fb)) * 100).toFixed(2)} %`,
);
console.log(`  total guest throughput ${((((fa + fb) / FAIR_MS) * 1000) / 1e6).toFixed(1)} Mfuel/s`);

const result = {
  package: '@fayger/runtime',
  date: new Date().toISOString(),
  node: process.version,
  quick,
  roundTrip: {
    syncNsPerCall: Math.round(syncNs),
    syncNsPerCallWithoutBusValidation: Math.round(syncTrustNs),
    asyncNsPerCall: Math.round(asyncNs),
    syncCalls: SYNC_N,
    asyncCalls: ASYNC_N,
    note: 'guest loop with one host call per iteration minus the same loop without it (median of 3); bus validates each instruction',
  },
  idleInstances: {
    count: IDLE_N,
    allWaiting,
    settleMs,
    perInstance,
    implementationOnlyPerInstance: implPerInstance,
    runtimeOverheadBytes,
  },
  fairness: {
    windowMs: FAIR_MS,
    sliceFuel: 10_000,
    fuelA: fa,
    fuelB: fb,
    shareA,
    spread: Math.abs(fa - fb) / Math.max(fa, fb),
  },
};
mkdirSync(join(here, '..', 'bench-results'), { recursive: true });
writeFileSync(join(here, '..', 'bench-results', 'runtime.json'), JSON.stringify(result, null, 2) + '\n');
console.log('wrote bench-results/runtime.json');
