import { describe, expect, it } from 'vitest';
import { EventBus, MemoryRecorder, startSpan, withSpan } from '../src/index.js';

function fakeClock(...times: number[]) {
  let i = 0;
  return () => times[Math.min(i++, times.length - 1)]!;
}

describe('spans', () => {
  it('emits span.start then span.end with durationMs, ids and envelope fields', () => {
    const rec = new MemoryRecorder();
    const span = startSpan(rec, 'load', {
      layer: 'loader',
      phase: 'read',
      instanceId: 'i1',
      attributes: { source: 'mem' },
      clock: fakeClock(10, 12.5),
    });
    expect(span.ended).toBe(false);
    expect(span.end({ bytes: 3 })).toBe(2.5);
    expect(span.ended).toBe(true);
    const [start, end] = rec.events;
    expect(start).toMatchObject({
      name: 'span.start',
      layer: 'loader',
      phase: 'read',
      instanceId: 'i1',
      spanId: span.spanId,
      data: { name: 'load', attributes: { source: 'mem' } },
    });
    expect(start!.parentSpanId).toBeUndefined();
    expect(end).toMatchObject({
      name: 'span.end',
      level: 'debug',
      spanId: span.spanId,
      data: { name: 'load', durationMs: 2.5, status: 'ok', attributes: { source: 'mem', bytes: 3 } },
    });
  });

  it('children carry the parent id and inherit layer and instance', () => {
    const rec = new MemoryRecorder();
    const root = startSpan(rec, 'load', { layer: 'loader', instanceId: 'i2' });
    const child = root.child('parse', { phase: 'parse' });
    const byId = startSpan(rec, 'other', { parent: root.spanId });
    expect(child.parentSpanId).toBe(root.spanId);
    expect(byId.parentSpanId).toBe(root.spanId);
    expect(child.spanId).not.toBe(root.spanId);
    child.end();
    root.end();
    const childEnd = rec.byName('span.end')[0]!;
    expect(childEnd).toMatchObject({ parentSpanId: root.spanId, layer: 'loader', instanceId: 'i2', phase: 'parse' });
    expect(childEnd.data.durationMs).toBeGreaterThanOrEqual(0);
  });

  it('fail records status error with the error data; a second end is ignored', () => {
    const rec = new MemoryRecorder();
    const span = startSpan(rec, 'verify', { clock: fakeClock(0, 4, 9) });
    expect(span.fail(new Error('bad digest'))).toBe(4);
    expect(span.end()).toBe(4);
    expect(rec.count('span.end')).toBe(1);
    expect(rec.last('span.end')).toMatchObject({
      level: 'error',
      data: { status: 'error', error: { name: 'Error', message: 'bad digest' } },
    });
  });

  it('skips building events the sink does not want', () => {
    const bus = new EventBus();
    const ends: number[] = [];
    bus.on('span.end', (e) => ends.push(e.data.durationMs));
    const span = startSpan(bus, 'x', { clock: fakeClock(1, 3) });
    span.end();
    expect(ends).toEqual([2]);
    expect(bus.wants('span.start')).toBe(false);
  });

  it('withSpan ends on return, fails and rethrows on throw, and follows promises', async () => {
    const rec = new MemoryRecorder();
    expect(withSpan(rec, 'sync', () => 7)).toBe(7);
    expect(() =>
      withSpan(rec, 'throws', () => {
        throw new Error('t');
      }),
    ).toThrow('t');
    await expect(withSpan(rec, 'async', async () => 8)).resolves.toBe(8);
    await expect(withSpan(rec, 'rejects', async () => Promise.reject(new Error('r')))).rejects.toThrow('r');
    expect(rec.byName('span.end').map((e) => `${e.data.name}:${e.data.status}`)).toEqual([
      'sync:ok',
      'throws:error',
      'async:ok',
      'rejects:error',
    ]);
  });
});
