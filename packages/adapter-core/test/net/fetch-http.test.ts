import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FaygerError } from '@fayger/contracts';
import { afterAll, describe, expect, it } from 'vitest';
import { fetchHttp } from '../../src/index.js';

const servers: Server[] = [];
async function serve(handler: Parameters<typeof createServer>[1]): Promise<string> {
  const s = createServer(handler);
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  servers.push(s);
  return `http://127.0.0.1:${(s.address() as AddressInfo).port}`;
}
afterAll(() => {
  for (const s of servers) s.close();
});

const ctx = (origins?: string[], bytes?: number) => ({
  signal: new AbortController().signal,
  remaining: bytes === undefined ? {} : { bytes },
  scope: origins ? { origins } : undefined,
});
const GET = (url: string, extra: object = {}) => ({ method: 'GET' as never, url, ...extra });
const text = (b: Uint8Array) => new TextDecoder().decode(b);

describe('fetchHttp', () => {
  it('sends method, headers and body; returns status, headers and body bytes', async () => {
    const url = await serve((q, r) => {
      const chunks: Buffer[] = [];
      q.on('data', (c: Buffer) => chunks.push(c));
      q.on('end', () =>
        r.writeHead(201, { 'x-echo': String(q.headers['x-test']) }).end(`${q.method} ${Buffer.concat(chunks).length}`),
      );
    });
    const res = await fetchHttp(
      { method: 'POST' as never, url: `${url}/e`, headers: { 'x-test': 'yes' }, body: new Uint8Array([1, 2, 3]) },
      ctx([url]),
    );
    expect([res.status, res.headers['x-echo'], text(res.body)]).toEqual([201, 'yes', 'POST 3']);
  });

  it("redirects: 'check' follows hops within the grant and refuses one that leaves it before requesting it", async () => {
    let otherHit = 0;
    const other = await serve((_q, r) => {
      otherHit++;
      r.end('other');
    });
    const url = await serve((q, r) => {
      if (q.url === '/hop') r.writeHead(302, { location: '/final' }).end();
      else if (q.url === '/away') r.writeHead(302, { location: `${other}/x` }).end();
      else if (q.url === '/loop') r.writeHead(302, { location: '/loop' }).end();
      else r.end('final');
    });
    expect(text((await fetchHttp(GET(`${url}/hop`), ctx([url]))).body)).toBe('final');
    const e = await fetchHttp(GET(`${url}/away`), ctx([url])).catch((x: unknown) => x);
    expect(e).toMatchObject({ code: 'CAPABILITY_SCOPE_DENIED', details: { redirect: true } });
    expect(otherHit).toBe(0);
    await expect(fetchHttp(GET(`${url}/loop`), ctx([url]), { maxRedirects: 2 })).rejects.toMatchObject({
      code: 'ADAPTER_NET_FAILED',
      retryable: false,
    });
  });

  it("redirects: 'follow' withholds a response whose final URL is not granted; 'refuse' uses the host's error", async () => {
    const other = await serve((_q, r) => r.end('other'));
    const url = await serve((_q, r) => r.writeHead(302, { location: `${other}/x` }).end());
    await expect(fetchHttp(GET(url), ctx([url]), { redirects: 'follow' })).rejects.toMatchObject({
      code: 'CAPABILITY_SCOPE_DENIED',
      details: { redirect: true },
    });
    expect(text((await fetchHttp(GET(url), ctx([url, other]), { redirects: 'follow' })).body)).toBe('other');
    const refused = new FaygerError({ code: 'INVALID_ARGUMENT', phase: 'net.http', what: 'a planted refusal' });
    await expect(fetchHttp(GET(url), ctx(), { redirects: 'refuse', redirectRefused: () => refused })).rejects.toBe(
      refused,
    );
  });

  it('ungranted origins, bad headers, deadlines, body caps and network failures are typed errors', async () => {
    const url = await serve((q, r) => {
      if (q.url === '/slow') setTimeout(() => r.end('late'), 2000);
      else r.end('x'.repeat(1000));
    });
    await expect(fetchHttp(GET('http://127.0.0.1:1/'), ctx([url]))).rejects.toMatchObject({
      code: 'CAPABILITY_SCOPE_DENIED',
      details: { redirect: false },
    });
    await expect(fetchHttp(GET('not a url'), ctx())).rejects.toMatchObject({ code: 'CAPABILITY_SCOPE_DENIED' });
    await expect(fetchHttp(GET(url, { headers: { 'bad\nname': 'x' } }), ctx())).rejects.toMatchObject({
      code: 'INSTRUCTION_INVALID',
    });
    await expect(fetchHttp(GET(`${url}/slow`, { timeoutMs: 50 }), ctx())).rejects.toMatchObject({
      code: 'ADAPTER_TIMEOUT',
      details: { timeoutMs: 50 },
    });
    await expect(fetchHttp(GET(url), ctx(undefined, 10))).rejects.toMatchObject({
      code: 'ADAPTER_NET_FAILED',
      details: { limit: 10 },
    });
    await expect(fetchHttp(GET('http://127.0.0.1:9/'), ctx())).rejects.toMatchObject({
      code: 'ADAPTER_NET_FAILED',
      retryable: true,
    });
    const seen: string[] = [];
    const mine = new FaygerError({ code: 'INVALID_ARGUMENT', phase: 'net.http', what: 'a planted failure' });
    const failing = (() => Promise.reject(new TypeError('Failed to fetch'))) as typeof fetch;
    await expect(
      fetchHttp(GET('https://example.test/a'), ctx(), {
        fetch: failing,
        fetchFailed: (_e, req) => (seen.push(`${req.method} ${req.origin}`), mine),
      }),
    ).rejects.toBe(mine);
    expect(seen).toEqual(['GET https://example.test']);
  });

  it('a cancelled call rejects with the reason of its signal', async () => {
    const url = await serve((_q, r) => setTimeout(() => r.end('late'), 2000));
    const ac = new AbortController();
    const p = fetchHttp(GET(url), { signal: ac.signal, remaining: {}, scope: undefined });
    const reason = new FaygerError({ code: 'ADAPTER_CANCELLED', phase: 'net.http', what: 'the call' });
    setTimeout(() => ac.abort(reason), 20);
    await expect(p).rejects.toBe(reason);
  });
});
