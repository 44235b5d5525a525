import { createEvent, type EventMeta, type EventSink, type Layer, type SpanEndData } from '@fayger/contracts';
import { monotonicNow, type Clock } from './clock.js';
import { toEventError } from './event-error.js';
import { nextSpanId } from './ids.js';

type Attributes = Record<string, string | number | boolean>;

export interface SpanOptions {
  /** Parent span (or its id): the events carry it as `parentSpanId`. */
  parent?: Span | string;
  layer?: Layer;
  /** Loader phase / interpreter stage the span times; set on both events' envelope for filtering. */
  phase?: string;
  instanceId?: string;
  attributes?: Attributes;
  /** Monotonic clock in ms (default `performance.now()`); injectable for tests. */
  clock?: Clock;
}

/** A timed unit of work. Ending it emits `span.end` with `durationMs`. */
export interface Span {
  readonly name: string;
  readonly spanId: string;
  readonly parentSpanId: string | undefined;
  /** True once `end` or `fail` ran. */
  readonly ended: boolean;
  /** Ends the span successfully and returns its duration; later calls return the first duration and emit nothing. */
  end(attributes?: Attributes): number;
  /** Ends the span with `status: 'error'`; later calls return the first duration and emit nothing. */
  fail(error: unknown, attributes?: Attributes): number;
  /** Starts a child span on the same sink (layer, instance and clock inherited unless overridden). */
  child(name: string, options?: Omit<SpanOptions, 'parent'>): Span;
}

/**
 * Starts a span: emits `span.start` now and `span.end` when it ends. Durations use a monotonic clock
 * (`performance.now()`), the envelope `time` the wall clock.
 */
export function startSpan(sink: EventSink, name: string, options: SpanOptions = {}): Span {
  const clock = options.clock ?? monotonicNow;
  const spanId = nextSpanId();
  const parentSpanId = typeof options.parent === 'string' ? options.parent : options.parent?.spanId;
  const base: EventMeta = { spanId };
  if (parentSpanId !== undefined) base.parentSpanId = parentSpanId;
  if (options.layer !== undefined) base.layer = options.layer;
  if (options.phase !== undefined) base.phase = options.phase;
  if (options.instanceId !== undefined) base.instanceId = options.instanceId;

  if (sink.wants?.('span.start') !== false) {
    sink.emit(
      createEvent('span.start', options.attributes ? { name, attributes: options.attributes } : { name }, base),
    );
  }
  const started = clock();
  let duration: number | undefined;

  const finish = (status: 'ok' | 'error', error: unknown, attributes: Attributes | undefined): number => {
    if (duration !== undefined) return duration;
    duration = Math.max(0, clock() - started);
    if (sink.wants?.('span.end') !== false) {
      const data: SpanEndData = { name, durationMs: duration, status };
      if (status === 'error') data.error = toEventError(error);
      const merged = options.attributes || attributes ? { ...options.attributes, ...attributes } : undefined;
      if (merged) data.attributes = merged;
      sink.emit(createEvent('span.end', data, status === 'error' ? { ...base, level: 'error' } : base));
    }
    return duration;
  };

  const span: Span = {
    name,
    spanId,
    parentSpanId,
    get ended() {
      return duration !== undefined;
    },
    end: (attributes) => finish('ok', undefined, attributes),
    fail: (error, attributes) => finish('error', error, attributes),
    child: (childName, childOptions = {}) => {
      const inherited: SpanOptions = { parent: span, clock };
      if (options.layer !== undefined) inherited.layer = options.layer;
      if (options.instanceId !== undefined) inherited.instanceId = options.instanceId;
      return startSpan(sink, childName, { ...inherited, ...childOptions });
    },
  };
  return span;
}

/**
 * Runs `fn` inside a span: ends it when `fn` returns or its promise settles, fails it (and rethrows) when it
 * throws or rejects.
 */
export function withSpan<T>(sink: EventSink, name: string, fn: (span: Span) => T, options?: SpanOptions): T {
  const span = startSpan(sink, name, options);
  let result: T;
  try {
    result = fn(span);
  } catch (error) {
    span.fail(error);
    throw error;
  }
  if (result instanceof Promise) {
    return result.then(
      (value) => {
        span.end();
        return value;
      },
      (error: unknown) => {
        span.fail(error);
        throw error;
      },
    ) as T;
  }
  span.end();
  return result;
}
