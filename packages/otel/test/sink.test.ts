import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { context, SpanStatusCode, trace, type Attributes } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider, type ReadableSpan } from '@opentelemetry/sdk-trace';
import {
  AggregationTemporality,
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
  type MetricData,
} from '@opentelemetry/sdk-metrics';
import { LOADER_PHASES } from '@fayger/contracts';
import { createMemoryAdapter } from '@fayger/adapter-core';
import { EventBus } from '@fayger/observability';
import { buildHostPolicy, createFayger } from 'fayger';
import { createOtelSink } from '../src/index.js';
import { denialProbe, quick, spinner, testKey } from './support/guests.js';

function sdk() {
  const spans = new InMemorySpanExporter();
  const tracerProvider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter: spans })] });
  const metricExporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
  const reader = new PeriodicExportingMetricReader({ exporter: metricExporter, exportIntervalMillis: 3_600_000 });
  const meterProvider = new MeterProvider({ readers: [reader] });
  return {
    tracerProvider,
    meterProvider,
    async finished(): Promise<ReadableSpan[]> {
      await tracerProvider.forceFlush();
      return spans.getFinishedSpans();
    },
    async metrics(): Promise<MetricData[]> {
      await reader.forceFlush();
      return (
        metricExporter
          .getMetrics()
          .at(-1)
          ?.scopeMetrics.flatMap((s) => s.metrics) ?? []
      );
    },
  };
}

const byName = (spans: ReadableSpan[], name: string) => spans.filter((s) => s.name === name);
const one = (spans: ReadableSpan[], name: string) => {
  const found = byName(spans, name);
  expect(found, name).toHaveLength(1);
  return found[0];
};
const parentOf = (s: ReadableSpan) => s.parentSpanContext?.spanId;
const points = (ms: MetricData[], name: string) => ms.find((m) => m.descriptor.name === name)?.dataPoints ?? [];
const withAttrs = (ps: { attributes: Attributes; value: unknown }[], attrs: Attributes) =>
  ps.filter((p) => Object.entries(attrs).every(([k, v]) => p.attributes[k] === v));

const TIMER_APP = [
  { name: 'timer' as const, required: true },
  { name: 'app' as const, required: true },
];

