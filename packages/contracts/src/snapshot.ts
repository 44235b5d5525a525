import type { CapabilityGrant } from './capabilities.js';

/**
 * Snapshot and resume (docs/spec/snapshot-v1.md). An engine captures an instance whose calls are all stopped —
 * at the end of a fuel slice or waiting on a host call — as an {@link EngineSnapshot}; the runtime wraps it with
 * what it knows (the app, the code digest, grants, host resources) into an {@link InstanceSnapshot}; the loader
 * serializes that as a signed BuF-family artifact. Resuming reverses the steps on any host that trusts the
 * signing key, after negotiating capabilities again.
 */

/** One linear memory: its size in 64 KiB pages and its full contents (serializers store only non-zero pages). */
export interface SnapshotMemory {
  readonly pages: number;
  readonly bytes: Uint8Array;
}

/**
 * The engine-neutral engine state encoding (docs/spec/snapshot-v1.md, "Engine state"): an EngineSnapshot whose
 * `stateVersion` is this is readable by every engine, whichever wrote it; other versions are that engine's own.
 */
export const ENGINE_NEUTRAL_STATE_VERSION = 3;

/** What an engine captures of a stopped instance. Everything but memories is engine-encoded and opaque. */
export interface EngineSnapshot {
  /** `descriptor.id` of the implementation that wrote it. */
  readonly engine: string;
  /** Version of that engine's `state` encoding; an engine refuses versions it cannot read (SNAPSHOT_ENGINE_MISMATCH). */
  readonly stateVersion: number;
  /** Every linear memory of the instance, in index order. */
  readonly memories: readonly SnapshotMemory[];
  /**
   * Globals, tables (function references as function indices), and every unfinished call: its frames with
   * operand values, locals and program counters, and the host call it waits on. No pointer, no host object.
   */
  readonly state: Uint8Array;
  /** Fuel the instance used so far, all calls together (restored into the resumed instance's account). */
  readonly fuelUsed: number;
  /** The unfinished calls, in the order `restore` hands them back. */
  readonly calls: readonly SnapshotCallInfo[];
}

export interface SnapshotCallInfo {
  /** The export the call started from. */
  readonly export: string;
  /** True when the call waits on a host import: on resume that import is invoked again with the same arguments. */
  readonly waiting: boolean;
}

/** A host resource the guest holds, recorded so the resuming side can reopen it or refuse before the guest runs. */
export interface SnapshotResource {
  /** e.g. "wasi.fd" (an open file or directory), "wasi.socket", "timer". */
  readonly kind: string;
  /** The guest-visible handle (a WASI fd number, a timer id). */
  readonly handle: number;
  /** The capability the resource was opened under (checked against the new grants on resume). */
  readonly capability?: string;
  /** JSON-able description the owner reopens it from (guest path, rights, flags, offset...). */
  readonly data: Readonly<Record<string, unknown>>;
}

/** Everything needed to resume an instance: the runtime's view around the engine's capture. */
export interface InstanceSnapshot {
  readonly version: 1;
  /** The app (manifest id and version) and the digest of the code section it runs, as recorded in the BuF index. */
  readonly app: { readonly id: string; readonly version: string };
  readonly codeDigest: string;
  /** The manifest entry export the instance was running. */
  readonly entry: string;
  readonly engine: EngineSnapshot;
  /** What the snapshotting host had granted; a resume never grants more than the new host's negotiation. */
  readonly grants: readonly CapabilityGrant[];
  /** The host call the guest waits on, if any (re-issued on resume under the new grants). */
  readonly pending?: { readonly op: string; readonly capability?: string };
  readonly resources: readonly SnapshotResource[];
  /** Where and when it was taken (informational; shown by `fayger inspect`). */
  readonly origin: { readonly hostKind: string; readonly takenAt: string };
}
