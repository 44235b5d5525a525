import {
  isPortLike,
  messagePortTransport as portTransport,
  readGlobal as get,
  type LinkTransport,
  type PortLike,
} from '@fayger/adapter-core';
import type { FaygerError } from '@fayger/contracts';
import { inAppError } from '../errors.js';

/** How messages reach the native side and come back: adapter-core's link transport. */
export type BridgeTransport = LinkTransport;
export type { PortLike };

/** The global receive hook the native side calls with each reply: `window.__faygerBridge.receive(json)`. */
export const RECEIVE_GLOBAL = '__faygerBridge';

type Obj = Record<string, unknown>;

function missing(kind: string, expected: string, found: string): FaygerError {
  return inAppError({
    code: 'BRIDGE_TRANSPORT_MISSING',
    phase: 'connect',
    what: `connecting the ${kind} bridge`,
    expected,
    found,
    details: { transport: kind },
  });
}

/**
 * A string transport posting to `target.postMessage` (called as a method: Android's injected interface objects
 * need their receiver), or BRIDGE_TRANSPORT_MISSING saying what was expected and what was there instead.
 */
function postingTo(
  kind: string,
  target: unknown,
  expected: string,
  found: { absent: string; noPost: string },
  listen: BridgeTransport['listen'],
): BridgeTransport {
  if (typeof get(target, 'postMessage') !== 'function')
    throw missing(kind, expected, target === undefined ? found.absent : found.noPost);
  return { kind, structured: false, send: (m) => (target as { postMessage(x: unknown): void }).postMessage(m), listen };
}

interface ReceiveHook {
  receive: (message: unknown) => void;
  postMessage?: unknown;
}

const receivers = new WeakMap<object, Set<(m: unknown) => void>>();

/**
 * Installs (once per global) `__faygerBridge.receive`, fanning each native message out to every listening
 * bridge. Keeps a `postMessage` a Fayger-aware shell put on the same object.
 */
function listenOnReceiveHook(global: Obj, receive: (m: unknown) => void): () => void {
  let set = receivers.get(global);
  if (!set) {
    const fan = new Set<(m: unknown) => void>();
    receivers.set(global, fan);
    set = fan;
    const existing = get(global, RECEIVE_GLOBAL);
    const hook: ReceiveHook =
      existing !== null && typeof existing === 'object' ? (existing as ReceiveHook) : ({} as ReceiveHook);
    hook.receive = (m: unknown) => {
      for (const r of [...fan]) r(m);
    };
    if (hook !== existing) global[RECEIVE_GLOBAL] = hook;
  }
  set.add(receive);
  const s = set;
  return () => {
    s.delete(receive);
  };
}

function defaultGlobal(): Obj {
  return globalThis as unknown as Obj;
}

export interface GlobalTransportOptions {
  /** The global object (window) to use; default globalThis. */
  global?: Obj;
  /** Handler / interface name: WKWebView default "fayger", Android default "FaygerAndroid". */
  name?: string;
}

/** WKWebView: `window.webkit.messageHandlers.<name>.postMessage(json)`; replies via `__faygerBridge.receive(json)`. */
export function webkitTransport(options: GlobalTransportOptions = {}): BridgeTransport {
  const g = options.global ?? defaultGlobal();
  const name = options.name ?? 'fayger';
  const handler = get(g, 'webkit', 'messageHandlers', name);
  return postingTo(
    'webkit',
    handler,
    `window.webkit.messageHandlers.${name}.postMessage (a WKScriptMessageHandler named "${name}")`,
    { absent: 'no such handler', noPost: 'a handler without postMessage' },
    (r) => listenOnReceiveHook(g, r),
  );
}

/** Android: an `@JavascriptInterface` object `window.<name>.postMessage(json)`; replies via `__faygerBridge.receive(json)`. */
export function androidTransport(options: GlobalTransportOptions = {}): BridgeTransport {
  const g = options.global ?? defaultGlobal();
  const name = options.name ?? 'FaygerAndroid';
  const iface = get(g, name);
  return postingTo(
    'android',
    iface,
    `window.${name}.postMessage (an @JavascriptInterface object named "${name}")`,
    { absent: 'no such object', noPost: 'an object without postMessage' },
    (r) => listenOnReceiveHook(g, r),
  );
}

