import { PassThrough } from 'node:stream';
import { createInstructionBus, createMemoryAdapter, type AdapterBus } from '@fayger/adapter-core';
import { FaygerError, type UiNode, type UniversalEvent } from '@fayger/contracts';
import { afterEach, describe, expect, it } from 'vitest';
import { createDesktopAdapter, detectDesktop, type DesktopAdapterOptions } from '../../src/index.js';
import { FakeTools } from '../helpers/fake-tools.js';
import { FakeScreen } from '../helpers/screen.js';

const buses: AdapterBus[] = [];
afterEach(async () => {
  for (const b of buses.splice(0)) await b.shutdown();
});

function setup(extra: Partial<DesktopAdapterOptions> = {}) {
  const input = new PassThrough();
  const screen = new FakeScreen(50, 10);
  const fallback: string[] = [];
  const adapter = createDesktopAdapter({
    host: createMemoryAdapter(),
    terminal: { input, output: screen },
    charset: 'ascii',
    clipboard: null,
    notifier: null,
    urlOpener: null,
    fallbackOutput: { write: (s: string) => fallback.push(s) },
    ...extra,
  });
  const bus = createInstructionBus({ adapter, policy: { allow: 'available' } });
  buses.push(bus);
  const open = (instanceId: string, caps = ['ui', 'notify', 'clipboard', 'open-url', 'log']) => {
    const report = bus.negotiate(caps.map((name) => ({ name, required: false })));
    bus.open({ instanceId, grants: report.granted });
    const events: UniversalEvent[] = [];
    bus.subscribe(instanceId, (e) => events.push(e));
    return { events, report, call: (op: string, args: unknown) => bus.call(instanceId, op as never, args as never) };
  };
  const send = async (bytes: string) => {
    input.write(bytes);
    await new Promise((r) => setImmediate(r));
  };
  return { adapter, bus, screen, open, send, fallback };
}

const tree: UiNode = {
  type: 'column',
  children: [
    { type: 'text', text: 'Counter: 0' },
    { type: 'button', id: 'inc', text: '+1' },
  ],
};

/** Sync ops throw at once through bus.call; async ones reject: accept both. */
async function rejection(fn: () => unknown): Promise<FaygerError> {
  try {
    await fn();
  } catch (e) {
    if (FaygerError.is(e)) return e;
    throw e;
  }
  throw new Error('expected a rejection');
}

