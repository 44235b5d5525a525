import {
  FaygerError,
  OP_CAPABILITY,
  OP_CATALOGUE,
  openEventSpan,
  type CapabilityGrant,
  type EventSpan,
  type SpanRef,
  type CapabilityName,
  type EventSink,
  type FaygerErrorData,
  type InstructionBus,
  type OpName,
  type UniversalResult,
} from '@fayger/contracts';
import { monotonicNow } from '../host-globals.js';
import { publish } from '../lifecycle.js';
import type { ResourceMonitor } from '../monitor.js';

/** The outcome of one host call as the ABI sees it. */
export type Outcome = { ok: true; value: unknown } | { ok: false; error: FaygerErrorData };

export type Maybe<T> = T | Promise<T>;

export function isThenable<T>(v: unknown): v is PromiseLike<T> {
  return typeof (v as { then?: unknown } | null)?.then === 'function';
}

/** Applies `f` now when `v` is a value, after it settles when it is a promise: sync ops stay sync. */
export function andThen<T, R>(v: Maybe<T> | PromiseLike<T>, f: (t: T) => Maybe<R>): Maybe<R> {
  return isThenable<T>(v) ? Promise.resolve(v).then(f) : f(v as T);
}

/** What a gate needs from its instance. */
export interface GateHost {
  readonly instanceId: string;
  /** The instance's span: each host call's events form a child span of it. */
  readonly span?: SpanRef;
  readonly bus: InstructionBus;
  readonly events: EventSink | undefined;
  readonly monitor: ResourceMonitor;
  readonly grants: ReadonlyMap<string, CapabilityGrant>;
  /** False when the implementation cannot suspend: a host call may then not wait. */
  readonly canSuspend: boolean;
  /** Ends the instance as Failed with `error`; throws (never returns) so the guest stops at once. */
  fail(error: FaygerError): never;
  /** Parks the instance in Suspended for a quota breach; resolves when it is resumed. */
  suspendForQuota(error: FaygerError): Promise<void>;
  /** Resolves after `ms` (cancelled timers never resolve: the instance is gone). */
  delay(ms: number): Promise<void>;
}

let nextCall = 0;

/** Codes that mean "refused" rather than "ran and failed": reported as instruction.denied. */
const DENIAL_CODES = new Set(['CAPABILITY_DENIED', 'CAPABILITY_SCOPE_DENIED', 'CAPABILITY_QUOTA_EXCEEDED', 'QUOTA_HOST_CALL_RATE_EXCEEDED', 'WASI_PATH_OUTSIDE_ROOT']);

export function errorData(err: FaygerError): FaygerErrorData {
  return err.toJSON();
}

export function denied(op: string, capability: string, instanceId: string): FaygerError {
  return new FaygerError({
    code: 'CAPABILITY_DENIED',
    phase: op,
    what: `guest call ${op}`,
    expected: `capability ${capability} granted to instance ${instanceId}`,
    found: 'not granted (default deny)',
    hint: `Request "${capability}" in the manifest; the host policy and the adapter must allow it.`,
    details: { op, capability, instanceId },
  });
}

/** Counts the bytes fields of an instruction's args or a result value (for the capability bytes quota). */
export function countBytes(v: unknown, depth = 0): number {
  if (v instanceof Uint8Array) return v.byteLength;
  if (depth > 8 || v === null || typeof v !== 'object') return 0;
  let n = 0;
  for (const x of Array.isArray(v) ? v : Object.values(v as Record<string, unknown>)) n += countBytes(x, depth + 1);
  return n;
}

/**
 * The one path from a guest ABI call to the adapter layer: default-deny capability check, resource monitor
 * (quotas, rates, throttling), then exactly one Universal_Instruction dispatched on the bus. Returns a value
 * when the bus answers at once, a Promise otherwise (the implementation then suspends the guest).
 */
export class HostGate {
  constructor(private readonly host: GateHost) {}

  granted(capability: string): boolean {
    return this.host.grants.has(capability);
  }

  invoke(op: OpName, args: object): Maybe<Outcome> {
    const capability = OP_CAPABILITY[op];
    if (!this.granted(capability)) {
      this.host.monitor.recordDenied(capability);
      const error = denied(op, capability, this.host.instanceId);
      this.reportDenied(op, capability, `${this.host.instanceId}:${++nextCall}`, error.code, error.message);
      return { ok: false, error: errorData(error) };
    }
    return this.admit(op, args, capability, countBytes(args));
  }