/** A Fayger-aware shell that injects `window.__faygerBridge.postMessage(json)` itself. */
export function faygerTransport(options: { global?: Obj } = {}): BridgeTransport {
  const g = options.global ?? defaultGlobal();
  const hook = get(g, RECEIVE_GLOBAL);
  return postingTo(
    'fayger',
    hook,
    `window.${RECEIVE_GLOBAL}.postMessage injected by the host app`,
    { absent: 'nothing', noPost: 'an object without postMessage' },
    (r) => listenOnReceiveHook(g, r),
  );
}

/**
 * React Native WebView: `window.ReactNativeWebView.postMessage(json)`; the app answers with
 * `webViewRef.postMessage(json)`, which arrives as a `message` event on window (iOS) or document (Android),
 * or by injecting `window.__faygerBridge.receive(json)`. Other libraries share the `message` event, so only
 * strings that name the `fayger` envelope are taken.
 */
export function reactNativeTransport(options: { global?: Obj } = {}): BridgeTransport {
  const g = options.global ?? defaultGlobal();
  const rn = get(g, 'ReactNativeWebView');
  return postingTo(
    'react-native',
    rn,
    'window.ReactNativeWebView.postMessage (react-native-webview)',
    { absent: 'nothing', noPost: 'an object without postMessage' },
    (r) => {
      const onMessage = (e: unknown) => {
        const data = get(e, 'data');
        if (typeof data === 'string' && data.includes('"fayger"')) r(data);
      };
      const targets = [g, get(g, 'document')].filter(
        (t) => typeof get(t, 'addEventListener') === 'function',
      ) as EventTarget[];
      for (const t of targets) t.addEventListener('message', onMessage);
      const stopHook = listenOnReceiveHook(g, r);
      return () => {
        for (const t of targets) t.removeEventListener('message', onMessage);
        stopHook();
      };
    },
  );
}

/** A MessagePort (an iframe host, a worker, a native shell exposing a port): objects and bytes by structured clone. */
export function messagePortTransport(port: PortLike): BridgeTransport {
  if (!isPortLike(port)) {
    throw missing(
      'message-port',
      'a MessagePort (an object with postMessage and message events)',
      port === null ? 'null' : typeof port,
    );
  }
  return portTransport(port);
}

export type TransportKind = 'webkit' | 'android' | 'react-native' | 'fayger';

/** Which bridge the global offers, in the order the host detector checks them; undefined when none. */
export function findTransportKind(
  global: Obj = defaultGlobal(),
  names: { webkit?: string; android?: string } = {},
): TransportKind | undefined {
  const win = get(global, 'window') ?? global;
  if (typeof get(win, RECEIVE_GLOBAL, 'postMessage') === 'function') return 'fayger';
  if (typeof get(win, 'webkit', 'messageHandlers', names.webkit ?? 'fayger', 'postMessage') === 'function')
    return 'webkit';
  if (typeof get(win, names.android ?? 'FaygerAndroid', 'postMessage') === 'function') return 'android';
  if (typeof get(win, 'ReactNativeWebView', 'postMessage') === 'function') return 'react-native';
  return undefined;
}

/** The transport of a global bridge kind on `global` (BRIDGE_TRANSPORT_MISSING when it is not there), or undefined for other kinds. */
export function globalTransport(
  kind: string | undefined,
  global: Obj,
  names: { webkitName?: string; androidName?: string } = {},
): BridgeTransport | undefined {
  switch (kind) {
    case 'fayger':
      return faygerTransport({ global });
    case 'webkit':
      return webkitTransport({ global, name: names.webkitName });
    case 'android':
      return androidTransport({ global, name: names.androidName });
    case 'react-native':
      return reactNativeTransport({ global });
    default:
      return undefined;
  }
}

/** The transport for whichever bridge the global offers; BRIDGE_TRANSPORT_MISSING when there is none. */
export function detectTransport(
  options: { global?: Obj; webkitName?: string; androidName?: string } = {},
): BridgeTransport {
  const g = options.global ?? defaultGlobal();
  const win = (get(g, 'window') as Obj | undefined) ?? g;
  const found = globalTransport(
    findTransportKind(win, { webkit: options.webkitName, android: options.androidName }),
    win,
    options,
  );
  if (found) return found;
  throw missing(
    'in-app',
    `one of window.${RECEIVE_GLOBAL}.postMessage, window.webkit.messageHandlers.${options.webkitName ?? 'fayger'}, window.${options.androidName ?? 'FaygerAndroid'}.postMessage, window.ReactNativeWebView.postMessage`,
    'none of them',
  );
}
