import type {
  CapabilityGrant,
  CapabilityName,
  CapabilityOffer,
  CapabilityQuota,
  CapabilityRequest,
  CapabilityScope,
  GrantReport,
} from './capabilities.js';
import type {
  UniversalEvent,
  UniversalEventMap,
  UniversalEventType,
  UniversalInstruction,
  UniversalResult,
} from './instructions/envelope.js';

/**
 * Adapter-layer contract. Platform_Adapters (first- or third-party) implement `PlatformAdapter`; the runtime
 * sees the adapter layer only through the `InstructionBus` port; the embedder constrains both with a
 * `HostPolicy`. `@fayger/adapter-core` implements the bus, the registry, negotiation and host detection.
 */

/** The four well-known kinds of host Fayger's first-party adapters serve. */
export const HOST_KINDS = ['server', 'desktop', 'browser', 'in-app'] as const;
export type WellKnownHostKind = (typeof HOST_KINDS)[number];
/** A third-party host kind, namespaced by its publisher: "<namespace>:<kind>", e.g. "acme:kiosk". */
export type NamespacedHostKind = `${string}:${string}`;
/** The kinds of host are an open set: the well-known four, or a namespaced third-party kind. */
export type HostKind = WellKnownHostKind | NamespacedHostKind;

const NAMESPACED_HOST_KIND = /^[a-z][a-z0-9-]{0,31}:[a-z][a-z0-9-]{0,31}$/;

/** True for a well-known host kind or a namespaced one ("acme:kiosk": lower case, letters, digits, dashes). */
export function isHostKind(kind: unknown): kind is HostKind {
  return (
    typeof kind === 'string' && ((HOST_KINDS as readonly string[]).includes(kind) || NAMESPACED_HOST_KIND.test(kind))
  );
}

/**
 * What host detection looks at. `global` is the global object to inspect (globalThis by default); tests and
 * embedders pass a fake one. Adapters must read only this object, never the real globals, inside `detect`.
 */
export interface HostProbe {
  readonly global: Readonly<Record<string, unknown>>;
}

/** An event as an adapter emits it; the bus stamps `v`, `instanceId` and (when absent) `time`, then validates it. */
export interface HostEventInput<T extends UniversalEventType = UniversalEventType> {
  type: T;
  data: UniversalEventMap[T];
  /** Milliseconds since the Unix epoch when the host observed it; defaults to now. */
  time?: number;
}

/** Remaining quota of the capability for this instance at call time (absent field: unlimited). */
export interface QuotaRemaining {
  calls?: number;
  bytes?: number;
}

/**
 * What an adapter gets with each instruction. The bus has already validated the instruction, checked that
 * the op's capability is granted to the instance and charged the call against its quota.
 */
export interface AdapterCallContext {
  /** The BuF_Instance that issued the instruction. */
  readonly instanceId: string;
  /** Correlation id of the instruction (`instruction.id`). */
  readonly callId: string;
  /** The capability the op needs (OP_CAPABILITY[op]). */
  readonly capability: CapabilityName;
  /** The effective grant of that capability: scope (roots, origins, ports, variables, namespaces) and quota. */
  readonly grant: CapabilityGrant;
  /** Shorthand for `grant.scope`. Absent: unscoped. Adapters must confine the op to it. */
  readonly scope: CapabilityScope | undefined;
  /** All capabilities granted to the instance (e.g. fs.write needs to know the fs.read roots too). */
  readonly grants: ReadonlyMap<CapabilityName, CapabilityGrant>;
  /** What is left of the capability's quota; adapters may use it to cap a read instead of failing after it. */
  readonly remaining: QuotaRemaining;
  /** Aborted when the call times out, the instance is terminated, or the bus is closed. */
  readonly signal: AbortSignal;
  /**
   * Sends a Universal_Event to the instance. Valid after the call returns (timers, listeners keep it) until
   * the instance is disposed; after that events are dropped.
   */
  emit(event: HostEventInput): void;
}

/**
 * A Platform_Adapter: translates Universal_Instructions into host calls for one class of host and normalises
 * host events back into Universal_Events. Holds host SDK references; the runtime never sees it directly.
 */
