import {
  FaygerError,
  OP_CAPABILITY,
  toFaygerError,
  validateEvent,
  validateInstruction,
  validateResult,
  type AdapterCallContext,
  type CapabilityGrant,
  type CapabilityName,
  type CapabilityOffer,
  type CapabilityRequest,
  type GrantReport,
  type HostEventInput,
  type HostKind,
  type HostPolicy,
  type InstanceBinding,
  type InstructionBus,
  type OpArgs,
  type OpName,
  type OpResult,
  type PlatformAdapter,
  type UniversalEvent,
  type UniversalEventListener,
  type UniversalInstruction,
  type UniversalResult,
} from '@fayger/contracts';
import { negotiate } from '../negotiate/negotiate.js';
import { QuotaMeter, payloadBytes } from './quota.js';
import { checkScope, filterResult } from './scope-check.js';

/** Something the bus noticed that is not a guest-visible result (an adapter bug, a dropped event). */
export interface BusDiagnostic {
  kind: 'event-invalid' | 'event-dropped' | 'dispose-failed' | 'listener-failed' | 'late-emit';
  instanceId?: string;
  error?: FaygerError;
  message: string;
}

export interface InstructionBusOptions {
  adapter: PlatformAdapter;
  /** The embedder's host policy (default deny). */
  policy: HostPolicy;
  /**
   * Deadline for async calls that carry no `timeoutMs` (ms; 0 disables). timer.sleep and app.poll are exempt
   * (their own arguments bound them), and so are stdio.write and log.write (waiting for a slow reader to drain).
   */
  defaultTimeoutMs?: number;
  /** Validate every adapter result against the op's result schema (default true). */
  validateResults?: boolean;
  /** Events kept per instance for app.poll before the oldest is dropped (default 1024). */
  maxQueuedEvents?: number;
  /** Clock for quota rates, in ms (default performance.now). */
  now?: () => number;
  onDiagnostic?: (d: BusDiagnostic) => void;
}

/** The adapter-core bus: the InstructionBus port plus conveniences for embedders and tests. */
export interface AdapterBus extends InstructionBus {
  readonly adapter: PlatformAdapter;
  /** Dispatches `op` for an instance and unwraps the result: the value, or a thrown FaygerError. */
  call<O extends OpName>(
    instanceId: string,
    op: O,
    args: OpArgs<O>,
    options?: { timeoutMs?: number },
  ): OpResult<O> | Promise<OpResult<O>>;
  /** Pending async calls of one instance (or all). */
  pendingCount(instanceId?: string): number;
  /** The open instance ids. */
  instances(): string[];
  /** Closes every instance, then the adapter. */
  shutdown(): Promise<void>;
}

interface Pending {
  cancel(err: FaygerError): void;
}

interface Instance {
  id: string;
  binding: InstanceBinding;
  grants: Map<CapabilityName, CapabilityGrant>;
  meters: Map<CapabilityName, QuotaMeter>;
  pending: Map<string, Pending>;
  queue: UniversalEvent[];
  pollers: Array<(ev: UniversalEvent) => void>;
  closed: boolean;
  emit(ev: HostEventInput): void;
}

/**
 * Calls the default deadline does not apply to: timer.sleep and app.poll are bounded by their own arguments;
 * stdio.write and log.write wait only for an output stream to drain (backpressure from a slow reader), which is
 * not a failure — the instance's wall-time quota, terminate() and the stream closing (ADAPTER_STREAM_CLOSED)
 * end such a wait.
 */
const EXEMPT_FROM_DEFAULT_TIMEOUT = new Set<string>(['timer.sleep', 'app.poll', 'stdio.write', 'log.write']);

function okResult(id: string, value: unknown): UniversalResult {
  return { v: 1, id, ok: true, value } as UniversalResult;
}
function errResult(id: string, error: FaygerError): UniversalResult {
  return { v: 1, id, ok: false, error: error.toJSON() };
}
function isThenable(v: unknown): v is PromiseLike<unknown> {
  return (
    v !== null &&
    (typeof v === 'object' || typeof v === 'function') &&
    typeof (v as { then?: unknown }).then === 'function'
  );
}

