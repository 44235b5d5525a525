// Public API of @fayger/adapter-in-app. Every export is listed by name (no `export *`).

export { inAppErrorCodes } from './errors.js';

export { createInAppAdapter, detectInApp, inAppAdapterCandidate } from './adapter/in-app-adapter.js';
export type { InAppAdapter, InAppAdapterOptions, InAppUiOption, PermissionStatus } from './adapter/in-app-adapter.js';

export { MessageBridge, nativeError } from './bridge/bridge.js';
export type { MessageBridgeOptions, RequestOptions } from './bridge/bridge.js';
export {
  webkitTransport,
  androidTransport,
  reactNativeTransport,
  faygerTransport,
  messagePortTransport,
  detectTransport,
  findTransportKind,
  RECEIVE_GLOBAL,
} from './bridge/transports.js';
export type { BridgeTransport, GlobalTransportOptions, PortLike, TransportKind } from './bridge/transports.js';

export { PROTOCOL_VERSION, SUPPORTED_PROTOCOLS } from './protocol/wire.js';
export type {
  NativeCapability,
  NativeHello,
  PermissionState,
  PermissionAnswer,
  PermissionRequestItem,
  OutgoingMessage,
  IncomingMessage,
} from './protocol/wire.js';
// Kept for embedders that used them from here: the envelope check, codec and base64 live in adapter-core.
export {
  checkIncoming,
  encodeValue,
  decodeValue,
  MAX_WIRE_DEPTH,
  bytesToBase64,
  base64ToBytes,
} from '@fayger/adapter-core';
export type { WireProblem } from '@fayger/adapter-core';
