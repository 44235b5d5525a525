import { FaygerError, type AdapterCallContext, type OpArgs, type OpResult } from '@fayger/contracts';
import { isUrlAllowed, originOfUrl } from '../scope/origins.js';
import { bodyCap, readCappedBody, responseHeaders, type ResponseLike } from './read-body.js';

/** What a failed request was: for the error hooks of `fetchHttp`. */
export interface HttpRequestFacts {
  url: string;
  method: string;
  origin: string | undefined;
}

export interface FetchHttpOptions {
  /** The fetch to use (default globalThis.fetch, called bound to globalThis as browsers require). */
  fetch?: typeof fetch;
  /**
   * `check` (default): redirects are followed by hand and every hop's origin is checked against the grant
   * before it is requested — needs a fetch that shows redirect responses (Node, Deno, Bun, workers).
   * `follow`: fetch follows them out of sight (the only way in a page) and the response is withheld unless
   * the final URL is on a granted origin. `refuse`: any redirect fails (`redirectRefused`).
   */
  redirects?: 'check' | 'follow' | 'refuse';
  /** Hops followed at most in `check` mode (default 5). */
  maxRedirects?: number;
  /** Default request deadline when the instruction has no timeoutMs (default 30000). */
  timeoutMs?: number;
  /** More RequestInit fields for every request (a page's `credentials`, `mode`). */
  init?: Omit<RequestInit, 'method' | 'headers' | 'body' | 'redirect' | 'signal'>;
  /** The error for a rejected fetch (network down, CORS refused…). Default ADAPTER_NET_FAILED, retryable. */
  fetchFailed?: (cause: unknown, req: HttpRequestFacts) => unknown;
  /** The error for a body that fails while being read. Default ADAPTER_NET_FAILED, retryable. */
  readFailed?: (cause: unknown, req: HttpRequestFacts) => unknown;
  /** The error for a redirect in `refuse` mode (or one `check` cannot see). Default ADAPTER_NET_FAILED. */
  redirectRefused?: (req: HttpRequestFacts) => unknown;
}

function netFailed(
  req: HttpRequestFacts,
  doing: string,
  found: string,
  cause?: unknown,
  retryable = true,
): FaygerError {
  return new FaygerError({
    code: 'ADAPTER_NET_FAILED',
    phase: 'net.http',
    what: `${doing} ${req.origin ?? 'request'}`,
    found,
    cause,
    retryable,
    details: { origin: req.origin, method: req.method },
  });
}

function describe(e: unknown): string {
  const cause = (e as { cause?: unknown } | null)?.cause;
  if (cause !== undefined) return String(cause);
  return e instanceof Error ? `${e.name}: ${e.message}` : String(e);
}

/** Stops unless `url` is on one of `origins` (all origins when the grant names none). */
function checkOrigin(url: string, origins: readonly string[] | undefined, hop: number, followed: boolean): void {
  if (originOfUrl(url) !== undefined && (origins === undefined || isUrlAllowed(url, origins))) return;
  const redirect = hop > 0 || followed;
  throw new FaygerError({
    code: 'CAPABILITY_SCOPE_DENIED',
    phase: 'net.http',
    what: followed
      ? 'the final URL of a redirected net.http request'
      : hop > 0
        ? `following redirect ${hop} of net.http`
        : 'net.http request',
    expected: `a URL on a granted origin (${JSON.stringify(origins)})`,
    found: JSON.stringify(originOfUrl(url) ?? url.slice(0, 100)),
    details: { op: 'net.http', capability: 'net.http', origin: originOfUrl(url), redirect },
  });
}

const isRedirect = (res: Response) =>
  res.type === 'opaqueredirect' || (res.status >= 300 && res.status < 400 && res.status !== 304);

