import {
  bodyCap,
  isUrlAllowed,
  originOfUrl,
  readCappedBody,
  responseHeaders,
  type ResponseLike,
} from '@fayger/adapter-core';
import { FaygerError, type AdapterCallContext, type OpArgs, type OpResult } from '@fayger/contracts';

export interface HttpClientOptions {
  /** The fetch to use (default globalThis.fetch). */
  fetch?: typeof fetch;
  /** Redirects followed at most (default 5). Each hop must stay on a granted origin. */
  maxRedirects?: number;
  /** Default request deadline when the instruction has no timeoutMs (default 30000). */
  timeoutMs?: number;
}

function netFailed(url: string, found: string, cause?: unknown, retryable = true): FaygerError {
  return new FaygerError({
    code: 'ADAPTER_NET_FAILED',
    phase: 'net.http',
    what: `net.http ${originOfUrl(url) ?? 'request'}`,
    found,
    cause,
    retryable,
    details: { origin: originOfUrl(url) },
  });
}

/**
 * net.http over the global fetch, restricted to granted origins. Redirects are followed by hand: every hop's
 * origin is checked against the grant before it is requested, so a granted origin cannot bounce the guest to an
 * ungranted one. Response bodies are read with a byte cap (the op limit and the remaining quota).
 */
export class HttpClient {
  constructor(private readonly options: HttpClientOptions = {}) {}

  async request(
    a: OpArgs<'net.http'>,
    ctx: Pick<AdapterCallContext, 'scope' | 'signal' | 'remaining'>,
  ): Promise<OpResult<'net.http'>> {
    const origins = ctx.scope?.origins;
    const doFetch = this.options.fetch ?? globalThis.fetch;
    const signal = AbortSignal.any([ctx.signal, AbortSignal.timeout(a.timeoutMs ?? this.options.timeoutMs ?? 30_000)]);
    let url = a.url;
    let method: string = a.method;
    let body: Uint8Array | undefined = a.body;
    const maxRedirects = this.options.maxRedirects ?? 5;
    for (let hop = 0; ; hop++) {
      if (originOfUrl(url) === undefined || (origins !== undefined && !isUrlAllowed(url, origins))) {
        throw new FaygerError({
          code: 'CAPABILITY_SCOPE_DENIED',
          phase: 'net.http',
          what: hop === 0 ? 'net.http request' : `following redirect ${hop} of net.http`,
          expected: `a URL on a granted origin (${JSON.stringify(origins)})`,
          found: JSON.stringify(originOfUrl(url) ?? url.slice(0, 100)),
          details: { op: 'net.http', capability: 'net.http', origin: originOfUrl(url), redirect: hop > 0 },
        });
      }
      let res: Response;
      try {
        res = await doFetch(url, {
          method,
          headers: a.headers,
          body: body && method !== 'GET' && method !== 'HEAD' ? (body as unknown as BodyInit) : undefined,
          redirect: 'manual',
          signal,
        });
      } catch (e) {
        if (ctx.signal.aborted) throw ctx.signal.reason;
        if ((e as Error)?.name === 'TimeoutError' || signal.aborted) {
          throw new FaygerError({
            code: 'ADAPTER_TIMEOUT',
            phase: 'net.http',
            what: `net.http ${originOfUrl(url)}`,
            expected: 'a response in time',
            found: 'no response',
            cause: e,
            details: { origin: originOfUrl(url) },
          });
        }
        throw netFailed(url, (e as Error)?.cause ? String((e as { cause: unknown }).cause) : String(e), e);
      }
      const loc = res.headers.get('location');
      if (res.status >= 300 && res.status < 400 && loc !== null && res.status !== 304) {
        await res.body?.cancel().catch(() => {});
        if (hop >= maxRedirects) throw netFailed(url, `more than ${maxRedirects} redirects`, undefined, false);
        url = new URL(loc, url).toString();
        if (res.status === 303 || ((res.status === 301 || res.status === 302) && method === 'POST')) {
          method = 'GET';
          body = undefined;
        }
        continue;
      }
      const data = await readCappedBody(res as ResponseLike, bodyCap(ctx), url);
      return { status: res.status, headers: responseHeaders(res as ResponseLike), body: data };
    }
  }
}
