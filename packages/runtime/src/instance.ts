import {
  FaygerError,
  toFaygerError,
  type CapabilityGrant,
  type CapabilityQuota,
  type GrantReport,
  type InstructionBus,
  type LifecycleState,
  type LoadedBuf,
  type QuotaKey,
  type QuotaValues,
  type ResourceUsage,
  type EventSink,
  type InstanceSnapshot,
  ENGINE_NEUTRAL_STATE_VERSION,
  QUOTA_KEYS,
} from '@fayger/contracts';
import type { WasiContext } from './abi/wasi/context.js';
import { checkInstanceSnapshot, codeDigestOf, fdEntryOf, snapshotFailure, wasiResources } from './snapshot.js';
import { createFaygerModule, FAYGER_IMPORT_CAPABILITY, GuestExit } from './abi/fayger.js';
import { HostGate, isThenable, type GateHost, type Maybe } from './abi/gate.js';
import { createWasiModule, unsupportedWasiImport, WASI_IMPORT_CAPABILITIES, WASI_SUBSET } from './abi/wasi.js';
import { clearTimer, monotonicNow, nextMacrotask, setTimer } from './host-globals.js';
import { Lifecycle, publish } from './lifecycle.js';
import { DEFAULT_MAX_HOST_CALL_BYTES, effectiveQuotas, limitSources } from './limits.js';
import { ResourceMonitor, type SliceUsage } from './monitor.js';
import type {
  CompiledCode,
  GuestCall,
  GuestInstance,
  HostFunction,
  HostImports,
  ImplementationVerdict,
  RuntimeImplementation,
} from '@fayger/contracts';
import type { Scheduler, SchedulerTask } from './scheduler.js';
import type {
  BufInstance,
  EffectiveLimits,
  ExitInfo,
  InstantiateOptions,
  LinkPolicy,
  RuntimeHostPolicy,
  RuntimeLimits,
  TransitionInfo,
} from './types.js';

/** What an instance shares with its runtime. */
export interface InstanceEnv {
  bus: InstructionBus;
  events: EventSink | undefined;
  hostPolicy: RuntimeHostPolicy | undefined;
  limits: RuntimeLimits | undefined;
  linkPolicy: LinkPolicy;
  scheduler: Scheduler;
  sliceFuel: number;
  /** Compiles through a per-runtime cache, so instances of one artifact share the compiled module. */
  compile(impl: RuntimeImplementation, code: Uint8Array): Promise<CompiledCode>;
  onEnd(instance: Instance): void;
}

const WASI = 'wasi_snapshot_preview1';

/** The transition reason for a monitor decision: "quota:fuel", "quota-soft:capability.calls", or the error code. */
function quotaReason(error: FaygerError): string {
  const resource = error.details.resource;
  if (typeof resource !== 'string') return error.code === 'CAPABILITY_QUOTA_EXCEEDED' ? 'quota' : 'host-call-failed';
  return `${error.details.soft ? 'quota-soft' : 'quota'}:${resource}`;
}

/** A compile failure that says "not this implementation" rather than "not this module". */
function isRefusal(err: unknown): err is FaygerError {
  return FaygerError.is(err) && err.details.refused === true;
}

/** The implementation's `supports(code)`, when it has one; a throw or a malformed answer counts as yes (compile decides). */
function askSupports(impl: RuntimeImplementation, code: Uint8Array): ImplementationVerdict {
  if (typeof impl.supports !== 'function') return { ok: true };
  try {
    const v = impl.supports(code);
    return v && typeof v === 'object' && v.ok === false && typeof v.reason === 'string' ? v : { ok: true };
  } catch {
    return { ok: true };
  }
}

/** One BuF_Instance: lifecycle, monitor, guest ABI and its scheduler task. */
export class Instance implements BufInstance, SchedulerTask {
  readonly id: string;
  readonly grants: GrantReport;
  /** Id of the Runtime_Implementation running it (changes once if the routed one refuses the module at load). */
  implementation: string;
  readonly done: Promise<ExitInfo>;
  readonly limitSources: Readonly<Partial<Record<QuotaKey, 'manifest' | 'host' | 'default' | 'run'>>>;

  private readonly lifecycle: Lifecycle;
  private readonly monitor: ResourceMonitor;
  private readonly grantMap: Map<string, CapabilityGrant>;
  private canSuspend: boolean;
  private canSlice: boolean;
  private resolveDone!: (info: ExitInfo) => void;
  private guest: GuestInstance | undefined;
  private call: GuestCall | undefined;
  private readonly calls: string[] = [];
  private waiting = false;
  private inSlice = false;
  /** The start function is running (inside instantiate): the wall timer and the slice hook watch it. */
  private inStart = false;
  private terminateAfterSlice = false;
  /** suspendAt: the total fuel to park the instance at. */
  private stopAtFuel: number | undefined;
  private pendingExit: number | undefined;
  private pendingFailure: FaygerError | undefined;
  private exit: number | undefined;
  private failure: FaygerError | undefined;
  private starting: Promise<void> | undefined;
  private readonly timers = new Set<unknown>();
  private wallTimer: unknown;
  private resumeWaiters: (() => void)[] = [];
  private busOpen = false;
  private released = false;
  private endReason: string | undefined;
  private wasiCx: WasiContext | undefined;
  /** The host import whose promise the guest waits on (recorded in a snapshot as its pending op). */
  private pendingImport: { op: string; capabilities: readonly string[] } | undefined;

