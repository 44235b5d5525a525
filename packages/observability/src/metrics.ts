import type { AnyFaygerEvent, EventSink } from '@fayger/contracts';
import { invalidArgument } from './invalid-argument.js';

export interface Counter {
  readonly name: string;
  readonly value: number;
  /** Adds `by` (default 1). Negative or non-finite increments are refused: counters only go up. */
  inc(by?: number): void;
}

export interface HistogramSnapshot {
  count: number;
  sum: number;
  /** `null` while the histogram is empty (JSON has no Infinity). */
  min: number | null;
  max: number | null;
  mean: number | null;
  p50: number | null;
  p90: number | null;
  p99: number | null;
  /** Samples the percentiles were computed from (all of them until the reservoir fills). */
  sampled: number;
}

export interface Histogram {
  readonly name: string;
  /** Records one observation. Non-finite values are refused (they would poison sum and percentiles). */
  record(value: number): void;
  snapshot(): HistogramSnapshot;
}

export interface MetricsSnapshot {
  counters: Record<string, number>;
  histograms: Record<string, HistogramSnapshot>;
}

export interface MetricsOptions {
  /** Samples each histogram keeps for percentiles (default 4096). */
  reservoirSize?: number;
}

/**
 * Percentiles come from a sorted sample, nearest-rank method: every value is kept until `reservoirSize`
 * values were seen, after which reservoir sampling (Vitter's algorithm R) keeps a uniform random sample of
 * that size. So percentiles are exact for up to `reservoirSize` observations and an unbiased estimate beyond;
 * count, sum, min and max are always exact. The sample is sorted at snapshot time, not on record.
 */
class SampledHistogram implements Histogram {
  readonly #samples: Float64Array;
  #count = 0;
  #sum = 0;
  #min = Infinity;
  #max = -Infinity;
  // xorshift32 state: a deterministic generator keeps snapshots reproducible for the same input.
  #rng = 0x9e3779b9;

  constructor(
    readonly name: string,
    size: number,
  ) {
    this.#samples = new Float64Array(size);
  }

  record(value: number): void {
    if (!Number.isFinite(value))
      throw invalidArgument(`recording into histogram ${this.name}`, 'a finite number', value);
    const n = this.#count++;
    this.#sum += value;
    if (value < this.#min) this.#min = value;
    if (value > this.#max) this.#max = value;
    const cap = this.#samples.length;
    if (n < cap) {
      this.#samples[n] = value;
      return;
    }
    const j = this.#random() % (n + 1);
    if (j < cap) this.#samples[j] = value;
  }

  snapshot(): HistogramSnapshot {
    const count = this.#count;
    const sampled = Math.min(count, this.#samples.length);
    if (count === 0)
      return { count, sum: 0, min: null, max: null, mean: null, p50: null, p90: null, p99: null, sampled };
    const sorted = this.#samples.slice(0, sampled).sort();
    const rank = (q: number): number => sorted[Math.min(sampled - 1, Math.max(0, Math.ceil(q * sampled) - 1))]!;
    return {
      count,
      sum: this.#sum,
      min: this.#min,
      max: this.#max,
      mean: this.#sum / count,
      p50: rank(0.5),
      p90: rank(0.9),
      p99: rank(0.99),
      sampled,
    };
  }

  #random(): number {
    let x = this.#rng;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.#rng = x >>> 0;
    return this.#rng;
  }
}

class SimpleCounter implements Counter {
  #value = 0;
  constructor(readonly name: string) {}
  get value(): number {
    return this.#value;
  }
  inc(by = 1): void {
    if (!Number.isFinite(by) || by < 0)
      throw invalidArgument(`incrementing counter ${this.name}`, 'a finite increment ≥ 0 (counters only go up)', by);
    this.#value += by;
  }
}

/** A registry of named counters and histograms. Asking twice for the same name returns the same metric. */
export class Metrics {
  readonly #counters = new Map<string, SimpleCounter>();
  readonly #histograms = new Map<string, SampledHistogram>();
  readonly #reservoirSize: number;

  constructor(options: MetricsOptions = {}) {
    const size = options.reservoirSize ?? 4096;
    if (!Number.isInteger(size) || size < 1)
      throw invalidArgument('creating Metrics', 'reservoirSize to be an integer ≥ 1', size);
    this.#reservoirSize = size;
  }

  counter(name: string): Counter {
    let c = this.#counters.get(name);
    if (c === undefined) this.#counters.set(name, (c = new SimpleCounter(name)));
    return c;
  }

  histogram(name: string): Histogram {
    let h = this.#histograms.get(name);
    if (h === undefined) this.#histograms.set(name, (h = new SampledHistogram(name, this.#reservoirSize)));
    return h;
  }

  /** Plain-data view of every metric, keys sorted, safe to JSON.stringify. */
  snapshot(): MetricsSnapshot {
    const counters: Record<string, number> = {};
    for (const name of [...this.#counters.keys()].sort()) counters[name] = this.#counters.get(name)!.value;
    const histograms: Record<string, HistogramSnapshot> = {};
    for (const name of [...this.#histograms.keys()].sort()) histograms[name] = this.#histograms.get(name)!.snapshot();
    return { counters, histograms };
  }

  reset(): void {
    this.#counters.clear();
    this.#histograms.clear();
  }
}

/**
 * A sink that turns events into metrics: counter `events.<name>` per event, and for every payload carrying a
 * `durationMs`, histogram `<name>.durationMs` (plus `<name>.durationMs[<phase>]` when the envelope or payload names a phase,
 * so each loader phase gets its own timing distribution). `span.end` is keyed by span name instead of phase.
 */
export function metricsSink(metrics: Metrics): EventSink {
  return {
    emit(event: AnyFaygerEvent): void {
      metrics.counter(`events.${event.name}`).inc();
      const d = (event.data as { durationMs?: unknown }).durationMs;
      if (typeof d !== 'number' || !Number.isFinite(d)) return;
      metrics.histogram(`${event.name}.durationMs`).record(d);
      if (event.name === 'span.end') metrics.histogram(`span.end.durationMs[${event.data.name}]`).record(d);
      else {
        // Loader phase events carry their phase in the payload; the envelope phase is optional for them.
        const phase = event.phase ?? (event.data as { phase?: unknown }).phase;
        if (typeof phase === 'string') metrics.histogram(`${event.name}.durationMs[${phase}]`).record(d);
      }
    },
  };
}