/** Turns a Universal_Result into its value, or throws the FaygerError it carries. */
export function unwrapResult<O extends OpName>(result: UniversalResult<O>): OpResult<O> {
  if (result.ok) return result.value;
  const e = FaygerError.fromJSON(result.error);
  throw e;
}

// Hosts without these globals (Hermes 0.12 has neither performance nor queueMicrotask): fall back to
// Date.now and a resolved promise, which give the same ordering guarantees the bus relies on.
const hostGlobals = globalThis as { performance?: { now?(): number }; queueMicrotask?: (fn: () => void) => void };
function hostMonotonic(): () => number {
  const perf = hostGlobals.performance;
  return typeof perf?.now === 'function' ? () => perf.now!() : () => Date.now();
}
function microtask(fn: () => void): void {
  if (typeof hostGlobals.queueMicrotask === 'function') hostGlobals.queueMicrotask(fn);
  else void Promise.resolve().then(fn);
}
class Bus implements AdapterBus {
  readonly adapter: PlatformAdapter;
  private readonly policy: HostPolicy;
  private readonly defaultTimeoutMs: number;
  private readonly validateResults: boolean;
  private readonly maxQueued: number;
  private readonly now: () => number;
  private readonly diag: (d: BusDiagnostic) => void;
  private readonly open_ = new Map<string, Instance>();
  private readonly listeners = new Map<string, Set<UniversalEventListener>>();
  private seq = 0;

  constructor(o: InstructionBusOptions) {
    this.adapter = o.adapter;
    this.policy = o.policy;
    this.defaultTimeoutMs = o.defaultTimeoutMs ?? 120_000;
    this.validateResults = o.validateResults ?? true;
    this.maxQueued = o.maxQueuedEvents ?? 1024;
    this.now = o.now ?? hostMonotonic();
    this.diag = o.onDiagnostic ?? (() => {});
  }

  get adapterId(): string {
    return this.adapter.id;
  }
  get hostKind(): HostKind {
    return this.adapter.hostKind;
  }

  available(): readonly CapabilityOffer[] {
    return withBusServedOffers(this.adapter.available());
  }

  negotiate(requested: readonly CapabilityRequest[]): GrantReport {
    return negotiate(requested, this.available(), this.policy, { adapterId: this.adapter.id });
  }

  open(binding: InstanceBinding): void {
    const id = binding?.instanceId;
    if (typeof id !== 'string' || id.length === 0 || id.length > 128) {
      throw new FaygerError({
        code: 'INVALID_ARGUMENT',
        phase: 'open',
        what: 'opening an instance on the bus',
        expected: 'an instanceId of 1..128 characters',
        found: typeof id === 'string' ? `${id.length} characters` : typeof id,
      });
    }
    if (this.open_.has(id)) {
      throw new FaygerError({
        code: 'ADAPTER_INSTANCE_EXISTS',
        phase: 'open',
        what: `opening instance ${id}`,
        expected: 'a fresh instance id',
        found: `${id} already open`,
        details: { instanceId: id },
      });
    }
    const list = Array.isArray(binding.grants) ? binding.grants : (binding.grants as GrantReport).granted;
    const grants = new Map<CapabilityName, CapabilityGrant>();
    const meters = new Map<CapabilityName, QuotaMeter>();
    for (const g of list) {
      grants.set(g.name, g);
      meters.set(g.name, new QuotaMeter(g.name, g.quota, this.now));
    }
    const inst: Instance = {
      id,
      binding,
      grants,
      meters,
      pending: new Map(),
      queue: [],
      pollers: [],
      closed: false,
      emit: (ev) => this.deliver(inst, ev),
    };
    this.open_.set(id, inst);
  }

  instances(): string[] {
    return [...this.open_.keys()];
  }

  pendingCount(instanceId?: string): number {
    if (instanceId !== undefined) return this.open_.get(instanceId)?.pending.size ?? 0;
    let n = 0;
    for (const i of this.open_.values()) n += i.pending.size;
    return n;
  }

