import { FaygerError, type BufSource, type ErrorCode } from '@fayger/contracts';
import {
  Retryable,
  discard,
  isRetryableStatus,
  readBody,
  retryPolicy,
  withRetries,
  type RetryOptions,
  type RetryPolicy,
} from './retry.js';

export interface HttpRangeSourceOptions extends RetryOptions {
  /** fetch implementation (default: globalThis.fetch). */
  fetch?: typeof fetch;
  /** Extra request headers (authorization...). */
  headers?: Readonly<Record<string, string>>;
  /**
   * If the server ignores Range and answers 200 with the whole body, accept it when it is at most this
   * many bytes (kept in memory and served from there); otherwise LOADER_HTTP_RANGE_UNSUPPORTED. Default 16 MiB.
   */
  maxFallbackBytes?: number;
  /** Bytes fetched by the first request and kept to serve the header/manifest/index reads (default 64 KiB). */
  probeBytes?: number;
}

/** What pins the bytes across reads: the first response's ETag / Last-Modified. */
export interface Validator {
  etag?: string;
  lastModified?: string;
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
  readonly #policy: RetryPolicy;
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
      throw new FaygerError({
        code: 'INVALID_ARGUMENT',
        phase: PHASE,
        what: 'creating an HttpRangeSource',
        expected: 'a fetch implementation',
        found: 'none',
      });
    }
    // Browsers throw "Illegal invocation" when fetch is called with a `this` other than the global object, as
    // `this.#fetch(...)` would do; keep the global one bound.
    this.#fetch = options.fetch ?? f.bind(globalThis);
    this.#headers = options.headers ?? {};
    this.#policy = retryPolicy(options);
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
    if (signal?.aborted) throw this.#aborted(signal);
    await this.#ensureProbe(signal);
    const size = this.#size!;
    if (
      !Number.isSafeInteger(offset) ||
      !Number.isSafeInteger(length) ||
      offset < 0 ||
      length < 0 ||
      offset + length > size
    ) {
      throw this.err(
        'LOADER_RANGE_INVALID',
        'reading a range',
        `a range within ${size} bytes`,
        `offset ${offset}, length ${length}`,
      );
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

  #withRetries<T>(signal: AbortSignal | undefined, attempt: (s: AbortSignal) => Promise<T>): Promise<T> {
    return withRetries(
      this.#policy,
      signal,
      (c, w, e, f, cause) => this.err(c, w, e, f, cause),
      (sig) => this.#aborted(sig),
      attempt,
    );
  }

  /**
   * Sends one GET. Subclasses change how a request is made (S3 signs it with SigV4); the default is a plain
   * fetch of the URL with the given headers.
   */
  protected send(url: string, headers: Record<string, string>, signal: AbortSignal): Promise<Response> {
    return this.#fetch(url, { headers, signal, cache: 'no-store' } as RequestInit);
  }

  /**
   * The conditional header that pins later reads to the first response's validator. Default If-Range (a
   * changed file answers 200 with the whole body); S3 uses If-Match (a changed object answers 412).
   */
  protected conditionalHeaders(v: Validator): Record<string, string> {
    if (v.etag && !v.etag.startsWith('W/')) return { 'if-range': v.etag };
    if (v.lastModified) return { 'if-range': v.lastModified };
    return {};
  }

  /**
   * A typed error for a status other than 200/206 (or a Retryable for a transient one), before the generic
   * handling (5xx/408/429 retried, 416, anything else LOADER_HTTP_STATUS). Default: none (generic handling).
   */
  protected async statusError(_res: Response, _what: string): Promise<FaygerError | Retryable | undefined> {
    return undefined;
  }

  /** The error factory every failure goes through (`what`, expected/found, the URL in details). */
  protected err(code: ErrorCode, what: string, expected: string, found: string, cause?: unknown): FaygerError {
    return new FaygerError({
      code,
      phase: PHASE,
      what: `${what} from ${this.describe()}`,
      expected,
      found,
      ...(cause !== undefined ? { cause } : {}),
      details: { url: this.#url },
    });
  }

  async #rangeRequest(
    offset: number,
    length: number,
    signal: AbortSignal,
    probe: boolean,
  ): Promise<{ bytes: Uint8Array; total: number; whole: boolean }> {
    const headers: Record<string, string> = {
      ...this.#headers,
      range: `bytes=${offset}-${offset + length - 1}`,
      ...(probe ? {} : this.conditionalHeaders(this.#validator)),
    };
    this.requests++;
    const res = await this.send(this.#url, headers, signal);
    const status = res.status;
    if (status !== 200 && status !== 206) {
      const special = await this.statusError(res, `fetching bytes ${offset}+${length}`);
      if (special instanceof Retryable) throw special;
      if (special) throw special;
    }
    if (isRetryableStatus(status)) {
      await discard(res);
      throw new Retryable(
        this.err('LOADER_HTTP_STATUS', `fetching bytes ${offset}+${length}`, '206 Partial Content', `HTTP ${status}`),
      );
    }
    if (status === 416) {
      await res.body?.cancel().catch(() => undefined);
      const total = /^bytes \*\/(\d+)$/.exec(res.headers.get('content-range') ?? '');
      if (probe && total && Number(total[1]) === 0) {
        this.#learnValidator(res);
        return { bytes: new Uint8Array(0), total: 0, whole: true };
      }
      throw this.err(
        'LOADER_HTTP_RANGE_NOT_SATISFIABLE',
        `fetching bytes ${offset}+${length}`,
        `a range inside ${this.#size ?? 'the'} bytes`,
        `HTTP 416 (${res.headers.get('content-range') ?? 'no Content-Range'})`,
      );
    }
    if (status === 206) {
      this.#checkValidator(res, probe);
      const cr = /^bytes (\d+)-(\d+)\/(\d+)$/.exec((res.headers.get('content-range') ?? '').trim());
      if (!cr) {
        await res.body?.cancel().catch(() => undefined);
        throw this.err(
          'LOADER_HTTP_BAD_CONTENT_RANGE',
          'checking a 206 response',
          'Content-Range: bytes a-b/total',
          JSON.stringify(res.headers.get('content-range')),
        );
      }
      const [a, b, total] = [Number(cr[1]), Number(cr[2]), Number(cr[3])];
      const expectedEnd = probe ? Math.min(offset + length, total) - 1 : offset + length - 1;
      if (this.#size !== undefined && total !== this.#size) {
        await res.body?.cancel().catch(() => undefined);
        throw this.err(
          'LOADER_SOURCE_CHANGED',
          'checking a 206 response',
          `total size ${this.#size}`,
          `Content-Range total ${total}`,
        );
      }
      if (a !== offset || b !== expectedEnd || !Number.isSafeInteger(total)) {
        await res.body?.cancel().catch(() => undefined);
        throw this.err(
          'LOADER_HTTP_BAD_CONTENT_RANGE',
          'checking a 206 response',
          `bytes ${offset}-${expectedEnd}`,
          `bytes ${a}-${b}/${total}`,
        );
      }
      const bytes = await readBody(res, b - a + 1, b - a + 1, this.#errf);
      if (probe) this.#learnValidator(res);
      return { bytes, total, whole: false };
    }
    if (status === 200) {
      this.#checkValidator(res, probe);
      // A 200 after we sent If-Range means the validator no longer matches: the file changed.
      if (!probe && headers['if-range'] !== undefined) {
        await res.body?.cancel().catch(() => undefined);
        throw this.err(
          'LOADER_SOURCE_CHANGED',
          `fetching bytes ${offset}+${length}`,
          '206 for an unchanged file (If-Range)',
          'HTTP 200 with a full body',
        );
      }
      const declared = res.headers.get('content-length');
      if (declared !== null && Number(declared) > this.#maxFallback) {
        await res.body?.cancel().catch(() => undefined);
        throw this.err(
          'LOADER_HTTP_RANGE_UNSUPPORTED',
          'fetching a range',
          `206, or a whole body of at most ${this.#maxFallback} bytes`,
          `HTTP 200 with ${declared} bytes`,
        );
      }
      const whole = await readBody(
        res,
        declared === null ? undefined : Number(declared),
        this.#maxFallback,
        this.#errf,
      );
      if (this.#size !== undefined && whole.length !== this.#size) {
        throw this.err(
          'LOADER_SOURCE_CHANGED',
          'reading a full-body fallback',
          `${this.#size} bytes`,
          `${whole.length} bytes`,
        );
      }
      if (probe) this.#learnValidator(res);
      this.#whole = whole;
      this.#probe = undefined;
      return probe
        ? { bytes: whole, total: whole.length, whole: true }
        : { bytes: whole.subarray(offset, offset + length), total: whole.length, whole: true };
    }
    await res.body?.cancel().catch(() => undefined);
    throw this.err(
      'LOADER_HTTP_STATUS',
      `fetching bytes ${offset}+${length}`,
      '206 Partial Content',
      `HTTP ${status} ${res.statusText}`,
    );
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
      throw this.err(
        'LOADER_SOURCE_CHANGED',
        'comparing validators between reads',
        `ETag ${v.etag ?? '-'} / Last-Modified ${v.lastModified ?? '-'}`,
        `ETag ${etag ?? '-'} / Last-Modified ${lm ?? '-'}`,
      );
    }
  }

  readonly #errf = (c: ErrorCode, w: string, e: string, f: string, cause?: unknown) => this.err(c, w, e, f, cause);

  #aborted(signal: AbortSignal): FaygerError {
    return new FaygerError({
      code: 'ABORTED',
      phase: PHASE,
      what: `reading ${this.describe()}`,
      found: 'the AbortSignal fired',
      cause: signal.reason,
    });
  }
}
