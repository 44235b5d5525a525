import { FaygerError, type ErrorCode } from '@fayger/contracts';

/** Retry, backoff and timeout settings shared by every HTTP-based source (HTTP Range, S3, IPFS gateways). */
export interface RetryOptions {
  /** Retries after a 5xx, 408, 429 or network error (default 3). */
  retries?: number;
  /** First backoff delay in ms; doubles per retry, capped by maxBackoffMs (defaults 100 / 2000). */
  backoffMs?: number;
  maxBackoffMs?: number;
  /** Per-request timeout in ms, body included (default 30000). */
  timeoutMs?: number;
}

export interface RetryPolicy {
  retries: number;
  backoffMs: number;
  maxBackoffMs: number;
  timeoutMs: number;
}

export function retryPolicy(o: RetryOptions): RetryPolicy {
  return {
    retries: o.retries ?? 3,
    backoffMs: o.backoffMs ?? 100,
    maxBackoffMs: o.maxBackoffMs ?? 2000,
    timeoutMs: o.timeoutMs ?? 30_000,
  };
}

/** Thrown inside an attempt to say "this failure is transient: try again" (5xx, 408, 429, SlowDown). */
export class Retryable extends Error {
  constructor(readonly error: FaygerError) {
    super(error.message);
  }
}

export type ErrorFactory = (
  code: ErrorCode,
  what: string,
  expected: string,
  found: string,
  cause?: unknown,
) => FaygerError;

/** Maps a transient HTTP status to a Retryable; other statuses return undefined. */
export function isRetryableStatus(status: number): boolean {
  return status >= 500 || status === 408 || status === 429;
}

/**
 * Runs `attempt` with a per-attempt timeout, the caller's AbortSignal, and exponential backoff between
 * attempts. Transient failures (a Retryable, a network TypeError, a timeout) are retried; a FaygerError is
 * final. After the last attempt: LOADER_HTTP_TIMEOUT / LOADER_HTTP_FAILED (wrapping the last status error).
 */
export async function withRetries<T>(
  policy: RetryPolicy,
  signal: AbortSignal | undefined,
  err: ErrorFactory,
  aborted: (signal: AbortSignal) => FaygerError,
  attempt: (s: AbortSignal) => Promise<T>,
): Promise<T> {
  let last: FaygerError | undefined;
  for (let i = 0; i <= policy.retries; i++) {
    if (signal?.aborted) throw aborted(signal);
    if (i > 0)
      await sleep(Math.min(policy.maxBackoffMs, policy.backoffMs * 2 ** (i - 1)), signal).catch(() => undefined);
    if (signal?.aborted) throw aborted(signal);
    const ac = new AbortController();
    const onAbort = () => ac.abort(signal!.reason);
    signal?.addEventListener('abort', onAbort, { once: true });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      ac.abort(new Error('timeout'));
    }, policy.timeoutMs);
    try {
      return await attempt(ac.signal);
    } catch (e) {
      if (signal?.aborted) throw aborted(signal);
      if (timedOut) {
        last = err(
          'LOADER_HTTP_TIMEOUT',
          'waiting for a response',
          `an answer within ${policy.timeoutMs} ms`,
          'no complete answer',
          e,
        );
        continue;
      }
      if (e instanceof Retryable) {
        last = e.error;
        continue;
      }
      if (FaygerError.is(e)) throw e;
      // fetch rejects with TypeError on network failures (refused, reset, body cut short).
      last = err(
        'LOADER_HTTP_FAILED',
        'fetching',
        'a response',
        e instanceof Error ? `${e.name}: ${e.message}` : String(e),
        e,
      );
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    }
  }
  if (last && last.code !== 'LOADER_HTTP_FAILED' && last.code !== 'LOADER_HTTP_TIMEOUT') {
    throw err(
      'LOADER_HTTP_FAILED',
      `fetching after ${policy.retries + 1} attempts`,
      'a successful response',
      last.message,
      last,
    );
  }
  throw last!;
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(t);
        reject(signal.reason);
      },
      { once: true },
    );
  });
}

/**
 * Reads exactly `expected` bytes (when known) and never more than `cap`: a long body is an error, not a
 * bigger buffer. `tooLong` is the code for an over-long body of unknown expected length.
 */
export async function readBody(
  res: Response,
  expected: number | undefined,
  cap: number,
  err: ErrorFactory,
  tooLong: ErrorCode = 'LOADER_HTTP_RANGE_UNSUPPORTED',
): Promise<Uint8Array> {
  const limit = expected ?? cap;
  if (!res.body) {
    if (limit === 0) return new Uint8Array(0);
    throw err('LOADER_SOURCE_SHORT_READ', 'reading a response body', `${limit} bytes`, 'no body');
  }
  const reader = res.body.getReader();
  let buf = new Uint8Array(expected ?? Math.min(cap, 64 * 1024));
  let n = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (n + value.length > limit) {
      await reader.cancel().catch(() => undefined);
      throw err(
        expected !== undefined ? 'LOADER_SOURCE_SHORT_READ' : tooLong,
        'reading a response body',
        `at most ${limit} bytes`,
        `more (${n + value.length}+)`,
      );
    }
    if (n + value.length > buf.length) {
      const bigger = new Uint8Array(Math.min(limit, Math.max(buf.length * 2, n + value.length)));
      bigger.set(buf.subarray(0, n));
      buf = bigger;
    }
    buf.set(value, n);
    n += value.length;
  }
  if (expected !== undefined && n !== expected) {
    throw err('LOADER_SOURCE_SHORT_READ', 'reading a response body', `${expected} bytes`, `${n} bytes`);
  }
  return n === buf.length ? buf : buf.slice(0, n);
}

/** Discards a response body (so the connection can be reused). */
export async function discard(res: Response): Promise<void> {
  await res.body?.cancel().catch(() => undefined);
}
