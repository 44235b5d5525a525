import {
  FaygerError,
  type CapabilityGrant,
  type CapabilityName,
  type CapabilityQuota,
  type CapabilityUsage,
  type ErrorCode,
  type EventSink,
  type HostPolicy,
  type LifecycleState,
  type QuotaResource,
  type ResourceUsage,
} from '@fayger/contracts';
import { monotonicNow } from './host-globals.js';
import { publish } from './lifecycle.js';
import type { EffectiveLimits, LimitAction, LimitedResource, RuntimeLimits } from './types.js';

type ResourceName = LimitedResource;
type QuotaAction = LimitAction;

/** How each limited resource is named in quota events (the event model's QuotaResource). */
export const QUOTA_RESOURCE_OF: Readonly<Record<LimitedResource, QuotaResource>> = {
  fuel: 'fuel',
  memoryPages: 'memory',
  wallTimeMs: 'wall-time',
  callDepth: 'stack-depth',
  tableElements: 'table-elements',
  hostCallsPerSecond: 'rate',
  outputBytes: 'output',
  fuelPerSecond: 'rate',
  'capability.calls': 'calls',
  'capability.bytes': 'bytes',
  'capability.rate': 'rate',
};

export const DEFAULT_LIMIT_ACTIONS: Readonly<Record<ResourceName, QuotaAction>> = {
  fuel: 'fail',
  memoryPages: 'fail',
  wallTimeMs: 'fail',
  callDepth: 'fail',
  tableElements: 'fail',
  hostCallsPerSecond: 'throttle',
  outputBytes: 'fail',
  fuelPerSecond: 'throttle',
  'capability.calls': 'deny',
  'capability.bytes': 'deny',
  'capability.rate': 'throttle',
};

/** Actions that make sense per resource (e.g. a lifetime total cannot be throttled). */
export const ALLOWED_LIMIT_ACTIONS: Readonly<Record<ResourceName, readonly QuotaAction[]>> = {
  fuel: ['fail', 'suspend'],
  memoryPages: ['fail', 'throttle'],
  wallTimeMs: ['fail', 'suspend'],
  callDepth: ['fail'],
  tableElements: ['fail', 'throttle'],
  hostCallsPerSecond: ['throttle', 'deny', 'fail', 'suspend'],
  outputBytes: ['fail', 'deny', 'suspend'],
  fuelPerSecond: ['throttle'],
  'capability.calls': ['deny', 'fail', 'suspend'],
  'capability.bytes': ['deny', 'fail', 'suspend'],
  'capability.rate': ['throttle', 'deny', 'fail', 'suspend'],
};

const min = (a: number | undefined, b: number | undefined): number | undefined =>
  a === undefined ? b : b === undefined ? a : Math.min(a, b);

/** Continuous token bucket; burst is one second's worth (at least one token). */
class TokenBucket {
  private tokens: number;
  private last = monotonicNow();
  constructor(
    private rate: number,
    private readonly burst = Math.max(1, rate),
  ) {
    this.tokens = this.burst;
  }
  setRate(rate: number): void {
    this.refill();
    this.rate = rate;
  }
  private refill(): void {
    const now = monotonicNow();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.rate);
    this.last = now;
  }
  /** Milliseconds until `n` tokens are available (0: available now). */
  wait(n = 1): number {
    this.refill();
    return this.tokens >= n ? 0 : ((n - this.tokens) / this.rate) * 1000;
  }
  /** Takes `n` tokens, going into debt when short (the caller then waits out the debt). */
  take(n = 1): void {
    this.refill();
    this.tokens -= n;
  }
}

/** What the monitor does when a resource first crosses its soft limit. */
export type SoftAction = 'warn' | 'suspend';

/** Resources with a soft-limit action (lifetime totals; rates have no soft limit). */
export const SOFT_LIMIT_RESOURCES: readonly ResourceName[] = [
  'fuel',
  'memoryPages',
  'wallTimeMs',
  'capability.calls',
  'capability.bytes',
];

