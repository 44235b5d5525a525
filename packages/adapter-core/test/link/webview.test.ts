import { FaygerError } from '@fayger/contracts';
import { describe, expect, it } from 'vitest';
import {
  HostLink,
  WEBVIEW_RECEIVE_GLOBAL,
  detectWebViewTransport,
  findWebViewBridge,
  webViewTransport,
  type WebViewBridgeKind,
} from '../../src/index.js';

const reply = (id: string, value: unknown) => JSON.stringify({ fayger: 1, kind: 'reply', id, ok: true, value });
const thrown = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    if (FaygerError.is(e)) return e;
    throw e;
  }
  throw new Error('expected a throw');
};

/** A window offering every bridge at once; `posted[kind]` is what the page sent through it. */
function fakeWindow() {
  const posted: Record<string, string[]> = {};
  const post = (k: string) => ({
    postMessage(this: unknown, m: string) {
      (posted[k] ??= []).push(m);
    },
  });
  const webview = Object.assign(new EventTarget(), post('webview2'));
  const win: Record<string, unknown> = {
    [WEBVIEW_RECEIVE_GLOBAL]: post('fayger'),
    webkit: { messageHandlers: { fayger: post('webkit'), shell: post('webkit-shell') } },
    FaygerAndroid: post('android'),
    ReactNativeWebView: post('react-native'),
    chrome: { webview },
  };
  return { win, posted, webview };
}

describe('webViewTransport', () => {
  it('each bridge posts JSON text to its native object and takes replies from __faygerBridge.receive', async () => {
    const { win, posted } = fakeWindow();
    for (const kind of ['fayger', 'webkit', 'android', 'react-native', 'webview2'] as WebViewBridgeKind[]) {
      const link = new HostLink({ transport: webViewTransport(kind, { global: win }) });
      const p = link.request('ping', {});
      const sent = posted[kind]!.at(-1)!;
      expect(typeof sent).toBe('string');
      (win[WEBVIEW_RECEIVE_GLOBAL] as { receive(m: string): void }).receive(reply(JSON.parse(sent).id, kind));
      expect(await p).toBe(kind);
      link.close();
    }
    // The injected object's own postMessage survives the receive hook being installed on it.
    expect(typeof (win[WEBVIEW_RECEIVE_GLOBAL] as { postMessage?: unknown }).postMessage).toBe('function');
  });

  it('a named WKWebView handler and Android interface are used when given', () => {
    const { win, posted } = fakeWindow();
    win.Shell = { postMessage: (m: string) => (posted.shell ??= []).push(m) };
    webViewTransport('webkit', { global: win, webkitName: 'shell' }).send('a');
    webViewTransport('android', { global: win, androidName: 'Shell' }).send('b');
    expect(posted['webkit-shell']).toEqual(['a']);
    expect(posted.shell).toEqual(['b']);
  });

  it('webview2 and react-native take Fayger envelopes from message events and ignore other scripts', () => {
    const { win, webview } = fakeWindow();
    const target = Object.assign(new EventTarget(), win);
    const got: Record<string, unknown[]> = { webview2: [], rn: [] };
    const stops = [
      webViewTransport('webview2', { global: win }).listen((m) => got.webview2!.push(m)),
      webViewTransport('react-native', { global: target }).listen((m) => got.rn!.push(m)),
    ];
    const env = { fayger: 1, kind: 'event', event: { type: 'x', data: {} } };
    for (const t of [webview, target]) {
      t.dispatchEvent(new MessageEvent('message', { data: 'some other library' }));
      t.dispatchEvent(new MessageEvent('message', { data: { type: 'redux-devtools' } }));
      t.dispatchEvent(new MessageEvent('message', { data: JSON.stringify(env) }));
      // PostWebMessageAsJson delivers the parsed object: it is passed on as the JSON text it was.
      t.dispatchEvent(new MessageEvent('message', { data: env }));
    }
    expect(got.webview2).toEqual([JSON.stringify(env), JSON.stringify(env)]);
    expect(got.rn).toEqual([JSON.stringify(env), JSON.stringify(env)]);
    for (const stop of stops) stop();
    webview.dispatchEvent(new MessageEvent('message', { data: JSON.stringify(env) }));
    (win[WEBVIEW_RECEIVE_GLOBAL] as { receive(m: string): void }).receive('late');
    expect(got.webview2).toHaveLength(2);
  });

  it('a missing bridge fails with the given code (INVALID_ARGUMENT by default) naming where it looked', () => {
    const e = thrown(() => webViewTransport('webkit', { global: {}, webkitName: 'shell' }));
    expect(e.code).toBe('INVALID_ARGUMENT');
    expect(e.message).toContain('window.webkit.messageHandlers.shell.postMessage');
    expect(thrown(() => webViewTransport('android', { global: { FaygerAndroid: {} } })).message).toContain(
      'an object without postMessage',
    );
    const none = thrown(() => detectWebViewTransport({ global: {}, missingCode: 'ADAPTER_LINK_CLOSED' }));
    expect(none.code).toBe('ADAPTER_LINK_CLOSED');
    expect(none.message).toContain('window.chrome.webview.postMessage');
    expect(thrown(() => webViewTransport('nope' as WebViewBridgeKind, { global: {} })).message).toContain('webview2');
  });

  it('findWebViewBridge and detectWebViewTransport look in a fixed order, following `window`', () => {
    expect(findWebViewBridge({ global: {} })).toBeUndefined();
    expect(findWebViewBridge({ global: fakeWindow().win })).toBe('fayger');
    const only = (w: Record<string, unknown>) => detectWebViewTransport({ global: { window: w } }).kind;
    expect(only({ chrome: { webview: { postMessage() {} } } })).toBe('webview2');
    expect(only({ ReactNativeWebView: { postMessage() {} }, chrome: { webview: { postMessage() {} } } })).toBe(
      'react-native',
    );
    expect(only({ FaygerAndroid: { postMessage() {} }, ReactNativeWebView: { postMessage() {} } })).toBe('android');
    expect(only({ webkit: { messageHandlers: { fayger: { postMessage() {} } } }, FaygerAndroid: {} })).toBe('webkit');
    expect(findWebViewBridge({ global: { Shell: { postMessage() {} } }, androidName: 'Shell' })).toBe('android');
  });
});
