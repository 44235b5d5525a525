import type {
  CapabilityName,
  CapabilityQuota,
  CapabilityScope,
  FaygerErrorData,
  UniversalEventType,
} from '@fayger/contracts';

/**
 * The in-app bridge wire protocol, version 1 (README "Wire protocol"). Every message is one object with
 * `fayger: 1` and a `kind`. On string transports it travels as JSON text with bytes as `{"$b64": …}`;
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

// ---- native → WebView ----
export type IncomingMessage =
  | { fayger: 1; kind: 'reply'; id: string; ok: true; value: unknown }
  | { fayger: 1; kind: 'reply'; id: string; ok: false; error: FaygerErrorData | { message: string; code?: string } }
  | { fayger: 1; kind: 'event'; instanceId?: string; event: { type: UniversalEventType; data: unknown; time?: number } }
  | { fayger: 1; kind: 'close'; reason?: string };

/** Why an incoming message was rejected, with the field at fault. */
export interface WireProblem {
  field: string;
  expected: string;
  found: string;
}

function describe(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'string') return v.length > 40 ? `a string of ${v.length} characters` : JSON.stringify(v);
  return typeof v === 'object' ? 'an object' : `${typeof v} ${String(v)}`;
}

const isObj = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Checks the envelope of a decoded incoming message; returns it typed, or the first problem found. */
export function checkIncoming(msg: unknown): IncomingMessage | WireProblem {
  if (!isObj(msg)) return { field: '/', expected: 'a message object', found: describe(msg) };
  if (msg.fayger !== 1)
    return { field: '/fayger', expected: `1 (protocol version ${PROTOCOL_VERSION})`, found: describe(msg.fayger) };
  switch (msg.kind) {
    case 'reply': {
      if (typeof msg.id !== 'string' || msg.id.length === 0)
        return { field: '/id', expected: 'the request id being answered', found: describe(msg.id) };
      if (msg.ok === true) return msg as IncomingMessage;
      if (msg.ok !== false) return { field: '/ok', expected: 'true or false', found: describe(msg.ok) };
      if (!isObj(msg.error) || typeof msg.error.message !== 'string') {
        return {
          field: '/error',
          expected: 'an error object with a message (FaygerError.toJSON() shape)',
          found: describe(msg.error),
        };
      }
      return msg as IncomingMessage;
    }
    case 'event': {
      if (msg.instanceId !== undefined && typeof msg.instanceId !== 'string')
        return { field: '/instanceId', expected: 'an instance id or nothing', found: describe(msg.instanceId) };
      if (!isObj(msg.event) || typeof msg.event.type !== 'string')
        return { field: '/event', expected: '{ type, data } of a Universal_Event', found: describe(msg.event) };
      return msg as IncomingMessage;
    }
    case 'close':
      return msg as IncomingMessage;
    default:
      return { field: '/kind', expected: '"reply", "event" or "close"', found: describe(msg.kind) };
  }
}

export function isWireProblem(v: IncomingMessage | WireProblem): v is WireProblem {
  return 'field' in v && 'expected' in v;
}