/** What the monitor decided about a host call. */
export type CallDecision =
  | { kind: 'ok' }
  | { kind: 'delay'; ms: number }
  | { kind: 'deny'; error: FaygerError }
  | { kind: 'fail'; error: FaygerError }
  | { kind: 'suspend'; error: FaygerError };

/** What the monitor decided after a slice. */
export type SliceDecision =
  | { kind: 'ok' }
  | { kind: 'fail'; error: FaygerError }
  | { kind: 'suspend'; error: FaygerError };

interface Limits {
  fuel: number | undefined;
  memoryPages: number | undefined;
  wallTimeMs: number | undefined;
  callDepth: number | undefined;
  tableElements: number | undefined;
  hostCallsPerSecond: number | undefined;
  outputBytes: number | undefined;
  fuelPerSecond: number | undefined;
}

/** What the monitor reads from the implementation after a slice (GuestUsage's fields). */
export interface SliceUsage {
  memoryPages: number;
  maxCallDepthReached: number;
  tableElements?: number;
  refused?: { memoryPages?: number; tableElements?: number };
}

const QUOTA_CODES: Partial<Record<ResourceName, ErrorCode>> = {
  fuel: 'QUOTA_FUEL_EXCEEDED',
  memoryPages: 'QUOTA_MEMORY_EXCEEDED',
  wallTimeMs: 'QUOTA_WALL_TIME_EXCEEDED',
  callDepth: 'QUOTA_CALL_DEPTH_EXCEEDED',
  tableElements: 'QUOTA_TABLE_ELEMENTS_EXCEEDED',
  hostCallsPerSecond: 'QUOTA_HOST_CALL_RATE_EXCEEDED',
  outputBytes: 'QUOTA_OUTPUT_EXCEEDED',
};

/**
 * Per-instance resource monitor: effective limits (manifest quota capped by host policy, min of both), usage
 * counters, soft-limit warnings and hard-limit decisions. It decides; the instance applies the decision.
 */
export class ResourceMonitor {
  readonly limits: Limits;
  private readonly capQuotas = new Map<string, CapabilityQuota>();
  private readonly capUsage = new Map<string, CapabilityUsage>();
  private readonly capBuckets = new Map<string, TokenBucket>();
  private hostBucket: TokenBucket | undefined;
  private fuelBucket: TokenBucket | undefined;
  private readonly warned = new Set<string>();
  private readonly actions: Record<ResourceName, QuotaAction>;
  private readonly softActions: Partial<Record<ResourceName, SoftAction>>;
  private readonly softRatio: number;

  fuelUsed = 0;
  memoryPages = 0;
  peakMemoryPages = 0;
  maxCallDepthReached = 0;
  hostCalls = 0;
  outputBytes = 0;
  tableElements = 0;
  slices = 0;
  throttledMs = 0;
  private wallAccum = 0;
  private wallSince: number | undefined;

  constructor(
    private readonly instanceId: string,
    private readonly events: EventSink | undefined,
    effective: EffectiveLimits,
    limits: RuntimeLimits | undefined,
    grants: readonly CapabilityGrant[],
    capabilityPolicy: HostPolicy | undefined,
  ) {
    this.limits = {
      fuel: effective.fuel,
      memoryPages: effective.memoryPages,
      wallTimeMs: effective.wallTimeMs,
      callDepth: effective.callDepth,
      tableElements: effective.tableElements,
      hostCallsPerSecond: effective.hostCallsPerSecond,
      outputBytes: effective.outputBytes,
      fuelPerSecond: effective.fuelPerSecond,
    };
    this.actions = { ...DEFAULT_LIMIT_ACTIONS, ...(limits?.actions ?? {}) };
    this.softRatio = limits?.softLimitRatio ?? 0.8;
    this.softActions = { ...(limits?.softActions ?? {}) };
    for (const g of grants) {
      const rule = Array.isArray(capabilityPolicy?.allow)
        ? (capabilityPolicy!.allow as readonly { name: string; quota?: CapabilityQuota }[]).find(
            (r) => r.name === g.name,
          )
        : undefined;
      const policyQuota = rule?.quota ?? capabilityPolicy?.defaultQuota;
      this.setCapabilityQuota(g.name, g.quota, policyQuota);
    }
    this.rebuildBuckets();
  }

