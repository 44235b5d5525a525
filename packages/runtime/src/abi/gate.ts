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
  /** Bytes of guest memory one host call may reference, checked before copying (RUNTIME_HOST_CALL_TOO_LARGE). */
  readonly maxHostCallBytes: number;
  /** Host-call payload bytes per unit of fuel charged. */
  readonly bytesPerFuel: number;
  /** Ends the instance as Failed with `error`; throws (never returns) so the guest stops at once. */
  fail(error: FaygerError): never;
  /** Parks the instance in Suspended for a quota breach; resolves when it is resumed. */
  suspendForQuota(error: FaygerError): Promise<void>;
  /** Resolves after `ms` (cancelled timers never resolve: the instance is gone). */
  delay(ms: number): Promise<void>;
}

let nextCall = 0;

function tooLarge(op: string, bytes: number, cap: number): FaygerError {
  return new FaygerError({
    code: 'RUNTIME_HOST_CALL_TOO_LARGE',
    phase: op,
    what: `guest call ${op}`,
    expected: `at most ${cap} bytes of guest memory referenced by one call`,
    found: `${bytes} bytes`,
    hint: 'Split the data into several calls; the embedder can raise limits.maxHostCallBytes.',
    details: { op, bytes, cap },
  });
}

/**
 * JSON values (objects, arrays, members, elements) one fayger.call's arguments may hold: counted in one pass
 * over the bytes before they are parsed, so a few MB of `{},{},…` cannot become millions of host objects. Bulk
 * data travels as {"$mem":[ptr,len]} (one value), so real calls stay far below it.
 */
export const MAX_HOST_CALL_JSON_VALUES = 100_000;

function tooManyValues(op: string, values: number, cap: number): FaygerError {
  return new FaygerError({
    code: 'RUNTIME_HOST_CALL_TOO_LARGE',
    phase: op,
    what: `guest call ${op}`,
    expected: `at most ${cap} JSON values in one call's arguments`,
    found: `more than ${values - 1}`,
    hint: 'Pass bulk data as {"$mem":[ptr,len]} or split it into several calls.',
    details: { op, values, cap },
  });
}

/**
 * Counts the JSON values in UTF-8 `bytes` (each `{`, `[`, `,` and `:` outside strings), stopping at `cap + 1`.
 * An upper bound on the objects a parse would create, found without allocating.
 */
export function countJsonValues(bytes: Uint8Array, cap: number): number {
  let n = 1;
  let inString = false;
  for (let i = 0; i < bytes.length; i++) {
    const c = bytes[i];
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped byte
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b || c === 0x2c || c === 0x3a) {
      if (++n > cap) return n;
    }
  }
  return n;
}

/** Codes that mean "refused" rather than "ran and failed": reported as instruction.denied. */
const DENIAL_CODES = new Set([
  'CAPABILITY_DENIED',
  'CAPABILITY_SCOPE_DENIED',
  'CAPABILITY_QUOTA_EXCEEDED',
  'QUOTA_HOST_CALL_RATE_EXCEEDED',
  'QUOTA_OUTPUT_EXCEEDED',
  'RUNTIME_HOST_CALL_TOO_LARGE',
  'WASI_PATH_OUTSIDE_ROOT',
]);

/** Ops whose payload is guest output, counted against the outputBytes quota. */
const OUTPUT_OPS: ReadonlySet<string> = new Set(['stdio.write', 'log.write']);

/** Bytes of guest output an instruction carries (stdio data, log message text). */
function outputBytesOf(op: string, args: object): number {
  if (op === 'stdio.write') return countBytes(args);
  const m = (args as { message?: unknown }).message;
  return typeof m === 'string' ? m.length : 0;
}

