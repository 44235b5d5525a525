// Emit throughput of the event bus, measured side by side in one run against the built dist (plain node:
// Node 20 cannot run the TypeScript sources). Run with `pnpm bench` (builds first); writes
// bench-results/observability.json. Env: BENCH_ROUND_MS (default 700), BENCH_ROUNDS (default 3).
import { mkdirSync, writeFileSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, '..', 'dist', 'index.js');
if (!existsSync(dist)) {
  console.error(
    `bench: ${dist} is missing; run \`pnpm build\` in packages/contracts and packages/observability first.`,
  );
  process.exit(1);
}
const { EventBus, jsonLinesSink } = await import(dist);
const { createEvent, noopSink } = await import('@fayger/contracts').catch((error) => {
  console.error('bench: cannot load @fayger/contracts from its dist; run `pnpm build` in packages/contracts first.');
  throw error;
});

const ROUND_MS = Number(process.env.BENCH_ROUND_MS ?? 700);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const BATCH = 10_000;

// Several distinct events so the JIT cannot treat the argument as a constant.
const prebuilt = Array.from({ length: 16 }, (_, i) =>
  createEvent('instruction.completed', {
    op: 'clock.now',
    capability: 'clock',
    instanceId: 'i1',
    correlationId: `c${i}`,
    durationMs: i / 7,
    ok: true,
  }),
);
let sinkHole = 0;
const noopWriter = {
  write: (s) => {
    sinkHole += s.length;
  },
};

function measure(fn) {
  // Warm-up lets the JIT settle before timing.
  const warmEnd = performance.now() + 200;
  while (performance.now() < warmEnd) fn(BATCH);
  const rounds = [];
  for (let r = 0; r < ROUNDS; r++) {
    let ops = 0;
    const start = performance.now();
    let now = start;
    while (now - start < ROUND_MS) {
      fn(BATCH);
      ops += BATCH;
      now = performance.now();
    }
    rounds.push(ops / ((now - start) / 1000));
  }
  const sorted = rounds.slice().sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)];
  return { eventsPerSec: Math.round(median), nsPerEvent: +(1e9 / median).toFixed(1), rounds: rounds.map(Math.round) };
}

const cases = {};
{
  const bus = new EventBus();
  cases['bus.emit(prebuilt), no subscriber'] = measure((n) => {
    for (let i = 0; i < n; i++) bus.emit(prebuilt[i & 15]);
  });
  cases['bus.publish(name, data), no subscriber'] = measure((n) => {
    for (let i = 0; i < n; i++)
      bus.publish('instruction.completed', {
        op: 'clock.now',
        capability: 'clock',
        instanceId: 'i1',
        correlationId: 'c',
        durationMs: i,
        ok: true,
      });
  });
  cases['bus.emit(createEvent(...)), no subscriber'] = measure((n) => {
    for (let i = 0; i < n; i++)
      bus.emit(
        createEvent('instruction.completed', {
          op: 'clock.now',
          capability: 'clock',
          instanceId: 'i1',
          correlationId: 'c',
          durationMs: i,
          ok: true,
        }),
      );
  });
  cases['noopSink.emit(prebuilt) (baseline)'] = measure((n) => {
    for (let i = 0; i < n; i++) noopSink.emit(prebuilt[i & 15]);
  });
}
{
  // The common production shape: something listens, but not to this name (wants() walks the name channels).
  const bus = new EventBus();
  bus.on('runtime.quota.breach', () => {});
  bus.subscribe({ name: 'loader.*' }, () => {});
  cases['bus.publish(name, data), subscribers on other names only'] = measure((n) => {
    for (let i = 0; i < n; i++)
      bus.publish('instruction.completed', {
        op: 'clock.now',
        capability: 'clock',
        instanceId: 'i1',
        correlationId: 'c',
        durationMs: i,
        ok: true,
      });
  });
}
{
  const bus = new EventBus();
  bus.pipe(jsonLinesSink(noopWriter));
  cases['bus.publish(name, data), one JSON-lines sink (no-op writer)'] = measure((n) => {
    for (let i = 0; i < n; i++)
      bus.publish('instruction.completed', {
        op: 'clock.now',
        capability: 'clock',
        instanceId: 'i1',
        correlationId: 'c',
        durationMs: i,
        ok: true,
      });
  });
  cases['bus.emit(prebuilt), one JSON-lines sink (no-op writer)'] = measure((n) => {
    for (let i = 0; i < n; i++) bus.emit(prebuilt[i & 15]);
  });
}

const noSub = cases['bus.publish(name, data), no subscriber'].eventsPerSec;
const withJson = cases['bus.publish(name, data), one JSON-lines sink (no-op writer)'].eventsPerSec;
const result = {
  benchmark: 'observability emit throughput',
  node: process.version,
  platform: `${process.platform}-${process.arch}`,
  date: new Date().toISOString(),
  roundMs: ROUND_MS,
  rounds: ROUNDS,
  note:
    'median of rounds; events/s on one thread; JSON-lines writes to a writer that only counts characters. ' +
    'With no subscriber the JIT inlines the early return and drops the unused payload allocation, so those ' +
    'figures mean "free", not a precise cost.',
  cases,
  ratios: { noSubscriberOverJsonLines: +(noSub / withJson).toFixed(1) },
  checksum: sinkHole,
};

const outDir = join(here, '..', 'bench-results');
mkdirSync(outDir, { recursive: true });
writeFileSync(join(outDir, 'observability.json'), `${JSON.stringify(result, null, 2)}\n`);
for (const [name, r] of Object.entries(cases))
  console.log(
    `${name.padEnd(62)} ${r.eventsPerSec.toLocaleString('en-US').padStart(14)} events/s  ${String(r.nsPerEvent).padStart(8)} ns/event`,
  );
console.log(`ratio no-subscriber / JSON-lines publish: ${result.ratios.noSubscriberOverJsonLines}x`);
console.log(`wrote ${join(outDir, 'observability.json')}`);
