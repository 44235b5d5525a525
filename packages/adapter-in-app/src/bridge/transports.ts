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

export type TransportKind = 'webkit' | 'android' | 'react-native' | 'fayger';
type Names = { webkitName?: string; androidName?: string };

/** A bridge object the native side puts on the window: where it is, how to say it is missing, extra listeners. */
interface GlobalBridge {
  kind: TransportKind;
  path(names: Names): string[];
  expected(names: Names): string;
  found: { absent: string; noPost: string };
  listen?(global: Obj, receive: (m: unknown) => void): () => void;
}

// In the order the host detector checks them.
const GLOBAL_BRIDGES: readonly GlobalBridge[] = [
  {
    // A Fayger-aware shell that injects `window.__faygerBridge.postMessage(json)` itself.
    kind: 'fayger',
    path: () => [RECEIVE_GLOBAL],
    expected: () => `window.${RECEIVE_GLOBAL}.postMessage injected by the host app`,
    found: { absent: 'nothing', noPost: 'an object without postMessage' },
  },
  {
    kind: 'webkit',
    path: (n) => ['webkit', 'messageHandlers', n.webkitName ?? 'fayger'],
    expected: ({ webkitName: n = 'fayger' }) =>
      `window.webkit.messageHandlers.${n}.postMessage (a WKScriptMessageHandler named "${n}")`,
    found: { absent: 'no such handler', noPost: 'a handler without postMessage' },
  },
  {
    kind: 'android',
    path: (n) => [n.androidName ?? 'FaygerAndroid'],
    expected: ({ androidName: n = 'FaygerAndroid' }) =>
      `window.${n}.postMessage (an @JavascriptInterface object named "${n}")`,
    found: { absent: 'no such object', noPost: 'an object without postMessage' },
  },
  {
    // The app answers with `webViewRef.postMessage(json)`: a `message` event on window (iOS) or document
    // (Android). Other libraries share the event, so only strings that name the `fayger` envelope are taken.
    kind: 'react-native',
    path: () => ['ReactNativeWebView'],
    expected: () => 'window.ReactNativeWebView.postMessage (react-native-webview)',
    found: { absent: 'nothing', noPost: 'an object without postMessage' },
    listen: (g, r) => {
      const onMessage = (e: unknown) => {
        const data = get(e, 'data');
        if (typeof data === 'string' && data.includes('"fayger"')) r(data);
      };
      const targets = [g, get(g, 'document')].filter(
        (t) => typeof get(t, 'addEventListener') === 'function',
      ) as EventTarget[];
      for (const t of targets) t.addEventListener('message', onMessage);
      return () => {
        for (const t of targets) t.removeEventListener('message', onMessage);
      };
    },
  },
];

/**
 * A string transport posting to the bridge object's `postMessage` (called as a method: Android's injected
 * interface objects need their receiver), replies via `__faygerBridge.receive(json)`; or
 * BRIDGE_TRANSPORT_MISSING saying what was expected and what was there instead.
 */
function connect(b: GlobalBridge, g: Obj, names: Names): BridgeTransport {
  const target = get(g, ...b.path(names)) as { postMessage(x: unknown): void } | undefined;
  if (typeof get(target, 'postMessage') !== 'function')
    throw missing(b.kind, b.expected(names), target === undefined ? b.found.absent : b.found.noPost);
  return {
    kind: b.kind,
    structured: false,
    send: (m) => target!.postMessage(m),
    listen: (r) => {
      const stops = [b.listen?.(g, r), listenOnReceiveHook(g, r)];
      return () => {
        for (const stop of stops) stop?.();
      };
    },
  };
}

const bridgeOf = (kind: string | undefined) => GLOBAL_BRIDGES.find((b) => b.kind === kind);

/** WKWebView: `window.webkit.messageHandlers.<name>.postMessage(json)`; replies via `__faygerBridge.receive(json)`. */
export function webkitTransport(options: GlobalTransportOptions = {}): BridgeTransport {
  return connect(bridgeOf('webkit')!, options.global ?? defaultGlobal(), { webkitName: options.name });
}

/** Android: an `@JavascriptInterface` object `window.<name>.postMessage(json)`; replies via `__faygerBridge.receive(json)`. */
export function androidTransport(options: GlobalTransportOptions = {}): BridgeTransport {
  return connect(bridgeOf('android')!, options.global ?? defaultGlobal(), { androidName: options.name });
}

/** A Fayger-aware shell that injects `window.__faygerBridge.postMessage(json)` itself. */
export function faygerTransport(options: { global?: Obj } = {}): BridgeTransport {
  return connect(bridgeOf('fayger')!, options.global ?? defaultGlobal(), {});
}

/**
 * React Native WebView: `window.ReactNativeWebView.postMessage(json)`; replies as `message` events carrying
 * the JSON, or through `window.__faygerBridge.receive(json)`.
 */
export function reactNativeTransport(options: { global?: Obj } = {}): BridgeTransport {
  return connect(bridgeOf('react-native')!, options.global ?? defaultGlobal(), {});
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

/** Which bridge the global offers, in the order the host detector checks them; undefined when none. */
export function findTransportKind(
  global: Obj = defaultGlobal(),
  names: { webkit?: string; android?: string } = {},
): TransportKind | undefined {
  const win = get(global, 'window') ?? global;
  const n = { webkitName: names.webkit, androidName: names.android };
  return GLOBAL_BRIDGES.find((b) => typeof get(win, ...b.path(n), 'postMessage') === 'function')?.kind;
}

/** The transport of a global bridge kind on `global` (BRIDGE_TRANSPORT_MISSING when it is not there), or undefined for other kinds. */
export function globalTransport(kind: string | undefined, global: Obj, names: Names = {}): BridgeTransport | undefined {
  const b = bridgeOf(kind);
  return b && connect(b, global, names);
}

/** The transport for whichever bridge the global offers; BRIDGE_TRANSPORT_MISSING when there is none. */
export function detectTransport(options: { global?: Obj } & Names = {}): BridgeTransport {
  const g = options.global ?? defaultGlobal();
  const win = (get(g, 'window') as Obj | undefined) ?? g;
  const found = globalTransport(
    findTransportKind(win, { webkit: options.webkitName, android: options.androidName }),
    win,
    options,
  );
  if (found) return found;
  const each = GLOBAL_BRIDGES.map((b) => `window.${b.path(options).join('.')}.postMessage`);
  throw missing('in-app', `one of ${each.join(', ')}`, 'none of them');
}
