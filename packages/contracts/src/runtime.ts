import type { LifecycleState } from './lifecycle.js';

/**
 * Runtime-layer contract types other packages see: the per-instance usage snapshot. The runtime's events are
 * the `runtime.*` and `instruction.*` events of the event model (events.ts), published through `EventSink`.
 */

/** Per-capability usage. */
export interface CapabilityUsage {
  calls: number;
  bytes: number;
  /** Calls refused before they reached the host (not granted, quota, path outside a root). */
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