  private setCapabilityQuota(name: string, a: CapabilityQuota | undefined, b: CapabilityQuota | undefined): void {
    const q: CapabilityQuota = {};
    const calls = min(a?.calls, b?.calls);
    const bytes = min(a?.bytes, b?.bytes);
    const rate = min(a?.ratePerSecond, b?.ratePerSecond);
    if (calls !== undefined) q.calls = calls;
    if (bytes !== undefined) q.bytes = bytes;
    if (rate !== undefined) q.ratePerSecond = rate;
    this.capQuotas.set(name, q);
    if (rate !== undefined) this.capBuckets.set(name, new TokenBucket(rate));
    else this.capBuckets.delete(name);
  }

  private rebuildBuckets(): void {
    const h = this.limits.hostCallsPerSecond;
    this.hostBucket = h !== undefined && h > 0 ? new TokenBucket(h) : undefined;
    const f = this.limits.fuelPerSecond;
    // A fuel burst of 100 ms keeps a throttled instance moving in small steps rather than in bursts.
    this.fuelBucket = f !== undefined && f > 0 ? new TokenBucket(f, Math.max(1, f / 10)) : undefined;
  }

  /** Run-time limit changes (raise fuel before resuming, tighten a rate...). Same min-of-both rule is not reapplied: the embedder decides. */
  update(caps: Partial<Limits>, capabilityQuotas?: Record<string, CapabilityQuota>): void {
    for (const k of Object.keys(caps) as (keyof Limits)[]) {
      this.limits[k] = caps[k];
      this.warned.delete(k);
    }
    for (const [name, q] of Object.entries(capabilityQuotas ?? {})) {
      this.setCapabilityQuota(name, q, undefined);
      for (const r of ['calls', 'bytes', 'rate']) this.warned.delete(`capability.${r}:${name}`);
    }
    this.rebuildBuckets();
  }

  action(resource: ResourceName): QuotaAction {
    return this.actions[resource];
  }

  // ---- wall time ----
  startClock(): void {
    if (this.wallSince === undefined) this.wallSince = monotonicNow();
  }
  stopClock(): void {
    if (this.wallSince !== undefined) this.wallAccum += monotonicNow() - this.wallSince;
    this.wallSince = undefined;
  }
  wallTimeMs(): number {
    return this.wallAccum + (this.wallSince === undefined ? 0 : monotonicNow() - this.wallSince);
  }
  /** Milliseconds of wall budget left (undefined: unlimited). */
  wallRemaining(): number | undefined {
    return this.limits.wallTimeMs === undefined ? undefined : this.limits.wallTimeMs - this.wallTimeMs();
  }

  // ---- fuel ----
  /** Fuel the next slice may use: the slice size, or what is left of the quota (0: quota reached). */
  sliceBudget(sliceFuel: number): number {
    if (this.limits.fuel === undefined) return sliceFuel;
    return Math.max(0, Math.min(sliceFuel, this.limits.fuel - this.fuelUsed));
  }
  /** Milliseconds to hold the instance back before its next slice (fuelPerSecond throttling). */
  fuelDelay(): number {
    return this.fuelBucket ? this.fuelBucket.wait(0) : 0;
  }

  /**
   * Records a slice and decides whether a hard limit was reached. `completed`: the guest call finished in this
   * slice (fuel and wall time are then not breached by it). `fuelCapped`: the slice was cut short by the fuel
   * quota and the guest wanted more (an implementation may stop a little before the exact budget).
   */
  afterSlice(fuelUsed: number, usage: SliceUsage, completed = false, fuelCapped = false): SliceDecision {
    const { memoryPages, maxCallDepthReached: maxCallDepth } = usage;
    this.slices++;
    this.fuelUsed += fuelUsed;
    this.fuelBucket?.take(fuelUsed);
    this.memoryPages = memoryPages;
    if (memoryPages > this.peakMemoryPages) this.peakMemoryPages = memoryPages;
    if (maxCallDepth > this.maxCallDepthReached) this.maxCallDepthReached = maxCallDepth;
    if (usage.tableElements !== undefined) this.tableElements = usage.tableElements;
    // A grow the implementation refused at the limit counts as the size it asked for: the guest wanted more.
    const wantPages = Math.max(memoryPages, usage.refused?.memoryPages ?? 0);
    const mem = this.check('memoryPages', wantPages, this.limits.memoryPages, (u, l) => u > l);
    if (mem) return mem;
    const wantTable = Math.max(this.tableElements, usage.refused?.tableElements ?? 0);
    const table = this.check('tableElements', wantTable, this.limits.tableElements, (u, l) => u > l);
    if (table) return table;
    if (completed) return { kind: 'ok' };
    const fuel = this.check('fuel', this.fuelUsed, this.limits.fuel, (u, l) => fuelCapped || u >= l);
    if (fuel) return fuel;
    return this.checkWall();
  }