  constructor(
    private readonly env: InstanceEnv,
    private readonly buf: LoadedBuf,
    private impl: RuntimeImplementation,
    private readonly options: InstantiateOptions,
    id: string,
    grants: GrantReport,
    /** Implementations that also fit the policy and the host, tried in order when `impl` refuses the module. */
    private readonly fallbacks: RuntimeImplementation[] = [],
    /** Resume this snapshot instead of instantiating (runtime.resume). */
    private readonly resumeFrom?: InstanceSnapshot,
  ) {
    this.id = id;
    this.grants = grants;
    this.implementation = impl.descriptor.id;
    this.canSuspend = impl.descriptor.features.includes('suspend');
    this.canSlice = impl.descriptor.features.includes('fuel');
    this.grantMap = new Map(grants.granted.map((g) => [g.name, g]));
    this.lifecycle = new Lifecycle(id, env.events, (state) => this.monitor.snapshot(state));
    const manifestQuotas = (buf.manifest.quotas ?? {}) as QuotaValues;
    const host = env.hostPolicy?.resources;
    const effective: EffectiveLimits = effectiveQuotas(manifestQuotas, host, env.hostPolicy?.defaults, options.quotas);
    if (host?.fuelPerSecond !== undefined && Number.isFinite(host.fuelPerSecond))
      effective.fuelPerSecond = host.fuelPerSecond;
    this.limitSources = limitSources(manifestQuotas, host, env.hostPolicy?.defaults, options.quotas);
    this.monitor = new ResourceMonitor(
      id,
      env.events,
      effective,
      env.limits,
      grants.granted,
      env.hostPolicy?.capabilities,
    );
    this.done = new Promise((r) => (this.resolveDone = r));
  }

  get state(): LifecycleState {
    return this.lifecycle.state;
  }
  get exitCode(): number | undefined {
    return this.exit;
  }
  get error(): FaygerError | undefined {
    return this.failure;
  }

  usage(): ResourceUsage {
    return this.monitor.snapshot(this.state);
  }

  get limits(): Readonly<EffectiveLimits> {
    const out: EffectiveLimits = {};
    for (const [k, v] of Object.entries(this.monitor.limits)) if (v !== undefined) out[k as keyof EffectiveLimits] = v;
    return out;
  }

  onTransition(listener: (t: TransitionInfo) => void): () => void {
    return this.lifecycle.onTransition(listener);
  }

  // ---------------------------------------------------------------- lifecycle API

  start(): Promise<void> {
    // A second start() while the first is still initializing shares it; afterwards it is an illegal transition.
    if (this.starting && this.state === 'Loaded') return this.starting;
    try {
      this.lifecycle.check('Initialized');
    } catch (err) {
      return Promise.reject(err);
    }
    this.starting = this.initialize();
    return this.starting;
  }

  async runToCompletion(): Promise<ExitInfo> {
    if (this.state === 'Loaded') await this.start();
    else if (this.starting) await this.starting;
    const info = await this.done;
    if (info.state === 'Failed') throw info.error;
    return info;
  }

  run(): Promise<ExitInfo> {
    return this.runToCompletion();
  }

  suspend(): void {
    this.lifecycle.transition('Suspended', 'suspend');
    this.parked();
  }

  resume(): void {
    this.lifecycle.transition('Running', 'resume');
    this.unparked();
  }

  suspendAt(fuel: number | undefined): void {
    if (fuel !== undefined && !(Number.isSafeInteger(fuel) && fuel >= 0)) {
      throw new FaygerError({
        code: 'RUNTIME_OPTIONS_INVALID',
        phase: 'suspend-at',
        what: `setting the fuel stop of instance ${this.id}`,
        expected: 'a non-negative integer amount of fuel, or undefined to cancel',
        found: String(fuel),
      });
    }
    if (fuel !== undefined && !this.canSlice) {
      throw new FaygerError({
        code: 'RUNTIME_OPTIONS_INVALID',
        phase: 'suspend-at',
        what: `setting the fuel stop of instance ${this.id}`,
        expected: 'an implementation that runs in fuel slices (feature "fuel")',
        found: `${this.implementation}, without fuel metering`,
        hint: 'Choose an implementation with fuel (the interpreter or the transpiler).',
      });
    }
    this.stopAtFuel = fuel;
  }

  terminate(reason?: string): void {
    this.lifecycle.check('Terminated');
    this.finish('Terminated', 'host-terminate', undefined, undefined, reason ?? 'terminated by the embedder');
  }