describe('desktop adapter', () => {
  it('offers ui and notify always, clipboard and open-url only with a tool, plus the host services', () => {
    const { adapter } = setup();
    const names = adapter.available().map((o) => o.name);
    expect(names).toEqual(expect.arrayContaining(['log', 'clock', 'fs.read', 'kv', 'ui', 'notify']));
    expect(names).not.toContain('clipboard');
    expect(names).not.toContain('open-url');
    expect(new Set(names).size).toBe(names.length);

    const tools = new FakeTools();
    try {
      tools.recorder('xclip');
      tools.recorder('xdg-open');
      const withTools = setup({
        clipboard: undefined,
        urlOpener: undefined,
        toolEnv: { platform: 'linux', env: { PATH: tools.dir, DISPLAY: ':0' } },
      });
      expect(withTools.adapter.available().map((o) => o.name)).toEqual(
        expect.arrayContaining(['clipboard', 'open-url']),
      );
    } finally {
      tools.cleanup();
    }
  });

  it('offers no ui without a terminal, and ui.render then fails DESKTOP_UI_NO_TERMINAL', async () => {
    const { adapter } = setup({ terminal: null });
    expect(adapter.available().map((o) => o.name)).not.toContain('ui');
    const direct = createDesktopAdapter({
      host: createMemoryAdapter(),
      terminal: null,
      clipboard: null,
      notifier: null,
      urlOpener: null,
    });
    const { directContext } = await import('@fayger/adapter-core/conformance');
    const e = await rejection(() =>
      direct.handle({ v: 1, id: '1', op: 'ui.render', args: { tree } }, directContext('i', 'ui', [{ name: 'ui' }])),
    );
    expect(e.code).toBe('DESKTOP_UI_NO_TERMINAL');
  });

  it('renders through the bus and delivers ui.events to the instance', async () => {
    const { open, screen, send } = setup();
    const app = open('app-1');
    await app.call('ui.render', { tree });
    expect(screen.text().slice(0, 2)).toEqual(['Counter: 0', '> [ +1 ]']);
    await send('\r');
    await send('q');
    expect(app.events.map((e) => e.data)).toEqual([
      { nodeId: 'inc', kind: 'click' },
      { nodeId: 'inc', kind: 'key', key: 'q' },
    ]);
    expect(app.events[0]).toMatchObject({ v: 1, type: 'ui.event', instanceId: 'app-1' });
  });

  it('the instance that rendered last owns the terminal and its events', async () => {
    const { open, screen, send } = setup();
    const a = open('a');
    const b = open('b');
    await a.call('ui.render', { tree });
    await b.call('ui.render', { tree: { type: 'button', id: 'mine', text: 'B' } });
    expect(screen.text()[0]).toBe('> [ B ]');
    await send('\r');
    expect(a.events).toEqual([]);
    expect(b.events.map((e) => e.data)).toEqual([{ nodeId: 'mine', kind: 'click' }]);
  });

  it('Ctrl-C tells every UI instance it is terminating and restores the terminal', async () => {
    const { open, screen, send } = setup();
    const a = open('a');
    await a.call('ui.render', { tree });
    await send('\x03');
    expect(a.events.map((e) => [e.type, e.data])).toEqual([['app.lifecycle', { state: 'terminating' }]]);
    expect(screen.altScreen).toBe(false);
    expect((await rejection(() => a.call('ui.render', { tree }))).code).toBe('DESKTOP_UI_NO_TERMINAL');
  });

  it('ui.clear and disposing the owner give the terminal back', async () => {
    const { open, screen, bus } = setup();
    const a = open('a');
    await a.call('ui.render', { tree });
    expect(screen.altScreen).toBe(true);
    await a.call('ui.clear', {});
    expect(screen.altScreen).toBe(false);
    await a.call('ui.render', { tree });
    expect(screen.altScreen).toBe(true);
    await bus.close('a');
    expect(screen.altScreen).toBe(false);
  });

  it('an input without an id is refused at the bus boundary, naming the field', async () => {
    const { open } = setup();
    const a = open('a');
    const e = await rejection(() =>
      a.call('ui.render', { tree: { type: 'row', children: [{ type: 'input', text: 'no id' }] } }),
    );
    expect(e.code).toBe('INSTRUCTION_INVALID');
    expect(e.details.field).toBe('/args/tree/children/0/id');
  });

  it('notify falls back to a terminal status line with a bell, or a line on the fallback output', async () => {
    const { open, screen, fallback } = setup();
    const a = open('a');
    await a.call('notify.send', { title: 'Build', body: 'done' });
    expect(fallback).toEqual(['\x07[Build] done\n']);
    await a.call('ui.render', { tree });
    await a.call('notify.send', { title: 'Saved' });
    expect(screen.bells).toBe(1);
    expect(screen.text()[9]).toBe('! Saved');
  });

  it('notify uses the OS notifier when there is one, and falls back when it fails', async () => {
    const sent: string[] = [];
    let fail = false;
    const { open, fallback } = setup({
      notifier: {
        name: 'test',
        send: async (t, b) => {
          if (fail) throw new FaygerError({ code: 'DESKTOP_TOOL_FAILED', phase: 'notify.send' });
          sent.push(`${t}|${b}`);
        },
      },
    });
    const a = open('a');
    await a.call('notify.send', { title: 'T', body: 'B' });
    fail = true;
    await a.call('notify.send', { title: 'T2' });
    expect(sent).toEqual(['T|B']);
    expect(fallback).toEqual(['\x07[T2]\n']);
  });

  it('clipboard and url.open run the detected tools; a non-http URL is DESKTOP_URL_REJECTED', async () => {
    const tools = new FakeTools();
    try {
      tools.add('xclip', 'case "$*" in *-in*) cat > "$STATE/clip" ;; *-out*) cat "$STATE/clip" ;; esac');
      tools.recorder('xdg-open');
      const { open } = setup({
        clipboard: undefined,
        urlOpener: undefined,
        toolEnv: { platform: 'linux', env: { PATH: tools.dir, DISPLAY: ':0' } },
      });
      const a = open('a');
      await a.call('clipboard.write', { text: 'copied ✓' });
      expect(await a.call('clipboard.read', {})).toEqual({ text: 'copied ✓' });
      await a.call('url.open', { url: 'https://example.com/docs' });
      expect(tools.args('xdg-open')).toEqual(['https://example.com/docs']);
      expect((await rejection(() => a.call('url.open', { url: 'file:///etc/passwd' }))).code).toBe(
        'DESKTOP_URL_REJECTED',
      );
    } finally {
      tools.cleanup();
    }
  });

  it('without a clipboard tool the capability is absent, so the call is denied before any tool runs', async () => {
    const { open } = setup();
    const a = open('a');
    expect(a.report.absentOptional).toContain('clipboard');
    expect((await rejection(() => a.call('clipboard.read', {}))).code).toBe('CAPABILITY_DENIED');
  });
});

