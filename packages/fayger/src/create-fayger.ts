import {
  FaygerError,
  RUNTIME_INTERFACE_VERSION,
  emitEvent,
  type BufSource,
  type DigestProvider,
  type EventSink,
  type GrantReport,
  type HostPolicy,
  type LoadProfile,
  type LoadStrategy,
  type LoadedBuf,
  type PlatformAdapter,
  type QuotaValues,
  type ResourceUsage,
  type SelectionReport,
  type VersionStore,
  type InstanceSnapshot,
  type Signer,
} from '@fayger/contracts';
import {
  createInstructionBus,
  resolveAdapter,
  resolveAdapterAsync,
  type AdapterBus,
  type AdapterChoice,
  type AdapterSelection,
  type BusDiagnostic,
} from '@fayger/adapter-core';
import {
  MemorySource,
  encodeSnapshot,
  loadBuf,
  loadSnapshot,
  openSource,
  type OpenSourceOptions,
} from '@fayger/loader';
import { EventBus } from '@fayger/observability';
import {
  createRuntime,
  DEFAULT_QUOTAS,
  type BufInstance,
  type EffectiveLimits,
  type ImplementationRegistration,
  type LinkPolicy,
  type ResourceCaps,
  type Runtime,
  type RuntimeLimits,
} from '@fayger/runtime';
import { createMemoryVersionStore, detectDigestProvider, type Ed25519Backend } from '@fayger/security';
import type { RuntimeImplementation } from '@fayger/contracts';
import { engineImplementations, type EngineChoice } from './engine.js';
import { buildHostPolicy } from './policy.js';
import { buildTrust, type FaygerTrust } from './trust.js';

/** Something `load` / `run` accepts: a BufSource, the bytes, a URL (http(s):, s3:, ipfs:, registered schemes) or a path (`fayger/node`). */
export type BufInput = BufSource | Uint8Array | string | URL;

/**
 * How the adapter is chosen (adapter-core's `resolveAdapter`): one PlatformAdapter, or candidates — ready
 * adapters or lazy ones — to detect among (highest `detect()` score; `force` picks by id or host kind).
 */
export type { AdapterChoice, AdapterCandidate } from '@fayger/adapter-core';

export interface FaygerOptions {
  /** Which Platform_Adapter serves the guests' instructions (any PlatformAdapter; see AdapterChoice). */
  adapter: AdapterChoice;
  /** Trust: trusted roots + policy, a verifier, or `{ allowUnsigned: true }` (development). Required. */
  trust: FaygerTrust;
  /** The embedder's capability policy. Default: `buildHostPolicy()` (baseline capabilities only, default deny). */
  policy?: HostPolicy;
  /** Digest provider (default detectDigestProvider(): node:crypto, WebCrypto or noble). */
  digest?: DigestProvider;
  /** Ed25519 backend for signature checks (default: the verifier's detection). */
  ed25519?: Ed25519Backend;
  /**
   * Rollback protection store. Default: in memory — a lower sequence than one this Fayger accepted is refused
   * until it closes, and nothing is written anywhere (`storage` and the grant report say so). `false`: none.
   * `fayger/node` keeps `<stateDir>/versions.json` when given a `stateDir`.
   */
  versionStore?: VersionStore | false;
  /** How this Fayger's state is kept, for reports (`fayger/node` sets it; default: derived from `versionStore`). */
  storage?: StorageReport;
  /** Selection profile defaults (host defaults to the adapter's host kind). */
  profile?: Partial<LoadProfile>;
  /** Default load strategy (default 'lazy'). */
  strategy?: LoadStrategy;
  /**
   * Which execution engine runs the guests (default `DEFAULT_ENGINE`): `auto` lets the router pick per artifact
   * (manifest runtime policy, then the transpiler where the host allows `new Function`, else the interpreter,
   * falling back to the interpreter at load when the transpiler refuses a module); `interpreter` or
   * `transpiler` force one (FAYGER_ENGINE_UNAVAILABLE when the host cannot run it). See docs/architecture.md.
   */
  engine?: EngineChoice;
  /** Runtime_Implementations, replacing the ones `engine` registers (give one or the other, not both). */
  implementations?: readonly (RuntimeImplementation | ImplementationRegistration)[];
  /**
   * Caps on every instance's resource quotas (min with the manifest's), one per quota key (QUOTA_KEYS). A key
   * given here replaces its default, so it can also raise it; `Infinity` lifts it.
   */
  resources?: ResourceCaps;
  /**
   * Limits for the keys `resources` leaves out. Default: the runtime's DEFAULT_QUOTAS (fuel, memory pages,
   * call depth, table elements, host-call rate, output bytes; docs/limits.md). Keys given here replace those
   * defaults; `false`: no defaults at all (only the manifest and `resources` bound an instance).
   */
  defaults?: QuotaValues | false;
  limits?: RuntimeLimits;
  linkPolicy?: LinkPolicy;
  /** Where events go: an EventBus (created when absent; reachable as `fayger.events`) or any EventSink. */
  events?: EventBus | EventSink;
  /** Options for the loader's openSource (HTTP, S3, IPFS settings, extra schemes) when `load`/`run` get a string or URL. */
  sources?: OpenSourceOptions;
  /** Turns a string or URL into a source instead of the loader's openSource (`fayger/node` sets the Node openSource: files too). */
  resolveSource?: (ref: string) => Promise<BufSource> | BufSource;
  /** Runtime_Interface versions offered to the manifest's range (default [RUNTIME_INTERFACE_VERSION]). */
  supportedInterfaceVersions?: readonly string[];
  /** Default deadline for async host calls without their own timeout (ms; bus default when absent). */
  defaultTimeoutMs?: number;
}