  setLimits(caps: QuotaValues & { fuelPerSecond?: number }, capabilityQuotas?: Record<string, CapabilityQuota>): void {
    const known: readonly string[] = [...QUOTA_KEYS, 'fuelPerSecond'];
    const update: Record<string, number | undefined> = {};
    for (const [k, v] of Object.entries(caps)) {
      if (!known.includes(k)) continue;
      if (v !== undefined && (typeof v !== 'number' || !(v >= 0))) {
        throw new FaygerError({
          code: 'RUNTIME_OPTIONS_INVALID',
          phase: 'set-limits',
          what: `setting limit ${k} of instance ${this.id}`,
          expected: 'a non-negative number or undefined',
          found: String(v),
        });
      }
      // Infinity lifts a limit.
      update[k] = v === Infinity ? undefined : v;
    }
    this.monitor.update(update, capabilityQuotas);
    if (this.state === 'Running') this.armWallTimer();
  }

  // ---------------------------------------------------------------- initialization

  private async initialize(): Promise<void> {
    try {
      if (this.grants.missingRequired.length) {
        throw new FaygerError({
          code: 'CAPABILITY_REQUIRED_MISSING',
          phase: 'initialize',
          what: `starting instance ${this.id}`,
          expected: 'every required capability granted',
          found: `not granted: ${this.grants.missingRequired.join(', ')}`,
          details: { missing: this.grants.missingRequired, entries: this.grants.entries },
        });
      }
      const entry = this.buf.manifest.entry;
      let code: Uint8Array;
      try {
        if (!this.buf.has(entry.section)) throw new Error('not selected');
        code = await this.buf.section(entry.section);
      } catch (err) {
        throw FaygerError.is(err) && err.code !== 'INTERNAL'
          ? err
          : new FaygerError({
              code: 'RUNTIME_CODE_SECTION_MISSING',
              phase: 'initialize',
              what: `reading code section ${entry.section}`,
              expected: 'a selected, readable code section',
              found: err instanceof Error ? err.message : String(err),
              cause: err,
            });
      }
      if (!this.lifecycle.live) return;
      const snap = this.resumeFrom;
      if (snap) this.checkResume(snap);
      const compiled = await this.compileWithFallback(code);
      if (!this.lifecycle.live) return;
      if (snap && typeof compiled.restore !== 'function') {
        throw snapshotFailure(
          'SNAPSHOT_UNSUPPORTED',
          `resuming ${this.id}`,
          'an engine that restores snapshots',
          `${this.implementation}, which does not`,
          { implementation: this.implementation },
          'Resume with an engine that restores snapshots (`--engine interpreter` or `--engine transpiler`).',
        );
      }

      const exp = compiled.exports.find((e) => e.name === entry.export);
      const okType =
        !exp?.type ||
        (exp.type.params.length === 0 &&
          (exp.type.results.length === 0 || (exp.type.results.length === 1 && exp.type.results[0] === 'i32')));
      if (exp?.kind !== 'function' || !okType) {
        throw new FaygerError({
          code: 'RUNTIME_ENTRY_NOT_FOUND',
          phase: 'initialize',
          what: `finding entry export ${entry.export}`,
          expected: 'an exported function () -> () or () -> i32',
          found: exp
            ? `${exp.kind}${exp.type ? ` (${exp.type.params.join(',')}) -> (${exp.type.results.join(',')})` : ''}`
            : 'no such export',
          details: { exports: compiled.exports.map((e) => e.name).slice(0, 32) },
        });
      }
      const imports = this.link(compiled.imports);

      this.env.bus.open({
        instanceId: this.id,
        grants: this.grants,
        app: { id: this.buf.manifest.id, version: this.buf.manifest.version },
        onExit: (c) => {
          if (this.pendingExit === undefined) this.pendingExit = c;
        },
      });
      this.busOpen = true;
      if (snap) await this.reopenResources(snap);
      if (!this.lifecycle.live) return;

      const limits = this.monitor.limits;
      const memAction = this.monitor.action('memoryPages');
      let guest: GuestInstance;
      // The start function runs inside instantiate: its wall time counts, and it runs in fuel slices like any
      // call, yielding to the event loop (timers, signals, other instances) and checking wall time between them.
      this.inStart = true;
      this.monitor.startClock();
      this.armWallTimer();
      let restoredCall: GuestCall | undefined;
      // The engine-enforced limits, the same for a fresh instance and a restored one.
      const instanceLimits = {
        ...(limits.memoryPages !== undefined
          ? { maxMemoryPages: memAction === 'throttle' ? limits.memoryPages : limits.memoryPages + 1 }
          : {}),
        ...(limits.callDepth !== undefined ? { maxCallDepth: limits.callDepth } : {}),
        ...(limits.tableElements !== undefined ? { maxTableElements: limits.tableElements } : {}),
      };
      try {
        if (snap) {
          const r = await compiled.restore!(imports, snap.engine, instanceLimits);
          guest = r.instance;
          restoredCall = r.calls[0];
          this.monitor.fuelUsed = snap.engine.fuelUsed;
        } else
          guest = await compiled.instantiate(imports, {
            ...instanceLimits,
            // Meters the start function, which runs inside instantiate, outside the scheduler's slices.
            ...(limits.fuel !== undefined ? { startFuel: Math.max(0, limits.fuel - this.monitor.fuelUsed) } : {}),
            ...(this.canSlice ? { startSlices: this.startSlices() } : {}),
          });
      } catch (err) {
        // Ended while the start function ran (wall time, terminate): the instance has its outcome already.
        if (!this.lifecycle.live) return;
        throw this.instantiationBreach(err) ?? err;
      } finally {
        this.inStart = false;
      }
      if (!this.lifecycle.live) {
        guest.terminate();
        return;
      }
      this.guest = guest;
      if (snap) {
        // The call in progress continues; `_initialize` (when it was the one snapshotted) is followed by the entry.
        this.call = restoredCall;
        if (!restoredCall || snap.engine.calls[0]?.export !== entry.export) this.calls.push(entry.export);
        this.lifecycle.transition('Initialized', 'resume');
        this.lifecycle.transition('Running', 'resume');
        this.unparked();
        return;
      }
      if (
        entry.export !== '_initialize' &&
        compiled.exports.some((e) => e.name === '_initialize' && e.kind === 'function')
      ) {
        this.calls.push('_initialize');
      }
      this.calls.push(entry.export);
      this.lifecycle.transition('Initialized', 'start');
      this.lifecycle.transition('Running', 'start');
      this.unparked();
    } catch (err) {
      const error =
        this.pendingExit !== undefined
          ? undefined
          : toFaygerError(err, { code: 'INTERNAL', phase: 'initialize', what: `initializing instance ${this.id}` });
      if (this.lifecycle.live) {
        if (error) this.finish('Failed', 'init-failed', error);
        else this.finish('Terminated', 'guest-exit', undefined, this.pendingExit);
      }
      if (error) throw error;
    }
  }

