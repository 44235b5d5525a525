import { createEvent, FaygerError } from '@fayger/contracts';
import { describe, expect, it } from 'vitest';
import { formatEvent, prettyConsoleSink, toEventError } from '../../src/index.js';

function fakeConsole() {
  const lines: Array<[string, string]> = [];
  return {
    lines,
    log: (s: string) => lines.push(['log', s]),
    warn: (s: string) => lines.push(['warn', s]),
    error: (s: string) => lines.push(['error', s]),
  };
}

describe('prettyConsoleSink', () => {
  it('prints info and above by default, routing by level', () => {
    const c = fakeConsole();
    const sink = prettyConsoleSink({ console: c, showTime: false });
    sink.emit(createEvent('loader.phase.end', { phase: 'parse', durationMs: 1 })); // debug: hidden
    sink.emit(
      createEvent(
        'runtime.lifecycle.transition',
        { from: 'Running', to: 'Suspended', cause: 'quota:fuel' },
        { instanceId: 'i7' },
      ),
    );
    sink.emit(createEvent('runtime.quota.warning', { resource: 'fuel', used: 80, limit: 100, ratio: 0.8 }));
    sink.emit(
      createEvent('loader.load.error', {
        source: 'file:/tmp/a b.buf',
        phase: 'read',
        durationMs: 1.23456,
        error: toEventError(new FaygerError({ code: 'ABORTED', phase: 'read' })),
      }),
    );
    expect(c.lines.map(([k]) => k)).toEqual(['log', 'warn', 'error']);
    expect(c.lines[0]![1]).toBe(
      'INFO  runtime  runtime.lifecycle.transition inst=i7 from=Running to=Suspended cause=quota:fuel',
    );
    expect(c.lines[1]![1]).toBe('WARN  runtime  runtime.quota.warning resource=fuel used=80 limit=100 ratio=0.80');
    expect(c.lines[2]![1]).toMatch(
      /^ERROR loader {3}loader.load.error source="file:\/tmp\/a b.buf" phase=read durationMs=1.235 error=ABORTED: /,
    );
  });

  it('honours minLevel debug and prints phase and span ids', () => {
    const c = fakeConsole();
    prettyConsoleSink({ console: c, minLevel: 'debug', showTime: false }).emit(
      createEvent(
        'span.end',
        { name: 'verify', durationMs: 2, status: 'ok', attributes: { n: 1 } },
        { phase: 'verify-digest', spanId: 's2', parentSpanId: 's1', layer: 'loader' },
      ),
    );
    expect(c.lines[0]![1]).toBe(
      'DEBUG loader   span.end [verify-digest] name=verify durationMs=2.000 status=ok attributes={"n":1} span=s2<s1',
    );
  });

  it('prints the time of day and ANSI colours when asked', () => {
    const line = formatEvent(
      createEvent('runtime.quota.breach', { resource: 'calls', used: 2, limit: 1, action: 'throttle' }),
      { colors: true },
    );
    expect(line).toMatch(/^\x1b\[2m\d\d:\d\d:\d\d\.\d{3}\x1b\[0m \x1b\[31mERROR\x1b\[0m/);
  });

  it('does not throw when the console does', () => {
    const bad = {
      log() {
        throw new Error('x');
      },
      warn() {},
      error() {},
    };
    expect(() =>
      prettyConsoleSink({ console: bad }).emit(
        createEvent('adapter.host.detected', { host: 'server', adapter: 'a', forced: false, reason: 'r' }),
      ),
    ).not.toThrow();
  });
});
