import { FaygerError, type BufSource, type ErrorCode } from '@fayger/contracts';

export interface HttpRangeSourceOptions {
  /** fetch implementation (default: globalThis.fetch). */
  fetch?: typeof fetch;
  /** Extra request headers (authorization...). */
  headers?: Readonly<Record<string, string>>;
  /** Retries after a 5xx, 408, 429 or network error (default 3). */
  retries?: number;
  /** First backoff delay in ms; doubles per retry, capped by maxBackoffMs (defaults 100 / 2000). */
  backoffMs?: number;
  maxBackoffMs?: number;
  /** Per-request timeout in ms, body included (default 30000). */
  timeoutMs?: number;
  /**
   * If the server ignores Range and answers 200 with the whole body, accept it when it is at most this
   * many bytes (kept in memory and served from there); otherwise LOADER_HTTP_RANGE_UNSUPPORTED. Default 16 MiB.
   */
  maxFallbackBytes?: number;
  /** Bytes fetched by the first request and kept to serve the header/manifest/index reads (default 64 KiB). */
  probeBytes?: number;
}

interface Validator {
  etag?: string;
  lastModified?: string;
}

class Retryable extends Error {
  constructor(readonly error: FaygerError) {
    super(error.message);
  }
}

const PHASE = 'read';

/**
 * A BufSource over HTTP(S) using Range requests. The first request learns the size and the validator
 * (ETag / Last-Modified); later requests send If-Range and every response's validator and Content-Range
 * total are compared, so a file replaced between reads is LOADER_SOURCE_CHANGED, never a mix of versions.
 */
export class HttpRangeSource implements BufSource {
  readonly #url: string;
  readonly #fetch: typeof fetch;
  readonly #headers: Readonly<Record<string, string>>;
  readonly #retries: number;
  readonly #backoffMs: number;
  readonly #maxBackoffMs: number;
  readonly #timeoutMs: number;
  readonly #maxFallback: number;
  readonly #probeBytes: number;
  #size: number | undefined;
  #validator: Validator = {};
  #probe: Uint8Array | undefined;
  #whole: Uint8Array | undefined;
  #probing: Promise<void> | undefined;
  /** Requests made, for tests and diagnostics. */
  requests = 0;

  constructor(url: string | URL, options: HttpRangeSourceOptions = {}) {
    this.#url = String(url);
    const f = options.fetch ?? (globalThis.fetch as typeof fetch | undefined);
    if (!f) {
      throw new FaygerError({ code: 'INVALID_ARGUMENT', phase: PHASE, what: 'creating an HttpRangeSource', expected: 'a fetch implementation', found: 'none' });
    }
    // Browsers throw "Illegal invocation" when fetch is called with a `this` other than the global object, as
    // `this.#fetch(...)` would do; keep the global one bound.
    this.#fetch = options.fetch ?? f.bind(globalThis);
    this.#headers = options.headers ?? {};
    this.#retries = options.retries ?? 3;
    this.#backoffMs = options.backoffMs ?? 100;
    this.#maxBackoffMs = options.maxBackoffMs ?? 2000;
    this.#timeoutMs = options.timeoutMs ?? 30_000;
    this.#maxFallback = options.maxFallbackBytes ?? 16 * 1024 * 1024;
    this.#probeBytes = Math.max(1, options.probeBytes ?? 64 * 1024);
  }

  describe(): string {
    return this.#url;
  }

  async size(signal?: AbortSignal): Promise<number> {
    await this.#ensureProbe(signal);
    return this.#size!;
  }

  async read(offset: number, length: number, signal?: AbortSignal): Promise<Uint8Array> {
    await this.#ensureProbe(signal);
    const size = this.#size!;
    if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(length) || offset < 0 || length < 0 || offset + length > size) {
      throw this.#err('LOADER_RANGE_INVALID', 'reading a range', `a range within ${size} bytes`, `offset ${offset}, length ${length}`);
    }
    if (length === 0) return new Uint8Array(0);
    if (this.#whole) return this.#whole.subarray(offset, offset + length);
    if (this.#probe && offset + length <= this.#probe.length) return this.#probe.subarray(offset, offset + length);
    return this.#withRetries(signal, (s) => this.#rangeRequest(offset, length, s, false).then((r) => r.bytes));
  }

  #ensureProbe(signal?: AbortSignal): Promise<void> {
    if (this.#size !== undefined) return Promise.resolve();
    this.#probing ??= this.#withRetries(signal, async (s) => {
      const r = await this.#rangeRequest(0, this.#probeBytes, s, true);
      this.#size = r.total;
      if (r.whole) this.#whole = r.bytes;
      else this.#probe = r.bytes;
    }).finally(() => {
      if (this.#size === undefined) this.#probing = undefined;
    });
    return this.#probing;
  }

