import { createEvent, FaygerError, type AnyFaygerEvent } from '@fayger/contracts';
import { describe, expect, it, vi } from 'vitest';
import { EventBus, jsonLinesSink, serializeEvent } from '../../src/index.js';
import { expectInvalidArgument } from '../expect-invalid-argument.js';

describe('jsonLinesSink', () => {
  it('writes one parseable JSON line per event, round-tripping the envelope', () => {
    const chunks: string[] = [];
    const sink = jsonLinesSink({ write: (s) => chunks.push(s) });
    const a = createEvent(
      'loader.phase.end',
      { phase: 'verify-digest', durationMs: 0.25, bytes: 10 },
      { time: 5, spanId: 'a', parentSpanId: 'p' },
    );
    const b = createEvent('instruction.completed', {
      op: 'fs.read',
      capability: 'fs.read',
      instanceId: 'i',
      correlationId: 'c1',
      durationMs: 1,
      ok: true,
    });
    sink.emit(a);
    sink.emit(b);
    expect(chunks).toHaveLength(2);
    expect(chunks.every((c) => c.endsWith('\n') && c.indexOf('\n') === c.length - 1)).toBe(true);
    expect(JSON.parse(chunks[0]!)).toEqual(a);
    expect(JSON.parse(chunks[1]!)).toEqual(b);
    expect(sink.written).toBe(2);
  });

  it('filters by minLevel', () => {
    const chunks: string[] = [];
    const sink = jsonLinesSink({ write: (s) => chunks.push(s) }, { minLevel: 'warn' });
    sink.emit(createEvent('span.start', { name: 'x' }));
    sink.emit(createEvent('runtime.quota.warning', { resource: 'memory', used: 9, limit: 10, ratio: 0.9 }));
    expect(chunks.map((c) => JSON.parse(c).name)).toEqual(['runtime.quota.warning']);
  });

  it('survives a throwing writer, counts the drop and calls onError', () => {
    const onError = vi.fn();
    const sink = jsonLinesSink(
      {
        write() {
          throw new Error('disk full');
        },
      },
      { onError },
    );
    expect(() => sink.emit(createEvent('span.start', { name: 'x' }))).not.toThrow();
    expect(sink.failed).toBe(1);
    expect(sink.written).toBe(0);
    expect((onError.mock.calls[0]![0] as Error).message).toBe('disk full');
  });

  it('refuses a writer without write()', () => {
    expectInvalidArgument(() => jsonLinesSink({} as never), '{}');
  });

  it('works piped from the bus', () => {
    const chunks: string[] = [];
    const bus = new EventBus();
    bus.pipe(jsonLinesSink({ write: (s) => chunks.push(s) }), { layer: 'security' });
    bus.publish('security.digest.verified', {
      target: 'root',
      algorithm: 'sha256',
      provider: 'noble',
      bytes: 3,
      durationMs: 0.1,
      ok: true,
    });
    bus.publish('span.start', { name: 'ignored' });
    expect(chunks).toHaveLength(1);
    expect(JSON.parse(chunks[0]!).data.provider).toBe('noble');
  });
});

describe('serializeEvent', () => {
  it('keeps careless payloads useful: Error, FaygerError, bigint, bytes, cycles', () => {
    const data: Record<string, unknown> = {
      err: new TypeError('t'),
      ferr: new FaygerError({ code: 'ABORTED', phase: 'read' }),
      big: 12n,
      bytes: new Uint8Array(7),
    };
    const line = serializeEvent({ ...createEvent('span.start', { name: 'x' }), data } as unknown as AnyFaygerEvent);
    const parsed = JSON.parse(line).data;
    expect(parsed.err).toEqual({ name: 'TypeError', message: 't' });
    expect(parsed.ferr.code).toBe('ABORTED');
    expect(parsed.big).toBe('12');
    expect(parsed.bytes).toEqual({ bytes: 7 });
    data.self = data;
    const cyclic = JSON.parse(
      serializeEvent({ ...createEvent('span.start', { name: 'x' }), data } as unknown as AnyFaygerEvent),
    );
    expect(cyclic.data.self).toBe('[Circular]');
  });

  it('never throws, even on a throwing toJSON', () => {
    const data = {
      toJSON() {
        throw new Error('nope');
      },
    };
    const line = serializeEvent({ ...createEvent('span.start', { name: 'x' }), data } as unknown as AnyFaygerEvent);
    expect(JSON.parse(line)).toEqual({ unserializable: 'nope' });
  });
});
