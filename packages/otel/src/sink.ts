import {
  context as otelContext,
  createNoopMeter,
  metrics as otelMetrics,
  SpanStatusCode,
  trace as otelTrace,
  type Attributes,
  type Context,
  type Counter,
  type Histogram,
  type MeterProvider,
  type Span,
  type Tracer,
  type TracerProvider,
} from '@opentelemetry/api';
import {
  FaygerError,
  TERMINAL_STATES,
  type AnyFaygerEvent,
  type EventError,
  type EventName,
  type FaygerEvent,
  type ResourceUsage,
} from '@fayger/contracts';
import * as A from './attributes.js';

/** The instrumentation scope's name and version (what backends show as the tracer/meter). */
export const INSTRUMENTATION_NAME = '@fayger/otel';
export const INSTRUMENTATION_VERSION = '0.1.0';

/**
 * What the sink subscribes to: `@fayger/observability`'s `EventBus` fits, and so does anything with its `on`.
 */
export interface FaygerEventSource {
  on(name: EventName, handler: (event: AnyFaygerEvent) => void, options?: { label?: string }): () => void;
}

export interface OtelSinkOptions {
  /** Default: the global one (`trace.getTracerProvider()`). */
  tracerProvider?: TracerProvider;
  /** Default: the global one (`metrics.getMeterProvider()`). */
  meterProvider?: MeterProvider;
  /**
   * Parent for a load or an instance started while no span is active (a CLI's root span, say). An active span,
   * when there is one, always wins: an embedder's span is the parent of a load or run started inside it.
   */
  parentContext?: Context;
  /**
   * Also make each host call a span (`fayger.host_call`, a child of its instance's span). Default false: host
   * calls are metrics only, since a busy guest makes thousands per second.
   */
  hostCallSpans?: boolean;
}

/** A sink attached to an event source. */
export interface OtelSink {
  /**
   * The OpenTelemetry context whose active span is this instance's span, while it lives (undefined after).
   * Run host work under it (`context.with(sink.contextOf(id), fn)`) to parent spans of other instrumentation
   * (an HTTP client, a database driver) under the instance.
   */
  contextOf(instanceId: string): Context | undefined;
  /** Stops listening and ends every span still open (status unset, attribute `fayger.instance.state` as last seen). */
  detach(): void;
}

interface OpenSpan {
  span: Span;
  ctx: Context;
}

interface InstanceRecord extends OpenSpan {
  instanceId: string;
  spanKey: string;
}

const HOST_CALL_EVENTS = ['instruction.dispatched', 'instruction.completed', 'instruction.denied'] as const;

function isFaygerData(e: EventError): e is Extract<EventError, { layer: unknown }> {
  return (e as { name?: unknown }).name === 'FaygerError' && typeof (e as { code?: unknown }).code === 'string';
}

/** error.type plus the FaygerError's code, layer and phase (when it is one). */
function errorAttributes(error: EventError): Attributes {
  const attrs: Attributes = { [A.ATTR_ERROR_TYPE]: error.code ?? error.name };
  if (isFaygerData(error)) {
    attrs[A.ATTR_ERROR_CODE] = error.code;
    attrs[A.ATTR_ERROR_LAYER] = error.layer;
    attrs[A.ATTR_ERROR_PHASE] = error.phase;
  } else if (error.code !== undefined) attrs[A.ATTR_ERROR_CODE] = error.code;
  return attrs;
}

/** Status error + an `exception` event (semconv) carrying the FaygerError's code, layer and phase. */
function recordFailure(span: Span, error: EventError): void {
  const attrs = errorAttributes(error);
  span.setAttributes(attrs);
  span.addEvent(A.EXCEPTION_EVENT, {
    ...attrs,
    [A.ATTR_EXCEPTION_TYPE]: error.code ?? error.name,
    [A.ATTR_EXCEPTION_MESSAGE]: error.message,
  });
  span.setStatus({ code: SpanStatusCode.ERROR, message: error.message });
}

function usageAttributes(u: ResourceUsage): Attributes {
  return {
    [A.ATTR_INSTANCE_STATE]: u.state,
    [A.ATTR_INSTANCE_FUEL_USED]: u.fuelUsed,
    [A.ATTR_INSTANCE_MEMORY_PAGES]: u.memoryPages,
    [A.ATTR_INSTANCE_MEMORY_PEAK_PAGES]: u.peakMemoryPages,
    [A.ATTR_INSTANCE_HOST_CALLS]: u.hostCalls,
    [A.ATTR_INSTANCE_WALL_TIME_MS]: u.wallTimeMs,
    [A.ATTR_INSTANCE_SLICES]: u.slices,
    [A.ATTR_INSTANCE_THROTTLED_MS]: u.throttledMs,
  };
}

