import { createEvent } from '@fayger/contracts';
import { describe, expect, it } from 'vitest';
import { EventBus, Metrics, metricsSink } from '../src/index.js';
import { expectInvalidArgument } from './expect-invalid-argument.js';

describe('Metrics', () => {
  it('counters add up, are shared by name and refuse negative increments', () => {
    const m = new Metrics();
    m.counter('a').inc();
    m.counter('a').inc(4);
    expect(m.counter('a').value).toBe(5);
    expectInvalidArgument(() => m.counter('a').inc(-1), '-1');
    expectInvalidArgument(() => m.counter('a').inc(Number.NaN), 'null');
    expect(m.snapshot().counters).toEqual({ a: 5 });
  });

  it('histograms give exact count/sum/min/max and nearest-rank percentiles', () => {
    const m = new Metrics();
    const h = m.histogram('lat');
    expect(h.snapshot()).toEqual({
      count: 0,
      sum: 0,
      min: null,
      max: null,
      mean: null,
      p50: null,
      p90: null,
      p99: null,
      sampled: 0,
    });
    // 1..100 shuffled: nearest-rank p50 = 50, p90 = 90, p99 = 99.
    const values = Array.from({ length: 100 }, (_, i) => i + 1);
    for (let i = values.length - 1; i > 0; i--) {
      const j = (i * 7919) % (i + 1);
      [values[i], values[j]] = [values[j]!, values[i]!];
    }
    for (const v of values) h.record(v);
    expect(h.snapshot()).toEqual({
      count: 100,
      sum: 5050,
      min: 1,
      max: 100,
      mean: 50.5,
      p50: 50,
      p90: 90,
      p99: 99,
      sampled: 100,
    });
    h.record(0.5);
    expect(h.snapshot().min).toBe(0.5);
    expectInvalidArgument(() => h.record(Infinity), 'null');
    expect(m.histogram('lat')).toBe(h);
  });

  it('a single sample is every percentile', () => {
    const h = new Metrics().histogram('one');
    h.record(3);
    const s = h.snapshot();
    expect([s.p50, s.p90, s.p99, s.min, s.max]).toEqual([3, 3, 3, 3, 3]);
  });

  it('beyond the reservoir, percentiles are estimates and totals stay exact', () => {
    const h = new Metrics({ reservoirSize: 1000 }).histogram('big');
    for (let i = 1; i <= 100_000; i++) h.record(i);
    const s = h.snapshot();
    expect(s.count).toBe(100_000);
    expect(s.sum).toBe(5_000_050_000);
    expect(s.min).toBe(1);
    expect(s.max).toBe(100_000);
    expect(s.sampled).toBe(1000);
    // Uniform sample of 1000: the estimate lands within a few percent of the true quantile.
    expect(Math.abs(s.p50! - 50_000)).toBeLessThan(5_000);
    expect(Math.abs(s.p90! - 90_000)).toBeLessThan(4_000);
    expect(s.p99!).toBeGreaterThan(97_000);
  });

  it('refuses a bad reservoir size', () => {
    expectInvalidArgument(() => new Metrics({ reservoirSize: 0 }), '0');
    expectInvalidArgument(() => new Metrics({ reservoirSize: 1.5 }), '1.5');
  });

  it('snapshot is plain JSON with sorted keys, and reset empties it', () => {
    const m = new Metrics();
    m.counter('z').inc();
    m.counter('b').inc();
    m.histogram('h').record(1);
    const s = m.snapshot();
    expect(Object.keys(s.counters)).toEqual(['b', 'z']);
    expect(JSON.parse(JSON.stringify(s))).toEqual(s);
    m.reset();
    expect(m.snapshot()).toEqual({ counters: {}, histograms: {} });
  });
});

describe('metricsSink', () => {
  it('counts events and builds duration histograms per name, phase and span name', () => {
    const m = new Metrics();
    const bus = new EventBus();
    bus.pipe(metricsSink(m));
    bus.emit(createEvent('loader.phase.end', { phase: 'parse', durationMs: 2 }));
    bus.emit(createEvent('loader.phase.end', { phase: 'parse', durationMs: 4 }));
    bus.emit(createEvent('loader.phase.end', { phase: 'read', durationMs: 1 }));
    bus.emit(createEvent('span.end', { name: 'boot', durationMs: 7, status: 'ok' }, { phase: 'ignored-for-spans' }));
    bus.emit(createEvent('span.start', { name: 'boot' }));
    bus.emit(
      createEvent(
        'instruction.completed',
        { op: 'clock.now', capability: 'clock', instanceId: 'i', correlationId: 'c', durationMs: 0.5, ok: true },
        { phase: 'clock' },
      ),
    );
    const s = m.snapshot();
    expect(s.counters['events.loader.phase.end']).toBe(3);
    expect(s.counters['events.span.start']).toBe(1);
    expect(s.histograms['loader.phase.end.durationMs']?.count).toBe(3);
    expect(s.histograms['loader.phase.end.durationMs[parse]']).toMatchObject({ count: 2, sum: 6, min: 2, max: 4 });
    expect(s.histograms['loader.phase.end.durationMs[read]']?.count).toBe(1);
    expect(s.histograms['span.end.durationMs[boot]']?.sum).toBe(7);
    expect(s.histograms['instruction.completed.durationMs[clock]']?.count).toBe(1);
    expect(Object.keys(s.histograms).some((k) => k.includes('ignored-for-spans'))).toBe(false);
  });
});
