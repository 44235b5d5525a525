import { bodyCap, isUrlAllowed, originOfUrl, readCappedBody, responseHeaders } from '@fayger/adapter-core';
import { FaygerError, type AdapterCallContext, type OpArgs, type OpResult } from '@fayger/contracts';
import { browserError, describeThrown } from '../errors.js';

export interface BrowserHttpOptions {
  /** The fetch to use (default globalThis.fetch). */
  fetch?: typeof fetch;
  /**
   * `follow` (default): the browser follows redirects and the final URL (`response.url`) must be on a granted
   * origin, else the response is withheld (CAPABILITY_SCOPE_DENIED). `refuse`: any redirect fails
   * BROWSER_REDIRECT_REFUSED and no request ever leaves for the redirect target. Pages cannot see
   * intermediate hops, so only `refuse` guarantees that no request reaches an ungranted origin.
   */
  redirects?: 'follow' | 'refuse';
  /** Default request deadline when the instruction has no timeoutMs (default 30000). */
  timeoutMs?: number;
  /** Send the page's cookies and HTTP auth with requests (default false: a guest never rides on the user's session). */
  credentials?: boolean;
}

function scopeDenied(url: string, origins: readonly string[] | undefined, redirect: boolean): FaygerError {
  return new FaygerError({
    code: 'CAPABILITY_SCOPE_DENIED',
    phase: 'net.http',
    what: redirect ? 'the final URL of a redirected net.http request' : 'net.http request',
    expected: `a URL on a granted origin (${JSON.stringify(origins)})`,
    found: JSON.stringify(originOfUrl(url) ?? url.slice(0, 100)),
    details: { op: 'net.http', capability: 'net.http', origin: originOfUrl(url), redirect },
  });
}

/**
 * net.http over the page's fetch, confined to the granted origins (checked before the request and again on
 * the final URL after redirects). Bodies are read with a byte cap (op limit and remaining quota). Fetch
 * rejections — CORS refused, mixed content, network down, all a bare TypeError in browsers — become
 * BROWSER_FETCH_FAILED with the likely causes spelled out.
 */
export async function fetchHttp(
  a: OpArgs<'net.http'>,
  ctx: Pick<AdapterCallContext, 'scope' | 'signal' | 'remaining'>,
  options: BrowserHttpOptions = {},
): Promise<OpResult<'net.http'>> {
  const origins = ctx.scope?.origins;
  const url = a.url;
  if (originOfUrl(url) === undefined || (origins !== undefined && !isUrlAllowed(url, origins)))
    throw scopeDenied(url, origins, false);
  const doFetch = options.fetch ?? globalThis.fetch.bind(globalThis);
  const timeout = a.timeoutMs ?? options.timeoutMs ?? 30_000;
  const signal = AbortSignal.any([ctx.signal, AbortSignal.timeout(timeout)]);
  let headers: Headers;
  try {
    headers = new Headers(a.headers ?? {});
  } catch (e) {
    throw new FaygerError({
      code: 'INSTRUCTION_INVALID',
      phase: 'net.http',
      what: 'net.http headers',
      expected: 'header names and values the Fetch standard accepts (no newlines, valid tokens)',
      found: describeThrown(e),
      cause: e,
      details: { field: '/args/headers' },
    });
  }
  let res: Response;
  try {
    res = await doFetch(url, {
      method: a.method,
      headers,
      body: a.body && a.method !== 'GET' && a.method !== 'HEAD' ? (a.body as unknown as BodyInit) : undefined,
      redirect: options.redirects === 'refuse' ? 'manual' : 'follow',
      credentials: options.credentials ? 'include' : 'omit',
      mode: 'cors',
      signal,
    });
  } catch (e) {
    if (ctx.signal.aborted) throw ctx.signal.reason;
    if (signal.aborted) {
      throw new FaygerError({
        code: 'ADAPTER_TIMEOUT',
        phase: 'net.http',
        what: `net.http ${originOfUrl(url)}`,
        expected: `a response within ${timeout} ms`,
        found: 'no response',
        cause: e,
        details: { origin: originOfUrl(url), timeoutMs: timeout },
      });
    }
    throw browserError(
      'BROWSER_FETCH_FAILED',
      'net.http',
      `net.http ${a.method} ${originOfUrl(url)}`,
      describeThrown(e),
      {
        expected: 'a response the page is allowed to read',
        hint:
          'Browsers report CORS refusals, mixed content and network failures alike. If the origin is up, make it send ' +
          `Access-Control-Allow-Origin for ${typeof location !== 'undefined' ? location.origin : 'this page'} (and answer the preflight for non-simple requests).`,
        cause: e,
        retryable: true,
        details: { origin: originOfUrl(url), method: a.method },
      },
    );
  }
  if (res.type === 'opaqueredirect') {
    await res.body?.cancel().catch(() => {});
    throw browserError(
      'BROWSER_REDIRECT_REFUSED',
      'net.http',
      `net.http ${a.method} ${originOfUrl(url)}`,
      'a redirect response',
      {
        expected: 'a final (non-redirect) response',
        details: { origin: originOfUrl(url) },
      },
    );
  }
  // The browser followed redirects out of sight: the answer is only released if it came from a granted origin.
  const finalUrl = res.url || url;
  if (
    res.redirected &&
    (originOfUrl(finalUrl) === undefined || (origins !== undefined && !isUrlAllowed(finalUrl, origins)))
  ) {
    await res.body?.cancel().catch(() => {});
    throw scopeDenied(finalUrl, origins, true);
  }
  const body = await readCappedBody(res, bodyCap(ctx), url, (e) => {
    if (ctx.signal.aborted) return ctx.signal.reason;
    return browserError(
      'BROWSER_FETCH_FAILED',
      'net.http',
      `reading the response of ${originOfUrl(url)}`,
      describeThrown(e),
      { cause: e, retryable: true, details: { origin: originOfUrl(url) } },
    );
  });
  return { status: res.status, headers: responseHeaders(res), body };
}