  /**
   * The slice hook of the start function: every `roundMs` of guest work it yields a macrotask (so timers, I/O
   * and signals run), then stops the start function when the instance has ended or its wall time is up.
   */
  private startSlices(): { fuel: number; between: () => void | Promise<void> } {
    let lastYield = monotonicNow();
    const roundMs = this.env.limits?.roundMs ?? 8;
    const check = (): void => {
      if (!this.lifecycle.live) {
        throw new FaygerError({
          code: 'RUNTIME_INSTANCE_TERMINATED',
          phase: 'instantiate',
          what: `running the start function of ${this.id}`,
          found: 'the instance ended',
        });
      }
      const d = this.monitor.checkWall();
      // No suspending inside instantiate: a wall-time breach ends the start function (QUOTA_WALL_TIME_EXCEEDED).
      if (d.kind !== 'ok') throw d.error;
    };
    return {
      fuel: this.env.sliceFuel,
      between: () => {
        if (monotonicNow() - lastYield < roundMs) return check();
        return new Promise<void>((resolve) => nextMacrotask(resolve)).then(() => {
          lastYield = monotonicNow();
          check();
        });
      },
    };
  }

  /**
   * Compiles with the routed implementation; when it refuses the module — `supports(code)` says no, or
   * `compile` rejects with a refusal (`details.refused`) — falls back to the next implementation that fits the
   * policy and the host, and says so in a second runtime.implementation.selected event. Other errors (an
   * invalid module) are the module's and are thrown as they are. When every candidate refuses, the last
   * refusal is thrown.
   */
  private async compileWithFallback(code: Uint8Array): Promise<CompiledCode> {
    for (;;) {
      const impl = this.impl;
      let refusal: FaygerError;
      const verdict = askSupports(impl, code);
      if (verdict.ok) {
        try {
          return await this.env.compile(impl, code);
        } catch (err) {
          if (!isRefusal(err)) throw err;
          refusal = err;
        }
      } else {
        refusal = new FaygerError({
          code: 'WASM_UNSUPPORTED_FEATURE',
          phase: 'initialize',
          what: `compiling ${this.buf.manifest.entry.section} with ${impl.descriptor.id}`,
          expected: `a module within ${impl.descriptor.id}'s features`,
          found: verdict.reason,
          hint: 'Another Runtime_Implementation (the interpreter) may run it: do not force this one.',
          details: { implementation: impl.descriptor.id, feature: verdict.feature, refused: true },
        });
      }
      const next = this.fallbacks.shift();
      if (!next || !this.lifecycle.live) throw refusal;
      const why = verdict.ok ? refusal.message : verdict.reason;
      this.impl = next;
      this.implementation = next.descriptor.id;
      this.canSuspend = next.descriptor.features.includes('suspend');
      this.canSlice = next.descriptor.features.includes('fuel');
      publish(
        this.env.events,
        'runtime.implementation.selected',
        () => ({
          implementation: next.descriptor.id,
          reason: `fallback at load: ${impl.descriptor.id} refused the module (${why})`,
        }),
        { instanceId: this.id },
      );
    }
  }

  /**
   * An implementation that refused to instantiate because a declared memory or table exceeds the instance
   * limits (details.limit, details.requested): the quota breach, with the refusal as its cause.
   */
  private instantiationBreach(err: unknown): FaygerError | undefined {
    if (!FaygerError.is(err)) return undefined;
    if (err.code === 'TRAP_FUEL_EXHAUSTED') return this.monitor.fuelBreach(err);
    const { limit, requested } = err.details as { limit?: unknown; requested?: unknown };
    if (typeof requested !== 'number') return undefined;
    if (limit === 'tableElements') return this.monitor.tableBreach(requested, err);
    if (limit === 'memoryPages') {
      const d = this.monitor.afterSlice(0, {
        memoryPages: 0,
        maxCallDepthReached: 0,
        refused: { memoryPages: requested },
      });
      return d.kind === 'ok' ? undefined : d.error;
    }
    return undefined;
  }