/**
 * A complete `net.http` handler over any fetch (a page, a WebView, Node ≥ 20, Deno, workers): confined to the
 * granted origins (before the request and on every redirect hop or the final URL), headers checked
 * (INSTRUCTION_INVALID), a deadline (ADAPTER_TIMEOUT), cancellation (the call's signal), and the body read
 * under a byte cap (the op limit and the remaining quota). Hooks turn fetch failures into the host's own codes.
 */
export async function fetchHttp(
  a: OpArgs<'net.http'>,
  ctx: Pick<AdapterCallContext, 'scope' | 'signal' | 'remaining'>,
  options: FetchHttpOptions = {},
): Promise<OpResult<'net.http'>> {
  const origins = ctx.scope?.origins;
  const mode = options.redirects ?? 'check';
  checkOrigin(a.url, origins, 0, false);
  let headers: Headers;
  try {
    headers = new Headers(a.headers ?? {});
  } catch (e) {
    throw new FaygerError({
      code: 'INSTRUCTION_INVALID',
      phase: 'net.http',
      what: 'net.http headers',
      expected: 'header names and values the Fetch standard accepts (no newlines, valid tokens)',
      found: describe(e),
      cause: e,
      details: { field: '/args/headers' },
    });
  }
  const doFetch = options.fetch ?? globalThis.fetch.bind(globalThis);
  const timeout = a.timeoutMs ?? options.timeoutMs ?? 30_000;
  const signal = AbortSignal.any([ctx.signal, AbortSignal.timeout(timeout)]);
  const maxRedirects = options.maxRedirects ?? 5;
  let url = a.url;
  let method: string = a.method;
  let body: Uint8Array | undefined = a.body;
  for (let hop = 0; ; hop++) {
    const req: HttpRequestFacts = { url, method, origin: originOfUrl(url) };
    let res: Response;
    try {
      res = await doFetch(url, {
        ...options.init,
        method,
        headers,
        body: body && method !== 'GET' && method !== 'HEAD' ? (body as unknown as BodyInit) : undefined,
        redirect: mode === 'follow' ? 'follow' : 'manual',
        signal,
      });
    } catch (e) {
      if (ctx.signal.aborted) throw ctx.signal.reason;
      if (signal.aborted) {
        throw new FaygerError({
          code: 'ADAPTER_TIMEOUT',
          phase: 'net.http',
          what: `net.http ${req.origin}`,
          expected: `a response within ${timeout} ms`,
          found: 'no response',
          cause: e,
          details: { origin: req.origin, timeoutMs: timeout },
        });
      }
      throw options.fetchFailed?.(e, req) ?? netFailed(req, `net.http ${method}`, describe(e), e);
    }
    if (mode !== 'follow' && isRedirect(res)) {
      await res.body?.cancel().catch(() => {});
      const location = res.headers.get('location');
      if (mode === 'refuse' || location === null || res.type === 'opaqueredirect') {
        throw (
          options.redirectRefused?.(req) ??
          netFailed(req, `net.http ${method}`, 'a redirect response', undefined, false)
        );
      }
      if (hop >= maxRedirects)
        throw netFailed(req, 'net.http', `more than ${maxRedirects} redirects`, undefined, false);
      url = new URL(location, url).toString();
      if (res.status === 303 || ((res.status === 301 || res.status === 302) && method === 'POST')) {
        method = 'GET';
        body = undefined;
      }
      checkOrigin(url, origins, hop + 1, false);
      continue;
    }
    // Redirects fetch followed out of sight: the answer is only released if it came from a granted origin.
    if (res.redirected && res.url) {
      try {
        checkOrigin(res.url, origins, 0, true);
      } catch (e) {
        await res.body?.cancel().catch(() => {});
        throw e;
      }
    }
    const data = await readCappedBody(res as ResponseLike, bodyCap(ctx), url, (e) => {
      if (ctx.signal.aborted) return ctx.signal.reason;
      return options.readFailed?.(e, req) ?? netFailed(req, 'reading the response of', describe(e), e);
    });
    return { status: res.status, headers: responseHeaders(res as ResponseLike), body: data };
  }
}