  subscribe(instanceId: string, listener: UniversalEventListener): () => void {
    let set = this.listeners.get(instanceId);
    if (!set) this.listeners.set(instanceId, (set = new Set()));
    set.add(listener);
    return () => {
      set!.delete(listener);
    };
  }

  private deliver(inst: Instance, input: HostEventInput): void {
    if (inst.closed) {
      this.diag({
        kind: 'late-emit',
        instanceId: inst.id,
        message: `event ${input?.type} after instance ${inst.id} closed was dropped`,
      });
      return;
    }
    let ev: UniversalEvent;
    try {
      ev = validateEvent({
        v: 1,
        type: input?.type,
        instanceId: inst.id,
        time: input?.time ?? Date.now(),
        data: input?.data,
      });
    } catch (e) {
      this.diag({
        kind: 'event-invalid',
        instanceId: inst.id,
        error: toFaygerError(e, { code: 'EVENT_INVALID' }),
        message: `adapter ${this.adapter.id} emitted an invalid event`,
      });
      return;
    }
    for (const l of this.listeners.get(inst.id) ?? []) {
      try {
        l(ev);
      } catch (e) {
        this.diag({
          kind: 'listener-failed',
          instanceId: inst.id,
          error: toFaygerError(e, { code: 'INTERNAL', what: 'an event listener' }),
          message: 'an event listener threw',
        });
      }
    }
    if (!inst.grants.has('app')) return;
    const poller = inst.pollers.shift();
    if (poller) {
      poller(ev);
      return;
    }
    inst.queue.push(ev);
    if (inst.queue.length > this.maxQueued) {
      const dropped = inst.queue.shift()!;
      this.diag({
        kind: 'event-dropped',
        instanceId: inst.id,
        message: `event queue full (${this.maxQueued}); dropped the oldest ${dropped.type} event`,
      });
    }
  }

  call<O extends OpName>(
    instanceId: string,
    op: O,
    args: OpArgs<O>,
    options: { timeoutMs?: number } = {},
  ): OpResult<O> | Promise<OpResult<O>> {
    const ins: UniversalInstruction = { v: 1, id: `call-${++this.seq}`, op, args, instanceId } as UniversalInstruction;
    if (options.timeoutMs !== undefined) ins.timeoutMs = options.timeoutMs;
    const r = this.dispatch(ins);
    return isThenable(r)
      ? (r as Promise<UniversalResult<O>>).then(unwrapResult)
      : unwrapResult(r as UniversalResult<O>);
  }

  dispatch(raw: UniversalInstruction, instanceId?: string): UniversalResult | Promise<UniversalResult> {
    const rawId = (raw as { id?: unknown } | null)?.id;
    let id = typeof rawId === 'string' ? rawId : '';
    let ins: UniversalInstruction;
    let inst: Instance;
    let grant: CapabilityGrant;
    let meter: QuotaMeter;
    try {
      if (instanceId !== undefined && raw && typeof raw === 'object' && raw.instanceId === undefined) {
        raw = { ...raw, instanceId };
      }
      ins = validateInstruction(raw);
      id = ins.id;
      const iid = ins.instanceId;
      if (instanceId !== undefined && iid !== instanceId) {
        throw new FaygerError({
          code: 'INSTRUCTION_INVALID',
          phase: ins.op,
          what: 'routing an instruction',
          expected: `instanceId ${instanceId}`,
          found: String(iid),
          details: { field: '/instanceId' },
        });
      }
      const found = iid === undefined ? undefined : this.open_.get(iid);
      if (!found) {
        throw new FaygerError({
          code: 'ADAPTER_INSTANCE_UNKNOWN',
          phase: ins.op,
          what: `routing ${ins.op}`,
          expected: 'an instance opened on this bus',
          found: iid === undefined ? 'no instanceId' : `instance ${iid}`,
          details: { instanceId: iid },
        });
      }
      inst = found;
      if (inst.pending.has(id)) {
        throw new FaygerError({
          code: 'INSTRUCTION_INVALID',
          phase: ins.op,
          what: 'correlating an instruction',
          expected: 'an id not used by a pending call of this instance',
          found: JSON.stringify(id),
          details: { field: '/id' },
        });
      }
      const capability = OP_CAPABILITY[ins.op];
      const g = inst.grants.get(capability);
      if (!g) {
        throw new FaygerError({
          code: 'CAPABILITY_DENIED',
          phase: ins.op,
          message: `${ins.op} needs capability "${capability}", which is not granted to instance ${inst.id} (granted: ${[...inst.grants.keys()].join(', ') || 'none'}). Request "${capability}" in the manifest and make sure the host policy and the ${this.adapter.id} adapter allow it.`,
          details: { op: ins.op, capability, instanceId: inst.id, granted: [...inst.grants.keys()] },
        });
      }
      grant = g;
      meter = inst.meters.get(capability)!;
      const short = checkScope(ins, grant);
      meter.chargeCall(ins.op, payloadBytes(ins.args));
      if (short) return okResult(id, short.value);
    } catch (e) {
      return errResult(
        id,
        toFaygerError(e, { code: 'INTERNAL', phase: 'dispatch', what: 'dispatching an instruction' }),
      );
    }
    return this.run(ins, inst, grant, meter);
  }

