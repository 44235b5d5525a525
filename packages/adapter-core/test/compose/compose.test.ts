import { FaygerError, registerErrorCodes, type AnyFaygerEvent } from '@fayger/contracts';
import { describe, expect, it } from 'vitest';
import {
  baselineHandlers,
  createLogWriter,
  checkUiTree,
  composeAdapter,
  confineNamespace,
  confinePath,
  confineUrl,
  createAdapter,
  createInstructionBus,
  inputReleased,
  inputRendered,
  inputTyped,
  MAX_INPUT_ECHOES,
  offersFromHandlers,
  readCappedBody,
} from '../../src/index.js';

describe('adapter building blocks', () => {
  it('available() is derived from the handlers; a half-implemented capability is refused', () => {
    const b = baselineHandlers();
    expect(offersFromHandlers(b.handlers).map((o) => o.name)).toEqual(['log', 'clock', 'random', 'timer']);
    expect(() => offersFromHandlers({ 'kv.get': async () => ({ value: null }) })).toThrow(
      /no handler for kv\.set, kv\.delete, kv\.list/,
    );
  });

  it('baseline log honours minLevel, format and onRecord; clock and random answer', () => {
    const lines: string[] = [];
    const records: string[] = [];
    const b = baselineHandlers({
      log: {
        minLevel: 'info',
        format: 'text',
        output: { write: (c) => lines.push(c) },
        onRecord: (r) => records.push(r.message),
      },
    });
    const a = createAdapter({ id: 'b', hostKind: 'server', handlers: b.handlers });
    const bus = createInstructionBus({ adapter: a, policy: { allow: 'available' } });
    bus.open({
      instanceId: 'i',
      grants: bus.negotiate([
        { name: 'log', required: true },
        { name: 'clock', required: true },
        { name: 'random', required: true },
      ]),
    });
    bus.call('i', 'log.write', { level: 'debug', message: 'dropped' });
    bus.call('i', 'log.write', { level: 'warn', message: 'kept\u001b[31m' });
    expect(records).toEqual(['kept\u001b[31m']);
    expect(lines[0]).toMatch(/WARN {2}\[i\] kept\\u001b\[31m\n$/);
    expect(
      (bus.call('i', 'random.bytes', { length: 70000 > 65536 ? 65536 : 1 }) as { bytes: Uint8Array }).bytes.length,
    ).toBe(65536);
    const t1 = (bus.call('i', 'clock.now', { clock: 'monotonic' }) as { timeMs: number }).timeMs;
    expect((bus.call('i', 'clock.now', { clock: 'monotonic' }) as { timeMs: number }).timeMs).toBeGreaterThanOrEqual(
      t1,
    );
  });

  it('composeAdapter overrides some ops and offers, keeps the rest, and disposes both', async () => {
    const disposed: string[] = [];
    const base = createAdapter({
      id: 'base',
      hostKind: 'server',
      handlers: baselineHandlers().handlers,
      dispose: (i) => void disposed.push(`base:${i}`),
    });
    const c = composeAdapter(base, {
      handlers: { 'clipboard.read': () => ({ text: 'x' }), 'clipboard.write': () => ({}) },
      dispose: (i) => void disposed.push(`over:${i}`),
    });
    expect(c.available().map((o) => o.name)).toEqual(['log', 'clock', 'random', 'timer', 'clipboard']);
    await c.dispose('i');
    expect(disposed).toEqual(['over:i', 'base:i']);
    const scoped = composeAdapter(base, { offers: [{ name: 'timer', quota: { calls: 3 } }] });
    expect(scoped.available().find((o) => o.name === 'timer')).toEqual({ name: 'timer', quota: { calls: 3 } });
  });

  it('diagnostics: failed host calls are reported as adapter.host.error', async () => {
    const events: AnyFaygerEvent[] = [];
    const a = createAdapter({
      id: 'diag',
      hostKind: 'server',
      handlers: {
        ...baselineHandlers().handlers,
        'kv.get': async () => {
          throw new FaygerError({ code: 'ADAPTER_IO_FAILED', what: 'reading kv' });
        },
        'kv.set': async () => ({}),
        'kv.delete': async () => ({}),
        'kv.list': async () => ({ keys: [] }),
      },
      diagnostics: { emit: (e) => void events.push(e) },
    });
    const bus = createInstructionBus({ adapter: a, policy: { allow: 'available' } });
    bus.open({ instanceId: 'i', grants: bus.negotiate([{ name: 'kv', required: true }]) });
    await expect(bus.call('i', 'kv.get', { key: 'k' })).rejects.toMatchObject({ code: 'ADAPTER_IO_FAILED' });
    expect(events.map((e) => [e.name, (e.data as { operation: string }).operation])).toEqual([
      ['adapter.host.error', 'kv.get'],
    ]);
  });

  it('scope confinement: paths, origins, namespaces', () => {
    expect(confinePath('fs.read', { name: 'fs.read', scope: { roots: ['/data'] } }, '/data/a/../b')).toBe('/data/b');
    expect(() => confinePath('fs.read', { name: 'fs.read', scope: { roots: ['/data'] } }, '/data/../etc')).toThrow(
      expect.objectContaining({ code: 'CAPABILITY_SCOPE_DENIED' }),
    );
    expect(() =>
      confinePath('fs.remove', { name: 'fs.write', scope: { roots: ['/data'] } }, '/data', '/args/path', false),
    ).toThrow(/granted root itself/);
    expect(() => confineUrl('net.http', 'https://evil.example/', { origins: ['https://good.example'] })).toThrow(
      expect.objectContaining({ code: 'CAPABILITY_SCOPE_DENIED' }),
    );
    expect(() => confineUrl('net.http', 'file:///etc/passwd', undefined)).toThrow(
      expect.objectContaining({ code: 'INSTRUCTION_INVALID' }),
    );
    expect(confineNamespace('kv.get', undefined, { namespaces: ['default'] })).toBe('default');
    expect(() => confineNamespace('kv.get', 'other', { namespaces: ['default'] })).toThrow(
      expect.objectContaining({ code: 'CAPABILITY_SCOPE_DENIED' }),
    );
  });

  it('readCappedBody stops at the cap', async () => {
    const body = new Response(new Uint8Array(10)).body;
    await expect(
      readCappedBody({ status: 200, headers: new Headers(), body } as never, 5, 'http://x.test/'),
    ).rejects.toMatchObject({ code: 'ADAPTER_NET_FAILED' });
    expect((await readCappedBody(new Response(new Uint8Array(4)) as never, 5, 'http://x.test/')).length).toBe(4);
  });

  it('UI-tree rules: ids on interactive nodes, unique ids, bounded depth; focusables in reading order', () => {
    const facts = checkUiTree({
      type: 'column',
      children: [
        { type: 'input', id: 'a' },
        { type: 'button', id: 'b', disabled: true },
        { type: 'button', id: 'c' },
      ],
    });
    expect(facts.focusables.map((f) => f.id)).toEqual(['a', 'c']);
    // An adapter's own code (registered as adapters register theirs) replaces ADAPTER_UI_TREE_INVALID.
    registerErrorCodes({
      COREKITTEST_UI_TREE_INVALID: { layer: 'adapter', title: 'A test UI tree is invalid.', remedy: 'Fix the tree.' },
    });
    expect(() => checkUiTree({ type: 'button' }, 'COREKITTEST_UI_TREE_INVALID' as never)).toThrow(
      expect.objectContaining({ code: 'COREKITTEST_UI_TREE_INVALID' }),
    );
    expect(() =>
      checkUiTree({
        type: 'row',
        children: [
          { type: 'text', id: 'x' },
          { type: 'text', id: 'x' },
        ],
      }),
    ).toThrow(/unique/);
    let deep: unknown = { type: 'text' };
    for (let i = 0; i < 10_000; i++) deep = { type: 'column', children: [deep] };
    expect(() => checkUiTree(deep)).toThrow(expect.objectContaining({ code: 'ADAPTER_UI_TREE_INVALID' }));
  });

  it('input echo reducer: a late echo keeps what the user typed; a click lets the guest clear; history is bounded', () => {
    let s = inputRendered(undefined, '');
    s = inputTyped(s, 'A');
    s = inputTyped(s, 'Ad');
    s = inputRendered(s, 'A');
    expect(s.value).toBe('Ad');
    s = inputRendered(s, 'A');
    expect(s.value).toBe('Ad');
    s = inputReleased(s);
    expect(inputRendered(s, '').value).toBe('');
    for (let i = 0; i < 500; i++) s = inputTyped(s, `v${i}`);
    expect(s.echoes.length).toBe(MAX_INPUT_ECHOES);
  });

  it('log writer: JSON lines, and control characters escaped in text mode', () => {
    const out: string[] = [];
    createLogWriter({ output: { write: (c) => out.push(c) }, now: () => 0 }, { format: 'json' })('i', {
      level: 'info',
      message: 'a\nb',
      fields: { k: 'v' },
    });
    expect(JSON.parse(out[0]!)).toEqual({
      time: '1970-01-01T00:00:00.000Z',
      level: 'info',
      instanceId: 'i',
      msg: 'a\nb',
      fields: { k: 'v' },
    });
    createLogWriter({ output: { write: (c) => out.push(c) }, format: 'text', minLevel: 'info', now: () => 0 })('i', {
      level: 'warn',
      message: '\u001b[2Jforged\nline',
    });
    expect(out[1]).toBe('1970-01-01T00:00:00.000Z WARN  [i] \\u001b[2Jforged\\u000aline\n');
  });

  it('log writer: a Node stream whose buffer is full holds the writer until drain (backpressure), through log.write', async () => {
    const { Writable } = await import('node:stream');
    const got: string[] = [];
    let pending: (() => void) | undefined;
    const release = () => pending?.();
    // A reader that takes nothing until released: its 16-byte buffer fills at once.
    const stream = new Writable({
      highWaterMark: 16,
      write(chunk: Buffer, _enc, cb) {
        got.push(chunk.toString());
        pending = cb;
      },
    });
    const write = createLogWriter({ output: stream, format: 'text', now: () => 0 });
    const first = write('i', { level: 'info', message: 'x'.repeat(64) });
    expect(first).toBeInstanceOf(Promise);
    let settled = false;
    void (first as Promise<void>).then(() => (settled = true));
    await new Promise((r) => setImmediate(r));
    expect(settled).toBe(false);
    release();
    await first;
    expect(settled).toBe(true);
    // The baseline handler answers log.write with a promise while the stream is full.
    const b = baselineHandlers({ log: { output: stream, format: 'text' } });
    const r = b.handlers['log.write']!({ level: 'info', message: 'y'.repeat(64) }, { instanceId: 'i' } as never);
    expect(r).toBeInstanceOf(Promise);
    release();
    expect(await r).toEqual({});
    expect(got).toHaveLength(2);
    // A destroyed stream never drains: writes to it are not waited on.
    stream.destroy();
    stream.on('error', () => undefined);
    expect(write('i', { level: 'info', message: 'z'.repeat(64) })).toBeUndefined();
  });
});
