/**
 * `fayger run --trace console|otlp`: the OpenTelemetry SDK, wired for one run. `run.ts` imports this module only
 * when the flag is given, so the SDK is never loaded on the normal path (start-up time).
 *
 * - `otlp`: the official OTLP/HTTP exporters (traces and metrics). They read the standard environment variables
 *   themselves: OTEL_EXPORTER_OTLP_ENDPOINT (or …_TRACES_ENDPOINT / …_METRICS_ENDPOINT), …_HEADERS, …_TIMEOUT,
 *   …_COMPRESSION; OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES name the resource.
 * - `console`: spans collected by the SDK's in-memory exporter and printed on stderr as one tree per trace when
 *   the run ends (stdout stays the guest's).
 */
import { ROOT_CONTEXT, SpanStatusCode, trace, type Span } from '@opentelemetry/api';
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { detectResources, envDetector, resourceFromAttributes } from '@opentelemetry/resources';
import { MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import {
  BatchSpanProcessor,
  InMemorySpanExporter,
  SimpleSpanProcessor,
  TracerProvider,
  type ReadableSpan,
} from '@opentelemetry/sdk-trace';
import { createOtelSink, type FaygerEventSource } from '@fayger/otel';
import type { CliIo } from './io.js';

export type TraceMode = 'console' | 'otlp';

export interface RunTrace {
  /** Ends the run's root span, detaches the sink, flushes and shuts the SDK down. Never throws. */
  end(): Promise<void>;
}

const hrToMs = (t: [number, number]): number => t[0] * 1e3 + t[1] / 1e6;

/** Span names and durations as an indented tree, one per trace, children in start order. */
export function renderTrace(spans: readonly ReadableSpan[]): string {
  const byId = new Map(spans.map((s) => [s.spanContext().spanId, s]));
  const children = new Map<string | undefined, ReadableSpan[]>();
  for (const s of spans) {
    const p = s.parentSpanContext?.spanId;
    const key = p !== undefined && byId.has(p) ? p : undefined;
    const list = children.get(key) ?? [];
    list.push(s);
    children.set(key, list);
  }
  for (const list of children.values()) list.sort((a, b) => hrToMs(a.startTime) - hrToMs(b.startTime));
  const lines: string[] = [];
  const label = (s: ReadableSpan): string => {
    const a = s.attributes;
    const bits: string[] = [];
    if (a['fayger.artifact.id'] !== undefined)
      bits.push(`${String(a['fayger.artifact.id'])}@${String(a['fayger.artifact.version'] ?? '?')}`);
    if (a['fayger.load.bytes_read'] !== undefined) bits.push(`${String(a['fayger.load.bytes_read'])} B`);
    if (a['fayger.instance.state'] !== undefined) bits.push(String(a['fayger.instance.state']));
    if (a['fayger.instance.fuel_used'] !== undefined) bits.push(`fuel ${String(a['fayger.instance.fuel_used'])}`);
    if (a['fayger.instance.host_calls'] !== undefined)
      bits.push(`host calls ${String(a['fayger.instance.host_calls'])}`);
    if (s.status.code === SpanStatusCode.ERROR)
      bits.push(`ERROR ${String(a['error.type'] ?? s.status.message ?? '')}`.trim());
    return bits.length ? `  (${bits.join(', ')})` : '';
  };
  const walk = (s: ReadableSpan, prefix: string, last: boolean, root: boolean): void => {
    const head = root ? '' : `${prefix}${last ? '└─ ' : '├─ '}`;
    const name = `${head}${s.name}`;
    lines.push(`${name.padEnd(46)} ${hrToMs(s.duration).toFixed(2).padStart(9)} ms${label(s)}`);
    const kids = children.get(s.spanContext().spanId) ?? [];
    const next = root ? '' : `${prefix}${last ? '   ' : '│  '}`;
    kids.forEach((k, i) => walk(k, next, i === kids.length - 1, false));
  };
  for (const r of children.get(undefined) ?? []) {
    lines.push(`trace ${r.spanContext().traceId}`);
    walk(r, '', true, true);
  }
  return lines.length ? `${lines.join('\n')}\n` : '';
}

/** Starts the SDK and the Fayger sink on `events`; the run's root span `fayger run` parents the load and instance. */
export function startRunTrace(mode: TraceMode, events: FaygerEventSource, io: CliIo, target: string): RunTrace {
  const resource = resourceFromAttributes({ 'service.name': 'fayger' }).merge(
    detectResources({ detectors: [envDetector] }),
  );
  const memory = mode === 'console' ? new InMemorySpanExporter() : undefined;
  const tracerProvider = new TracerProvider({
    resource,
    spanProcessors: [
      memory
        ? new SimpleSpanProcessor({ exporter: memory })
        : new BatchSpanProcessor({ exporter: new OTLPTraceExporter() }),
    ],
  });
  const meterProvider =
    mode === 'otlp'
      ? new MeterProvider({
          resource,
          readers: [new PeriodicExportingMetricReader({ exporter: new OTLPMetricExporter() })],
        })
      : undefined;
  const root: Span = tracerProvider
    .getTracer('@fayger/cli')
    .startSpan('fayger run', { attributes: { 'fayger.cli.target': target } }, ROOT_CONTEXT);
  const sink = createOtelSink(events, {
    tracerProvider,
    ...(meterProvider ? { meterProvider } : {}),
    parentContext: trace.setSpan(ROOT_CONTEXT, root),
  });
  let ended = false;
  return {
    async end() {
      if (ended) return;
      ended = true;
      root.end();
      sink.detach();
      try {
        await tracerProvider.forceFlush();
        if (memory) io.stderr(renderTrace(memory.getFinishedSpans()));
        await Promise.all([tracerProvider.shutdown(), meterProvider?.shutdown()]);
      } catch (err) {
        io.stderr(`fayger run: --trace ${mode}: export failed: ${err instanceof Error ? err.message : String(err)}\n`);
      }
    },
  };
}