/** A host error that ends the instance rather than being handed to the guest (the guest's output is gone). */
const FATAL_HOST_CODES: ReadonlySet<string> = new Set(['ADAPTER_STREAM_CLOSED']);

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
  /** The op (and its capability) of the last instruction that answered with a promise (snapshots' pending op). */
  lastAsync: { op: string; capability: string } | undefined;

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
    const bytesOut = countBytes(args);
    if (bytesOut > this.host.maxHostCallBytes) {
      const error = tooLarge(op, bytesOut, this.host.maxHostCallBytes);
      this.reportDenied(op, capability, `${this.host.instanceId}:${++nextCall}`, error.code, error.message);
      return { ok: false, error: errorData(error) };
    }
    if (OUTPUT_OPS.has(op)) {
      const d = this.host.monitor.chargeOutput(outputBytesOf(op, args));
      if (d.kind === 'fail') return this.host.fail(d.error);
      if (d.kind !== 'ok') {
        const error = (d as { error: FaygerError }).error;
        this.reportDenied(op, capability, `${this.host.instanceId}:${++nextCall}`, error.code, error.message);
        return { ok: false, error: errorData(error) };
      }
    }
    const r = this.admit(op, args, capability, bytesOut);
    if (isThenable(r)) this.lastAsync = { op, capability };
    return r;
  }

  /** Charges work proportional to `bytes` (payload copied for the guest) as fuel; a fuel breach ends the guest. */
  chargeBytes(bytes: number): void {
    if (bytes <= 0) return;
    const d = this.host.monitor.chargeFuel(Math.ceil(bytes / this.host.bytesPerFuel));
    if (d.kind !== 'ok') this.host.fail(d.error);
  }

  /** Refuses a host call referencing more than the per-call cap, before anything is copied. */
  refuseTooLarge(op: string, bytes: number): FaygerErrorData {
    const error = tooLarge(op, bytes, this.host.maxHostCallBytes);
    this.reportDenied(
      op,
      OP_CAPABILITY[op as OpName] ?? null,
      `${this.host.instanceId}:${++nextCall}`,
      error.code,
      error.message,
    );
    return errorData(error);
  }

  /** Refuses a fayger.call whose JSON arguments hold more values than MAX_HOST_CALL_JSON_VALUES, before parsing. */
  refuseTooManyValues(op: string, values: number): FaygerErrorData {
    const error = tooManyValues(op, values, MAX_HOST_CALL_JSON_VALUES);
    this.reportDenied(
      op,
      OP_CAPABILITY[op as OpName] ?? null,
      `${this.host.instanceId}:${++nextCall}`,
      error.code,
      error.message,
    );
    return errorData(error);
  }

  get maxHostCallBytes(): number {
    return this.host.maxHostCallBytes;
  }

  /** Publishes instruction.denied for a call refused before (or by) the bus. */
  reportDenied(
    op: string,
    capability: string | null,
    correlationId: string,
    code: string,
    reason: string,
    span?: EventSpan,
  ): void {
    publish(
      this.host.events,
      'instruction.denied',
      () => ({
        op,
        capability: capability as CapabilityName | null,
        instanceId: this.host.instanceId,
        correlationId,
        code,
        reason,
      }),
      (span ?? openEventSpan(undefined, this.host.span)).meta({ instanceId: this.host.instanceId, phase: op }),
    );
  }

  private admit(op: OpName, args: object, capability: string, bytesOut: number): Maybe<Outcome> {
    const d = this.host.monitor.beforeCall(capability, bytesOut);
    switch (d.kind) {
      case 'ok':
        this.chargeBytes(bytesOut);
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
        () => ({
          op,
          capability: capability as CapabilityName,
          instanceId: this.host.instanceId,
          correlationId: id,
          mode: OP_CATALOGUE[op].mode,
        }),
        span
          ? span.meta({ instanceId: this.host.instanceId, phase: op })
          : { instanceId: this.host.instanceId, phase: op },
      );
    }
    let r: UniversalResult | Promise<UniversalResult>;
    try {
      r = this.host.bus.dispatch(instruction as Parameters<InstructionBus['dispatch']>[0], this.host.instanceId);
    } catch (err) {
      // The bus contract says dispatch never throws; a bus that does is reported, not propagated into the guest.
      return {
        ok: false,
        error: errorData(
          new FaygerError({ code: 'INTERNAL', phase: op, what: `dispatching ${op}`, found: String(err), cause: err }),
        ),
      };
    }
    if (isThenable<UniversalResult>(r)) {
      if (!this.host.canSuspend) return { ok: false, error: errorData(this.cannotWait(op)) };
      return Promise.resolve(r).then(
        (res) => this.finish(res, op, capability, id, t0, traced, span),
        (err: unknown) => ({
          ok: false as const,
          error: errorData(
            new FaygerError({ code: 'INTERNAL', phase: op, what: `dispatching ${op}`, found: String(err), cause: err }),
          ),
        }),
      );
    }
    return this.finish(r, op, capability, id, t0, traced, span);
  }

  private finish(
    r: UniversalResult,
    op: string,
    capability: string,
    id: string,
    t0: number,
    traced: boolean,
    span?: EventSpan,
  ): Outcome {
    if (traced) {
      if (!r.ok && DENIAL_CODES.has(r.error.code))
        this.reportDenied(op, capability, id, r.error.code, r.error.message, span);
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
          span
            ? span.meta({ instanceId: this.host.instanceId, phase: op })
            : { instanceId: this.host.instanceId, phase: op },
        );
      }
    }
    if (r.ok) {
      const bytesIn = countBytes(r.value);
      this.host.monitor.afterCall(capability, bytesIn);
      this.chargeBytes(bytesIn);
      return { ok: true, value: r.value };
    }
    if (FATAL_HOST_CODES.has(r.error.code)) return this.host.fail(FaygerError.fromJSON(r.error));
    return { ok: false, error: r.error };
  }
}