  checkWall(): SliceDecision {
    return (
      this.check('wallTimeMs', Math.floor(this.wallTimeMs()), this.limits.wallTimeMs, (u, l) => u >= l) ?? {
        kind: 'ok',
      }
    );
  }

  /** Table elements declared past the quota at instantiation: the breach (cause: the implementation's refusal). */
  tableBreach(requested: number, cause: unknown): FaygerError | undefined {
    const limit = this.limits.tableElements;
    if (limit === undefined) return undefined;
    this.breachEvent('tableElements', undefined, requested, limit, 'fail');
    return this.quotaError('tableElements', requested, limit, undefined, cause);
  }

  /**
   * Work proportional to bytes done by the host for the guest (host-call payloads): charged as fuel, so a
   * guest cannot buy unbounded host work with one instruction. A breach fails at once.
   */
  chargeFuel(units: number): SliceDecision {
    if (!(units > 0)) return { kind: 'ok' };
    this.fuelUsed += units;
    this.fuelBucket?.take(units);
    return this.check('fuel', this.fuelUsed, this.limits.fuel, (u, l) => u > l) ?? { kind: 'ok' };
  }

  /** Guest output (stdout, stderr, log messages) about to be written: counted against outputBytes. */
  chargeOutput(bytes: number): CallDecision {
    const limit = this.limits.outputBytes;
    const used = this.outputBytes + bytes;
    if (limit !== undefined) {
      this.warn('outputBytes', undefined, used, limit);
      if (used > limit) {
        const action = this.actions.outputBytes;
        this.breachEvent('outputBytes', undefined, used, limit, action);
        const error = this.quotaError('outputBytes', used, limit);
        return action === 'deny'
          ? { kind: 'deny', error }
          : action === 'suspend'
            ? { kind: 'suspend', error }
            : { kind: 'fail', error };
      }
    }
    this.outputBytes = used;
    return { kind: 'ok' };
  }

  /** The implementation ran out of the fuel budget it was given (e.g. in the start function): the breach. */
  fuelBreach(cause: FaygerError): FaygerError | undefined {
    const limit = this.limits.fuel;
    if (limit === undefined) return undefined;
    this.breachEvent('fuel', undefined, limit, limit, 'fail');
    return this.quotaError('fuel', limit, limit, undefined, cause);
  }

  /** A call-depth trap with a call-depth quota in force: the breach. */
  callDepthBreach(cause: FaygerError): FaygerError | undefined {
    const limit = this.limits.callDepth;
    if (limit === undefined) return undefined;
    this.breachEvent('callDepth', undefined, limit, limit, 'fail');
    return this.quotaError('callDepth', limit, limit, undefined, cause);
  }

  private check(
    resource: ResourceName,
    used: number,
    limit: number | undefined,
    over: (u: number, l: number) => boolean,
  ): { kind: 'fail' | 'suspend'; error: FaygerError } | undefined {
    if (limit === undefined) return undefined;
    const crossed = this.warn(resource, undefined, used, limit);
    if (!over(used, limit)) return crossed ? this.softDecision(resource, undefined, used, limit) : undefined;
    const action = this.actions[resource];
    // memoryPages 'throttle' is enforced by the implementation (memory.grow returns -1), never a breach here.
    if (action === 'throttle' || action === 'deny') return undefined;
    this.breachEvent(resource, undefined, used, limit, action);
    return { kind: action === 'suspend' ? 'suspend' : 'fail', error: this.quotaError(resource, used, limit) };
  }

