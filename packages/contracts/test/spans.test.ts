import { describe, expect, it } from 'vitest';
import {
  EVENT_NAMES,
  SPAN_EVENTS,
  newSpanId,
  openEventSpan,
  type AnyFaygerEvent,
  type EventSink,
} from '../src/index.js';

function recorder(wanted = true): EventSink & { events: AnyFaygerEvent[] } {
  const events: AnyFaygerEvent[] = [];
  return { events, emit: (e) => events.push(e), wants: () => wanted };
}

describe('span helper', () => {
  it('gives a span id to start and end events and the parent id to a child span', () => {
    const sink = recorder();
    const load = openEventSpan(sink);
    load.emit('loader.load.start', { source: 'memory', strategy: 'lazy' });
    const phase = load.child();
    phase.emit('loader.phase.start', { phase: 'read' }, { phase: 'read' });
    phase.emit('loader.phase.end', () => ({ phase: 'read', durationMs: phase.elapsed() }), { phase: 'read' });
    load.emit('loader.load.end', {
      source: 'memory',
      strategy: 'lazy',
      durationMs: 1,
      bytesRead: 2,
      sectionsSelected: 0,
      sectionsSkipped: 0,
    });

    const [start, pStart, pEnd, end] = sink.events;
    expect(start.spanId).toBe(load.spanId);
    expect(start.parentSpanId).toBeUndefined();
    expect(end.spanId).toBe(load.spanId);
    expect(pStart).toMatchObject({ spanId: phase.spanId, parentSpanId: load.spanId, phase: 'read' });
    expect(pEnd).toMatchObject({ spanId: phase.spanId, parentSpanId: load.spanId });
    expect(phase.spanId).not.toBe(load.spanId);
    expect(load.spanId).toMatch(/^[0-9a-f]{16}$/);
  });

  it('builds no payload when the sink does not want the event, emits nothing without a sink, never throws', () => {
    let built = 0;
    const quiet = recorder(false);
    openEventSpan(quiet).emit('span.start', () => (built++, { name: 'x' }));
    expect(built).toBe(0);
    expect(quiet.events).toHaveLength(0);
    expect(() => openEventSpan(undefined, 'parent').emit('span.start', { name: 'x' })).not.toThrow();
    const throwing: EventSink = {
      emit: () => {
        throw new Error('sink bug');
      },
    };
    expect(() => openEventSpan(throwing).emit('span.start', { name: 'x' })).not.toThrow();
    expect(openEventSpan(undefined, 'abc').meta({ instanceId: 'i1' })).toEqual({
      instanceId: 'i1',
      spanId: expect.any(String),
      parentSpanId: 'abc',
    });
  });

  it('ids are unique; SPAN_EVENTS names only catalogued events', () => {
    const ids = new Set(Array.from({ length: 1000 }, newSpanId));
    expect(ids.size).toBe(1000);
    for (const group of Object.values(SPAN_EVENTS))
      for (const n of Object.values(group)) expect(EVENT_NAMES).toContain(n);
  });
});
