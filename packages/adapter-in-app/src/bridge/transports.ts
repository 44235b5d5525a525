import {
  WEBVIEW_RECEIVE_GLOBAL,
  detectWebViewTransport,
  findWebViewBridge,
  isPortLike,
  messagePortTransport as portTransport,
  webViewTransport,
  type LinkTransport,
  type PortLike,
  type WebViewBridgeKind,
} from '@fayger/adapter-core';
import { inAppError } from '../errors.js';

/** How messages reach the native side and come back: adapter-core's link transport. */
export type BridgeTransport = LinkTransport;
export type { PortLike };

/** The global receive hook the native side calls with each reply: `window.__faygerBridge.receive(json)`. */
export const RECEIVE_GLOBAL = WEBVIEW_RECEIVE_GLOBAL;

/** The WebView bridges (adapter-core's `webViewTransport`): fayger, webkit, android, react-native, webview2. */
export type TransportKind = WebViewBridgeKind;

type Obj = Record<string, unknown>;
type Names = { webkitName?: string; androidName?: string };

export interface GlobalTransportOptions {
  /** The global object (window) to use; default globalThis. */
  global?: Obj;
  /** Handler / interface name: WKWebView default "fayger", Android default "FaygerAndroid". */
  name?: string;
}

const MISSING = { missingCode: 'BRIDGE_TRANSPORT_MISSING' } as const;

/** WKWebView: `window.webkit.messageHandlers.<name>.postMessage(json)`; replies via `__faygerBridge.receive(json)`. */
export function webkitTransport(options: GlobalTransportOptions = {}): BridgeTransport {
  return webViewTransport('webkit', { ...MISSING, global: options.global, webkitName: options.name });
}

/** Android: an `@JavascriptInterface` object `window.<name>.postMessage(json)`; replies via `__faygerBridge.receive(json)`. */
export function androidTransport(options: GlobalTransportOptions = {}): BridgeTransport {
  return webViewTransport('android', { ...MISSING, global: options.global, androidName: options.name });
}

/** A Fayger-aware shell that injects `window.__faygerBridge.postMessage(json)` itself. */
export function faygerTransport(options: { global?: Obj } = {}): BridgeTransport {
  return webViewTransport('fayger', { ...MISSING, global: options.global });
}

/**
 * React Native WebView: `window.ReactNativeWebView.postMessage(json)`; replies as `message` events carrying
 * the JSON, or through `window.__faygerBridge.receive(json)`.
 */
export function reactNativeTransport(options: { global?: Obj } = {}): BridgeTransport {
  return webViewTransport('react-native', { ...MISSING, global: options.global });
}

/** A MessagePort (an iframe host, a worker, a native shell exposing a port): objects and bytes by structured clone. */
export function messagePortTransport(port: PortLike): BridgeTransport {
  if (isPortLike(port)) return portTransport(port);
  throw inAppError({
    code: 'BRIDGE_TRANSPORT_MISSING',
    phase: 'connect',
    what: 'connecting the message-port bridge',
    expected: 'a MessagePort (an object with postMessage and message events)',
    found: port === null ? 'null' : typeof port,
    details: { transport: 'message-port' },
  });
}

/** Which bridge the global offers, in the order the host detector checks them; undefined when none. */
export function findTransportKind(global?: Obj, names: { webkit?: string; android?: string } = {}) {
  return findWebViewBridge({ global, webkitName: names.webkit, androidName: names.android });
}

/** The transport of a global bridge kind on `global` (BRIDGE_TRANSPORT_MISSING when it is not there). */
export function globalTransport(kind: TransportKind, global: Obj, names: Names = {}): BridgeTransport {
  return webViewTransport(kind, { ...MISSING, ...names, global });
}

/** The transport for whichever bridge the global offers; BRIDGE_TRANSPORT_MISSING when there is none. */
export function detectTransport(options: { global?: Obj } & Names = {}): BridgeTransport {
  return detectWebViewTransport({ ...MISSING, ...options });
}