export interface LoadOptions {
  profile?: Partial<LoadProfile>;
  strategy?: LoadStrategy;
  signal?: AbortSignal;
  /** Evaluation time for the trust verifier (tests). */
  now?: Date;
}

export interface RunOptions extends LoadOptions {
  /** Guest arguments (WASI argv after the program name). */
  args?: readonly string[];
  /** WASI argv[0] (default: the manifest id). */
  programName?: string;
  /** Guest environment as instance configuration (otherwise WASI environ comes from granted `env.list`). */
  env?: Readonly<Record<string, string>>;
  /** Per-run caps, applied on top of the manifest quotas, `resources` and the defaults (the minimum wins). */
  quotas?: QuotaValues;
  instanceId?: string;
  /**
   * `resume` / `startResume` only: the engine the snapshot continues on (`interpreter` or `transpiler`, among
   * those this Fayger registered). Default: the one the router picks on this host — a snapshot written by either
   * engine (the engine-neutral state) continues on either; an engine's own older state on the engine that wrote it.
   */
  engine?: 'interpreter' | 'transpiler';
  /** Told when the instance exists, before it starts (e.g. to watch it or drive it from outside). */
  onInstance?: (instance: BufInstance, loaded: LoadedBuf) => void;
}

/**
 * Where a Fayger keeps state between runs and whether any of it outlives the Fayger. `fayger.storage`, each
 * RunResult and `formatGrantReport(report, { storage })` carry it, so an embedder can see that rollback protection
 * is in memory only.
 */
export interface StorageReport {
  /** True when Fayger itself writes state to disk (a state directory was given); false: nothing is written. */
  persistent: boolean;
  /** The state directory (per-app kv and /data, versions.json) when one was given. */
  stateDir?: string;
  /** Rollback protection: in memory (forgotten on close), a file, the embedder's own store, or none. */
  rollback: { store: 'memory' | 'file' | 'custom' | 'none'; path?: string };
}

/** How a run ended. */
export interface RunResult {
  /** The guest's exit code (entry result, fayger.exit, proc_exit); undefined when the instance failed. */
  exitCode: number | undefined;
  state: 'Terminated' | 'Failed';
  /** The typed cause when Failed (CAPABILITY_REQUIRED_MISSING, TRAP_*, QUOTA_*…). */
  error: FaygerError | undefined;
  grantReport: GrantReport;
  selectionReport: SelectionReport;
  /** The instance's effective limits (absent key: unlimited). */
  limits: Readonly<EffectiveLimits>;
  usage: ResourceUsage;
  instanceId: string;
  implementation: string;
  adapter: { id: string; hostKind: string };
  artifact: { id: string; version: string; publisher: string };
  /** Where state is kept (rollback protection in memory unless a state dir or store was given). */
  storage: StorageReport;
}

/** A started run: the instance to control, and the reports, before it ends. */
export interface RunHandle {
  readonly instance: BufInstance;
  readonly loaded: LoadedBuf;
  readonly grantReport: GrantReport;
  readonly selectionReport: SelectionReport;
  /** The instance's effective limits: min(manifest, `resources` or the default, per-run `quotas`). */
  readonly limits: Readonly<EffectiveLimits>;
  /** Resolves (never rejects) once the instance ends. */
  readonly done: Promise<RunResult>;
}

