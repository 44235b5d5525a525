import { FaygerError, type CapabilityName, type CapabilityQuota, type QuotaRemaining } from '@fayger/contracts';

/** Bytes carried by a value: every Uint8Array found in it (bounded walk; instruction data is shallow). */
export function payloadBytes(value: unknown, depth = 0): number {
  if (value instanceof Uint8Array) return value.byteLength;
  if (depth > 4 || value === null || typeof value !== 'object') return 0;
  let n = 0;
  for (const v of Array.isArray(value) ? value : Object.values(value)) n += payloadBytes(v, depth + 1);
  return n;
}

/**
 * Usage of one capability by one instance: lifetime calls and bytes, and a token bucket for the rate
 * (capacity one second's worth, at least one call) refilled continuously.
 */
export class QuotaMeter {
  calls = 0;
  bytes = 0;
  private tokens: number;
  private last: number;

  constructor(
    readonly capability: CapabilityName,
    readonly quota: CapabilityQuota | undefined,
    private readonly now: () => number,
  ) {
    this.tokens = Math.max(1, quota?.ratePerSecond ?? 0);
    this.last = now();
  }

  remaining(): QuotaRemaining {
    const r: QuotaRemaining = {};
    if (this.quota?.calls !== undefined) r.calls = Math.max(0, this.quota.calls - this.calls);
    if (this.quota?.bytes !== undefined) r.bytes = Math.max(0, this.quota.bytes - this.bytes);
    return r;
  }

  private exceeded(op: string, limit: string, found: string, extra: Record<string, unknown>): FaygerError {
    return new FaygerError({
      code: 'CAPABILITY_QUOTA_EXCEEDED',
      phase: op,
      what: `${op} under the ${this.capability} quota`,
      expected: limit,
      found,
      details: {
        op,
        capability: this.capability,
        quota: this.quota,
        used: { calls: this.calls, bytes: this.bytes },
        ...extra,
      },
    });
  }

  /** Charges one call carrying `argBytes`; throws CAPABILITY_QUOTA_EXCEEDED (charging nothing) when over. */
  chargeCall(op: string, argBytes: number): void {
    const q = this.quota;
    if (!q) {
      this.calls++;
      this.bytes += argBytes;
      return;
    }
    if (q.calls !== undefined && this.calls + 1 > q.calls) {
      throw this.exceeded(op, `at most ${q.calls} calls`, `call ${this.calls + 1}`, { limit: 'calls' });
    }
    if (q.bytes !== undefined && this.bytes + argBytes > q.bytes) {
      throw this.exceeded(op, `at most ${q.bytes} bytes`, `${this.bytes + argBytes} bytes`, { limit: 'bytes' });
    }
    if (q.ratePerSecond !== undefined) {
      const t = this.now();
      const cap = Math.max(1, q.ratePerSecond);
      this.tokens = Math.min(cap, this.tokens + ((t - this.last) / 1000) * q.ratePerSecond);
      this.last = t;
      if (this.tokens < 1) {
        throw this.exceeded(op, `at most ${q.ratePerSecond} calls per second`, 'a faster burst', {
          limit: 'ratePerSecond',
          retryAfterMs: Math.ceil(((1 - this.tokens) / q.ratePerSecond) * 1000),
        });
      }
      this.tokens -= 1;
    }
    this.calls++;
    this.bytes += argBytes;
  }

  /** Charges bytes returned by the host; throws (after charging) when the result would exceed the quota. */
  chargeResult(op: string, resultBytes: number): void {
    this.bytes += resultBytes;
    const max = this.quota?.bytes;
    if (max !== undefined && this.bytes > max) {
      throw this.exceeded(op, `at most ${max} bytes`, `${this.bytes} bytes`, { limit: 'bytes' });
    }
  }
}