  /** Emits the soft-limit warning once per resource; true when this call crossed the soft limit. */
  private warn(resource: ResourceName, capability: string | undefined, used: number, limit: number): boolean {
    const key = capability ? `${resource}:${capability}` : resource;
    if (this.warned.has(key) || used < limit * this.softRatio) return false;
    this.warned.add(key);
    publish(
      this.events,
      'runtime.quota.warning',
      () => ({
        resource: QUOTA_RESOURCE_OF[resource],
        ...(capability ? { capability: capability as CapabilityName } : {}),
        used,
        limit,
        ratio: limit > 0 ? used / limit : 1,
      }),
      { instanceId: this.instanceId, phase: resource },
    );
    return true;
  }

  /** At a soft limit with soft action `suspend`: park the instance once so the embedder can decide. */
  private softDecision(
    resource: ResourceName,
    capability: string | undefined,
    used: number,
    limit: number,
  ): { kind: 'suspend'; error: FaygerError } | undefined {
    if (this.softActions[resource] !== 'suspend') return undefined;
    return {
      kind: 'suspend',
      error: new FaygerError({
        code: 'QUOTA_SOFT_LIMIT_REACHED',
        phase: 'monitor',
        what: `checking the ${capability ? `${capability} ` : ''}${resource} quota of instance ${this.instanceId}`,
        expected: `below ${Math.ceil(limit * this.softRatio)} (${Math.round(this.softRatio * 100)} % of ${limit})`,
        found: String(used),
        details: { resource, capability, used, limit, soft: true, instanceId: this.instanceId },
      }),
    };
  }

  /**
   * A hard limit applied to the instance. `deny` is not an instance action in the event model: the refused
   * call is reported as instruction.denied (CAPABILITY_QUOTA_EXCEEDED) instead.
   */
  private breachEvent(
    resource: ResourceName,
    capability: string | undefined,
    used: number,
    limit: number,
    action: QuotaAction,
  ): void {
    if (action === 'deny') return;
    publish(
      this.events,
      'runtime.quota.breach',
      () => ({
        resource: QUOTA_RESOURCE_OF[resource],
        ...(capability ? { capability: capability as CapabilityName } : {}),
        used,
        limit,
        action,
      }),
      { instanceId: this.instanceId, phase: resource },
    );
  }

  private quotaError(
    resource: ResourceName,
    used: number,
    limit: number,
    capability?: string,
    cause?: unknown,
  ): FaygerError {
    const code: ErrorCode = QUOTA_CODES[resource] ?? 'CAPABILITY_QUOTA_EXCEEDED';
    const what = capability
      ? `the ${capability} ${resource.replace('capability.', '')} quota`
      : `the ${resource} quota`;
    return new FaygerError({
      code,
      phase: 'monitor',
      what: `checking ${what} of instance ${this.instanceId}`,
      expected: `at most ${limit}`,
      found: used < limit ? `${used} used and the guest needs more` : String(used),
      details: { resource, capability, used, limit, instanceId: this.instanceId },
      cause,
    });
  }

  // ---- host calls ----
  private usageOf(capability: string): CapabilityUsage {
    let u = this.capUsage.get(capability);
    if (!u) {
      u = { calls: 0, bytes: 0, denied: 0 };
      this.capUsage.set(capability, u);
    }
    return u;
  }

  /** Counts a denial made before the call reached the bus. */
  recordDenied(capability: string): void {
    this.usageOf(capability).denied++;
  }

