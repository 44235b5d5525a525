// Public API of @fayger/observability. Every export is listed by name (no `export *`).

export { EventBus, isEvent } from './bus.js';
export type { EventFilter, EventHandler, SubscribeOptions, Unsubscribe, EventBusOptions } from './bus.js';

export { jsonLinesSink } from './sinks/json-lines.js';
export type { TextWriter, JsonLinesSinkOptions, JsonLinesSink } from './sinks/json-lines.js';
export { prettyConsoleSink, formatEvent } from './sinks/console.js';
export type { ConsoleLike, PrettyConsoleSinkOptions } from './sinks/console.js';
export { MemoryRecorder } from './sinks/memory.js';
export type { MemoryRecorderOptions } from './sinks/memory.js';
export { serializeEvent } from './sinks/serialize.js';

export { Metrics, metricsSink } from './metrics.js';
export type { Counter, Histogram, HistogramSnapshot, MetricsSnapshot, MetricsOptions } from './metrics.js';

export { startSpan, withSpan } from './spans.js';
export type { Span, SpanOptions } from './spans.js';
export type { Clock } from './clock.js';

export { toEventError } from './event-error.js';
