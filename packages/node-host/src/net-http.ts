import { fetchHttp } from '@fayger/adapter-core';
import type { AdapterCallContext, OpArgs, OpResult } from '@fayger/contracts';

export interface HttpClientOptions {
  /** The fetch to use (default globalThis.fetch). */
  fetch?: typeof fetch;
  /** Redirects followed at most (default 5). Each hop must stay on a granted origin. */
  maxRedirects?: number;
  /** Default request deadline when the instruction has no timeoutMs (default 30000). */
  timeoutMs?: number;
}

/**
 * net.http over the global fetch, restricted to granted origins: adapter-core's `fetchHttp` in `check` mode,
 * so redirects are followed by hand and every hop's origin is checked against the grant before it is requested
 * (a granted origin cannot bounce the guest to an ungranted one). Bodies are read with a byte cap (the op limit
 * and the remaining quota).
 */
export class HttpClient {
  constructor(private readonly options: HttpClientOptions = {}) {}

  request(
    a: OpArgs<'net.http'>,
    ctx: Pick<AdapterCallContext, 'scope' | 'signal' | 'remaining'>,
  ): Promise<OpResult<'net.http'>> {
    return fetchHttp(a, ctx, { ...this.options, redirects: 'check' });
  }
}
