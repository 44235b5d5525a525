import { createEvent } from '@fayger/contracts';
import { describe, expect, it } from 'vitest';
import { MemoryRecorder } from '../../src/index.js';
import { expectInvalidArgument } from '../expect-invalid-argument.js';

describe('MemoryRecorder', () => {
  it('records in order and answers queries', () => {
    const r = new MemoryRecorder();
    r.emit(createEvent('loader.phase.start', { phase: 'read' }, { phase: 'read', spanId: 'a' }));
    r.emit(createEvent('loader.phase.end', { phase: 'read', durationMs: 1 }, { phase: 'read', spanId: 'a' }));
    r.emit(createEvent('span.start', { name: 'child' }, { spanId: 'b', parentSpanId: 'a', layer: 'loader' }));
    r.emit(
      createEvent('runtime.lifecycle.transition', { from: 'Loaded', to: 'Failed', cause: 'x' }, { instanceId: 'i1' }),
    );
    r.emit(createEvent('loader.phase.start', { phase: 'parse' }, { phase: 'parse' }));
    expect(r.names()).toEqual([
      'loader.phase.start',
      'loader.phase.end',
      'span.start',
      'runtime.lifecycle.transition',
      'loader.phase.start',
    ]);
    expect(r.size).toBe(5);
    expect(r.count()).toBe(5);
    expect(r.count('loader.phase.start')).toBe(2);
    expect(r.byName('loader.phase.start').map((e) => e.data.phase)).toEqual(['read', 'parse']);
    expect(r.first('loader.phase.start')?.data.phase).toBe('read');
    expect(r.last('loader.phase.start')?.data.phase).toBe('parse');
    expect(r.last('instruction.denied')).toBeUndefined();
    expect(r.byLayer('loader')).toHaveLength(4);
    expect(r.byPhase('read')).toHaveLength(2);
    expect(r.byInstance('i1')).toHaveLength(1);
    expect(r.bySpan('a').map((e) => e.name)).toEqual(['loader.phase.start', 'loader.phase.end', 'span.start']);
    expect(r.filter((e) => e.level === 'info')).toHaveLength(1);
    const copy = r.events;
    copy.pop();
    expect(r.size).toBe(5);
    r.clear();
    expect(r.size).toBe(0);
  });

  it('keeps at most `limit` events, newest kept, and counts the dropped ones', () => {
    const r = new MemoryRecorder({ limit: 10 });
    for (let i = 0; i < 25; i++) r.emit(createEvent('span.start', { name: String(i) }));
    expect(r.size).toBeLessThanOrEqual(10);
    expect(r.dropped + r.size).toBe(25);
    expect(r.last('span.start')?.data.name).toBe('24');
    const names = r.byName('span.start').map((e) => Number(e.data.name));
    expect(names).toEqual(names.slice().sort((a, b) => a - b));
    expectInvalidArgument(() => new MemoryRecorder({ limit: 0 }), '0');
  });
});
