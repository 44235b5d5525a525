import type { FaygerErrorData } from './errors/fayger-error.js';
import type { LifecycleState } from './lifecycle.js';

/**
 * Runtime-layer contract types other packages see: the events the runtime publishes (through the
 * RuntimeEventSink port, which observability or an embedder implements), the resources the monitor meters
 * and what it does when a limit is reached, and the per-instance usage snapshot.
 */

/** A resource the runtime meters per instance. `capability.*` are per-capability quotas (calls, bytes, rate). */
export type ResourceName =
  | 'fuel'
  | 'memoryPages'
  | 'wallTimeMs'
  | 'callDepth'
  | 'hostCallsPerSecond'
  | 'fuelPerSecond'
  | 'capability.calls'
  | 'capability.bytes'
  | 'capability.rate';

/**
 * What the monitor does at a hard limit.
 * `fail`: the instance goes to Failed with a QUOTA_* (or CAPABILITY_QUOTA_EXCEEDED) cause.
 * `suspend`: the instance goes to Suspended; `resume()` continues it (after raising the limit).
 * `throttle`: rates are enforced by delaying (the guest waits for its next token / slice); memory is capped
 *   (memory.grow returns -1 and the guest goes on).
 * `deny`: capability quotas only — the call fails with FAYGER_EQUOTA / EDQUOT and the guest goes on.
 */
export type QuotaAction = 'fail' | 'suspend' | 'throttle' | 'deny';

/** Per-capability usage. */
export interface CapabilityUsage {
  calls: number;
  bytes: number;
  denied: number;
}

/** A snapshot of one instance's resource use. */
export interface ResourceUsage {
  state: LifecycleState;
  fuelUsed: number;
  /** Effective fuel limit (manifest quota capped by host policy), undefined when unlimited. */
  fuelLimit: number | undefined;
  memoryPages: number;
  peakMemoryPages: number;
  memoryPagesLimit: number | undefined;
  /** Milliseconds spent Running (including time waiting on the host; excluding Suspended). */
  wallTimeMs: number;
  wallTimeLimitMs: number | undefined;
  maxCallDepthReached: number;
  /** Host calls made through the guest ABI (each one Universal_Instruction or one runtime-answered call). */
  hostCalls: number;
  /** Fuel slices run by the scheduler. */
  slices: number;
  /** Milliseconds the instance was held back by rate throttling. */
  throttledMs: number;
  capabilities: Record<string, CapabilityUsage>;
}

export interface RuntimeEventMap {
  /** Every lifecycle transition. `cause` is set on Failed (the typed error) and on quota-driven Suspended. */
  'runtime.instance.transition': { from: LifecycleState; to: LifecycleState; cause?: FaygerErrorData; exitCode?: number };
  /** The router's choice for an instance, with the reasons other candidates were passed over. */
  'runtime.implementation.selected': { implementation: string; version: string; rejected: { id: string; reason: string }[] };
  /**
   * A soft limit (a fraction of the hard limit, `limits.softLimitRatio`) was crossed; sent once per resource.
   * `action`: what the runtime did about it (`suspend` parks the instance with QUOTA_SOFT_LIMIT_REACHED).
   */
  'runtime.quota.warning': { resource: ResourceName; capability?: string; used: number; limit: number; action?: 'warn' | 'suspend' };
  /** A hard limit was reached and `action` was applied. */
  'runtime.quota.breach': { resource: ResourceName; capability?: string; used: number; limit: number; action: QuotaAction };
  /** A guest host call was refused before it reached the bus (default deny, or a quota with action `deny`). */
  'runtime.capability.denied': { op: string; capability: string; code: string };
}
export type RuntimeEventType = keyof RuntimeEventMap;

export interface RuntimeEvent<T extends RuntimeEventType = RuntimeEventType> {
  type: T;
  instanceId: string;
  /** Milliseconds since the Unix epoch. */
  time: number;
  data: RuntimeEventMap[T];
}

/** The port the runtime publishes its events through. Must not throw; a throwing sink is ignored. */
export interface RuntimeEventSink {
  emit(event: RuntimeEvent): void;
}