  /** Builds the host imports the module asks for; strict policy refuses imports whose capability is absent. */
  private link(imports: readonly { module: string; name: string; kind: string }[]): HostImports {
    const strict = (this.options.linkPolicy ?? this.env.linkPolicy) === 'strict';
    const fayger: string[] = [];
    const wasi: string[] = [];
    for (const imp of imports) {
      if (imp.kind !== 'function') continue;
      if (imp.module === 'fayger') fayger.push(imp.name);
      else if (imp.module === WASI) wasi.push(imp.name);
    }
    if (strict) {
      for (const name of fayger) {
        const cap = FAYGER_IMPORT_CAPABILITY[name];
        if (cap && !this.grantMap.has(cap)) throw this.strictDenied(`fayger.${name}`, [cap]);
      }
      for (const name of wasi) {
        if (!(WASI_SUBSET as readonly string[]).includes(name)) throw unsupportedWasiImport(name);
        const caps = WASI_IMPORT_CAPABILITIES[name];
        if (caps && !caps.some((c) => this.grantMap.has(c))) throw this.strictDenied(`${WASI}.${name}`, caps);
      }
    }
    const gate = new HostGate(this.gateHost());
    const common = {
      gate,
      exit: (code: number) => this.guestExit(code, gate),
      countLocal: () => this.monitor.countLocalCall(),
    };
    const out: Record<string, Record<string, HostFunction>> = {};
    if (fayger.length) out.fayger = createFaygerModule(common, fayger);
    if (wasi.length) {
      out[WASI] = createWasiModule(
        {
          ...common,
          argv: [this.options.programName ?? this.buf.manifest.id, ...(this.options.args ?? [])],
          env: this.options.env,
          grants: this.grantMap,
          canSuspend: this.canSuspend,
          reportDenied: (op, capability, code) => {
            this.monitor.recordDenied(capability);
            gate.reportDenied(
              op,
              capability,
              `${this.id}:wasi`,
              code,
              `${code}: the guest path lies outside the granted roots, or the capability is not granted`,
            );
          },
        },
        wasi,
        (cx) => {
          this.wasiCx = cx;
        },
      );
    }
    // A host import answering with a promise is the op a snapshot taken meanwhile records as pending.
    for (const [module, fns] of Object.entries(out)) {
      for (const [name, fn] of Object.entries(fns)) {
        const capabilities =
          module === WASI
            ? (WASI_IMPORT_CAPABILITIES[name] ?? [])
            : FAYGER_IMPORT_CAPABILITY[name]
              ? [FAYGER_IMPORT_CAPABILITY[name]!]
              : [];
        fns[name] = (args, ctx) => {
          gate.lastAsync = undefined;
          const r = fn(args, ctx);
          if (isThenable(r)) {
            // The capability of the instruction the import waits on (fd_read: fs.read or stdio), else the import's.
            const viaGate = gate.lastAsync as { capability: string } | undefined;
            const mark = { op: `${module}.${name}`, capabilities: viaGate ? [viaGate.capability] : capabilities };
            this.pendingImport = mark;
            const clear = () => {
              if (this.pendingImport === mark) this.pendingImport = undefined;
            };
            Promise.resolve(r).then(clear, clear);
          }
          return r;
        };
      }
    }
    return out;
  }

  // ---------------------------------------------------------------- snapshots

  /**
   * Captures the instance (Suspended, or waiting on a host call) as an InstanceSnapshot: the engine state, the
   * app and code digest, grants, the pending host op and the open WASI descriptors. Does not change the instance.
   */
  snapshot(): InstanceSnapshot {
    const what = `snapshotting instance ${this.id}`;
    const stopped = this.state === 'Suspended' || (this.state === 'Running' && this.waiting);
    if (!stopped || this.inSlice || !this.guest) {
      throw snapshotFailure(
        'SNAPSHOT_NOT_SUSPENDED',
        what,
        'an instance in Suspended or waiting on a host call',
        `${this.state}${this.inSlice ? ' (in a slice)' : ''}`,
      );
    }
    if (typeof this.guest.snapshot !== 'function') {
      throw snapshotFailure(
        'SNAPSHOT_UNSUPPORTED',
        what,
        'an engine that captures snapshots',
        `${this.implementation}, which does not`,
        { implementation: this.implementation },
        'Run the app with an engine that captures snapshots (`--engine interpreter` or `--engine transpiler`).',
      );
    }
    const entry = this.buf.manifest.entry.export;
    if (!this.call && !(this.calls.length === 1 && this.calls[0] === entry)) {
      throw snapshotFailure('SNAPSHOT_NOT_SUSPENDED', what, 'a call in progress', 'none (between calls)');
    }
    const engine = this.guest.snapshot(this.call ? [this.call] : []);
    const pendingImport = engine.calls[0]?.waiting ? this.pendingImport : undefined;
    const capability = pendingImport?.capabilities.find((c) => this.grantMap.has(c)) ?? pendingImport?.capabilities[0];
    return {
      version: 1,
      app: { id: this.buf.manifest.id, version: this.buf.manifest.version },
      codeDigest: codeDigestOf(this.buf),
      entry,
      engine: { ...engine, fuelUsed: Math.max(engine.fuelUsed, this.monitor.fuelUsed) },
      grants: this.grants.granted,
      ...(pendingImport ? { pending: { op: pendingImport.op, ...(capability ? { capability } : {}) } } : {}),
      resources: wasiResources(this.wasiCx),
      origin: { hostKind: this.env.bus.hostKind, takenAt: new Date().toISOString() },
    };
  }

