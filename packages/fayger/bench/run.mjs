// fayger benchmarks through the full stack (loader → security → runtime/interpreter → adapter bus):
//  1. time from fayger.run() to the guest's first Universal_Instruction for examples/hello, lazy vs eager
//     (median of FAYGER_BENCH_RUNS runs, default 15), plus time to the end of the run;
//  2. heap for FAYGER_BENCH_IDLE (default 1000) concurrent idle instances, each parked in timer.sleep.
// Needs dist builds (pnpm bench builds them) and examples/hello/dist/hello.buf. Writes bench-results/fayger.json.
import { mkdirSync, mkdtempSync, writeFileSync, existsSync, rmSync } from 'node:fs';
import { tmpdir, cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { createNodeFayger } from '../dist/node.js';
import { packBuf } from '@fayger/loader';
import { createEd25519Signer, detectDigestProvider, generateEd25519KeyPair, trustedRootEntry } from '@fayger/security';

const here = dirname(fileURLToPath(import.meta.url));
const repo = join(here, '..', '..', '..');
const hello = join(repo, 'examples', 'hello', 'dist', 'hello.buf');
const roots = join(repo, '.fayger-dev', 'trusted-roots.json');
const RUNS = Number(process.env.FAYGER_BENCH_RUNS ?? 15);
const IDLE = Number(process.env.FAYGER_BENCH_IDLE ?? 1000);
const state = mkdtempSync(join(tmpdir(), 'fayger-bench-'));
const sink = { write() {} };
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const round = (x) => Math.round(x * 1000) / 1000;

// Lazy and eager runs alternate within one loop so drift on a shared machine hits both alike.
async function firstInstruction() {
  const make = (strategy) =>
    createNodeFayger({
      trust: { rootsFile: roots },
      host: 'server',
      stateDir: state,
      stdio: false,
      log: { stream: sink },
      strategy,
    });
  const sides = {
    lazy: { fayger: make('lazy'), toFirst: [], total: [] },
    eager: { fayger: make('eager'), toFirst: [], total: [] },
  };
  for (let i = 0; i < RUNS + 2; i++) {
    for (const side of i % 2 ? [sides.lazy, sides.eager] : [sides.eager, sides.lazy]) {
      let first;
      const off = side.fayger.events.on('instruction.dispatched', () => {
        if (first === undefined) first = performance.now();
      });
      const t0 = performance.now();
      const r = await side.fayger.run(hello);
      const t1 = performance.now();
      off();
      if (r.exitCode !== 0) throw new Error(`hello failed: ${r.error?.code}`);
      // The first two rounds warm up the host's JIT (the interpreter itself has none).
      if (i >= 2) {
        side.toFirst.push(first - t0);
        side.total.push(t1 - t0);
      }
    }
  }
  const out = {};
  for (const [k, side] of Object.entries(sides)) {
    await side.fayger.close();
    out[k] = {
      runs: RUNS,
      medianMsToFirstInstruction: round(median(side.toFirst)),
      minMsToFirstInstruction: round(Math.min(...side.toFirst)),
      medianMsTotal: round(median(side.total)),
    };
  }
  return out;
}

// A guest that sleeps 60 s (fayger.sleep_ms) then exits: idle, parked in an async host call.
function sleeper() {
  const enc = new TextEncoder();
  const name = (s) => [s.length, ...enc.encode(s)];
  const section = (id, body) => [id, body.length, ...body];
  return new Uint8Array([
    0x00,
    0x61,
    0x73,
    0x6d,
    0x01,
    0x00,
    0x00,
    0x00,
    ...section(1, [0x03, 0x60, 0x01, 0x7c, 0x01, 0x7f, 0x60, 0x01, 0x7f, 0x00, 0x60, 0x00, 0x00]),
    ...section(2, [
      0x02,
      ...name('fayger'),
      ...name('sleep_ms'),
      0x00,
      0x00,
      ...name('fayger'),
      ...name('exit'),
      0x00,
      0x01,
    ]),
    ...section(3, [0x01, 0x02]),
    ...section(5, [0x01, 0x00, 0x01]),
    ...section(7, [0x02, ...name('memory'), 0x02, 0x00, ...name('_start'), 0x00, 0x02]),
    ...section(
      10,
      [0x01, 0x12, 0x00, 0x44, 0, 0, 0, 0, 0, 0x4c, 0xed, 0x40, 0x10, 0x00, 0x1a, 0x41, 0x00, 0x10, 0x01, 0x0b],
    ),
  ]);
}

async function idleInstances() {
  const kp = generateEd25519KeyPair();
  const digest = detectDigestProvider();
  const bytes = await packBuf(
    {
      id: 'bench.fayger.sleeper',
      version: '1.0.0',
      publisher: 'bench.fayger',
      runtime: { interface: '^1.0.0' },
      entry: { section: 'main', export: '_start' },
      capabilities: [
        { name: 'timer', required: true },
        { name: 'app', required: true },
      ],
      quotas: {},
      security: { sequence: 1 },
    },
    [{ name: 'main', kind: 'code', data: sleeper(), required: true }],
    { digest, signers: [createEd25519Signer(kp.secretKey)] },
  );
  const fayger = createNodeFayger({
    trust: { roots: { version: 1, keys: [trustedRootEntry(kp.publicKey, { publishers: ['bench.fayger'] })] } },
    host: 'server',
    stateDir: state,
    stdio: false,
    log: { stream: sink },
  });
  const loaded = await fayger.load(bytes);
  globalThis.gc?.();
  const before = process.memoryUsage();
  const t0 = performance.now();
  const handles = [];
  for (let i = 0; i < IDLE; i++) handles.push(await fayger.start(loaded));
  // Let every instance reach its sleep.
  while (fayger.bus.pendingCount() < IDLE) await new Promise((r) => setTimeout(r, 10));
  const startMs = performance.now() - t0;
  globalThis.gc?.();
  const after = process.memoryUsage();
  const states = new Set(handles.map((h) => h.instance.state));
  await fayger.close();
  return {
    instances: IDLE,
    states: [...states],
    heapUsedBytesPerInstance: Math.round((after.heapUsed - before.heapUsed) / IDLE),
    arrayBuffersBytesPerInstance: Math.round((after.arrayBuffers - before.arrayBuffers) / IDLE),
    rssDeltaMiB: round((after.rss - before.rss) / 1048576),
    msToStartAll: round(startMs),
  };
}

if (!existsSync(hello) || !existsSync(roots)) {
  console.error(`bench needs ${hello} and ${roots}: run \`pnpm turbo run build --filter @fayger/example-hello\` first`);
  process.exit(1);
}
const { lazy, eager } = await firstInstruction();
const idle = await idleInstances();
const result = {
  date: new Date().toISOString(),
  node: process.version,
  cpus: cpus().length,
  gcExposed: typeof globalThis.gc === 'function',
  helloRunToFirstInstruction: {
    lazy,
    eager,
    lazyOverEagerRatio: round(lazy.medianMsToFirstInstruction / eager.medianMsToFirstInstruction),
  },
  idleInstances: idle,
};
mkdirSync(join(here, '..', 'bench-results'), { recursive: true });
writeFileSync(join(here, '..', 'bench-results', 'fayger.json'), `${JSON.stringify(result, null, 2)}\n`);
rmSync(state, { recursive: true, force: true });
console.log(JSON.stringify(result, null, 2));
