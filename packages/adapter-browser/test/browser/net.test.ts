import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { commands } from 'vitest/browser';
import { closeAll, expectCode, req, session } from './helpers.js';

let a = '';
let b = '';
beforeAll(async () => {
  a = await commands.startHttpFixture();
  b = await commands.startHttpFixture();
});
afterAll(async () => {
  await commands.stopHttpFixture(a);
  await commands.stopHttpFixture(b);
});
afterEach(closeAll);

const http = (origins: string[]) => [req('net.http', { origins })];
type Res = { status: number; headers: Record<string, string>; body: Uint8Array };

it('sends method, headers and body bytes; returns status, exposed headers and body bytes', async () => {
  const s = await session({}, http([a]));
  const r = await s.call<Res>('net.http', {
    method: 'POST',
    url: `${a}/echo?x=1`,
    headers: { 'x-test': 'yes', 'content-type': 'application/octet-stream' },
    body: new Uint8Array([0, 1, 254, 255]),
  });
  expect(r.status).toBe(200);
  expect(r.headers['x-fixture']).toBe('echo');
  const echo = JSON.parse(new TextDecoder().decode(r.body)) as {
    method: string;
    url: string;
    headers: Record<string, string>;
    body: string;
  };
  expect(echo).toMatchObject({ method: 'POST', url: '/echo?x=1' });
  expect(echo.headers['x-test']).toBe('yes');
  expect(Array.from(atob(echo.body), (c) => c.charCodeAt(0))).toEqual([0, 1, 254, 255]);
  const bytes = await s.call<Res>('net.http', { method: 'GET', url: `${a}/bytes?n=300` });
  expect(bytes.body.byteLength).toBe(300);
  expect(bytes.body[257]).toBe(1);
  expect((await s.call<Res>('net.http', { method: 'GET', url: `${a}/status/404` })).status).toBe(404);
});

it('a server that does not allow this origin (CORS) fails BROWSER_FETCH_FAILED, saying so', async () => {
  const s = await session({}, http([a]));
  const e = await expectCode(s.call('net.http', { method: 'GET', url: `${a}/nocors` }), 'BROWSER_FETCH_FAILED');
  expect(e.message).toMatch(/Access-Control-Allow-Origin/);
  expect(e.retryable).toBe(true);
});

it('a redirect to an ungranted origin is withheld; within granted origins it is followed', async () => {
  const s = await session({}, http([a]));
  const e = await expectCode(
    s.call('net.http', { method: 'GET', url: `${a}/redirect?to=${encodeURIComponent(`${b}/ok`)}` }),
    'CAPABILITY_SCOPE_DENIED',
  );
  expect(e.details).toMatchObject({ redirect: true, origin: b });
  const ok = await s.call<Res>('net.http', { method: 'GET', url: `${a}/redirect?to=${encodeURIComponent(`${a}/ok`)}` });
  expect(new TextDecoder().decode(ok.body)).toBe('ok');
  const both = await session({}, http([a, b]));
  expect(
    (await both.call<Res>('net.http', { method: 'GET', url: `${a}/redirect?to=${encodeURIComponent(`${b}/ok`)}` }))
      .status,
  ).toBe(200);
});

it("redirects: 'refuse' fails any redirect with BROWSER_REDIRECT_REFUSED", async () => {
  const s = await session({ http: { redirects: 'refuse' } }, http([a]));
  await expectCode(
    s.call('net.http', { method: 'GET', url: `${a}/redirect?to=${encodeURIComponent(`${a}/ok`)}` }),
    'BROWSER_REDIRECT_REFUSED',
  );
  expect((await s.call<Res>('net.http', { method: 'GET', url: `${a}/ok` })).status).toBe(200);
});

it('ungranted origins are denied by the bus and by the adapter itself; timeouts are ADAPTER_TIMEOUT', async () => {
  const s = await session({}, http([a]));
  await expectCode(s.call('net.http', { method: 'GET', url: `${b}/ok` }), 'CAPABILITY_SCOPE_DENIED');
  const direct = await expectCode(
    Promise.resolve().then(() =>
      s.adapter.handle(
        { v: 1, id: 'd', op: 'net.http', args: { method: 'GET', url: `${b}/ok` }, instanceId: 'd' } as never,
        {
          instanceId: 'd',
          callId: 'd',
          capability: 'net.http',
          grant: { name: 'net.http', scope: { origins: [a] } },
          scope: { origins: [a] },
          grants: new Map(),
          remaining: {},
          signal: new AbortController().signal,
          emit: () => {},
        } as never,
      ),
    ),
    'CAPABILITY_SCOPE_DENIED',
  );
  expect(direct.details).toMatchObject({ redirect: false });
  await expectCode(s.call('net.http', { method: 'GET', url: `${a}/slow?ms=3000`, timeoutMs: 100 }), 'ADAPTER_TIMEOUT');
  await expectCode(s.call('net.http', { method: 'GET', url: `${a}/ok`, headers: { 'bad\nname': 'x' } }), [
    'INSTRUCTION_INVALID',
  ]);
});

it('a body larger than the remaining byte quota is refused, not truncated', async () => {
  const s = await session({}, [{ name: 'net.http', required: false, scope: { origins: [a] }, quota: { bytes: 1000 } }]);
  await expectCode(s.call('net.http', { method: 'GET', url: `${a}/bytes?n=5000` }), [
    'ADAPTER_NET_FAILED',
    'CAPABILITY_QUOTA_EXCEEDED',
  ]);
});
