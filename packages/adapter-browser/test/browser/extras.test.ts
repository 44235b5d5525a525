import { createMemoryAdapter } from '@fayger/adapter-core';
import { afterEach, describe, expect, it } from 'vitest';
import { commands } from 'vitest/browser';
import type { AnyFaygerEvent } from '@fayger/contracts';
import { createBrowserAdapter } from '../../src/index.js';
import { selectAdapter } from '@fayger/adapter-core';
import { closeAll, expectCode, req, session, waitFor } from './helpers.js';

afterEach(closeAll);

describe('contract in a page', () => {
  it('offers what a page can do and never fs, net.listen, env, stdio', () => {
    const names = createBrowserAdapter()
      .available()
      .map((o) => o.name);
    for (const c of ['log', 'clock', 'random', 'timer', 'net.http', 'kv', 'ui', 'open-url']) expect(names).toContain(c);
    for (const c of ['fs.read', 'fs.write', 'net.listen', 'env', 'stdio']) expect(names).not.toContain(c);
  });

  it('negotiation leaves a required fs grant missing, so the app cannot start', async () => {
    const s = await session({}, [req('fs.read'), req('env'), req('net.listen'), req('ui')]);
    const report = s.bus.negotiate([{ name: 'fs.read', required: true }, req('ui')]);
    expect(report.granted.map((g) => g.name)).toEqual(['ui']);
    await expectCode(s.call('fs.read', { path: '/data/x' }), 'CAPABILITY_DENIED');
  });

  it('detect(): any DOM scores 1 (the in-app adapter outscores it where its bridge is), a non-DOM host 0; selected over the memory adapter', () => {
    const a = createBrowserAdapter();
    expect(a.detect({ global: globalThis as never })).toBe(1);
    // In a page the global object is the window itself.
    const webView = (extra: Record<string, unknown>) => {
      const g: Record<string, unknown> = { document: {}, ...extra };
      g.window = g;
      return { global: g };
    };
    expect(a.detect(webView({}))).toBe(1);
    // Core knows no bridge: the browser adapter does not look for one either.
    expect(a.detect(webView({ ReactNativeWebView: {} }))).toBe(1);
    expect(a.detect({ global: { process: { versions: { node: '20' } } } })).toBe(0);
    expect(selectAdapter([createMemoryAdapter(), a]).id).toBe('browser');
  });
});

describe('log', () => {
  it('writes to the console and the onRecord callback; host failures reach the EventSink', async () => {
    const records: unknown[] = [];
    const seen: AnyFaygerEvent[] = [];
    const original = console.warn;
    const lines: unknown[][] = [];
    console.warn = (...args: unknown[]) => void lines.push(args);
    try {
      const s = await session(
        { log: { onRecord: (r) => records.push(r) }, diagnostics: { emit: (e) => void seen.push(e) } },
        [req('log'), req('open-url')],
      );
      await s.call('log.write', { level: 'warn', message: 'careful', fields: { k: 'v' } });
      expect(lines).toEqual([[`[fayger ${s.instanceId}] careful`, { k: 'v' }]]);
      expect(records).toMatchObject([
        { instanceId: s.instanceId, level: 'warn', message: 'careful', fields: { k: 'v' } },
      ]);
      await expectCode(s.call('url.open', { url: 'javascript:alert(1)' }), 'BROWSER_URL_REJECTED');
      expect(seen.map((e) => e.name)).toContain('adapter.host.error');
    } finally {
      console.warn = original;
    }
  });
});

describe('url.open', () => {
  it('opens http(s) URLs in a new window; other schemes are rejected', async () => {
    const origin = await commands.startHttpFixture();
    try {
      const s = await session({}, [req('open-url')]);
      await s.call('url.open', { url: `${origin}/ok?from=fayger` });
      expect(await commands.takePopups()).toEqual([`${origin}/ok?from=fayger`]);
      for (const url of ['javascript:alert(1)', 'data:text/html,hi', 'file:///etc/passwd', '/relative', 'http://']) {
        await expectCode(s.call('url.open', { url }), 'BROWSER_URL_REJECTED');
      }
      expect(await commands.takePopups(100)).toEqual([]);
    } finally {
      await commands.stopHttpFixture(origin);
    }
  });

  it('a blocked popup is BROWSER_POPUP_BLOCKED', async () => {
    const fake = {
      document,
      navigator,
      open: () => null,
      fetch,
      addEventListener: () => {},
      removeEventListener: () => {},
    } as unknown as Window & typeof globalThis;
    const s = await session({ window: fake }, [req('open-url')]);
    await expectCode(s.call('url.open', { url: 'https://example.com/' }), 'BROWSER_POPUP_BLOCKED');
  });
});

describe('clipboard', () => {
  it('round-trips text through navigator.clipboard when the page may use it', async () => {
    const s = await session({}, [req('clipboard')]);
    expect(s.adapter.available().map((o) => o.name)).toContain('clipboard');
    window.focus();
    await s.call('clipboard.write', { text: 'fayger clipboard ✓' });
    expect(await s.call('clipboard.read', {})).toEqual({ text: 'fayger clipboard ✓' });
  });

  it('without a Clipboard API it is not offered, and a forced call fails BROWSER_CLIPBOARD_DENIED', async () => {
    const fake = {
      document,
      navigator: {},
      open: window.open.bind(window),
      fetch,
      addEventListener: () => {},
      removeEventListener: () => {},
    } as unknown as Window & typeof globalThis;
    expect(
      createBrowserAdapter({ window: fake })
        .available()
        .map((o) => o.name),
    ).not.toContain('clipboard');
    const s = await session({ window: fake, clipboard: true }, [req('clipboard')]);
    await expectCode(s.call('clipboard.write', { text: 'x' }), 'BROWSER_CLIPBOARD_DENIED');
    await expectCode(s.call('clipboard.read', {}), 'BROWSER_CLIPBOARD_DENIED');
  });
});

describe('app.lifecycle and cleanup', () => {
  it('visibility changes and page hide become app.lifecycle events for instances of this adapter', async () => {
    const s = await session({}, [req('log'), req('timer')]);
    await s.call('log.write', { level: 'debug', message: 'wake' });
    document.dispatchEvent(new Event('visibilitychange'));
    window.dispatchEvent(new PageTransitionEvent('pagehide', { persisted: false }));
    window.dispatchEvent(new PageTransitionEvent('pagehide', { persisted: true }));
    await waitFor(() => s.events.filter((e) => e.type === 'app.lifecycle').length >= 2);
    expect(s.events.filter((e) => e.type === 'app.lifecycle').map((e) => e.data)).toEqual([
      { state: 'foreground' },
      { state: 'terminating' },
    ]);
  });

  it('closing the bus removes listeners, UI and timers', async () => {
    const s = await session();
    await s.call('ui.render', { tree: { type: 'text', text: 'bye' } });
    await s.call('timer.set', { timerId: 't', ms: 20, repeat: true });
    const root = s.adapter.uiRoot(s.instanceId)!;
    await s.close();
    expect(root.isConnected).toBe(false);
    const before = s.events.length;
    document.dispatchEvent(new Event('visibilitychange'));
    await new Promise((r) => setTimeout(r, 60));
    expect(s.events.length).toBe(before);
  });
});