  /** Before anything runs: same code, and every capability the snapshot depends on granted here. */
  private checkResume(snap: InstanceSnapshot): void {
    checkInstanceSnapshot(snap);
    const what = `resuming instance ${this.id}`;
    const digest = codeDigestOf(this.buf);
    if (snap.codeDigest !== digest || snap.entry !== this.buf.manifest.entry.export) {
      throw snapshotFailure(
        'SNAPSHOT_CODE_MISMATCH',
        what,
        `code digest ${digest} (entry ${this.buf.manifest.entry.export})`,
        `${snap.codeDigest} (entry ${snap.entry})`,
      );
    }
    if (snap.engine.engine !== this.impl.descriptor.id && snap.engine.stateVersion !== ENGINE_NEUTRAL_STATE_VERSION) {
      throw snapshotFailure(
        'SNAPSHOT_ENGINE_MISMATCH',
        what,
        `the engine-neutral state (version ${ENGINE_NEUTRAL_STATE_VERSION}) or one of ${this.impl.descriptor.id} (the routed engine)`,
        `${snap.engine.engine}'s own state version ${snap.engine.stateVersion}`,
        { engine: snap.engine.engine },
        `Resume with the engine that wrote it (\`--engine ${engineFlag(snap.engine.engine)}\` for ${snap.engine.engine}).`,
      );
    }
    const revoked = (capability: string, of: string) =>
      snapshotFailure(
        'SNAPSHOT_CAPABILITY_REVOKED',
        what,
        `capability ${capability} granted (${of} depends on it)`,
        'not granted by this host',
        { capability, of },
      );
    if (snap.pending?.capability && !this.grantMap.has(snap.pending.capability))
      throw revoked(snap.pending.capability, `the pending host call ${snap.pending.op}`);
    for (const r of snap.resources) {
      if (r.kind !== 'wasi.fd') {
        throw snapshotFailure(
          'SNAPSHOT_RESOURCE_UNAVAILABLE',
          what,
          'resources this runtime recreates (wasi.fd)',
          `${r.kind} ${r.handle}`,
          { kind: r.kind, handle: r.handle },
        );
      }
      if (r.capability !== undefined && !this.grantMap.has(r.capability))
        throw revoked(r.capability, `descriptor ${r.handle} (${String(r.data.path)})`);
    }
  }

  /** Reopens the snapshot's WASI descriptors by path under the new grants (before the guest runs). */
  private async reopenResources(snap: InstanceSnapshot): Promise<void> {
    const fds = snap.resources.filter((r) => r.kind === 'wasi.fd');
    if (!fds.length) return;
    const cx = this.wasiCx;
    const what = `resuming instance ${this.id}`;
    for (const r of fds) {
      const e = fdEntryOf(r);
      const unavailable = (why: string) =>
        snapshotFailure('SNAPSHOT_RESOURCE_UNAVAILABLE', what, `descriptor ${r.handle} reopened at ${e.path}`, why, {
          handle: r.handle,
          path: e.path,
        });
      if (!cx) throw unavailable('the guest imports no WASI descriptor functions here');
      const writing = e.kind === 'file' && e.write;
      if (!cx.readable(e.path) || (writing && !cx.writable(e.path)))
        throw snapshotFailure(
          'SNAPSHOT_CAPABILITY_REVOKED',
          what,
          `${writing ? 'fs.write' : 'fs.read'} granted over ${e.path}`,
          'the path lies outside the roots granted here',
          { handle: r.handle, path: e.path },
        );
      if (cx.fds.has(r.handle)) throw unavailable(`descriptor ${r.handle} is taken here (a preopen or stdio)`);
      const o = await Promise.resolve(cx.host.gate.invoke('fs.stat', { path: e.path }));
      if (!o.ok) throw unavailable(`${o.error.code}: ${o.error.message}`);
      const type = (o.value as { type?: string }).type;
      if ((e.kind === 'dir') !== (type === 'directory'))
        throw unavailable(`it is now a ${type ?? 'different entry'}, not a ${e.kind === 'dir' ? 'directory' : 'file'}`);
      cx.fds.set(r.handle, e);
    }
  }