  private finishValue(
    ins: UniversalInstruction,
    grant: CapabilityGrant,
    meter: QuotaMeter,
    value: unknown,
  ): UniversalResult {
    try {
      const v = filterResult(ins, grant, value);
      if (this.validateResults) validateResult(ins.op, v);
      meter.chargeResult(ins.op, payloadBytes(v));
      return okResult(ins.id, v);
    } catch (e) {
      return errResult(ins.id, toFaygerError(e, { code: 'INTERNAL', phase: ins.op }));
    }
  }

  private wrapAdapterError(ins: UniversalInstruction, e: unknown): FaygerError {
    return toFaygerError(e, {
      code: 'ADAPTER_IO_FAILED',
      phase: ins.op,
      what: `the ${this.adapter.id} adapter handling ${ins.op}`,
    });
  }

  private run(
    ins: UniversalInstruction,
    inst: Instance,
    grant: CapabilityGrant,
    meter: QuotaMeter,
  ): UniversalResult | Promise<UniversalResult> {
    const controller = new AbortController();
    const ctx: AdapterCallContext = {
      instanceId: inst.id,
      callId: ins.id,
      capability: grant.name,
      grant,
      scope: grant.scope,
      grants: inst.grants,
      remaining: meter.remaining(),
      signal: controller.signal,
      emit: inst.emit,
    };
    let out: unknown;
    try {
      out = ins.op.startsWith('app.') ? this.handleApp(ins, inst, ctx) : this.adapter.handle(ins, ctx);
    } catch (e) {
      return errResult(ins.id, this.wrapAdapterError(ins, e));
    }
    if (!isThenable(out)) return this.finishValue(ins, grant, meter, out);

    const timeoutMs = ins.timeoutMs ?? (EXEMPT_FROM_DEFAULT_TIMEOUT.has(ins.op) ? 0 : this.defaultTimeoutMs);
    return new Promise<UniversalResult>((resolve) => {
      let done = false;
      let timer: ReturnType<typeof setTimeout> | undefined;
      const finish = (r: UniversalResult): void => {
        if (done) return;
        done = true;
        if (timer !== undefined) clearTimeout(timer);
        inst.pending.delete(ins.id);
        resolve(r);
      };
      const fail = (err: FaygerError): void => {
        if (done) return;
        controller.abort(err);
        finish(errResult(ins.id, err));
      };
      inst.pending.set(ins.id, { cancel: fail });
      if (timeoutMs > 0) {
        timer = setTimeout(
          () =>
            fail(
              new FaygerError({
                code: 'ADAPTER_TIMEOUT',
                phase: ins.op,
                what: `${ins.op} on the ${this.adapter.id} adapter`,
                expected: `an answer within ${timeoutMs} ms`,
                found: 'no answer',
                details: { op: ins.op, callId: ins.id, instanceId: inst.id, timeoutMs },
              }),
            ),
          timeoutMs,
        );
      }
      (out as PromiseLike<unknown>).then(
        (v) => finish(this.finishValue(ins, grant, meter, v)),
        (e) => finish(errResult(ins.id, this.wrapAdapterError(ins, e))),
      );
    });
  }

