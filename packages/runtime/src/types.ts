import type {
  InstanceSnapshot,
  CapabilityQuota,
  FaygerError,
  GrantReport,
  HostPolicy,
  InstructionBus,
  LifecycleState,
  LoadedBuf,
  EventSink,
  QuotaKey,
  QuotaValues,
  ResourceUsage,
} from '@fayger/contracts';
import type { ExecutionFeature, RuntimeImplementation } from '@fayger/contracts';

/**
 * A resource the runtime meters per instance, as named in limits and options. `capability.*` are the
 * per-capability quotas of a grant. (Events name them with the event model's QuotaResource: memory, fuel,
 * wall-time, stack-depth, calls, bytes, rate.)
 */
export type LimitedResource =
  | 'fuel'
  | 'memoryPages'
  | 'wallTimeMs'
  | 'callDepth'
  | 'tableElements'
  | 'hostCallsPerSecond'
  | 'outputBytes'
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
 * `deny`: the call fails with FAYGER_EQUOTA / EDQUOT and the guest goes on (host-call and capability quotas).
 */
export type LimitAction = 'fail' | 'suspend' | 'throttle' | 'deny';

/** How an implementation is registered: the implementation and the Runtime_Interface version it serves. */
export interface ImplementationRegistration {
  implementation: RuntimeImplementation;
  /** Runtime_Interface version (semver) the implementation serves; default RUNTIME_INTERFACE_VERSION. */
  interfaceVersion?: string;
  /** Extra names the manifest's `preferred` list may use for it (e.g. the npm package name). */
  aliases?: readonly string[];
}

/**
 * Resource caps set by the embedder, one per quota key (QUOTA_KEYS of @fayger/contracts). Each applies as
 * min(manifest quota, this cap); a key given here replaces the default for that key (`hostPolicy.defaults`),
 * so it can raise it, and `Infinity` lifts it. Absent: the default, if any.
 */
export interface ResourceCaps extends QuotaValues {
  /** Fuel units per second of wall time (host policy only): a busy instance is throttled by slicing. */
  fuelPerSecond?: number;
}

/** An instance's effective limits (absent: unlimited), and the fuel rate cap. */
export type EffectiveLimits = QuotaValues & { fuelPerSecond?: number };

/** The embedder's policy as the runtime applies it. */
export interface RuntimeHostPolicy {
  /** Caps on the manifest's resource quotas. */
  resources?: ResourceCaps;
  /**
   * The capability policy given to negotiation; the runtime also caps each granted capability's quota with
   * the matching rule's quota (or `defaultQuota`), so a report built elsewhere cannot widen it.
   */
  capabilities?: HostPolicy;
  /** Features every chosen implementation must have, whatever the manifest says (e.g. 'jitless' on iOS). */
  requiredFeatures?: readonly ExecutionFeature[];
  /**
   * Limits for the keys `resources` leaves out (DEFAULT_QUOTAS is what `createFayger` passes). Absent: none,
   * so an instance is bounded only by its manifest and `resources`.
   */
  defaults?: QuotaValues;
}

/** Scheduler and monitor tuning. */
export interface RuntimeLimits {
  /** Fuel per scheduler slice (default 10 000). Smaller slices: fairer and more responsive, more overhead. */
  sliceFuel?: number;
  /** Milliseconds of guest work per scheduler round before yielding to the host event loop (default 8). */
  roundMs?: number;
  /** Fraction of a hard limit at which a quota warning is emitted (default 0.8). */
  softLimitRatio?: number;
  /** What to do at each resource's hard limit; see LimitAction. Defaults in DEFAULT_LIMIT_ACTIONS. */
  actions?: Partial<Record<LimitedResource, LimitAction>>;
  /**
   * What to do when a resource first crosses its soft limit: `warn` (default: a quota warning event) or
   * `suspend` (the warning, and the instance is parked in Suspended with QUOTA_SOFT_LIMIT_REACHED so the
   * embedder can raise the limit or end it; `resume()` goes on). For fuel, memoryPages, wallTimeMs,
   * capability.calls and capability.bytes.
   */
  softActions?: Partial<Record<LimitedResource, 'warn' | 'suspend'>>;
  /**
   * Bytes of guest memory one host call may reference (`fayger.call` `$mem` refs and strings together),
   * summed and checked before anything is copied (default 16 MiB, DEFAULT_MAX_HOST_CALL_BYTES).
   */
  maxHostCallBytes?: number;
  /** Bytes of host-call payload (copied in or out) that cost one unit of fuel (default 64). */
  bytesPerFuel?: number;
}

