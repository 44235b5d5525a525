import { fetchHttp as coreFetchHttp, type FetchHttpOptions, type HttpRequestFacts } from '@fayger/adapter-core';
import type { AdapterCallContext, OpArgs, OpResult } from '@fayger/contracts';
import { browserError, describeThrown } from '../errors.js';

/** net.http options: the fetch to use (default globalThis.fetch), the default deadline (default 30000 ms), and: */
export interface BrowserHttpOptions extends Pick<FetchHttpOptions, 'fetch' | 'timeoutMs'> {
  /**
   * `follow` (default): the browser follows redirects and the final URL (`response.url`) must be on a granted
   * origin, else the response is withheld (CAPABILITY_SCOPE_DENIED). `refuse`: any redirect fails
   * BROWSER_REDIRECT_REFUSED and no request ever leaves for the redirect target. Pages cannot see
   * intermediate hops, so only `refuse` guarantees that no request reaches an ungranted origin.
   */
  redirects?: 'follow' | 'refuse';
  /** Send the page's cookies and HTTP auth with requests (default false: a guest never rides on the user's session). */
  credentials?: boolean;
}

const failed = (e: unknown, what: string, req: HttpRequestFacts, extra: { expected?: string; hint?: string } = {}) =>
  browserError('BROWSER_FETCH_FAILED', 'net.http', what, describeThrown(e), {
    ...extra,
    cause: e,
    retryable: true,
    details: { origin: req.origin, method: req.method },
  });

/**
 * net.http over the page's fetch: adapter-core's `fetchHttp` (granted origins checked before the request and
 * on the final URL, capped body) with the browser's codes. Fetch rejections — CORS refused, mixed content,
 * network down, all a bare TypeError in browsers — become BROWSER_FETCH_FAILED with the likely causes spelled out.
 */
export function fetchHttp(
  a: OpArgs<'net.http'>,
  ctx: Pick<AdapterCallContext, 'scope' | 'signal' | 'remaining'>,
  options: BrowserHttpOptions = {},
): Promise<OpResult<'net.http'>> {
  return coreFetchHttp(a, ctx, {
    fetch: options.fetch,
    timeoutMs: options.timeoutMs,
    redirects: options.redirects ?? 'follow',
    init: { credentials: options.credentials ? 'include' : 'omit', mode: 'cors' },
    fetchFailed: (e, req) =>
      failed(e, `net.http ${req.method} ${req.origin}`, req, {
        expected: 'a response the page is allowed to read',
        hint:
          'Browsers report CORS refusals, mixed content and network failures alike. If the origin is up, make it send ' +
          `Access-Control-Allow-Origin for ${typeof location !== 'undefined' ? location.origin : 'this page'} (and answer the preflight for non-simple requests).`,
      }),
    readFailed: (e, req) => failed(e, `reading the response of ${req.origin}`, req),
    redirectRefused: (req) =>
      browserError(
        'BROWSER_REDIRECT_REFUSED',
        'net.http',
        `net.http ${req.method} ${req.origin}`,
        'a redirect response',
        {
          expected: 'a final (non-redirect) response',
          details: { origin: req.origin },
        },
      ),
  });
}