  /**
   * Decides a host call that needs `capability` and carries `bytesOut` bytes to the host. On `ok` the call is
   * charged (calls, rate tokens); a `delay` asks the caller to wait and ask again.
   */
  beforeCall(capability: string | undefined, bytesOut: number): CallDecision {
    if (this.hostBucket) {
      const wait = this.hostBucket.wait();
      if (wait > 0) {
        const d = this.rateDecision('hostCallsPerSecond', undefined, wait, this.limits.hostCallsPerSecond!);
        if (d) return d;
      }
    }
    if (capability !== undefined) {
      const q = this.capQuotas.get(capability);
      const u = this.usageOf(capability);
      if (q?.calls !== undefined) {
        const crossed = this.warn('capability.calls', capability, u.calls + 1, q.calls);
        if (u.calls + 1 > q.calls) return this.capBreach('capability.calls', capability, u.calls + 1, q.calls);
        const soft = crossed ? this.softDecision('capability.calls', capability, u.calls + 1, q.calls) : undefined;
        if (soft) return soft;
      }
      if (q?.bytes !== undefined) {
        const crossed = this.warn('capability.bytes', capability, u.bytes + bytesOut, q.bytes);
        if (u.bytes + bytesOut > q.bytes || (u.bytes >= q.bytes && q.bytes > 0) || (q.bytes === 0 && bytesOut > 0)) {
          return this.capBreach('capability.bytes', capability, u.bytes + bytesOut, q.bytes);
        }
        const soft = crossed
          ? this.softDecision('capability.bytes', capability, u.bytes + bytesOut, q.bytes)
          : undefined;
        if (soft) return soft;
      }
      const bucket = this.capBuckets.get(capability);
      if (bucket && q?.ratePerSecond !== undefined) {
        const wait = bucket.wait();
        if (wait > 0) {
          const d = this.rateDecision('capability.rate', capability, wait, q.ratePerSecond);
          if (d) return d;
        }
      }
      bucket?.take();
      u.calls++;
      u.bytes += bytesOut;
    }
    this.hostBucket?.take();
    this.hostCalls++;
    return { kind: 'ok' };
  }

  /** Counts bytes the host returned (reads), against the capability's bytes quota. */
  afterCall(capability: string | undefined, bytesIn: number): void {
    if (capability === undefined || bytesIn === 0) return;
    const u = this.usageOf(capability);
    u.bytes += bytesIn;
    const q = this.capQuotas.get(capability);
    if (q?.bytes !== undefined) this.warn('capability.bytes', capability, u.bytes, q.bytes);
  }

  /** Runtime-answered calls (has_capability, args, fd table) count as host calls but reach no capability. */
  countLocalCall(): void {
    this.hostCalls++;
  }

  addThrottled(ms: number): void {
    this.throttledMs += ms;
  }

  private rateDecision(
    resource: ResourceName,
    capability: string | undefined,
    wait: number,
    limit: number,
  ): CallDecision | undefined {
    const action = this.actions[resource];
    if (action === 'throttle') return { kind: 'delay', ms: wait };
    if (capability) this.usageOf(capability).denied++;
    this.breachEvent(resource, capability, limit + 1, limit, action);
    const error = this.quotaError(resource, limit + 1, limit, capability);
    return action === 'deny'
      ? { kind: 'deny', error }
      : action === 'suspend'
        ? { kind: 'suspend', error }
        : { kind: 'fail', error };
  }

  private capBreach(resource: ResourceName, capability: string, used: number, limit: number): CallDecision {
    const action = this.actions[resource];
    this.usageOf(capability).denied++;
    this.breachEvent(resource, capability, used, limit, action);
    const error = this.quotaError(resource, used, limit, capability);
    if (action === 'fail') return { kind: 'fail', error };
    if (action === 'suspend') return { kind: 'suspend', error };
    return { kind: 'deny', error };
  }

  snapshot(state: LifecycleState): ResourceUsage {
    const capabilities: Record<string, CapabilityUsage> = {};
    for (const [k, v] of this.capUsage) capabilities[k] = { ...v };
    return {
      state,
      fuelUsed: this.fuelUsed,
      fuelLimit: this.limits.fuel,
      memoryPages: this.memoryPages,
      peakMemoryPages: this.peakMemoryPages,
      memoryPagesLimit: this.limits.memoryPages,
      wallTimeMs: this.wallTimeMs(),
      wallTimeLimitMs: this.limits.wallTimeMs,
      maxCallDepthReached: this.maxCallDepthReached,
      hostCalls: this.hostCalls,
      slices: this.slices,
      throttledMs: this.throttledMs,
      capabilities,
    };
  }
}