export interface Fayger {
  /** The event bus (when Fayger created it or was given one); subscribe or pipe sinks here. */
  readonly events: EventBus | undefined;
  readonly adapter: PlatformAdapter;
  readonly bus: AdapterBus;
  readonly runtime: Runtime;
  readonly policy: HostPolicy;
  /** Where this Fayger keeps state (rollback sequences, per-app data) and whether it outlives it. */
  readonly storage: StorageReport;
  /** Loads and verifies an artifact (header, manifest, index, signature; bodies now under 'eager'). */
  load(input: BufInput, options?: LoadOptions): Promise<LoadedBuf>;
  /** Instantiates (negotiating grants) and starts an instance; `done` tells how it ended. */
  start(input: BufInput | LoadedBuf, options?: RunOptions): Promise<RunHandle>;
  /** Loads (unless given a LoadedBuf), runs to the end and reports. Load and trust failures reject. */
  run(input: BufInput | LoadedBuf, options?: RunOptions): Promise<RunResult>;
  /**
   * Signs a snapshot of a suspended instance (`handle.instance.snapshot()` gives the `InstanceSnapshot`) as snapshot
   * v1 bytes (docs/spec/snapshot-v1.md) with the host key `signer`. Throws SNAPSHOT_NOT_SUSPENDED /
   * SNAPSHOT_UNSUPPORTED as `instance.snapshot()` does.
   */
  snapshot(instance: BufInstance | InstanceSnapshot, options: { signer: Signer }): Promise<Uint8Array>;
  /**
   * Continues a snapshot of `buf`'s code: `snapshot` as bytes (verified against this Fayger's trust: the signing
   * host key must be trusted for `fayger.snapshot`) or an `InstanceSnapshot`. Capabilities are negotiated again
   * under this Fayger's policy; resolves like `run` once the guest ends.
   */
  resume(buf: BufInput | LoadedBuf, snapshot: Uint8Array | InstanceSnapshot, options?: RunOptions): Promise<RunResult>;
  /** As `resume`, returning the handle once the resumed instance started. */
  startResume(
    buf: BufInput | LoadedBuf,
    snapshot: Uint8Array | InstanceSnapshot,
    options?: RunOptions,
  ): Promise<RunHandle>;
  /** Terminates every live instance, closes the bus and the adapter, and closes sources Fayger opened. */
  close(): Promise<void>;
}

function isSource(v: unknown): v is BufSource {
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof (v as BufSource).read === 'function' &&
    typeof (v as BufSource).size === 'function'
  );
}
function isLoaded(v: unknown): v is LoadedBuf {
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof (v as LoadedBuf).section === 'function' &&
    'manifest' in v &&
    'selection' in v
  );
}

/**
 * The composition root: loader + security + runtime (interpreter) + adapter bus + observability behind one
 * object. Browser-safe (no node: import); `fayger/node` adds files, the per-user state dir and Node adapters.
 * Candidates must create their adapter synchronously here; for one that connects first (the in-app adapter's
 * `inAppAdapterCandidate()`), use `createFaygerAsync`.
 */
export function createFayger(options: FaygerOptions): Fayger {
  checkOptions(options);
  return assemble(options, resolveAdapter(options.adapter));
}

/**
 * `createFayger` for adapters that are created asynchronously: candidates may be lazy async ones such as
 * `inAppAdapterCandidate()` from @fayger/adapter-in-app (its bridge handshake runs only when it is chosen):
 * `await createFaygerAsync({ adapter: { candidates: [inAppAdapterCandidate(), browserAdapter] }, trust })`.
 * A chosen candidate that fails to connect rejects with ADAPTER_CREATE_FAILED (the cause says why).
 */
export async function createFaygerAsync(options: FaygerOptions): Promise<Fayger> {
  checkOptions(options);
  const selection = await resolveAdapterAsync(options.adapter);
  try {
    return assemble(options, selection);
  } catch (e) {
    // An adapter a candidate made for this Fayger is this Fayger's to close; a ready one is the embedder's.
    const choice = options.adapter as { candidates?: readonly unknown[] };
    if (options.adapter !== selection.adapter && !choice.candidates?.includes(selection.adapter))
      await selection.adapter.close?.();
    throw e;
  }
}

function checkOptions(options: FaygerOptions): void {
  if (!options?.adapter) {
    throw new FaygerError({
      code: 'INVALID_ARGUMENT',
      phase: 'configure',
      what: 'createFayger',
      expected: 'options.adapter: a PlatformAdapter or { candidates, force? }',
      found: String(options?.adapter),
      hint: 'On Node use createNodeFayger from "fayger/node", which brings the server and desktop adapters.',
    });
  }
}

