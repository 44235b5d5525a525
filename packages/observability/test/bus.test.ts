import { createEvent, FaygerError, type AnyFaygerEvent } from '@fayger/contracts';
import { describe, expect, it, vi } from 'vitest';
import { EventBus, MemoryRecorder, isEvent } from '../src/index.js';
import { expectInvalidArgument } from './expect-invalid-argument.js';

const phaseEnd = (phase: 'parse' | 'read' = 'parse') =>
  createEvent('loader.phase.end', { phase, durationMs: 2 }, { phase, time: 1 });
const transition = () =>
  createEvent(
    'runtime.lifecycle.transition',
    { from: 'Loaded', to: 'Initialized', cause: 'init' },
    { instanceId: 'i1', phase: 'lifecycle' },
  );
const quota = () => createEvent('runtime.quota.breach', { resource: 'fuel', used: 2, limit: 1, action: 'fail' });

describe('EventBus', () => {
  it('wants nothing and delivers nothing with no subscriber', () => {
    const bus = new EventBus();
    expect(bus.subscriberCount).toBe(0);
    expect(bus.wants('loader.phase.end')).toBe(false);
    expect(() => bus.emit(phaseEnd())).not.toThrow();
  });

  it('routes by exact name, name prefix, layer, phase and wildcard', () => {
    const bus = new EventBus();
    const seen: Record<string, string[]> = { name: [], prefix: [], sub: [], layer: [], phase: [], all: [], star: [] };
    bus.on('loader.phase.end', (e) => seen.name!.push(e.data.phase));
    bus.subscribe({ name: 'loader.*' }, (e) => seen.prefix!.push(e.name));
    bus.subscribe({ name: 'runtime.quota.*' }, (e) => seen.sub!.push(e.name));
    bus.subscribe({ layer: 'runtime' }, (e) => seen.layer!.push(e.name));
    bus.subscribe({ phase: 'lifecycle' }, (e) => seen.phase!.push(e.name));
    bus.subscribe('*', (e) => seen.all!.push(e.name));
    bus.subscribe({ name: '*' }, (e) => seen.star!.push(e.name));
    bus.emit(phaseEnd('read'));
    bus.emit(transition());
    bus.emit(quota());
    expect(seen.name).toEqual(['read']);
    expect(seen.prefix).toEqual(['loader.phase.end']);
    expect(seen.sub).toEqual(['runtime.quota.breach']);
    expect(seen.layer).toEqual(['runtime.lifecycle.transition', 'runtime.quota.breach']);
    expect(seen.phase).toEqual(['runtime.lifecycle.transition']);
    expect(seen.all).toEqual(['loader.phase.end', 'runtime.lifecycle.transition', 'runtime.quota.breach']);
    expect(seen.star).toEqual(seen.all);
  });

  it('applies every filter field together, including minLevel', () => {
    const bus = new EventBus();
    const got: string[] = [];
    bus.subscribe({ name: 'loader.*', phase: 'parse' }, (e) => got.push(`a:${e.name}`));
    bus.subscribe({ layer: 'runtime', minLevel: 'error' }, (e) => got.push(`b:${e.name}`));
    bus.emit(phaseEnd('read'));
    bus.emit(phaseEnd('parse'));
    bus.emit(transition()); // info: below minLevel
    bus.emit(quota()); // error
    expect(got).toEqual(['a:loader.phase.end', 'b:runtime.quota.breach']);
  });

  it('wants() reflects name subscriptions, prefixes and broad subscriptions', () => {
    const bus = new EventBus();
    const off = bus.on('instruction.denied', () => {});
    expect(bus.wants('instruction.denied')).toBe(true);
    expect(bus.wants('instruction.completed')).toBe(false);
    const offPrefix = bus.subscribe({ name: 'loader.*' }, () => {});
    expect(bus.wants('loader.section.read')).toBe(true);
    expect(bus.wants('runtime.quota.warning')).toBe(false);
    const offLayer = bus.subscribe({ layer: 'adapter' }, () => {});
    // Layer can be overridden per event, so a layer subscription makes every name wanted.
    expect(bus.wants('runtime.quota.warning')).toBe(true);
    offLayer();
    offPrefix();
    off();
    expect(bus.wants('instruction.denied')).toBe(false);
    expect(bus.subscriberCount).toBe(0);
  });

  it('unsubscribe stops delivery and is idempotent', () => {
    const bus = new EventBus();
    const h = vi.fn();
    const other = vi.fn();
    const off = bus.subscribe('*', h);
    bus.subscribe('*', other);
    bus.emit(phaseEnd());
    off();
    off();
    bus.emit(phaseEnd());
    expect(h).toHaveBeenCalledTimes(1);
    expect(other).toHaveBeenCalledTimes(2);
    expect(bus.subscriberCount).toBe(1);
    bus.clear();
    bus.emit(phaseEnd());
    expect(other).toHaveBeenCalledTimes(2);
    expect(bus.subscriberCount).toBe(0);
  });

  it('a throwing subscriber does not break emit or the others, and is reported as an event', () => {
    const bus = new EventBus();
    const before = vi.fn();
    const after = vi.fn();
    const errors = new MemoryRecorder();
    bus.on('loader.phase.end', before);
    bus.on(
      'loader.phase.end',
      () => {
        throw new RangeError('kaput');
      },
      { label: 'flaky' },
    );
    bus.on('loader.phase.end', after);
    bus.pipe(errors, { name: 'observability.subscriber.error' });
    const ev = { ...phaseEnd(), spanId: 's9' } as AnyFaygerEvent;
    expect(() => bus.emit(ev)).not.toThrow();
    expect(before).toHaveBeenCalledTimes(1);
    expect(after).toHaveBeenCalledTimes(1);
    expect(bus.subscriberErrorCount).toBe(1);
    const report = errors.last('observability.subscriber.error');
    expect(report?.data).toEqual({
      eventName: 'loader.phase.end',
      subscriber: 'flaky',
      error: { name: 'RangeError', message: 'kaput' },
    });
    expect(report?.layer).toBe('observability');
    expect(report?.level).toBe('error');
    expect(report?.parentSpanId).toBe('s9');
  });

  it('a subscriber that throws on the error report goes to the last-resort hook, without looping', () => {
    const hook = vi.fn();
    const bus = new EventBus({ onUnreportableError: hook });
    bus.subscribe('*', (e) => {
      throw new Error(`bad ${e.name}`);
    });
    expect(() => bus.emit(phaseEnd())).not.toThrow();
    expect(bus.subscriberErrorCount).toBe(2);
    expect(hook).toHaveBeenCalledTimes(1);
    expect((hook.mock.calls[0]![0] as Error).message).toBe('bad observability.subscriber.error');
    // A hook that throws too is swallowed.
    const bus2 = new EventBus({
      onUnreportableError: () => {
        throw new Error('hook');
      },
    });
    bus2.subscribe('*', () => {
      throw new Error('x');
    });
    expect(() => bus2.emit(phaseEnd())).not.toThrow();
  });

  it('publish builds the envelope only when the name is wanted', () => {
    const bus = new EventBus();
    const rec = new MemoryRecorder();
    const data = { phase: 'parse' as const, durationMs: 3 };
    bus.publish('loader.phase.end', data);
    bus.pipe(rec, { name: 'loader.phase.end' });
    bus.publish('loader.phase.start', { phase: 'parse' }); // not wanted
    bus.publish('loader.phase.end', data, { instanceId: 'x', spanId: 'sp' });
    expect(rec.names()).toEqual(['loader.phase.end']);
    const e = rec.first('loader.phase.end')!;
    expect(e.layer).toBe('loader');
    expect(e.level).toBe('debug');
    expect(e.instanceId).toBe('x');
    expect(e.data).toBe(data);
  });

  it('allows subscribing and unsubscribing from inside a handler', () => {
    const bus = new EventBus();
    const got: string[] = [];
    const off = bus.subscribe('*', (e) => {
      got.push(`once:${e.name}`);
      off();
      bus.on('runtime.quota.breach', () => got.push('late'));
    });
    bus.emit(phaseEnd());
    bus.emit(quota());
    expect(got).toEqual(['once:loader.phase.end', 'late']);
  });

  it('refuses a non-function handler, unknown names, patterns matching nothing and bad levels', () => {
    const bus = new EventBus();
    expectInvalidArgument(() => bus.subscribe('*', 42 as never), '42');
    expectInvalidArgument(() => bus.on('loader.phse.end' as never, () => {}), '"loader.phse.end"');
    expectInvalidArgument(() => bus.subscribe({ name: 'laoder.*' }, () => {}), '"laoder.*"');
    expectInvalidArgument(() => bus.subscribe({ minLevel: 'loud' as never }, () => {}), '"loud"');
    expect(bus.subscriberCount).toBe(0);
  });

  it('isEvent narrows wildcard events', () => {
    const e: AnyFaygerEvent = quota();
    expect(isEvent(e, 'runtime.quota.breach') && e.data.action).toBe('fail');
    expect(isEvent(e, 'loader.phase.end')).toBe(false);
  });

  it('an unsubscribe from before clear() does not disturb later subscriptions', () => {
    const bus = new EventBus();
    const stale = bus.subscribe('*', () => {});
    bus.clear();
    const h = vi.fn();
    bus.subscribe('*', h);
    stale();
    expect(bus.subscriberCount).toBe(1);
    bus.emit(phaseEnd());
    expect(h).toHaveBeenCalledTimes(1);
  });

  it('refuses a filter that is neither an object nor "*"', () => {
    expectInvalidArgument(() => new EventBus().subscribe(null as never, () => {}), 'null');
  });

  it('emit does not throw on a malformed event from an untyped caller; it reports it', () => {
    const hook = vi.fn();
    const bus = new EventBus({ onUnreportableError: hook });
    const h = vi.fn();
    bus.subscribe('*', h);
    expect(() => bus.emit(null as never)).not.toThrow();
    expect(() => bus.emit({ data: {} } as never)).not.toThrow();
    expect(h).not.toHaveBeenCalled();
    expect(hook).toHaveBeenCalledTimes(2);
    expect(FaygerError.is(hook.mock.calls[0]![0], 'INVALID_ARGUMENT')).toBe(true);
    expect(bus.droppedEventCount).toBe(2);
    expect(bus.subscriberErrorCount).toBe(0);
  });
});