  private strictDenied(importName: string, caps: readonly string[]): FaygerError {
    return new FaygerError({
      code: 'CAPABILITY_DENIED',
      phase: 'link',
      what: `linking ${importName} under the strict link policy`,
      expected: `capability ${caps.join(' or ')} granted`,
      found: 'not granted',
      details: { import: importName, capabilities: caps, instanceId: this.id },
    });
  }

  private gateHost(): GateHost {
    return {
      instanceId: this.id,
      span: this.lifecycle.span,
      bus: this.env.bus,
      events: this.env.events,
      monitor: this.monitor,
      grants: this.grantMap,
      canSuspend: this.canSuspend,
      maxHostCallBytes: this.env.limits?.maxHostCallBytes ?? DEFAULT_MAX_HOST_CALL_BYTES,
      bytesPerFuel: this.env.limits?.bytesPerFuel ?? 64,
      fail: (error) => {
        this.pendingFailure ??= error;
        throw error;
      },
      suspendForQuota: (error) => {
        if (this.state === 'Running') {
          this.lifecycle.transition('Suspended', quotaReason(error), error);
          this.parked();
        }
        return new Promise<void>((r) => this.resumeWaiters.push(r));
      },
      delay: (ms) =>
        new Promise<void>((r) => {
          const h = setTimer(() => {
            this.timers.delete(h);
            r();
          }, ms);
          this.timers.add(h);
        }),
    };
  }

  private guestExit(code: number, gate: HostGate): Maybe<never> {
    this.pendingExit ??= code;
    const stop = (): never => {
      throw new GuestExit(code);
    };
    // Exiting needs no capability; when `app` is granted the adapter is told through app.exit.
    if (!gate.granted('app')) return stop();
    const r = gate.invoke('app.exit', { code: code & 0xff });
    return isThenable(r) ? Promise.resolve(r).then(stop) : stop();
  }

  // ---------------------------------------------------------------- scheduling

  private parked(): void {
    this.env.scheduler.remove(this);
    this.monitor.stopClock();
    if (this.wallTimer !== undefined) clearTimer(this.wallTimer);
    this.wallTimer = undefined;
  }

  private unparked(): void {
    this.monitor.startClock();
    this.armWallTimer();
    const waiters = this.resumeWaiters;
    this.resumeWaiters = [];
    for (const w of waiters) w();
    if (!this.waiting) this.env.scheduler.enqueue(this);
  }

  private armWallTimer(): void {
    if (this.wallTimer !== undefined) clearTimer(this.wallTimer);
    this.wallTimer = undefined;
    const left = this.monitor.wallRemaining();
    if (left === undefined) return;
    this.wallTimer = setTimer(() => {
      this.wallTimer = undefined;
      if ((this.state !== 'Running' && !this.inStart) || this.inSlice) return;
      const d = this.monitor.checkWall();
      // Timers may fire a little early: not yet over means check again at the new remaining time.
      if (d.kind === 'ok') this.armWallTimer();
      else this.apply(d);
    }, Math.max(0, left) + 1);
  }

  /** One scheduler turn: one fuel slice of the current guest call. */
  step(): void {
    if (this.state !== 'Running' || this.waiting || !this.guest) return;
    const delay = this.monitor.fuelDelay();
    if (delay > 0) {
      this.monitor.addThrottled(delay);
      const h = setTimer(() => {
        this.timers.delete(h);
        if (this.state === 'Running' && !this.waiting) this.env.scheduler.enqueue(this);
      }, delay);
      this.timers.add(h);
      return;
    }
    if (!this.call) {
      const name = this.calls.shift();
      if (name === undefined) return this.finish('Terminated', 'entry-returned', undefined, 0);
      this.call = this.guest.call(name, []);
    }
    let budget: number | undefined;
    let quotaBudget: number | undefined;
    let stopCapped = false;
    if (this.canSlice) {
      budget = this.monitor.sliceBudget(this.env.sliceFuel);
      if (budget === 0) {
        const d = this.monitor.afterSlice(0, this.guest.usage() as SliceUsage);
        if (d.kind !== 'ok') return this.apply(d);
        budget = this.env.sliceFuel;
      }
      quotaBudget = budget;
      if (this.stopAtFuel !== undefined) {
        const left = this.stopAtFuel - this.monitor.fuelUsed;
        if (left <= 0) return this.stopAt();
        if (left < budget) {
          budget = left;
          stopCapped = true;
        }
      }
    }
    this.inSlice = true;
    let outcome: ReturnType<GuestCall['run']>;
    try {
      outcome = this.call.run(budget === undefined ? undefined : { fuel: budget });
    } catch (err) {
      outcome = {
        status: 'trapped',
        error: toFaygerError(err, { code: 'INTERNAL', phase: 'run', what: 'running a guest slice' }),
        fuelUsed: 0,
      };
    } finally {
      this.inSlice = false;
    }
    const decision = this.monitor.afterSlice(
      outcome.fuelUsed,
      this.guest.usage() as SliceUsage,
      outcome.status === 'completed',
      quotaBudget !== undefined && quotaBudget < this.env.sliceFuel && !stopCapped && outcome.status === 'suspended',
    );

    if (this.terminateAfterSlice || !this.lifecycle.live) return this.release();

    switch (outcome.status) {
      case 'completed': {
        this.call = undefined;
        // A memory breach in the final slice still counts: the guest went past its quota.
        if (decision.kind === 'fail') return this.apply(decision);
        if (this.calls.length === 0) {
          const v = outcome.values[0];
          return this.finish('Terminated', 'entry-returned', undefined, typeof v === 'number' ? v | 0 : 0);
        }
        break;
      }
      case 'trapped':
        // A limit the slice hit (e.g. a grow refused at the quota, after which the guest trapped) is the cause.
        if (decision.kind === 'fail' && this.pendingExit === undefined && !this.pendingFailure) {
          this.call = undefined;
          return this.apply(decision);
        }
        return this.trapped(outcome.error);
      case 'waiting': {
        this.waiting = true;
        outcome.settled.then(
          () => this.settled(),
          () => this.settled(),
        );
        break;
      }
      case 'suspended':
        break;
    }
    if (decision.kind !== 'ok') return this.apply(decision);
    // Cut short by suspendAt: parked once the stop is reached, or when the next fuel point lies past it.
    if (stopCapped && outcome.status === 'suspended' && this.state === 'Running') {
      if (outcome.fuelUsed === 0 || this.monitor.fuelUsed >= (this.stopAtFuel ?? 0)) return this.stopAt();
    }
    if (this.state === 'Running' && !this.waiting) this.env.scheduler.enqueue(this);
  }

