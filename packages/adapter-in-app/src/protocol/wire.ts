import type { LinkIncoming } from '@fayger/adapter-core';
import type { CapabilityName, CapabilityQuota, CapabilityScope } from '@fayger/contracts';

/**
 * The in-app bridge wire protocol, version 1 (README "Wire protocol"): adapter-core's host-link envelope
 * (`fayger: 1`, a `kind`; reply / event / close back) carrying the in-app requests below. On string transports it travels as JSON text with bytes as `{"$b64": …}`;
 * on MessagePort it travels as the object itself (structured clone, bytes as Uint8Array).
 */
export const PROTOCOL_VERSION = 1;
export const SUPPORTED_PROTOCOLS: readonly number[] = [1];

/** How a capability stands with the user of the host app. */
export type PermissionState = 'granted' | 'prompt' | 'denied';

/** One capability the native side offers in its hello reply. */
export interface NativeCapability {
  name: CapabilityName;
  scope?: CapabilityScope;
  quota?: CapabilityQuota;
  /** Default 'granted'. 'prompt': the native side asks the user on the first permission request. */
  permission?: PermissionState;
  /** Why a 'denied' capability is denied (shown in grant reports). */
  reason?: string;
}

/** What the native side says about itself, answering `hello`. */
export interface NativeHello {
  protocol: number;
  platform: { os: string; app?: string; version?: string };
  capabilities: NativeCapability[];
  /**
   * Families the WebView may answer on its own (log, clock, random, timer): the native side saves a round trip.
   * Anything not listed here goes over the bridge.
   */
  local?: Array<'log' | 'clock' | 'random' | 'timer'>;
  /** Whether the native side renders ui.* trees itself (`ui: 'native'` mode). */
  nativeUi?: boolean;
}

/** One user answer to a permission request. */
export interface PermissionAnswer {
  name: string;
  granted: boolean;
  /** Why it was denied (or how it was granted), shown in grant reports. */
  reason?: string;
}

export interface PermissionRequestItem {
  name: CapabilityName;
  scope?: CapabilityScope;
  /** The manifest's reason, shown in the native prompt. */
  reason?: string;
}

// ---- WebView → native ----
export type OutgoingMessage =
  | { fayger: 1; kind: 'hello'; id: string; protocols: number[]; client: { name: string; version: string } }
  | { fayger: 1; kind: 'permission'; id: string; capabilities: PermissionRequestItem[] }
  | { fayger: 1; kind: 'call'; id: string; op: string; args: unknown; instanceId: string; timeoutMs?: number }
  | { fayger: 1; kind: 'cancel'; id: string }
  | { fayger: 1; kind: 'dispose'; id: string; instanceId: string }
  | { fayger: 1; kind: 'close'; reason?: string };

// ---- native → WebView: adapter-core's link envelope (reply, event, close) ----
export type IncomingMessage = LinkIncoming;
