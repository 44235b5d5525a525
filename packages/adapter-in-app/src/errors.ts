import { defineAdapterErrors } from '@fayger/adapter-core';

/**
 * This package's own error codes, registered with the catalogue on import as any third-party adapter registers
 * its own (docs/adapters.md): the message bridge to the native host app (WKWebView, Android, React Native
 * WebView, MessagePort) and in-app permission answers. docs/errors.md lists them (tooling/error-docs).
 */
const errors = defineAdapterErrors('@fayger/adapter-in-app', {
  BRIDGE_TRANSPORT_MISSING: {
    title:
      'No native message bridge was found (window.webkit.messageHandlers.<name>, window.<name>.postMessage, window.ReactNativeWebView, window.chrome.webview, or a MessagePort).',
    remedy:
      'Run inside the host app that injects the bridge, pick the transport the app provides, or pass a MessagePort explicitly.',
  },
  BRIDGE_MALFORMED_MESSAGE: {
    title:
      'A message from the native side is not valid bridge protocol (not JSON, wrong envelope, unknown kind, bad field).',
    remedy: 'Fix the native side so it sends the v1 wire protocol described in the @fayger/adapter-in-app README.',
  },
  BRIDGE_PROTOCOL_MISMATCH: {
    title: 'The native side speaks no bridge protocol version this adapter supports.',
    remedy:
      'Update the native shell or @fayger/adapter-in-app so both share a protocol version (the message lists both sides).',
  },
  BRIDGE_NATIVE_ERROR: {
    title: 'The native side answered a bridge request with an error that carries no Fayger error code.',
    remedy:
      'See the native message in the details; fix the native handler or report its failure with a catalogue code.',
    retryable: true,
  },
  BRIDGE_TIMEOUT: {
    title: 'The native side did not answer a bridge request before its deadline (reply dropped or native side busy).',
    remedy:
      'Check that the native handler replies to every request id; raise the bridge timeout if the operation is slow.',
    retryable: true,
  },
  BRIDGE_CLOSED: {
    title: 'The message bridge is closed (by the native side, by adapter.close(), or the transport went away).',
    remedy:
      'Create a new adapter once the host app offers the bridge again; pending and later calls fail with this code.',
  },
  BRIDGE_SEND_FAILED: {
    title: 'Posting a message to the native side threw (the transport rejected the message).',
    remedy: 'See the cause; the message may be too large or not serialisable for this transport.',
    retryable: true,
  },
  INAPP_PERMISSION_DENIED: {
    title: 'The user (or the host app) denied the permission a capability needs.',
    remedy: 'Degrade without the capability, or ask the user to allow it in the host app settings.',
  },
  INAPP_UI_UNAVAILABLE: {
    title: "ui.* cannot be rendered: 'dom' mode has no document or mount element, or 'native' mode has no native UI.",
    remedy:
      "Pass a mount element (ui: { mode: 'dom', container }), or use ui: 'native' with a host app that renders UI trees.",
  },
});
export const inAppErrorCodes = errors.codes;

// Tells the type checker that FaygerError accepts the codes.
declare module '@fayger/contracts' {
  interface RegisteredErrorCodes {
    BRIDGE_TRANSPORT_MISSING: true;
    BRIDGE_MALFORMED_MESSAGE: true;
    BRIDGE_PROTOCOL_MISMATCH: true;
    BRIDGE_NATIVE_ERROR: true;
    BRIDGE_TIMEOUT: true;
    BRIDGE_CLOSED: true;
    BRIDGE_SEND_FAILED: true;
    INAPP_PERMISSION_DENIED: true;
    INAPP_UI_UNAVAILABLE: true;
  }
}

/** The codes the bridge (adapter-core's HostLink) fails with; using it, too, keeps the registration above. */
export const bridgeLinkCodes = {
  timeout: 'BRIDGE_TIMEOUT',
  closed: 'BRIDGE_CLOSED',
  malformed: 'BRIDGE_MALFORMED_MESSAGE',
  sendFailed: 'BRIDGE_SEND_FAILED',
  remoteError: 'BRIDGE_NATIVE_ERROR',
} as const;

/** A FaygerError with one of this package's codes (raising through it keeps the registration above in every bundle). */
export const inAppError = errors.error;