  private settled(): void {
    this.waiting = false;
    if (this.state === 'Running') this.env.scheduler.enqueue(this);
  }

  private trapped(error: FaygerError): void {
    this.call = undefined;
    if (this.pendingExit !== undefined) return this.finish('Terminated', 'guest-exit', undefined, this.pendingExit);
    if (this.pendingFailure) return this.finish('Failed', quotaReason(this.pendingFailure), this.pendingFailure);
    if (error.code === 'TRAP_FUEL_EXHAUSTED') {
      const q = this.monitor.fuelBreach(error);
      if (q) return this.finish('Failed', 'quota:fuel', q);
    }
    if (error.code === 'TRAP_CALL_STACK_EXHAUSTED') {
      const q = this.monitor.callDepthBreach(error);
      if (q) return this.finish('Failed', 'quota:callDepth', q);
    }
    this.finish('Failed', 'guest-trap', error);
  }

  /** The suspendAt stop is reached: Running → Suspended (once; the stop is cleared). */
  private stopAt(): void {
    this.stopAtFuel = undefined;
    if (this.state !== 'Running') return;
    this.lifecycle.transition('Suspended', 'suspend-at-fuel');
    this.parked();
  }

  private apply(d: { kind: 'ok' } | { kind: 'fail' | 'suspend'; error: FaygerError }): void {
    if (d.kind === 'ok' || !this.lifecycle.live) return;
    if (d.kind === 'fail') return this.finish('Failed', quotaReason(d.error), d.error);
    if (this.state === 'Running') {
      this.lifecycle.transition('Suspended', quotaReason(d.error), d.error);
      this.parked();
    }
  }

  // ---------------------------------------------------------------- ending

  /**
   * Ends the instance. `cause` is the transition's reason ("guest-trap", "quota:fuel"…); `closeReason` what the
   * bus is told when the instance is closed there.
   */
  private finish(
    state: 'Terminated' | 'Failed',
    cause: string,
    error?: FaygerError,
    exitCode?: number,
    closeReason?: string,
  ): void {
    if (!this.lifecycle.live) return;
    this.endReason =
      closeReason ??
      (error ? `failed: ${error.code}` : exitCode !== undefined ? `exited with code ${exitCode}` : state);
    if (state === 'Failed') this.failure = error;
    if (exitCode !== undefined) this.exit = exitCode;
    this.lifecycle.transition(state, cause, error);
    if (this.inSlice) this.terminateAfterSlice = true;
    else this.release();
  }

  /** Frees everything the instance holds: guest memory, timers, pending host calls and grants (bus.close). */
  private release(): void {
    if (this.released) return;
    this.released = true;
    this.env.scheduler.remove(this);
    this.monitor.stopClock();
    if (this.wallTimer !== undefined) clearTimer(this.wallTimer);
    this.wallTimer = undefined;
    for (const t of this.timers) clearTimer(t);
    this.timers.clear();
    this.resumeWaiters = [];
    this.call = undefined;
    this.calls.length = 0;
    this.guest?.terminate();
    this.guest = undefined;
    if (this.busOpen) {
      this.busOpen = false;
      Promise.resolve()
        .then(() => this.env.bus.close(this.id, this.endReason))
        .catch(() => undefined);
    }
    this.env.onEnd(this);
    this.resolveDone({
      state: this.state as 'Terminated' | 'Failed',
      exitCode: this.exit,
      error: this.failure,
      usage: this.usage(),
    });
  }
}

/** The `--engine` value of an engine id (snapshot hints). */
function engineFlag(id: string): string {
  return id === 'fayger-transpiler' ? 'transpiler' : id === 'fayger-interpreter' ? 'interpreter' : 'auto';
}