  async #withRetries<T>(signal: AbortSignal | undefined, attempt: (s: AbortSignal) => Promise<T>): Promise<T> {
    let last: FaygerError | undefined;
    for (let i = 0; i <= this.#retries; i++) {
      if (signal?.aborted) throw this.#aborted(signal);
      if (i > 0) await sleep(Math.min(this.#maxBackoffMs, this.#backoffMs * 2 ** (i - 1)), signal).catch(() => undefined);
      if (signal?.aborted) throw this.#aborted(signal);
      const ac = new AbortController();
      const onAbort = () => ac.abort(signal!.reason);
      signal?.addEventListener('abort', onAbort, { once: true });
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        ac.abort(new Error('timeout'));
      }, this.#timeoutMs);
      try {
        return await attempt(ac.signal);
      } catch (err) {
        if (signal?.aborted) throw this.#aborted(signal);
        if (timedOut) {
          last = this.#err('LOADER_HTTP_TIMEOUT', 'waiting for a response', `an answer within ${this.#timeoutMs} ms`, 'no complete answer', err);
          continue;
        }
        if (err instanceof Retryable) {
          last = err.error;
          continue;
        }
        if (FaygerError.is(err)) throw err;
        // fetch rejects with TypeError on network failures (refused, reset, body cut short).
        last = this.#err('LOADER_HTTP_FAILED', 'fetching a range', 'a response', err instanceof Error ? `${err.name}: ${err.message}` : String(err), err);
      } finally {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
      }
    }
    if (last && last.code !== 'LOADER_HTTP_FAILED' && last.code !== 'LOADER_HTTP_TIMEOUT') {
      throw this.#err('LOADER_HTTP_FAILED', `fetching after ${this.#retries + 1} attempts`, 'a successful response', last.message, last);
    }
    throw last!;
  }