/** True when a real SDK stands behind the provider (the API's defaults are no-ops until one registers). */
function tracerIsLive(provider: TracerProvider): boolean {
  const proxy = provider as TracerProvider & { getDelegateTracer?: (name: string) => Tracer | undefined };
  return typeof proxy.getDelegateTracer !== 'function' || proxy.getDelegateTracer(INSTRUMENTATION_NAME) !== undefined;
}

/**
 * Attaches an OpenTelemetry sink to a Fayger event source (an `EventBus`):
 * - a load becomes a `fayger.load` span with one child span per phase (`fayger.load.read`, `…parse`, …);
 * - an instance becomes a `fayger.instance` span covering its lifecycle, transitions as span events, usage as
 *   attributes at the end;
 * - host calls and instructions become metrics; quota warnings and breaches become events on the instance span.
 *
 * Register your SDK before attaching: with no meter provider registered (and no host-call spans wanted) the sink
 * does not subscribe to host-call events at all, so a host call costs what it costs with no sink.
 */
export function createOtelSink(source: FaygerEventSource, options: OtelSinkOptions = {}): OtelSink {
  if (!source || typeof source.on !== 'function') {
    throw new FaygerError({
      code: 'INVALID_ARGUMENT',
      phase: 'otel',
      what: 'attaching the OpenTelemetry sink',
      expected: 'an event source with on(name, handler) (an EventBus from @fayger/observability)',
      found: source === null ? 'null' : typeof source,
    });
  }
  const tracerProvider = options.tracerProvider ?? otelTrace.getTracerProvider();
  const meterProvider = options.meterProvider ?? otelMetrics.getMeterProvider();
  const tracer = tracerProvider.getTracer(INSTRUMENTATION_NAME, INSTRUMENTATION_VERSION);
  const meter = meterProvider.getMeter(INSTRUMENTATION_NAME, INSTRUMENTATION_VERSION);
  const metersLive = meter !== createNoopMeter();
  const hostCallSpans = options.hostCallSpans === true && tracerIsLive(tracerProvider);

  const loads = new Map<string, OpenSpan>();
  const phases = new Map<string, Span>();
  const instances = new Map<string, InstanceRecord>();
  const instancesById = new Map<string, InstanceRecord>();
  const hostCalls = new Map<string, Span>();

  const instructions: Counter = meter.createCounter(A.METRIC_INSTRUCTIONS, {
    description: 'Universal_Instructions dispatched on the bus, by op, capability and dispatch mode.',
    unit: '{instruction}',
  });
  const hostCallCount: Counter = meter.createCounter(A.METRIC_HOST_CALLS, {
    description: 'Guest host calls that reached an outcome, by op, capability and outcome (ok, error, denied).',
    unit: '{call}',
  });
  const hostCallDuration: Histogram = meter.createHistogram(A.METRIC_HOST_CALL_DURATION, {
    description: 'Latency of host calls from dispatch to result, by op and capability.',
    unit: 's',
  });
  const denials: Counter = meter.createCounter(A.METRIC_HOST_CALL_DENIALS, {
    description: 'Host calls refused (capability not granted, scope, quota), by op, capability and reason code.',
    unit: '{call}',
  });
  const quotaBreaches: Counter = meter.createCounter(A.METRIC_QUOTA_BREACHES, {
    description: 'Quota breaches, by resource and action.',
    unit: '{breach}',
  });
  const loadDuration: Histogram = meter.createHistogram(A.METRIC_LOAD_DURATION, {
    description: 'Duration of BuF loads, by strategy (error.type set when the load failed).',
    unit: 's',
  });

  // An active span (the embedder's) wins; otherwise the configured parent; otherwise whatever is active (root).
  const parentContext = (): Context => {
    const active = otelContext.active();
    if (options.parentContext && otelTrace.getSpan(active) === undefined) return options.parentContext;
    return active;
  };

  const startChild = (name: string, parent: Context, attributes?: Attributes): OpenSpan => {
    const span = tracer.startSpan(name, attributes ? { attributes } : {}, parent);
    return { span, ctx: otelTrace.setSpan(parent, span) };
  };

  const unsubscribes: (() => void)[] = [];
  const on = <N extends EventName>(name: N, handler: (event: FaygerEvent<N>) => void): void => {
    unsubscribes.push(
      source.on(name, handler as (event: AnyFaygerEvent) => void, { label: `${INSTRUMENTATION_NAME} ${name}` }),
    );
  };

  // ------------------------------------------------------------------------------------------- loads

  on('loader.load.start', (e) => {
    const key = e.spanId ?? 'load';
    loads.set(
      key,
      startChild(A.SPAN_LOAD, parentContext(), {
        [A.ATTR_LOAD_SOURCE]: e.data.source,
        [A.ATTR_LOAD_STRATEGY]: e.data.strategy,
      }),
    );
  });
  on('loader.phase.start', (e) => {
    const parent = loads.get(e.parentSpanId ?? 'load');
    const { span } = startChild(`${A.SPAN_LOAD}.${e.data.phase}`, parent?.ctx ?? parentContext(), {
      [A.ATTR_LOAD_PHASE]: e.data.phase,
    });
    phases.set(e.spanId ?? `phase:${e.data.phase}`, span);
  });
  on('loader.phase.end', (e) => {
    const key = e.spanId ?? `phase:${e.data.phase}`;
    const span = phases.get(key);
    if (!span) return;
    phases.delete(key);
    if (e.data.bytes !== undefined) span.setAttribute(A.ATTR_LOAD_BYTES_READ, e.data.bytes);
    span.end();
  });
  on('loader.phase.error', (e) => {
    const key = e.spanId ?? `phase:${e.data.phase}`;
    const span = phases.get(key);
    if (!span) return;
    phases.delete(key);
    recordFailure(span, e.data.error);
    span.end();
  });
  on('loader.load.end', (e) => {
    const key = e.spanId ?? 'load';
    const open = loads.get(key);
    loadDuration.record(e.data.durationMs / 1000, { [A.ATTR_LOAD_STRATEGY]: e.data.strategy });
    if (!open) return;
    loads.delete(key);
    const d = e.data;
    const attrs: Attributes = {
      [A.ATTR_LOAD_BYTES_READ]: d.bytesRead,
      [A.ATTR_LOAD_SECTIONS_SELECTED]: d.sectionsSelected,
      [A.ATTR_LOAD_SECTIONS_SKIPPED]: d.sectionsSkipped,
    };
    if (d.artifactId !== undefined) attrs[A.ATTR_ARTIFACT_ID] = d.artifactId;
    if (d.version !== undefined) attrs[A.ATTR_ARTIFACT_VERSION] = d.version;
    if (d.publisher !== undefined) attrs[A.ATTR_ARTIFACT_PUBLISHER] = d.publisher;
    if (d.keyIds !== undefined) attrs[A.ATTR_SIGNATURE_KEY_IDS] = d.keyIds;
    if (d.sections !== undefined) attrs[A.ATTR_LOAD_SECTIONS] = d.sections;
    open.span.setAttributes(attrs);
    open.span.end();
  });
  on('loader.load.error', (e) => {
    const key = e.spanId ?? 'load';
    const open = loads.get(key);
    loadDuration.record(e.data.durationMs / 1000, { [A.ATTR_ERROR_TYPE]: e.data.error.code ?? e.data.error.name });
    if (!open) return;
    loads.delete(key);
    open.span.setAttribute(A.ATTR_LOAD_PHASE, e.data.phase);
    recordFailure(open.span, e.data.error);
    open.span.end();
  });

  // --------------------------------------------------------------------------------------- instances

  const endInstance = (rec: InstanceRecord): void => {
    instances.delete(rec.spanKey);
    if (instancesById.get(rec.instanceId) === rec) instancesById.delete(rec.instanceId);
    rec.span.end();
  };

  on('runtime.lifecycle.transition', (e) => {
    const instanceId = e.instanceId ?? 'instance';
    const key = e.spanId ?? instanceId;
    let rec = instances.get(key);
    if (!rec) {
      rec = {
        ...startChild(A.SPAN_INSTANCE, parentContext(), { [A.ATTR_INSTANCE_ID]: instanceId }),
        instanceId,
        spanKey: key,
      };
      instances.set(key, rec);
      instancesById.set(instanceId, rec);
    }
    const d = e.data;
    rec.span.addEvent(A.EVENT_TRANSITION, {
      [A.ATTR_LIFECYCLE_FROM]: d.from,
      [A.ATTR_LIFECYCLE_TO]: d.to,
      [A.ATTR_LIFECYCLE_CAUSE]: d.cause,
    });
    rec.span.setAttribute(A.ATTR_INSTANCE_STATE, d.to);
    if (!TERMINAL_STATES.includes(d.to)) return;
    if (d.usage) rec.span.setAttributes(usageAttributes(d.usage));
    if (d.to === 'Failed') {
      recordFailure(
        rec.span,
        d.error ?? { name: 'Error', message: `instance ${instanceId} failed (${d.cause})`, code: d.cause },
      );
    }
    endInstance(rec);
  });
  on('runtime.quota.warning', (e) => {
    const rec = e.instanceId !== undefined ? instancesById.get(e.instanceId) : undefined;
    const d = e.data;
    rec?.span.addEvent(A.EVENT_QUOTA_WARNING, {
      [A.ATTR_QUOTA_RESOURCE]: d.resource,
      [A.ATTR_QUOTA_USED]: d.used,
      [A.ATTR_QUOTA_LIMIT]: d.limit,
      ...(d.capability ? { [A.ATTR_CAPABILITY]: d.capability } : {}),
    });
  });
  on('runtime.quota.breach', (e) => {
    const rec = e.instanceId !== undefined ? instancesById.get(e.instanceId) : undefined;
    const d = e.data;
    const attrs: Attributes = { [A.ATTR_QUOTA_RESOURCE]: d.resource, [A.ATTR_QUOTA_ACTION]: d.action };
    quotaBreaches.add(1, attrs);
    rec?.span.addEvent(A.EVENT_QUOTA_BREACH, {
      ...attrs,
      [A.ATTR_QUOTA_USED]: d.used,
      [A.ATTR_QUOTA_LIMIT]: d.limit,
      ...(d.capability ? { [A.ATTR_CAPABILITY]: d.capability } : {}),
    });
  });

  // -------------------------------------------------------------------------------------- host calls

  // With nothing recording, host-call events are not even subscribed: the bus then reports them unwanted and the
  // runtime skips building them (the no-SDK cost of this sink on a host call is zero).
  if (metersLive || hostCallSpans) {
    on(HOST_CALL_EVENTS[0], (e) => {
      const d = e.data;
      instructions.add(1, {
        [A.ATTR_OP]: d.op,
        [A.ATTR_CAPABILITY]: d.capability ?? 'none',
        [A.ATTR_INSTRUCTION_MODE]: d.mode,
      });
      if (!hostCallSpans) return;
      const parent =
        (e.parentSpanId !== undefined ? instances.get(e.parentSpanId) : undefined) ?? instancesById.get(d.instanceId);
      const { span } = startChild(A.SPAN_HOST_CALL, parent?.ctx ?? parentContext(), {
        [A.ATTR_OP]: d.op,
        [A.ATTR_CAPABILITY]: d.capability ?? 'none',
      });
      hostCalls.set(e.spanId ?? d.correlationId, span);
    });
    on(HOST_CALL_EVENTS[1], (e) => {
      const d = e.data;
      const capability = d.capability ?? 'none';
      const attrs: Attributes = d.ok
        ? { [A.ATTR_OP]: d.op, [A.ATTR_CAPABILITY]: capability }
        : { [A.ATTR_OP]: d.op, [A.ATTR_CAPABILITY]: capability, [A.ATTR_ERROR_TYPE]: d.errorCode ?? 'error' };
      hostCallCount.add(1, { ...attrs, [A.ATTR_HOST_CALL_OUTCOME]: d.ok ? 'ok' : 'error' });
      hostCallDuration.record(d.durationMs / 1000, attrs);
      if (!hostCallSpans) return;
      const key = e.spanId ?? d.correlationId;
      const span = hostCalls.get(key);
      if (!span) return;
      hostCalls.delete(key);
      if (!d.ok) {
        span.setAttribute(A.ATTR_ERROR_TYPE, d.errorCode ?? 'error');
        span.setStatus({ code: SpanStatusCode.ERROR });
      }
      span.end();
    });
    on(HOST_CALL_EVENTS[2], (e) => {
      const d = e.data;
      const capability = d.capability ?? 'none';
      denials.add(1, { [A.ATTR_OP]: d.op, [A.ATTR_CAPABILITY]: capability, [A.ATTR_DENIAL_REASON]: d.code });
      hostCallCount.add(1, {
        [A.ATTR_OP]: d.op,
        [A.ATTR_CAPABILITY]: capability,
        [A.ATTR_HOST_CALL_OUTCOME]: 'denied',
        [A.ATTR_ERROR_TYPE]: d.code,
      });
      if (!hostCallSpans) return;
      const key = e.spanId ?? d.correlationId;
      let span = hostCalls.get(key);
      if (span) hostCalls.delete(key);
      else {
        // Refused before dispatch: a zero-length span under the instance.
        const parent =
          (e.parentSpanId !== undefined ? instances.get(e.parentSpanId) : undefined) ?? instancesById.get(d.instanceId);
        span = startChild(A.SPAN_HOST_CALL, parent?.ctx ?? parentContext(), {
          [A.ATTR_OP]: d.op,
          [A.ATTR_CAPABILITY]: capability,
        }).span;
      }
      span.setAttributes({ [A.ATTR_ERROR_TYPE]: d.code, [A.ATTR_DENIAL_REASON]: d.code });
      span.setStatus({ code: SpanStatusCode.ERROR, message: d.reason });
      span.end();
    });
  }

  let attached = true;
  return {
    contextOf(instanceId) {
      return instancesById.get(instanceId)?.ctx;
    },
    detach() {
      if (!attached) return;
      attached = false;
      for (const u of unsubscribes) u();
      for (const s of hostCalls.values()) s.end();
      for (const s of phases.values()) s.end();
      for (const o of loads.values()) o.span.end();
      for (const r of [...instances.values()]) endInstance(r);
      hostCalls.clear();
      phases.clear();
      loads.clear();
    },
  };
}
