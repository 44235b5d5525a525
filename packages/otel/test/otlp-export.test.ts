import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SpanStatusCode } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { createMemoryAdapter } from '@fayger/adapter-core';
import { createFayger } from 'fayger';
import { createOtelSink } from '../src/index.js';
import { quick, testKey } from './support/guests.js';
import { attr, startOtlpReceiver, type OtlpReceiver } from './support/otlp-receiver.js';

describe('OTLP/HTTP export (official exporter → receiver on 127.0.0.1)', () => {
  let receiver: OtlpReceiver;
  beforeAll(async () => {
    receiver = await startOtlpReceiver();
  });
  afterAll(() => receiver.close());

  it('delivers the load span tree and the instance span, decodable as OTLP JSON', async () => {
    const key = testKey();
    const buf = await key.pack('test.fayger.quick', quick(), [
      { name: 'timer', required: true },
      { name: 'app', required: true },
    ]);
    const exporter = new OTLPTraceExporter({ url: `${receiver.url}/v1/traces` });
    const tracerProvider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter })] });
    const fayger = createFayger({ adapter: createMemoryAdapter(), trust: { roots: key.roots } });
    const sink = createOtelSink(fayger.events!, { tracerProvider });
    const result = await fayger.run(buf);
    await fayger.close();
    sink.detach();
    await tracerProvider.shutdown();

    expect(receiver.received.every((r) => r.contentType.includes('application/json'))).toBe(true);
    const spans = receiver.spans();
    const load = spans.find((s) => s.name === 'fayger.load')!;
    expect(load).toBeDefined();
    expect(attr(load, 'fayger.artifact.id')).toBe('test.fayger.quick');
    expect(attr(load, 'fayger.load.sections')).toEqual(['main']);
    const phases = spans.filter((s) => s.parentSpanId === load.spanId).map((s) => s.name);
    expect(phases).toEqual(
      expect.arrayContaining(['fayger.load.read', 'fayger.load.verify-signature', 'fayger.load.hand-off']),
    );
    expect(new Set(spans.map((s) => s.traceId)).size).toBe(2); // the load's trace and the instance's
    const instance = spans.find((s) => s.name === 'fayger.instance')!;
    expect(attr(instance, 'fayger.instance.id')).toBe(result.instanceId);
    expect(attr(instance, 'fayger.instance.state')).toBe('Terminated');
    expect(instance.status?.code ?? SpanStatusCode.UNSET).toBe(SpanStatusCode.UNSET);
    expect(instance.events?.filter((e) => e.name === 'fayger.lifecycle.transition')).toHaveLength(3);
  });
});