  private handleApp(ins: UniversalInstruction, inst: Instance, ctx: AdapterCallContext): unknown {
    switch (ins.op) {
      case 'app.info':
        return {
          id: inst.binding.app?.id ?? inst.id,
          version: inst.binding.app?.version ?? '0.0.0',
          host: this.adapter.hostKind,
          capabilities: [...inst.grants.keys()],
        };
      case 'app.exit': {
        const code = (ins.args as { code: number }).code;
        const cb = inst.binding.onExit;
        if (cb) microtask(() => cb(code));
        return {};
      }
      case 'app.poll': {
        const queued = inst.queue.shift();
        if (queued) return { event: queued };
        const timeoutMs = (ins.args as { timeoutMs?: number }).timeoutMs;
        if (timeoutMs === 0) return { event: null };
        return new Promise((resolve) => {
          let timer: ReturnType<typeof setTimeout> | undefined;
          const take = (ev: UniversalEvent | null): void => {
            if (timer !== undefined) clearTimeout(timer);
            const i = inst.pollers.indexOf(take);
            if (i >= 0) inst.pollers.splice(i, 1);
            resolve({ event: ev });
          };
          inst.pollers.push(take);
          if (timeoutMs !== undefined) timer = setTimeout(() => take(null), timeoutMs);
          ctx.signal.addEventListener('abort', () => {
            if (timer !== undefined) clearTimeout(timer);
            const i = inst.pollers.indexOf(take);
            if (i >= 0) inst.pollers.splice(i, 1);
          });
        });
      }
      default:
        throw new FaygerError({
          code: 'ADAPTER_UNSUPPORTED_OP',
          phase: ins.op,
          what: `routing ${ins.op}`,
          expected: 'app.info, app.poll or app.exit',
          found: ins.op,
        });
    }
  }

  async close(instanceId: string, reason = 'instance terminated'): Promise<void> {
    const inst = this.open_.get(instanceId);
    if (!inst) return;
    inst.closed = true;
    this.open_.delete(instanceId);
    const err = new FaygerError({
      code: 'ADAPTER_CANCELLED',
      phase: 'close',
      what: `a pending call of instance ${instanceId}`,
      expected: 'the call to complete',
      found: reason,
      details: { instanceId, reason },
    });
    for (const p of [...inst.pending.values()]) p.cancel(err);
    inst.pollers.length = 0;
    inst.queue.length = 0;
    this.listeners.delete(instanceId);
    try {
      await this.adapter.dispose(instanceId);
    } catch (e) {
      this.diag({
        kind: 'dispose-failed',
        instanceId,
        error: toFaygerError(e, { code: 'ADAPTER_IO_FAILED', what: `disposing instance ${instanceId}` }),
        message: 'adapter dispose failed',
      });
    }
  }

  async shutdown(): Promise<void> {
    for (const id of [...this.open_.keys()]) await this.close(id, 'bus shut down');
    await this.adapter.close?.();
  }
}

/** Creates the Universal_Instruction bus for one adapter under one host policy. */
/**
 * What a host offers once the bus is in front of its adapter: the adapter's offers plus `app` (app.info,
 * app.poll, app.exit), which the bus serves itself on every host. Adapters that negotiate on their own (e.g.
 * after asking the user) must negotiate against this, or a UI app would never be granted its event loop.
 */
export function withBusServedOffers(offers: readonly CapabilityOffer[]): CapabilityOffer[] {
  const all = [...offers];
  if (!all.some((o) => o.name === 'app')) all.push({ name: 'app' });
  return all;
}

export function createInstructionBus(options: InstructionBusOptions): AdapterBus {
  if (!options || typeof options.adapter?.handle !== 'function') {
    throw new FaygerError({
      code: 'ADAPTER_INVALID',
      phase: 'create-bus',
      what: 'creating the instruction bus',
      expected: 'options.adapter implementing PlatformAdapter',
      found: typeof options?.adapter,
    });
  }
  return new Bus(options);
}
