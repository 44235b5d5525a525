import { describe, expect, it } from 'vitest';
import {
  EVENT_INFO,
  EVENT_LEVELS,
  EVENT_NAMES,
  LOADER_PHASES,
  createEvent,
  emitEvent,
  isEventName,
  levelAtLeast,
  noopSink,
  type AnyFaygerEvent,
  type EventName,
  type EventSink,
} from '../src/index.js';

describe('event model', () => {
  it('lists every event name once, each with a layer, a known level and a title', () => {
    expect(new Set(EVENT_NAMES).size).toBe(EVENT_NAMES.length);
    expect(EVENT_NAMES.length).toBe(Object.keys(EVENT_INFO).length);
    for (const name of EVENT_NAMES) {
      const info = EVENT_INFO[name];
      expect(EVENT_LEVELS).toContain(info.level);
      expect(info.title.length).toBeGreaterThan(10);
      expect(name).toMatch(/^[a-z]+(\.[a-z-]+)+$/);
    }
  });

  it('covers the loader phases of architecture §2.4 in pipeline order', () => {
    expect(LOADER_PHASES).toEqual([
      'read',
      'parse',
      'verify-structure',
      'verify-digest',
      'verify-signature',
      'negotiate-version',
      'select',
      'resolve-dependencies',
      'read-bodies',
      'hand-off',
    ]);
  });

  it('isEventName accepts catalogue names only', () => {
    expect(isEventName('loader.phase.end')).toBe(true);
    expect(isEventName('loader.phase.nope')).toBe(false);
    expect(isEventName('toString')).toBe(false);
  });

  it('createEvent fills layer and level from the catalogue, and omits unset optional fields', () => {
    const e = createEvent('loader.phase.end', { phase: 'parse', durationMs: 1.5 }, { time: 42, spanId: 's1' });
    expect(e).toEqual({
      name: 'loader.phase.end',
      layer: 'loader',
      level: 'debug',
      time: 42,
      spanId: 's1',
      data: { phase: 'parse', durationMs: 1.5 },
    });
    expect('parentSpanId' in e).toBe(false);
    const o = createEvent(
      'runtime.quota.breach',
      { resource: 'fuel', used: 11, limit: 10, action: 'suspend' },
      { layer: 'interpreter', level: 'warn', instanceId: 'i1' },
    );
    expect(o.layer).toBe('interpreter');
    expect(o.level).toBe('warn');
    expect(o.instanceId).toBe('i1');
    const before = Date.now();
    expect(createEvent('span.start', { name: 'x' }).time).toBeGreaterThanOrEqual(before);
  });

  it('narrows the payload on the event name', () => {
    const e: AnyFaygerEvent = createEvent('instruction.denied', {
      op: 'fs.read',
      capability: 'fs.read',
      instanceId: 'i',
      correlationId: 'c',
      code: 'X',
      reason: 'not granted',
    });
    if (e.name === 'instruction.denied') expect(e.data.capability).toBe('fs.read');
    else expect.unreachable();
  });

  it('levelAtLeast orders debug < info < warn < error', () => {
    expect(levelAtLeast('error', 'warn')).toBe(true);
    expect(levelAtLeast('warn', 'warn')).toBe(true);
    expect(levelAtLeast('info', 'warn')).toBe(false);
    expect(levelAtLeast('debug', 'debug')).toBe(true);
  });

  it('noopSink wants nothing and accepts anything', () => {
    const names: EventName[] = [...EVENT_NAMES];
    for (const n of names) expect(noopSink.wants?.(n)).toBe(false);
    expect(() => noopSink.emit(createEvent('span.start', { name: 'x' }))).not.toThrow();
    expect(Object.isFrozen(noopSink)).toBe(true);
  });

  it('emitEvent builds the envelope only for a sink that wants the name', () => {
    const got: AnyFaygerEvent[] = [];
    const picky: EventSink = { emit: (e) => got.push(e), wants: (n) => n === 'loader.section.read' };
    const plain: EventSink = { emit: (e) => got.push(e) };
    emitEvent(picky, 'loader.section.verified', {
      sectionId: 's',
      algorithm: 'sha256',
      bytes: 1,
      durationMs: 0,
      ok: true,
    });
    emitEvent(
      picky,
      'loader.section.read',
      { sectionId: 's', bytes: 1, durationMs: 0.5, shared: false },
      { instanceId: 'i' },
    );
    emitEvent(plain, 'span.start', { name: 'n' });
    emitEvent(noopSink, 'span.start', { name: 'dropped' });
    expect(got.map((e) => e.name)).toEqual(['loader.section.read', 'span.start']);
    expect(got[0]).toMatchObject({ layer: 'loader', level: 'debug', instanceId: 'i' });
  });
});
