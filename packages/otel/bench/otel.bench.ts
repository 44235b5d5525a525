// The sink's cost. (1) A host call, end to end through the runtime, with no sink vs. with the sink attached and no
// OpenTelemetry SDK registered (the bar: not measurably slower) vs. with an SDK; rounds alternate so
// machine noise hits all variants alike. (2) The sink's handler cost per event on the bus, with an SDK.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import {
  AggregationTemporality,
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics';
import { createEvent, type AnyFaygerEvent } from '@fayger/contracts';
import { createMemoryAdapter } from '@fayger/adapter-core';
import { EventBus } from '@fayger/observability';
import { createFayger } from 'fayger';
import { createOtelSink, type OtelSinkOptions } from '../src/index.js';
import { testKey } from '../test/support/guests.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 9);
const CALLS = Number(process.env.BENCH_CALLS ?? 5_000);

const enc = new TextEncoder();
const name = (s: string) => [s.length, ...enc.encode(s)];
const section = (id: number, body: number[]) => [id, body.length, ...body];
const leb = (n: number) => {
  const out: number[] = [];
  for (;;) {
    const b = n & 0x7f;
    n >>= 7;
    const done = (n === 0 && (b & 0x40) === 0) || (n === -1 && (b & 0x40) !== 0);
    out.push(done ? b : b | 0x80);
    if (done) return out;
  }
};

/** `_start`: CALLS × fayger.random_fill(0, 4) in a loop, then fayger.exit(0). */
function hostCallLoop(calls: number): Uint8Array {
  const body = [
    0x01,
    0x01,
    0x7f, // one i32 local
    0x03,
    0x40, // loop
    0x41,
    0x00,
    0x41,
    0x04,
    0x10,
    0x00,
    0x1a, // random_fill(0, 4); drop
    0x20,
    0x00,
    0x41,
    0x01,
    0x6a,
    0x22,
    0x00, // i = i + 1
    0x41,
    ...leb(calls),
    0x48,
    0x0d,
    0x00, // br_if (i < calls)
    0x0b, // end loop
    0x41,
    0x00,
    0x10,
    0x01, // exit(0)
    0x0b,
  ];
  return new Uint8Array([
    0x00,
    0x61,
    0x73,
    0x6d,
    0x01,
    0x00,
    0x00,
    0x00,
    ...section(1, [0x03, 0x60, 0x02, 0x7f, 0x7f, 0x01, 0x7f, 0x60, 0x01, 0x7f, 0x00, 0x60, 0x00, 0x00]),
    ...section(2, [
      0x02,
      ...name('fayger'),
      ...name('random_fill'),
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
    ...section(10, [0x01, body.length, ...body]),
  ]);
}

function sdk(): Pick<OtelSinkOptions, 'tracerProvider' | 'meterProvider'> {
  const tracerProvider = new TracerProvider({
    spanProcessors: [new SimpleSpanProcessor({ exporter: new InMemorySpanExporter() })],
  });
  const reader = new PeriodicExportingMetricReader({
    exporter: new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE),
    exportIntervalMillis: 3_600_000,
  });
  return { tracerProvider, meterProvider: new MeterProvider({ readers: [reader] }) };
}

type Variant = 'no sink' | 'sink, no SDK' | 'sink + SDK';
const median = (xs: number[]) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)];
// On a shared machine other load only ever adds time, so the fastest round is the best estimate of the cost itself.
const best = (xs: number[]) => Math.min(...xs);

async function main(): Promise<void> {
  const key = testKey();
  const buf = await key.pack('test.fayger.bench', hostCallLoop(CALLS), [
    { name: 'random', required: true },
    { name: 'app', required: true },
  ]);
  const runOnce = async (variant: Variant): Promise<number> => {
    const fayger = createFayger({ adapter: createMemoryAdapter(), trust: { roots: key.roots } });
    const sink =
      variant === 'no sink' ? undefined : createOtelSink(fayger.events!, variant === 'sink + SDK' ? sdk() : {});
    const loaded = await fayger.load(buf);
    const handle = await fayger.start(loaded);
    const t0 = performance.now();
    const r = await handle.done;
    const ms = performance.now() - t0;
    if (r.state !== 'Terminated' || r.usage.hostCalls < CALLS)
      throw new Error(`bench guest ended ${r.state} after ${r.usage.hostCalls} host calls`);
    sink?.detach();
    await fayger.close();
    return (ms * 1e3) / CALLS;
  };
  const variants: Variant[] = ['no sink', 'sink, no SDK', 'sink + SDK'];
  for (const v of variants) await runOnce(v); // warm-up
  const samples: Record<Variant, number[]> = { 'no sink': [], 'sink, no SDK': [], 'sink + SDK': [] };
  for (let r = 0; r < ROUNDS; r++) for (const v of variants) samples[v].push(await runOnce(v));
  const hostCall = Object.fromEntries(
    variants.map((v) => [
      v,
      {
        usPerCallBest: +best(samples[v]).toFixed(3),
        usPerCallMedian: +median(samples[v]).toFixed(3),
        rounds: samples[v].map((x) => +x.toFixed(3)),
      },
    ]),
  );
  const base = best(samples['no sink']);

  // Handler cost per event: a bus with only the sink (with an SDK) subscribed.
  const perEvent: Record<string, number> = {};
  const bus = new EventBus();
  const sink = createOtelSink(bus, sdk());
  const completed = Array.from(
    { length: 16 },
    (_, i) =>
      createEvent('instruction.completed', {
        op: 'random.bytes',
        capability: 'random',
        instanceId: 'i1',
        correlationId: `c${i}`,
        durationMs: i / 7,
        ok: true,
      }) as AnyFaygerEvent,
  );
  const measure = (label: string, fn: (n: number) => void) => {
    const n = 200_000;
    fn(n / 10);
    const t0 = performance.now();
    fn(n);
    perEvent[label] = +(((performance.now() - t0) * 1e6) / n).toFixed(1);
  };
  measure('instruction.completed (counter + histogram), ns', (n) => {
    for (let i = 0; i < n; i++) bus.emit(completed[i & 15]);
  });
  const emptyBus = new EventBus();
  measure('same event, bus with no subscriber, ns', (n) => {
    for (let i = 0; i < n; i++) emptyBus.emit(completed[i & 15]);
  });
  sink.detach();

  const result = {
    bench: '@fayger/otel',
    date: new Date().toISOString(),
    node: process.version,
    callsPerRun: CALLS,
    rounds: ROUNDS,
    hostCall,
    // Best round against best round.
    overheadNoSdkPct: +(((best(samples['sink, no SDK']) - base) / base) * 100).toFixed(1),
    overheadWithSdkPct: +(((best(samples['sink + SDK']) - base) / base) * 100).toFixed(1),
    perEvent,
  };
  const out = join(dirname(fileURLToPath(import.meta.url)), '..', 'otel.json');
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
  console.log(JSON.stringify(result, null, 2));
}

await main();
