import { levelAtLeast, type AnyFaygerEvent, type EventLevel, type EventSink } from '@fayger/contracts';
import { serializeEvent } from './serialize.js';
import { invalidArgument } from '../invalid-argument.js';

/** Anything with `write(string)`: a Node stream, a browser WritableStream writer adapter, an array pusher. */
export interface TextWriter {
  write(chunk: string): unknown;
}

export interface JsonLinesSinkOptions {
  /** Lowest level written (default: everything). */
  minLevel?: EventLevel;
  /** Called when the writer throws; the event is dropped and counted, `emit` does not throw. */
  onError?: (error: unknown, event: AnyFaygerEvent) => void;
}

export interface JsonLinesSink extends EventSink {
  /** Lines written successfully. */
  readonly written: number;
  /** Events dropped because the writer threw. */
  readonly failed: number;
}

/** Writes each event as one JSON line (`JSON.stringify(event) + "\n"`), for log shippers and `jq`. */
export function jsonLinesSink(writer: TextWriter, options: JsonLinesSinkOptions = {}): JsonLinesSink {
  if (typeof writer?.write !== 'function')
    throw invalidArgument('creating a JSON-lines sink', 'a writer with a write(string) method', writer);
  const { minLevel, onError } = options;
  let written = 0;
  let failed = 0;
  return {
    get written() {
      return written;
    },
    get failed() {
      return failed;
    },
    emit(event: AnyFaygerEvent): void {
      if (minLevel !== undefined && !levelAtLeast(event.level, minLevel)) return;
      try {
        writer.write(`${serializeEvent(event)}\n`);
        written++;
      } catch (error) {
        failed++;
        try {
          onError?.(error, event);
        } catch {
          // A failing error hook must not turn a logging problem into a crash.
        }
      }
    },
  };
}
