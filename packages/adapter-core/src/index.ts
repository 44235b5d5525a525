// Public API of @fayger/adapter-core. Every export is listed by name (no `export *`).

export { createInstructionBus, unwrapResult, withBusServedOffers } from './bus/bus.js';
export type { AdapterBus, InstructionBusOptions, BusDiagnostic } from './bus/bus.js';
export { payloadBytes } from './bus/quota.js';

export { negotiate, assertRequiredGranted } from './negotiate/negotiate.js';
export type { NegotiateOptions } from './negotiate/negotiate.js';

export { createAdapterRegistry, globalAdapterRegistry, assertPlatformAdapter, detectHostKind } from './registry.js';
export type { AdapterRegistry } from './registry.js';

export {
  probeHost,
  selectAdapter,
  chooseAdapter,
  resolveAdapter,
  selectAdapterAsync,
  chooseAdapterAsync,
  resolveAdapterAsync,
  currentHostProbe,
  readGlobal,
} from './detect.js';
export type {
  HostFacts,
  SelectAdapterOptions,
  AdapterCandidate,
  AdapterOrCandidate,
  AdapterChoice,
  AdapterSelection,
} from './detect.js';

// Building blocks an adapter is composed of.
export { defineAdapter, createOpRouter } from './define.js';
export type { OpHandler, OpHandlers } from './define.js';
export {
  createAdapter,
  composeAdapter,
  offersFromHandlers,
  opsOf,
  reportHostError,
  withHostErrorReporting,
} from './compose/adapter.js';
export type { AdapterSpec, AdapterOverrides } from './compose/adapter.js';
export { baselineHandlers } from './compose/baseline.js';
export { defineAdapterErrors } from './compose/errors.js';
export type { AdapterErrorEntry, AdapterErrors } from './compose/errors.js';
export type { Baseline, BaselineOptions } from './compose/baseline.js';
export { createLogWriter, formatLogRecord } from './compose/log.js';
export { kvHandlers, memoryKvStore } from './compose/kv.js';
export type { KvStore, KvHandlers } from './compose/kv.js';
export type { LogOptions, LogLevel, GuestLogRecord, TextOutput } from './compose/log.js';
export { TimerService } from './timers.js';

export { normalizeGuestPath, tryNormalizeGuestPath, isPathWithin, findRoot } from './scope/paths.js';
export { parseOrigin, normalizeOrigin, originCovers, originOfUrl, isUrlAllowed } from './scope/origins.js';
export type { ParsedOrigin } from './scope/origins.js';
export { DEFAULT_KV_NAMESPACE, confinePath, confineUrl, confineNamespace, confinePort } from './scope/confine.js';
export { parseOpenableUrl } from './scope/openable-url.js';
export { checkScope as confineInstruction } from './bus/scope-check.js';

export { bytesToBase64, base64ToBytes } from './bytes/base64.js';

export { readCappedBody, responseHeaders, bodyCap } from './net/read-body.js';
export type { ResponseLike } from './net/read-body.js';
export { fetchHttp } from './net/fetch-http.js';
export type { FetchHttpOptions, HttpRequestFacts } from './net/fetch-http.js';

// A link to a host in another context (WebView ↔ native app, worker, iframe, Electron preload).
export { HostLink, remoteError } from './link/host-link.js';
export type { HostLinkOptions, HostLinkCodes, RequestOptions } from './link/host-link.js';
export { checkIncoming, isWireProblem } from './link/envelope.js';
export type { LinkIncoming, LinkOutgoing, LinkReply, LinkEvent, LinkClose, WireProblem } from './link/envelope.js';
export { messagePortTransport, isPortLike } from './link/transport.js';
export type { LinkTransport, PortLike } from './link/transport.js';
export { webViewTransport, findWebViewBridge, detectWebViewTransport, WEBVIEW_RECEIVE_GLOBAL } from './link/webview.js';
export type { WebViewBridgeKind, WebViewBridgeOptions } from './link/webview.js';
export { encodeValue, decodeValue, checkCloneable, CodecError, MAX_WIRE_DEPTH } from './link/codec.js';

export { checkUiTree } from './ui/tree.js';
export type { UiFocusable, UiTreeFacts } from './ui/tree.js';
export { inputRendered, inputTyped, inputReleased, MAX_INPUT_LENGTH, MAX_INPUT_ECHOES } from './ui/input-echo.js';
export type { InputEcho } from './ui/input-echo.js';

export { createMemoryAdapter } from './memory/memory-adapter.js';
export type { MemoryAdapter, MemoryAdapterOptions, MemoryLogRecord } from './memory/memory-adapter.js';