  async #rangeRequest(
    offset: number,
    length: number,
    signal: AbortSignal,
    probe: boolean,
  ): Promise<{ bytes: Uint8Array; total: number; whole: boolean }> {
    const headers: Record<string, string> = { ...this.#headers, range: `bytes=${offset}-${offset + length - 1}` };
    const v = this.#validator;
    if (v.etag && !v.etag.startsWith('W/')) headers['if-range'] = v.etag;
    else if (v.lastModified) headers['if-range'] = v.lastModified;
    this.requests++;
    const res = await this.#fetch(this.#url, { headers, signal, cache: 'no-store' } as RequestInit);
    const status = res.status;
    if (status >= 500 || status === 408 || status === 429) {
      await res.body?.cancel().catch(() => undefined);
      throw new Retryable(this.#err('LOADER_HTTP_STATUS', `fetching bytes ${offset}+${length}`, '206 Partial Content', `HTTP ${status}`));
    }
    if (status === 416) {
      await res.body?.cancel().catch(() => undefined);
      const total = /^bytes \*\/(\d+)$/.exec(res.headers.get('content-range') ?? '');
      if (probe && total && Number(total[1]) === 0) {
        this.#learnValidator(res);
        return { bytes: new Uint8Array(0), total: 0, whole: true };
      }
      throw this.#err('LOADER_HTTP_RANGE_NOT_SATISFIABLE', `fetching bytes ${offset}+${length}`, `a range inside ${this.#size ?? 'the'} bytes`, `HTTP 416 (${res.headers.get('content-range') ?? 'no Content-Range'})`);
    }
    if (status === 206) {
      this.#checkValidator(res, probe);
      const cr = /^bytes (\d+)-(\d+)\/(\d+)$/.exec((res.headers.get('content-range') ?? '').trim());
      if (!cr) {
        await res.body?.cancel().catch(() => undefined);
        throw this.#err('LOADER_HTTP_BAD_CONTENT_RANGE', 'checking a 206 response', 'Content-Range: bytes a-b/total', JSON.stringify(res.headers.get('content-range')));
      }
      const [a, b, total] = [Number(cr[1]), Number(cr[2]), Number(cr[3])];
      const expectedEnd = probe ? Math.min(offset + length, total) - 1 : offset + length - 1;
      if (this.#size !== undefined && total !== this.#size) {
        await res.body?.cancel().catch(() => undefined);
        throw this.#err('LOADER_SOURCE_CHANGED', 'checking a 206 response', `total size ${this.#size}`, `Content-Range total ${total}`);
      }
      if (a !== offset || b !== expectedEnd || !Number.isSafeInteger(total)) {
        await res.body?.cancel().catch(() => undefined);
        throw this.#err('LOADER_HTTP_BAD_CONTENT_RANGE', 'checking a 206 response', `bytes ${offset}-${expectedEnd}`, `bytes ${a}-${b}/${total}`);
      }
      const bytes = await this.#readBody(res, b - a + 1, b - a + 1);
      if (probe) this.#learnValidator(res);
      return { bytes, total, whole: false };
    }
    if (status === 200) {
      this.#checkValidator(res, probe);
      // A 200 after we sent If-Range means the validator no longer matches: the file changed.
      if (!probe && headers['if-range']) {
        await res.body?.cancel().catch(() => undefined);
        throw this.#err('LOADER_SOURCE_CHANGED', `fetching bytes ${offset}+${length}`, '206 for an unchanged file (If-Range)', 'HTTP 200 with a full body');
      }
      const declared = res.headers.get('content-length');
      if (declared !== null && Number(declared) > this.#maxFallback) {
        await res.body?.cancel().catch(() => undefined);
        throw this.#err('LOADER_HTTP_RANGE_UNSUPPORTED', 'fetching a range', `206, or a whole body of at most ${this.#maxFallback} bytes`, `HTTP 200 with ${declared} bytes`);
      }
      const whole = await this.#readBody(res, declared === null ? undefined : Number(declared), this.#maxFallback);
      if (this.#size !== undefined && whole.length !== this.#size) {
        throw this.#err('LOADER_SOURCE_CHANGED', 'reading a full-body fallback', `${this.#size} bytes`, `${whole.length} bytes`);
      }
      if (probe) this.#learnValidator(res);
      this.#whole = whole;
      this.#probe = undefined;
      return probe ? { bytes: whole, total: whole.length, whole: true } : { bytes: whole.subarray(offset, offset + length), total: whole.length, whole: true };
    }
    await res.body?.cancel().catch(() => undefined);
    throw this.#err('LOADER_HTTP_STATUS', `fetching bytes ${offset}+${length}`, '206 Partial Content', `HTTP ${status} ${res.statusText}`);
  }

  #learnValidator(res: Response): void {
    const etag = res.headers.get('etag') ?? undefined;
    const lastModified = res.headers.get('last-modified') ?? undefined;
    this.#validator = { ...(etag ? { etag } : {}), ...(lastModified ? { lastModified } : {}) };
  }

  #checkValidator(res: Response, probe: boolean): void {
    if (probe) return;
    const v = this.#validator;
    const etag = res.headers.get('etag') ?? undefined;
    const lm = res.headers.get('last-modified') ?? undefined;
    if ((v.etag && etag !== v.etag) || (!v.etag && v.lastModified && lm !== v.lastModified)) {
      void res.body?.cancel().catch(() => undefined);
      throw this.#err(
        'LOADER_SOURCE_CHANGED',
        'comparing validators between reads',
        `ETag ${v.etag ?? '-'} / Last-Modified ${v.lastModified ?? '-'}`,
        `ETag ${etag ?? '-'} / Last-Modified ${lm ?? '-'}`,
      );
    }
  }

  /** Reads exactly `expected` bytes (when known) and never more than `cap`: a long body is an error, not a bigger buffer. */
  async #readBody(res: Response, expected: number | undefined, cap: number): Promise<Uint8Array> {
    const limit = expected ?? cap;
    if (!res.body) {
      if (limit === 0) return new Uint8Array(0);
      throw this.#err('LOADER_SOURCE_SHORT_READ', 'reading a response body', `${limit} bytes`, 'no body');
    }
    const reader = res.body.getReader();
    let buf = new Uint8Array(expected ?? Math.min(cap, 64 * 1024));
    let n = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (n + value.length > limit) {
        await reader.cancel().catch(() => undefined);
        throw this.#err(
          expected !== undefined ? 'LOADER_SOURCE_SHORT_READ' : 'LOADER_HTTP_RANGE_UNSUPPORTED',
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
      throw this.#err('LOADER_SOURCE_SHORT_READ', 'reading a response body', `${expected} bytes`, `${n} bytes`);
    }
    return n === buf.length ? buf : buf.slice(0, n);
  }

  #aborted(signal: AbortSignal): FaygerError {
    return new FaygerError({ code: 'ABORTED', phase: PHASE, what: `reading ${this.#url}`, found: 'the AbortSignal fired', cause: signal.reason });
  }

  #err(code: ErrorCode, what: string, expected: string, found: string, cause?: unknown): FaygerError {
    return new FaygerError({ code, phase: PHASE, what: `${what} from ${this.#url}`, expected, found, ...(cause !== undefined ? { cause } : {}), details: { url: this.#url } });
  }
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
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