describe('createOtelSink with the OpenTelemetry SDK', () => {
  beforeAll(() => {
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  });
  afterAll(() => {
    context.disable();
  });

  it('maps a load to fayger.load with one child span per phase, and the instance to fayger.instance', async () => {
    const key = testKey();
    const buf = await key.pack('test.fayger.quick', quick(), TIMER_APP);
    const t = sdk();
    const fayger = createFayger({ adapter: createMemoryAdapter(), trust: { roots: key.roots } });
    const sink = createOtelSink(fayger.events!, t);
    const result = await fayger.run(buf, { strategy: 'eager' });
    await fayger.close();
    sink.detach();
    expect(result.state).toBe('Terminated');

    const spans = await t.finished();
    const load = one(spans, 'fayger.load');
    expect(parentOf(load)).toBeUndefined();
    expect(load.status.code).toBe(SpanStatusCode.UNSET);
    expect(load.attributes).toMatchObject({
      'fayger.artifact.id': 'test.fayger.quick',
      'fayger.artifact.version': '1.0.0',
      'fayger.artifact.publisher': 'test.fayger',
      'fayger.load.strategy': 'eager',
      'fayger.load.sections': ['main'],
      'fayger.load.sections_selected': 1,
    });
    expect(load.attributes['fayger.signature.key_ids']).toHaveLength(1);
    expect(load.attributes['fayger.load.bytes_read']).toBeGreaterThan(buf.length - 1);

    const children = spans.filter((s) => parentOf(s) === load.spanContext().spanId);
    // Eager: every phase of the pipeline, in order (read-bodies included).
    expect(children.map((s) => s.name)).toEqual(LOADER_PHASES.map((p) => `fayger.load.${p}`));
    for (const c of children) {
      expect(c.spanContext().traceId).toBe(load.spanContext().traceId);
      expect(c.attributes['fayger.load.phase']).toBe(c.name.slice('fayger.load.'.length));
    }

    const instance = one(spans, 'fayger.instance');
    expect(instance.attributes).toMatchObject({
      'fayger.instance.id': result.instanceId,
      'fayger.instance.state': 'Terminated',
    });
    expect(instance.attributes['fayger.instance.fuel_used']).toBe(result.usage.fuelUsed);
    expect(instance.attributes['fayger.instance.host_calls']).toBe(result.usage.hostCalls);
    expect(instance.attributes['fayger.instance.memory.peak_pages']).toBe(result.usage.peakMemoryPages);
    const transitions = instance.events
      .filter((e) => e.name === 'fayger.lifecycle.transition')
      .map((e) => e.attributes?.['fayger.lifecycle.to']);
    expect(transitions).toEqual(['Initialized', 'Running', 'Terminated']);

    const ms = await t.metrics();
    const calls = points(ms, 'fayger.host_calls');
    expect(
      withAttrs(calls, {
        'fayger.op': 'timer.sleep',
        'fayger.capability': 'timer',
        'fayger.host_call.outcome': 'ok',
      })[0]?.value,
    ).toBe(1);
    const latency = withAttrs(points(ms, 'fayger.host_call.duration'), { 'fayger.op': 'timer.sleep' });
    expect(latency).toHaveLength(1);
    // sleep_ms(20): the histogram is in seconds.
    expect((latency[0].value as { sum: number }).sum).toBeGreaterThan(0.015);
    expect(
      withAttrs(points(ms, 'fayger.instructions'), {
        'fayger.op': 'timer.sleep',
        'fayger.instruction.mode': 'async',
      })[0]?.value,
    ).toBe(1);
  });

  it("makes the embedder's active span the parent of a load and of the instance started inside it", async () => {
    const key = testKey();
    const buf = await key.pack('test.fayger.quick', quick(), TIMER_APP);
    const t = sdk();
    const fayger = createFayger({ adapter: createMemoryAdapter(), trust: { roots: key.roots } });
    const sink = createOtelSink(fayger.events!, { ...t, hostCallSpans: true });
    const embedder = t.tracerProvider.getTracer('embedder');
    let seenContext: boolean | undefined;
    await embedder.startActiveSpan('handle request', async (root) => {
      const handle = await fayger.start(buf);
      // The instance's context carries its span while it lives.
      seenContext = trace.getSpan(sink.contextOf(handle.instance.id)!) !== undefined;
      await handle.done;
      root.end();
    });
    await fayger.close();
    sink.detach();
    expect(seenContext).toBe(true);

    const spans = await t.finished();
    const root = one(spans, 'handle request');
    const load = one(spans, 'fayger.load');
    const instance = one(spans, 'fayger.instance');
    expect(parentOf(load)).toBe(root.spanContext().spanId);
    expect(parentOf(instance)).toBe(root.spanContext().spanId);
    for (const s of spans) expect(s.spanContext().traceId).toBe(root.spanContext().traceId);
    // The async host call (timer.sleep), whatever context it resolved in, is a child of its instance.
    const calls = byName(spans, 'fayger.host_call');
    expect(calls.map((s) => s.attributes['fayger.op'])).toContain('timer.sleep');
    for (const call of calls) expect(parentOf(call)).toBe(instance.spanContext().spanId);
  });

  it('a failed load: error status and an exception event with the FaygerError code, layer and phase', async () => {
    const key = testKey();
    const other = testKey();
    const buf = await key.pack('test.fayger.quick', quick(), TIMER_APP);
    const t = sdk();
    const fayger = createFayger({ adapter: createMemoryAdapter(), trust: { roots: other.roots } });
    const sink = createOtelSink(fayger.events!, t);
    const err = await fayger.run(buf).catch((e: unknown) => e);
    await fayger.close();
    sink.detach();
    expect((err as { code?: string }).code).toMatch(/^SECURITY_/);

    const spans = await t.finished();
    const load = one(spans, 'fayger.load');
    expect(load.status.code).toBe(SpanStatusCode.ERROR);
    const { code, layer, phase } = err as { code: string; layer: string; phase: string };
    // The load failed in its verify-signature phase; the error is the security layer's own.
    expect(load.attributes).toMatchObject({
      'error.type': code,
      'fayger.error.code': code,
      'fayger.error.layer': layer,
      'fayger.error.phase': phase,
      'fayger.load.phase': 'verify-signature',
    });
    const exception = load.events.find((e) => e.name === 'exception');
    expect(exception?.attributes).toMatchObject({
      'exception.type': code,
      'fayger.error.code': code,
      'fayger.error.layer': layer,
      'fayger.error.phase': phase,
    });
    const failed = one(spans, 'fayger.load.verify-signature');
    expect(failed.status.code).toBe(SpanStatusCode.ERROR);
    expect(parentOf(failed)).toBe(load.spanContext().spanId);
    // Phases after the failing one never started.
    expect(byName(spans, 'fayger.load.select')).toHaveLength(0);
    expect(byName(spans, 'fayger.instance')).toHaveLength(0);
  });

  it('a failed instance: error status, the quota breach as a span event and a metric', async () => {
    const key = testKey();
    const buf = await key.pack('test.fayger.spin', spinner(), []);
    const t = sdk();
    const fayger = createFayger({ adapter: createMemoryAdapter(), trust: { roots: key.roots } });
    const sink = createOtelSink(fayger.events!, t);
    const result = await fayger.run(buf, { quotas: { fuel: 100_000 } });
    await fayger.close();
    sink.detach();
    expect(result.error?.code).toBe('QUOTA_FUEL_EXCEEDED');

    const instance = one(await t.finished(), 'fayger.instance');
    expect(instance.status.code).toBe(SpanStatusCode.ERROR);
    expect(instance.attributes).toMatchObject({
      'error.type': 'QUOTA_FUEL_EXCEEDED',
      'fayger.error.code': 'QUOTA_FUEL_EXCEEDED',
      'fayger.error.layer': 'runtime',
      'fayger.instance.state': 'Failed',
    });
    expect(instance.attributes['fayger.instance.fuel_used']).toBeGreaterThanOrEqual(100_000);
    expect(instance.events.find((e) => e.name === 'fayger.quota.breach')?.attributes).toMatchObject({
      'fayger.quota.resource': 'fuel',
      'fayger.quota.action': 'fail',
    });
    expect(instance.events.some((e) => e.name === 'exception')).toBe(true);
    const breaches = points(await t.metrics(), 'fayger.quota.breaches');
    expect(withAttrs(breaches, { 'fayger.quota.resource': 'fuel' })[0]?.value).toBe(1);
  });

  it('counts denials by op, capability and reason; a denied call is an error host-call span', async () => {
    const key = testKey();
    const buf = await key.pack('test.fayger.probe', denialProbe(), [
      { name: 'random', required: false },
      { name: 'app', required: true },
    ]);
    const t = sdk();
    const fayger = createFayger({
      adapter: createMemoryAdapter(),
      trust: { roots: key.roots },
      policy: buildHostPolicy({ deny: ['random'] }),
    });
    const sink = createOtelSink(fayger.events!, { ...t, hostCallSpans: true });
    expect((await fayger.run(buf)).exitCode).toBe(1);
    await fayger.close();
    sink.detach();

    const ms = await t.metrics();
    const denied = {
      'fayger.op': 'random.bytes',
      'fayger.capability': 'random',
      'fayger.denial.reason': 'CAPABILITY_DENIED',
    };
    expect(withAttrs(points(ms, 'fayger.host_call.denials'), denied)[0]?.value).toBe(1);
    expect(
      withAttrs(points(ms, 'fayger.host_calls'), {
        'fayger.op': 'random.bytes',
        'fayger.host_call.outcome': 'denied',
      })[0]?.value,
    ).toBe(1);
    const spans = await t.finished();
    const call = byName(spans, 'fayger.host_call').find((s) => s.attributes['fayger.op'] === 'random.bytes');
    expect(call?.status.code).toBe(SpanStatusCode.ERROR);
    expect(call?.attributes['error.type']).toBe('CAPABILITY_DENIED');
    expect(parentOf(call!)).toBe(one(spans, 'fayger.instance').spanContext().spanId);
  });

  it('with no SDK registered it does not ask for host-call events (the runtime then skips building them)', () => {
    const bus = new EventBus();
    const sink = createOtelSink(bus);
    expect(bus.wants('instruction.dispatched')).toBe(false);
    expect(bus.wants('instruction.completed')).toBe(false);
    expect(bus.wants('loader.load.start')).toBe(true);
    sink.detach();
    expect(bus.subscriberCount).toBe(0);
  });

  it('refuses a source that is not an event bus with a typed error', () => {
    expect(() => createOtelSink({} as never)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });
});
