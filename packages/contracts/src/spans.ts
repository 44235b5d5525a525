/**
 * Spans for layers that hold only the `EventSink` port. A layer cannot import `@fayger/observability`, yet a
 * load phase, an instance's lifecycle and a host call are each a span: something with an id, a parent, a start,
 * an end and a status. `openEventSpan` gives one id to the start and end (or error) events of one unit of work
 * and sets `spanId` / `parentSpanId` on their envelopes, so any sink can rebuild the span tree from the stream.
 *
 * Which events make which span (see `SPAN_EVENTS`):
 * - a load: `loader.load.start` … `loader.load.end` | `loader.load.error`; each phase is a child span
 *   (`loader.phase.start` … `loader.phase.end` | `loader.phase.error`, `parentSpanId` = the load's span);
 * - an instance: every `runtime.lifecycle.transition` of one instance carries the instance's span id; the first
 *   (from `Loaded`) starts it, the transition to a terminal state ends it (status error when it is `Failed`);
 * - a host call: `instruction.dispatched` … `instruction.completed` | `instruction.denied`, `parentSpanId` = the
 *   instance's span (a call refused before dispatch is a lone `instruction.denied`);
 * - `span.start` … `span.end`: any other timed unit (`@fayger/observability`'s `startSpan`).
 *
 * Start and end times are the envelopes' `time` (wall clock); `durationMs` in end/error payloads is measured on a
 * monotonic clock. Dependency-free and cheap: an id is a counter, nothing is allocated until an event is emitted.
 */
import {
  createEvent,
  type AnyFaygerEvent,
  type EventMeta,
  type EventName,
  type EventPayloads,
  type EventSink,
} from './events.js';

/** The span identity an event carries in its envelope. */
export interface SpanRef {
  readonly spanId: string;
  readonly parentSpanId: string | undefined;
}

/** One span's events: opened by `openEventSpan`, emitted through the sink it was opened on. */
export interface EventSpan extends SpanRef {
  /** Milliseconds since the span was opened, on a monotonic clock. */
  elapsed(): number;
  /** Envelope fields for an event of this span: `spanId`, `parentSpanId` and `extra`. */
  meta(extra?: EventMeta): EventMeta;
  /**
   * Emits one event of this span when the sink wants its name (`data` may be a function, called only then).
   * Never throws: a failing sink must not change the outcome of the work it observes.
   */
  emit<N extends EventName>(name: N, data: EventPayloads[N] | (() => EventPayloads[N]), extra?: EventMeta): void;
  /** Opens a child span on the same sink. */
  child(): EventSpan;
}

/** The span-shaped event groups, by the span name a tracing sink gives them. */
export const SPAN_EVENTS = {
  'fayger.load': { start: 'loader.load.start', end: 'loader.load.end', error: 'loader.load.error' },
  'fayger.load.phase': { start: 'loader.phase.start', end: 'loader.phase.end', error: 'loader.phase.error' },
  'fayger.instance': {
    start: 'runtime.lifecycle.transition',
    end: 'runtime.lifecycle.transition',
    error: 'runtime.lifecycle.transition',
  },
  'fayger.host_call': { start: 'instruction.dispatched', end: 'instruction.completed', error: 'instruction.denied' },
  span: { start: 'span.start', end: 'span.end', error: 'span.end' },
} as const satisfies Record<string, { start: EventName; end: EventName; error: EventName }>;

// Ids: 16 lowercase hex digits (the width of an OpenTelemetry span id), unique within a process run: a random
// run prefix and a counter. Not secrets, so Math.random is adequate and works on every host.
const idPrefix = Math.floor(Math.random() * 0x1_0000_0000)
  .toString(16)
  .padStart(8, '0');
let idCounter = 0;

/** A new span id: 16 hex digits, unique within this process run. */
export function newSpanId(): string {
  idCounter = (idCounter + 1) % 0x1_0000_0000;
  return idPrefix + idCounter.toString(16).padStart(8, '0');
}

// Contracts is compiled without the DOM lib in some consumers (runtime, interpreter), so `performance` is untyped.
const perf = (globalThis as { performance?: { now(): number } }).performance;
const monotonic: () => number = typeof perf?.now === 'function' ? () => perf.now() : () => Date.now();

/**
 * Opens a span for events emitted through `sink` (`undefined`: a span that emits nothing, so callers need no
 * branches). `parent` is a span or a span id.
 */
export function openEventSpan(sink: EventSink | undefined, parent?: SpanRef | string): EventSpan {
  const spanId = newSpanId();
  const parentSpanId = typeof parent === 'string' ? parent : parent?.spanId;
  const started = monotonic();
  const span: EventSpan = {
    spanId,
    parentSpanId,
    elapsed: () => monotonic() - started,
    meta(extra) {
      const m: EventMeta = extra ? { ...extra, spanId } : { spanId };
      if (parentSpanId !== undefined) m.parentSpanId = parentSpanId;
      return m;
    },
    emit(name, data, extra) {
      if (!sink) return;
      try {
        if (sink.wants?.(name) === false) return;
        const payload = typeof data === 'function' ? (data as () => EventPayloads[typeof name])() : data;
        sink.emit(createEvent(name, payload, span.meta(extra)) as unknown as AnyFaygerEvent);
      } catch {
        // see emit's doc
      }
    },
    child: () => openEventSpan(sink, span),
  };
  return span;
}