export type LinkPolicy = 'lenient' | 'strict';

export interface RuntimeOptions {
  /** Runtime_Implementations to route between, in registration order. */
  implementations: readonly (RuntimeImplementation | ImplementationRegistration)[];
  /** The adapter layer, through its port. */
  bus: InstructionBus;
  /**
   * Where events go (the event model's EventSink port): runtime.lifecycle.transition,
   * runtime.implementation.selected, runtime.quota.warning / breach, instruction.dispatched / completed / denied.
   */
  events?: EventSink;
  hostPolicy?: RuntimeHostPolicy;
  limits?: RuntimeLimits;
  /**
   * `lenient` (default): imports whose capability is not granted link to functions that return the
   * denial; `strict`: such a module fails to instantiate with CAPABILITY_DENIED (docs/abi.md).
   */
  linkPolicy?: LinkPolicy;
}

export interface InstantiateOptions {
  /** The capability grants for this instance. Default: `bus.negotiate(manifest.capabilities)`. */
  grants?: GrantReport;
  /** Guest arguments (WASI argv after the program name). */
  args?: readonly string[];
  /**
   * The guest's environment (WASI environ) as instance configuration. When absent, WASI environ comes from
   * `env.list` over the bus (granted variables only) and is empty when `env` is not granted.
   */
  env?: Readonly<Record<string, string>>;
  /** Program name reported as argv[0]; default the manifest id. */
  programName?: string;
  /** Instance id (unique per bus); default `<manifest id>#<n>`. */
  instanceId?: string;
  /** Overrides the runtime link policy for this instance. */
  linkPolicy?: LinkPolicy;
  /** Per-run caps on top of the manifest, the host caps and the defaults (the minimum wins). */
  quotas?: QuotaValues;
  /**
   * Resume only: the engine (a registered implementation's id or alias, e.g. `interpreter`, `transpiler`) the
   * snapshot continues on. Default: the one the router picks for the artifact on this host — any engine reads
   * the engine-neutral state; an engine's own older state (an earlier state version) continues on that engine.
   */
  engine?: string;
}

/** How an instance ended. */
export interface ExitInfo {
  state: Extract<LifecycleState, 'Terminated' | 'Failed'>;
  /** Set when the guest exited (entry return value, fayger.exit, proc_exit). */
  exitCode: number | undefined;
  /** Set on Failed: the typed cause (a guest trap, a quota breach, a link error...). */
  error: FaygerError | undefined;
  usage: ResourceUsage;
}

export interface TransitionInfo {
  from: LifecycleState;
  to: LifecycleState;
  /** Why, as in the runtime.lifecycle.transition event: "start", "suspend", "quota:fuel", "guest-trap"… */
  reason: string;
  /** The typed cause on Failed and on quota-driven Suspended. */
  cause?: FaygerError;
}