describe('desktop adapter over the Node host services', () => {
  it('holds log records while the UI is on screen and writes them when it gives the terminal back', async () => {
    const logged: string[] = [];
    const { open } = setup({
      host: undefined,
      log: { output: { write: (s: string) => logged.push(s) } },
      listen: false,
      http: false,
    });
    const a = open('a');
    await a.call('log.write', { level: 'info', message: 'before' });
    expect(logged.join('')).toMatch(/INFO +\[a\] before/);
    await a.call('ui.render', { tree });
    await a.call('log.write', { level: 'warn', message: 'during' });
    expect(logged.join('')).not.toMatch(/during/);
    await a.call('ui.clear', {});
    expect(logged.join('')).toMatch(/WARN +\[a\] during/);
  });

  it('offers fs only under the roots the user granted', () => {
    const tools = new FakeTools();
    try {
      const none = setup({ host: undefined, listen: false });
      expect(none.adapter.available().map((o) => o.name)).not.toContain('fs.read');
      const granted = setup({
        host: undefined,
        listen: false,
        mounts: [
          { guest: '/docs', host: tools.dir },
          { guest: '/ref', host: tools.dir, readOnly: true },
        ],
      });
      const offers = granted.adapter.available();
      expect(offers.find((o) => o.name === 'fs.read')?.scope?.roots).toEqual(['/docs', '/ref']);
      expect(offers.find((o) => o.name === 'fs.write')?.scope?.roots).toEqual(['/docs']);
    } finally {
      tools.cleanup();
    }
  });
});

describe('detectDesktop', () => {
  const node = (stdin: boolean, stdout: boolean) => ({
    global: { process: { versions: { node: '20.19.0' }, stdin: { isTTY: stdin }, stdout: { isTTY: stdout } } },
  });

  it('matches Node with a terminal on stdin and stdout, above a plain Node match', () => {
    expect(detectDesktop(node(true, true))).toBe(2);
    expect(detectDesktop(node(false, true))).toBe(false);
    expect(detectDesktop(node(true, false))).toBe(false);
    expect(detectDesktop({ global: { window: {}, document: {} } })).toBe(false);
    expect(detectDesktop({ global: { ...node(true, true).global, window: {}, document: {} } })).toBe(false);
  });
});
