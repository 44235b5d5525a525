import type { AnyFaygerEvent, EventName, EventSink, Layer } from '@fayger/contracts';
import { invalidArgument } from '../invalid-argument.js';

type EventOf<N extends EventName> = Extract<AnyFaygerEvent, { name: N }>;

export interface MemoryRecorderOptions {
  /** Most events kept; older ones are dropped first (default 10 000). */
  limit?: number;
}

/** Keeps events in memory with query helpers; meant for tests and debugging panels. */
export class MemoryRecorder implements EventSink {
  #events: AnyFaygerEvent[] = [];
  #dropped = 0;
  readonly #limit: number;

  constructor(options: MemoryRecorderOptions = {}) {
    const limit = options.limit ?? 10_000;
    if (!Number.isInteger(limit) || limit < 1)
      throw invalidArgument('creating a MemoryRecorder', 'limit to be an integer ≥ 1', limit);
    this.#limit = limit;
  }

  emit(event: AnyFaygerEvent): void {
    this.#events.push(event);
    if (this.#events.length > this.#limit) {
      // Trim in batches so a full recorder does not shift the whole array on every event.
      const excess = this.#events.length - this.#limit + Math.ceil(this.#limit / 10);
      const cut = Math.min(excess, this.#events.length - 1);
      this.#events.splice(0, cut);
      this.#dropped += cut;
    }
  }

  /** Every recorded event, oldest first (a copy). */
  get events(): AnyFaygerEvent[] {
    return this.#events.slice();
  }

  /** Events dropped because the limit was reached. */
  get dropped(): number {
    return this.#dropped;
  }

  get size(): number {
    return this.#events.length;
  }

  /** Recorded event names in order: compact for `toEqual` assertions on sequences. */
  names(): EventName[] {
    return this.#events.map((e) => e.name);
  }

  byName<N extends EventName>(name: N): EventOf<N>[] {
    return this.#events.filter((e): e is EventOf<N> => e.name === name);
  }

  byLayer(layer: Layer): AnyFaygerEvent[] {
    return this.#events.filter((e) => e.layer === layer);
  }

  byPhase(phase: string): AnyFaygerEvent[] {
    return this.#events.filter((e) => e.phase === phase);
  }

  byInstance(instanceId: string): AnyFaygerEvent[] {
    return this.#events.filter((e) => e.instanceId === instanceId);
  }

  /** Events whose span or parent span is `spanId`. */
  bySpan(spanId: string): AnyFaygerEvent[] {
    return this.#events.filter((e) => e.spanId === spanId || e.parentSpanId === spanId);
  }

  filter(predicate: (event: AnyFaygerEvent) => boolean): AnyFaygerEvent[] {
    return this.#events.filter(predicate);
  }

  first<N extends EventName>(name: N): EventOf<N> | undefined {
    return this.#events.find((e): e is EventOf<N> => e.name === name);
  }

  last<N extends EventName>(name: N): EventOf<N> | undefined {
    for (let i = this.#events.length - 1; i >= 0; i--) {
      const e = this.#events[i]!;
      if (e.name === name) return e as EventOf<N>;
    }
    return undefined;
  }

  count(name?: EventName): number {
    if (name === undefined) return this.#events.length;
    let n = 0;
    for (const e of this.#events) if (e.name === name) n++;
    return n;
  }

  clear(): void {
    this.#events = [];
    this.#dropped = 0;
  }
}