function assemble(options: FaygerOptions, selection: AdapterSelection): Fayger {
  const eventBus =
    options.events === undefined ? new EventBus() : options.events instanceof EventBus ? options.events : undefined;
  const sink: EventSink = options.events ?? (eventBus as EventBus);

  const { adapter, forced, reason } = selection;
  emitEvent(sink, 'adapter.host.detected', { host: adapter.hostKind, adapter: adapter.id, forced, reason });

  const digest = options.digest ?? detectDigestProvider();
  // Nothing persists unless the embedder says where: rollback sequences live in memory for this Fayger's life.
  const versionStore =
    options.versionStore === false ? undefined : (options.versionStore ?? createMemoryVersionStore());
  const storage: StorageReport = options.storage ?? {
    persistent: false,
    rollback: { store: options.versionStore === false ? 'none' : options.versionStore ? 'custom' : 'memory' },
  };
  const trust = buildTrust(options.trust, {
    digest,
    events: sink,
    ...(options.ed25519 ? { ed25519: options.ed25519 } : {}),
    ...(versionStore ? { versionStore } : {}),
  });
  const policy = options.policy ?? buildHostPolicy();
  const bus = createInstructionBus({
    adapter,
    policy,
    ...(options.defaultTimeoutMs !== undefined ? { defaultTimeoutMs: options.defaultTimeoutMs } : {}),
    onDiagnostic: (d: BusDiagnostic) => diagnostic(sink, adapter.id, d),
  });
  if (options.implementations && options.engine !== undefined) {
    throw new FaygerError({
      code: 'INVALID_ARGUMENT',
      phase: 'configure',
      what: 'createFayger',
      expected: 'either engine or implementations',
      found: 'both',
      hint: 'engine picks among the built-in engines; implementations replaces them.',
    });
  }
  const runtime = createRuntime({
    implementations: options.implementations ?? engineImplementations(options.engine),
    bus,
    events: sink,
    hostPolicy: {
      capabilities: policy,
      ...(options.resources ? { resources: options.resources } : {}),
      ...(options.defaults === false ? {} : { defaults: { ...DEFAULT_QUOTAS, ...options.defaults } }),
    },
    ...(options.limits ? { limits: options.limits } : {}),
    ...(options.linkPolicy ? { linkPolicy: options.linkPolicy } : {}),
  });
  const owned = new Set<{ close(): Promise<void> | void }>();
  const interfaces = options.supportedInterfaceVersions ?? [RUNTIME_INTERFACE_VERSION];
  let closed = false;

  async function toSource(input: BufInput): Promise<{ source: BufSource; owned: boolean }> {
    if (input instanceof Uint8Array) return { source: new MemorySource(input), owned: false };
    if (isSource(input)) return { source: input, owned: false };
    const ref = input instanceof URL ? input.href : input;
    if (typeof ref === 'string') {
      // One resolver for every scheme (the loader's openSource); fayger/node's adds files.
      const source = options.resolveSource ? await options.resolveSource(ref) : await openSource(ref, options.sources);
      return { source, owned: true };
    }
    throw new FaygerError({
      code: 'FAYGER_SOURCE_UNSUPPORTED',
      phase: 'read',
      what: 'choosing where to read the BuF from',
      expected: 'a BufSource, a Uint8Array, a URL (http(s):, s3:, ipfs:) or a path (fayger/node)',
      found: typeof ref === 'string' ? JSON.stringify(ref) : String(ref),
    });
  }

  function assertOpen(what: string): void {
    if (closed)
      throw new FaygerError({
        code: 'FAYGER_CLOSED',
        phase: 'run',
        what,
        expected: 'an open Fayger instance',
        found: 'close() was called',
      });
  }

  async function loadWith(input: BufInput, o: LoadOptions, onSource?: (s: BufSource) => void): Promise<LoadedBuf> {
    assertOpen('fayger.load');
    const { source, owned: own } = await toSource(input);
    const closable = source as Partial<{ close(): Promise<void> }>;
    if (own && typeof closable.close === 'function') owned.add(closable as { close(): Promise<void> });
    onSource?.(source);
    const profile: LoadProfile = { host: adapter.hostKind, ...options.profile, ...o.profile } as LoadProfile;
    if (!profile.capabilities) profile.capabilities = bus.available().map((c) => c.name);
    try {
      return await loadBuf(source, {
        trust,
        digest,
        profile,
        strategy: o.strategy ?? options.strategy ?? 'lazy',
        supportedInterfaceVersions: interfaces,
        events: sink,
        ...(o.signal ? { signal: o.signal } : {}),
        ...(o.now ? { now: o.now } : {}),
      });
    } catch (err) {
      if (own && typeof closable.close === 'function') {
        owned.delete(closable as { close(): Promise<void> });
        await closable.close().catch(() => undefined);
      }
      throw err;
    }
  }

  async function start(
    input: BufInput | LoadedBuf,
    o: RunOptions = {},
    snapshot?: Uint8Array | InstanceSnapshot,
  ): Promise<RunHandle> {
    assertOpen(snapshot ? 'fayger.resume' : 'fayger.start');
    let source: BufSource | undefined;
    const loaded = isLoaded(input) ? input : await loadWith(input, o, (s) => (source = s));
    const instanceOptions = {
      ...(o.args ? { args: o.args } : {}),
      ...(o.programName !== undefined ? { programName: o.programName } : {}),
      ...(o.env ? { env: o.env } : {}),
      ...(o.instanceId ? { instanceId: o.instanceId } : {}),
      ...(o.quotas ? { quotas: o.quotas } : {}),
      ...(snapshot && o.engine !== undefined ? { engine: o.engine } : {}),
    };
    // A snapshot as bytes is untrusted input: verified (digests, host-key signature) with this Fayger's trust.
    const snap =
      snapshot instanceof Uint8Array
        ? await loadSnapshot(snapshot, {
            digest,
            trust,
            ...(o.signal ? { signal: o.signal } : {}),
            ...(o.now ? { now: o.now } : {}),
          })
        : snapshot;
    const instance = snap
      ? runtime.resume(loaded, snap, instanceOptions)
      : runtime.instantiate(loaded, instanceOptions);
    const grantReport = instance.grants;
    emitEvent(
      sink,
      'adapter.capabilities.negotiated',
      {
        adapter: adapter.id,
        granted: grantReport.granted.map((g) => g.name),
        missingRequired: [...grantReport.missingRequired],
        absentOptional: [...grantReport.absentOptional],
      },
      { instanceId: instance.id },
    );
    o.onInstance?.(instance, loaded);
    // start() rejects with the typed cause and leaves the instance Failed; `done` reports that.
    await instance.start().catch(() => undefined);
    const done = instance.done.then(async (info): Promise<RunResult> => {
      const s = source as Partial<{ close(): Promise<void> }> | undefined;
      if (s && typeof s.close === 'function' && owned.has(s as { close(): Promise<void> })) {
        owned.delete(s as { close(): Promise<void> });
        await s.close().catch(() => undefined);
      }
      return {
        exitCode: info.exitCode,
        state: info.state,
        error: info.error,
        grantReport,
        selectionReport: loaded.selection,
        limits: instance.limits,
        usage: info.usage,
        instanceId: instance.id,
        implementation: instance.implementation,
        adapter: { id: adapter.id, hostKind: adapter.hostKind },
        artifact: { id: loaded.manifest.id, version: loaded.manifest.version, publisher: loaded.manifest.publisher },
        storage,
      };
    });
    return { instance, loaded, grantReport, selectionReport: loaded.selection, limits: instance.limits, done };
  }

  return {
    events: eventBus,
    adapter,
    bus,
    runtime,
    policy,
    storage,
    load: (input, o = {}) => loadWith(input, o),
    start: (input, o = {}) => start(input, o),
    async run(input, o = {}) {
      const handle = await start(input, o);
      return handle.done;
    },
    async snapshot(instance, o) {
      const snap = 'snapshot' in instance && typeof instance.snapshot === 'function' ? instance.snapshot() : instance;
      return encodeSnapshot(snap as InstanceSnapshot, { digest, signer: o?.signer as Signer });
    },
    startResume: (buf, snapshot, o = {}) => start(buf, o, snapshot),
    async resume(buf, snapshot, o = {}) {
      const handle = await start(buf, o, snapshot);
      return handle.done;
    },
    async close() {
      if (closed) return;
      closed = true;
      await runtime.shutdown('fayger.close');
      await bus.shutdown();
      await Promise.all([...owned].map((s) => Promise.resolve(s.close()).catch(() => undefined)));
      owned.clear();
    },
  };
}

function diagnostic(sink: EventSink, adapterId: string, d: BusDiagnostic): void {
  const error = d.error ? d.error.toJSON() : { name: 'BusDiagnostic', message: d.message };
  if (d.kind === 'event-dropped' || d.kind === 'event-invalid' || d.kind === 'late-emit') {
    emitEvent(
      sink,
      'adapter.host.event',
      { adapter: adapterId, type: 'unknown', delivered: false, reason: `${d.kind}: ${d.message}` },
      d.instanceId ? { instanceId: d.instanceId } : {},
    );
  } else {
    emitEvent(
      sink,
      'adapter.host.error',
      { adapter: adapterId, operation: d.kind, error },
      d.instanceId ? { instanceId: d.instanceId } : {},
    );
  }
}