/** A running (or runnable) BuF_Instance. */
export interface BufInstance {
  readonly id: string;
  readonly state: LifecycleState;
  /** Exit code once the guest has exited; undefined before, or when it ended otherwise. */
  readonly exitCode: number | undefined;
  /** The failure cause once Failed. */
  readonly error: FaygerError | undefined;
  readonly grants: GrantReport;
  /** Id of the Runtime_Implementation chosen for it. */
  readonly implementation: string;
  /**
   * The effective limits (min of manifest, host cap or default, per-run cap; absent key: unlimited), fixed at
   * instantiation and changed only by setLimits; `limitSources` says where each came from.
   */
  readonly limits: Readonly<EffectiveLimits>;
  readonly limitSources: Readonly<Partial<Record<QuotaKey, 'manifest' | 'host' | 'default' | 'run'>>>;
  /** Resolves (never rejects) once the instance reaches Terminated or Failed. */
  readonly done: Promise<ExitInfo>;
  /**
   * Loaded → Initialized (compile, link, instantiate; `_initialize` is queued) → Running (entry scheduled).
   * Rejects with the typed cause (the instance is then Failed) when initialization fails.
   */
  start(): Promise<void>;
  /** Starts when needed and waits for the end; resolves with the exit info, rejects with the cause on Failed. */
  runToCompletion(): Promise<ExitInfo>;
  /** Alias of runToCompletion. */
  run(): Promise<ExitInfo>;
  /** Running → Suspended. No more slices run (a pending host call completes but the guest stays parked). */
  suspend(): void;
  /** Suspended → Running. */
  resume(): void;
  /**
   * Parks the instance (Running → Suspended, reason `suspend-at-fuel`) at the first fuel point at or past a
   * total of `fuel` units used (`usage().fuelUsed`, which on a resumed instance includes the snapshot's fuel;
   * past it by less than one block's cost): the slice that would run on is shortened there, so the stop is the
   * same whatever the slice size, engine or host. `undefined`
   * cancels it. Fuel used by the start function (inside `start()`) is counted but not stopped in. An engine
   * without fuel slices cannot stop there: RUNTIME_OPTIONS_INVALID.
   */
  suspendAt(fuel: number | undefined): void;
  /** Any live state → Terminated: releases guest memory, cancels pending host calls, closes grants. */
  terminate(reason?: string): void;
  /** Raise (or lower) limits at run time, e.g. more fuel before resuming an instance suspended at its quota. */
  setLimits(caps: QuotaValues & { fuelPerSecond?: number }, capabilityQuotas?: Record<string, CapabilityQuota>): void;
  usage(): ResourceUsage;
  /** Called on each transition; returns the unsubscribe function. */
  onTransition(listener: (t: TransitionInfo) => void): () => void;
  /**
   * Captures the instance — Suspended, or waiting on a host call — as an InstanceSnapshot (engine state, app and
   * code digest, grants, the pending host op, open WASI descriptors); the instance is unchanged and may go on.
   * SNAPSHOT_NOT_SUSPENDED otherwise; SNAPSHOT_UNSUPPORTED on an engine without snapshots (both built-in
   * engines, the interpreter and the transpiler, have them) or with a live host object in the guest.
   */
  snapshot(): InstanceSnapshot;
}

export interface Runtime {
  /** Creates an instance in Loaded: routes the implementation (throws RUNTIME_NO_IMPLEMENTATION) and checks grants later, at start. */
  instantiate(buf: LoadedBuf, options?: InstantiateOptions): BufInstance;
  /**
   * Creates an instance in Loaded that continues `snapshot` (taken of this exact BuF's code) when started:
   * `start()` checks the code digest (SNAPSHOT_CODE_MISMATCH), the engine (SNAPSHOT_ENGINE_MISMATCH, or
   * SNAPSHOT_UNSUPPORTED when the routed engine cannot restore), negotiates capabilities again (a pending op or
   * descriptor whose capability is not granted here: SNAPSHOT_CAPABILITY_REVOKED), reopens WASI descriptors by
   * path (SNAPSHOT_RESOURCE_UNAVAILABLE) — all before the guest runs — then the guest goes on from its
   * snapshot point to its normal end. The snapshot's own grants are informational: it never grants more.
   */
  resume(buf: LoadedBuf, snapshot: InstanceSnapshot, options?: InstantiateOptions): BufInstance;
  /** Live (not yet ended) instances. */
  instances(): readonly BufInstance[];
  /** Terminates every live instance. */
  shutdown(reason?: string): Promise<void>;
}
