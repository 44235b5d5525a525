import { FaygerError, type ErrorCode } from '@fayger/contracts';
import { readGlobal as get } from '../detect.js';
import type { LinkTransport } from './transport.js';

/**
 * The bridges a native app can put into the page of a WebView it embeds, in the order they are looked for:
 * - `fayger`: a shell that injects `window.__faygerBridge.postMessage(json)` itself;
 * - `webkit`: WKWebView, `window.webkit.messageHandlers.<name>.postMessage(json)` (a WKScriptMessageHandler);
 * - `android`: an `@JavascriptInterface` object, `window.<name>.postMessage(json)`;
 * - `react-native`: react-native-webview, `window.ReactNativeWebView.postMessage(json)`;
 * - `webview2`: Microsoft Edge WebView2, `window.chrome.webview.postMessage(json)`.
 */
export type WebViewBridgeKind = 'fayger' | 'webkit' | 'android' | 'react-native' | 'webview2';

export interface WebViewBridgeOptions {
  /** The page's window (default globalThis; a `window` property on it is followed). */
  global?: object;
  /** The WKWebView script message handler's name (default "fayger"). */
  webkitName?: string;
  /** The Android `@JavascriptInterface` object's name (default "FaygerAndroid"). */
  androidName?: string;
  /** The code a missing bridge fails with (default INVALID_ARGUMENT); an adapter passes its own. */
  missingCode?: ErrorCode;
}

/** The receive hook native code calls with each message, on every kind: `window.__faygerBridge.receive(json)`. */
export const WEBVIEW_RECEIVE_GLOBAL = '__faygerBridge';

type Obj = Record<string, unknown>;
type Names = Pick<WebViewBridgeOptions, 'webkitName' | 'androidName'>;

interface Bridge {
  kind: WebViewBridgeKind;
  path(names: Names): string[];
  /** What a missing bridge should have been, in the error message. */
  expected: string;
  /** Event targets that carry native messages as `message` events, besides the receive hook. */
  events?(win: Obj, bridge: Obj): unknown[];
}

const BRIDGES: readonly Bridge[] = [
  { kind: 'fayger', path: () => [WEBVIEW_RECEIVE_GLOBAL], expected: 'injected by the host app' },
  {
    kind: 'webkit',
    path: (n) => ['webkit', 'messageHandlers', n.webkitName ?? 'fayger'],
    expected: '(a WKScriptMessageHandler)',
  },
  { kind: 'android', path: (n) => [n.androidName ?? 'FaygerAndroid'], expected: '(an @JavascriptInterface object)' },
  // The app answers with `webViewRef.postMessage(json)`: a `message` event on window (iOS) or document (Android).
  {
    kind: 'react-native',
    path: () => ['ReactNativeWebView'],
    expected: '(react-native-webview)',
    events: (win) => [win, get(win, 'document')],
  },
  // The app answers with `PostWebMessageAsString(json)` (or AsJson): a `message` event on chrome.webview.
  { kind: 'webview2', path: () => ['chrome', 'webview'], expected: '(Edge WebView2)', events: (_, b) => [b] },
];

const windowOf = (g: object | undefined): Obj => {
  const root = (g ?? globalThis) as Obj;
  return (get(root, 'window') as Obj | undefined) ?? root;
};
const where = (b: Bridge, n: Names) => `window.${b.path(n).join('.')}.postMessage`;

const receivers = new WeakMap<object, Set<(m: unknown) => void>>();

/** Installs (once per window) `__faygerBridge.receive`, fanning each message out; keeps a `postMessage` on it. */
function listenOnReceiveHook(win: Obj, receive: (m: unknown) => void): () => void {
  let fan = receivers.get(win);
  if (!fan) {
    const set = new Set<(m: unknown) => void>();
    receivers.set(win, (fan = set));
    const existing = get(win, WEBVIEW_RECEIVE_GLOBAL);
    const hook = (existing !== null && typeof existing === 'object' ? existing : {}) as Obj;
    hook.receive = (m: unknown) => {
      for (const r of [...set]) r(m);
    };
    if (hook !== existing) win[WEBVIEW_RECEIVE_GLOBAL] = hook;
  }
  fan.add(receive);
  return () => void fan.delete(receive);
}

// Other scripts share `message` events: only Fayger envelopes are taken (text naming `fayger`, or such an object).
function envelopeText(data: unknown): string | undefined {
  if (typeof data === 'string') return data.includes('"fayger"') ? data : undefined;
  return data !== null && typeof data === 'object' && 'fayger' in data ? JSON.stringify(data) : undefined;
}

/**
 * A string link transport over one WebView bridge: posts JSON text to the bridge object's `postMessage` (called
 * as a method: Android's injected objects need their receiver) and takes native messages from
 * `window.__faygerBridge.receive(json)` and, for react-native and webview2, from `message` events. A missing
 * bridge fails `missingCode` saying what was looked for and what was there.
 */
export function webViewTransport(kind: WebViewBridgeKind, options: WebViewBridgeOptions = {}): LinkTransport {
  const b = BRIDGES.find((x) => x.kind === kind);
  const win = windowOf(options.global);
  const target = b && (get(win, ...b.path(options)) as Obj | undefined);
  if (!b || typeof get(target, 'postMessage') !== 'function') {
    throw missing(
      options,
      kind,
      b ? `${where(b, options)} ${b.expected}` : `one of ${BRIDGES.map((x) => x.kind).join(', ')}`,
      b ? (target === undefined ? 'nothing there' : 'an object without postMessage') : JSON.stringify(kind),
    );
  }
  return {
    kind,
    structured: false,
    send: (m) => (target as { postMessage(m: unknown): void }).postMessage(m),
    listen: (receive) => {
      const onMessage = (e: unknown) => {
        const text = envelopeText(get(e, 'data'));
        if (text !== undefined) receive(text);
      };
      const targets = (b.events?.(win, target!) ?? []).filter(
        (t) => typeof get(t, 'addEventListener') === 'function',
      ) as EventTarget[];
      for (const t of targets) t.addEventListener('message', onMessage);
      const stop = listenOnReceiveHook(win, receive);
      return () => {
        for (const t of targets) t.removeEventListener('message', onMessage);
        stop();
      };
    },
  };
}

/** Which WebView bridge the window offers, in the order of `WebViewBridgeKind`; undefined when none. */
export function findWebViewBridge(
  options: Omit<WebViewBridgeOptions, 'missingCode'> = {},
): WebViewBridgeKind | undefined {
  const win = windowOf(options.global);
  return BRIDGES.find((b) => typeof get(win, ...b.path(options), 'postMessage') === 'function')?.kind;
}

/** The transport of whichever WebView bridge the window offers; `missingCode` listing every place looked at. */
export function detectWebViewTransport(options: WebViewBridgeOptions = {}): LinkTransport {
  const kind = findWebViewBridge(options);
  if (kind) return webViewTransport(kind, options);
  const each = BRIDGES.map((b) => where(b, options)).join(', ');
  throw missing(options, 'webview', `one of ${each}`, 'none of them');
}

function missing(o: WebViewBridgeOptions, kind: string, expected: string, found: string): FaygerError {
  return new FaygerError({
    code: o.missingCode ?? 'INVALID_ARGUMENT',
    phase: 'connect',
    what: `connecting the ${kind} bridge`,
    expected,
    found,
    details: { transport: kind },
  });
}