  /** Publishes instruction.denied for a call refused before (or by) the bus. */
  reportDenied(op: string, capability: string | null, correlationId: string, code: string, reason: string, span?: EventSpan): void {
    publish(
      this.host.events,
      'instruction.denied',
      () => ({ op, capability: capability as CapabilityName | null, instanceId: this.host.instanceId, correlationId, code, reason }),
      (span ?? openEventSpan(undefined, this.host.span)).meta({ instanceId: this.host.instanceId, phase: op }),
    );
  }

  private admit(op: OpName, args: object, capability: string, bytesOut: number): Maybe<Outcome> {
    const d = this.host.monitor.beforeCall(capability, bytesOut);
    switch (d.kind) {
      case 'ok':
        return this.dispatch(op, args, capability);
      case 'deny':
        this.reportDenied(op, capability, `${this.host.instanceId}:${++nextCall}`, d.error.code, d.error.message);
        return { ok: false, error: errorData(d.error) };
      case 'fail':
        return this.host.fail(d.error);
      case 'suspend':
        if (!this.host.canSuspend) return this.host.fail(d.error);
        return this.host.suspendForQuota(d.error).then(() => this.admit(op, args, capability, bytesOut));
      case 'delay': {
        if (!this.host.canSuspend) return { ok: false, error: errorData(this.cannotWait(op)) };
        const ms = d.ms;
        this.host.monitor.addThrottled(ms);
        return this.host.delay(ms).then(() => this.admit(op, args, capability, bytesOut));
      }
    }
  }

  private cannotWait(op: string): FaygerError {
    return new FaygerError({
      code: 'RUNTIME_ASYNC_UNSUPPORTED',
      phase: op,
      what: `guest call ${op}`,
      expected: 'an implementation that can suspend the guest while the host answers',
      found: 'a host answer (or a throttle) that needs waiting',
    });
  }

  private dispatch(op: OpName, args: object, capability: string): Maybe<Outcome> {
    const id = `${this.host.instanceId}:${++nextCall}`;
    const instruction = { v: 1 as const, id, op, args, instanceId: this.host.instanceId };
    const events = this.host.events;
    const traced = events !== undefined && events.wants?.('instruction.completed') !== false;
    const t0 = traced ? monotonicNow() : 0;
    // The call's span (dispatched … completed | denied), a child of the instance's; made only when traced.
    const span = traced ? openEventSpan(undefined, this.host.span) : undefined;
    if (events) {
      publish(
        events,
        'instruction.dispatched',
        () => ({ op, capability: capability as CapabilityName, instanceId: this.host.instanceId, correlationId: id, mode: OP_CATALOGUE[op].mode }),
        span ? span.meta({ instanceId: this.host.instanceId, phase: op }) : { instanceId: this.host.instanceId, phase: op },
      );
    }
    let r: UniversalResult | Promise<UniversalResult>;
    try {
      r = this.host.bus.dispatch(instruction as Parameters<InstructionBus['dispatch']>[0], this.host.instanceId);
    } catch (err) {
      // The bus contract says dispatch never throws; a bus that does is reported, not propagated into the guest.
      return { ok: false, error: errorData(new FaygerError({ code: 'INTERNAL', phase: op, what: `dispatching ${op}`, found: String(err), cause: err })) };
    }
    if (isThenable<UniversalResult>(r)) {
      if (!this.host.canSuspend) return { ok: false, error: errorData(this.cannotWait(op)) };
      return Promise.resolve(r).then(
        (res) => this.finish(res, op, capability, id, t0, traced, span),
        (err: unknown) => ({ ok: false as const, error: errorData(new FaygerError({ code: 'INTERNAL', phase: op, what: `dispatching ${op}`, found: String(err), cause: err })) }),
      );
    }
    return this.finish(r, op, capability, id, t0, traced, span);
  }

  private finish(r: UniversalResult, op: string, capability: string, id: string, t0: number, traced: boolean, span?: EventSpan): Outcome {
    if (traced) {
      if (!r.ok && DENIAL_CODES.has(r.error.code)) this.reportDenied(op, capability, id, r.error.code, r.error.message, span);
      else {
        publish(
          this.host.events,
          'instruction.completed',
          () => ({
            op,
            capability: capability as CapabilityName,
            instanceId: this.host.instanceId,
            correlationId: id,
            durationMs: monotonicNow() - t0,
            ok: r.ok,
            ...(r.ok ? {} : { errorCode: r.error.code }),
          }),
          span ? span.meta({ instanceId: this.host.instanceId, phase: op }) : { instanceId: this.host.instanceId, phase: op },
        );
      }
    }
    if (r.ok) {
      this.host.monitor.afterCall(capability, countBytes(r.value));
      return { ok: true, value: r.value };
    }
    return { ok: false, error: r.error };
  }
}
