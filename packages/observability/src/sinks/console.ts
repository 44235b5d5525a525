import { levelAtLeast, type AnyFaygerEvent, type EventLevel, type EventSink } from '@fayger/contracts';
import { safeStringify } from './serialize.js';

/** The subset of `console` the pretty sink uses. */
export interface ConsoleLike {
  log(...args: unknown[]): void;
  warn(...args: unknown[]): void;
  error(...args: unknown[]): void;
}

export interface PrettyConsoleSinkOptions {
  /** Defaults to `globalThis.console`. */
  console?: ConsoleLike;
  /** Lowest level printed (default `info`: debug-level phase timings are for JSON lines and metrics). */
  minLevel?: EventLevel;
  /** ANSI colours; off by default because browser consoles print the escapes literally. */
  colors?: boolean;
  /** Print the time of day (default true). */
  showTime?: boolean;
}

const COLOR: Record<EventLevel, string> = { debug: '\x1b[90m', info: '\x1b[36m', warn: '\x1b[33m', error: '\x1b[31m' };
const RESET = '\x1b[0m';
const DIM = '\x1b[2m';

function formatValue(value: unknown, key: string): string {
  if (typeof value === 'number')
    return key === 'durationMs' || key === 'ratio' ? value.toFixed(key === 'ratio' ? 2 : 3) : String(value);
  if (typeof value === 'string') return /^[\w.:/@+-]+$/.test(value) ? value : JSON.stringify(value);
  if (typeof value === 'boolean' || value === null || value === undefined) return String(value);
  return safeStringify(value);
}

function timeOfDay(ms: number): string {
  const d = new Date(ms);
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}.${p(d.getMilliseconds(), 3)}`;
}

/**
 * Formats one event as a human line:
 * `12:03:04.005 WARN  runtime  runtime.quota.warning inst=i1 resource=fuel used=80 limit=100 ratio=0.80`.
 * Errors in payloads print as `error=<code or name>: <message>`.
 */
export function formatEvent(
  event: AnyFaygerEvent,
  options: Pick<PrettyConsoleSinkOptions, 'colors' | 'showTime'> = {},
): string {
  const colors = options.colors ?? false;
  const parts: string[] = [];
  if (options.showTime ?? true) parts.push(colors ? `${DIM}${timeOfDay(event.time)}${RESET}` : timeOfDay(event.time));
  const level = event.level.toUpperCase().padEnd(5);
  parts.push(colors ? `${COLOR[event.level]}${level}${RESET}` : level);
  parts.push(event.layer.padEnd(8));
  parts.push(event.phase !== undefined ? `${event.name} [${event.phase}]` : event.name);
  if (event.instanceId !== undefined) parts.push(`inst=${event.instanceId}`);
  for (const [key, value] of Object.entries(event.data as unknown as Record<string, unknown>)) {
    if (key === 'error' && typeof value === 'object' && value !== null) {
      const e = value as { code?: string; name?: string; message?: string };
      parts.push(`error=${e.code ?? e.name ?? 'Error'}: ${e.message ?? ''}`);
    } else {
      parts.push(`${key}=${formatValue(value, key)}`);
    }
  }
  if (event.spanId !== undefined)
    parts.push(`span=${event.spanId}${event.parentSpanId !== undefined ? `<${event.parentSpanId}` : ''}`);
  return parts.join(' ');
}

/** Prints events for humans: errors through `console.error`, warnings through `console.warn`, the rest `console.log`. */
export function prettyConsoleSink(options: PrettyConsoleSinkOptions = {}): EventSink {
  const out = options.console ?? (globalThis.console as ConsoleLike | undefined);
  const minLevel = options.minLevel ?? 'info';
  return {
    emit(event: AnyFaygerEvent): void {
      if (out === undefined || !levelAtLeast(event.level, minLevel)) return;
      try {
        const line = formatEvent(event, options);
        if (event.level === 'error') out.error(line);
        else if (event.level === 'warn') out.warn(line);
        else out.log(line);
      } catch {
        // A broken console must not break the emitter (EventSink.emit never throws).
      }
    },
  };
}
