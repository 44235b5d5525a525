// Public API of @fayger/otel. Every export is listed by name (no `export *`).

export { createOtelSink, INSTRUMENTATION_NAME, INSTRUMENTATION_VERSION } from './sink.js';
export type { FaygerEventSource, OtelSink, OtelSinkOptions } from './sink.js';