export interface PlatformAdapter {
  /** Stable id, e.g. "server", "desktop", "acme-kiosk". */
  readonly id: string;
  readonly hostKind: HostKind;
  /** What this host can do, with the scopes it can offer (available_capabilities). */
  available(): readonly CapabilityOffer[];
  /**
   * Whether this adapter fits the host described by `probe`: `false`/`0` no, `true` = 1, a larger number is a
   * stronger match (the detector picks the highest score).
   */
  detect(probe: HostProbe): boolean | number;
  /**
   * Performs one instruction. Return the op's result value (matching its result schema) directly when the host
   * can answer at once, or a Promise. Throw (or reject with) a FaygerError for failures.
   */
  handle(instruction: UniversalInstruction, ctx: AdapterCallContext): unknown;
  /** Releases the instance's host resources (listeners, timers, open files). Called once when it ends. */
  dispose(instanceId: string): void | Promise<void>;
  /** Releases adapter-wide resources when the bus shuts down. */
  close?(): void | Promise<void>;
}

/** One capability the embedder allows, with the scope and quota it allows at most. */
export type HostPolicyRule = CapabilityOffer;

/** One capability the embedder forbids outright; wins over any allow rule. */
export interface HostPolicyDenial {
  name: string;
  reason?: string;
}

/**
 * The embedder's say in negotiation (host_policy). Default deny: a capability not allowed here is not
 * granted, even if the manifest requests it and the adapter offers it. `allow: 'available'` trusts the
 * adapter's offer (scopes and quotas then come from the manifest and the adapter only).
 */
export interface HostPolicy {
  allow: readonly HostPolicyRule[] | 'available';
  deny?: readonly HostPolicyDenial[];
  /** Quota applied to every granted capability that has none of its own from the policy. */
  defaultQuota?: CapabilityQuota;
}

/** How the runtime binds an instance to the bus once negotiation has granted its capabilities. */
export interface InstanceBinding {
  instanceId: string;
  /** The granted capabilities (a GrantReport's `granted`, or the report itself). */
  grants: readonly CapabilityGrant[] | GrantReport;
  /** Reported by `app.info`. */
  app?: { id: string; version: string };
  /** Called when the guest issues `app.exit`; the runtime then terminates the instance. */
  onExit?: (code: number) => void;
}

export type UniversalEventListener = (event: UniversalEvent) => void;

/**
 * The adapter layer as the runtime sees it. The runtime depends on this port (contracts) only; a composition
 * root passes it an implementation (`createInstructionBus` in @fayger/adapter-core).
 */
export interface InstructionBus {
  /** Id and kind of the adapter behind the bus. */
  readonly adapterId: string;
  readonly hostKind: HostKind;
  /** Capabilities the bus can serve: the adapter's offer plus the bus's own (`app`). */
  available(): readonly CapabilityOffer[];
  /** requested ∩ available ∩ host policy, default deny. Run before Initialized. */
  negotiate(requested: readonly CapabilityRequest[]): GrantReport;
  /** Registers an instance with its grants. Instructions for an instance that is not open are refused. */
  open(binding: InstanceBinding): void;
  /**
   * Validates and routes one instruction. Returns the result synchronously when the adapter answers at once,
   * otherwise a Promise. Never throws or rejects: failures are `{ ok: false, error }` results carrying a
   * serialised FaygerError (CAPABILITY_DENIED, INSTRUCTION_INVALID, ADAPTER_TIMEOUT, …).
   * `instanceId` fills (or must equal) `instruction.instanceId`.
   */
  dispatch(instruction: UniversalInstruction, instanceId?: string): UniversalResult | Promise<UniversalResult>;
  /** Delivers the instance's Universal_Events to `listener`; returns the unsubscribe function. */
  subscribe(instanceId: string, listener: UniversalEventListener): () => void;
  /**
   * Ends the instance on the adapter side: pending calls fail with ADAPTER_CANCELLED, the adapter disposes
   * its host resources, later events are dropped.
   */
  close(instanceId: string, reason?: string): Promise<void>;
}
