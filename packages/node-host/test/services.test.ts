import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FaygerError, type HostEventInput } from '@fayger/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileKv, HttpClient, HttpListenService } from '../src/index.js';

const ctxBase = () => ({ signal: new AbortController().signal, remaining: {} });
let dir: string;
let servers: Server[] = [];
async function serve(handler: Parameters<typeof createServer>[1]): Promise<string> {
  const s = createServer(handler);
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  servers.push(s);
  return `http://127.0.0.1:${(s.address() as AddressInfo).port}`;
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'fayger-node-host-'));
});
afterAll(() => {
  for (const s of servers) s.close();
  servers = [];
  rmSync(dir, { recursive: true, force: true });
});

describe('FileKv', () => {
  it('persists across store objects, keeps namespaces apart, handles odd keys', async () => {
    const a = new FileKv({ dir: join(dir, 'kv') });
    const key = '../../etc/passwd\u0000 ü/ key';
    await a.set('../ns', key, new Uint8Array([9, 8]));
    const b = new FileKv({ dir: join(dir, 'kv') });
    expect(Array.from((await b.get('../ns', key))!)).toEqual([9, 8]);
    expect(await b.get('default', key)).toBeNull();
    expect(await b.list('../ns', '', 10)).toEqual([key]);
    expect(await b.list('../ns', 'x', 10)).toEqual([]);
    await b.set('../ns', key, new Uint8Array([1]));
    expect(Array.from((await a.get('../ns', key))!)).toEqual([1]);
    await a.delete('../ns', key);
    expect(await b.list('../ns', '', 10)).toEqual([]);
  });
});

describe('HttpClient', () => {
  it('follows redirects within granted origins and refuses a hop to an ungranted one', async () => {
    const other = await serve((_q, r) => r.end('other'));
    const url = await serve((q, r) => {
      if (q.url === '/hop') r.writeHead(302, { location: '/final' }).end();
      else if (q.url === '/away') r.writeHead(302, { location: `${other}/x` }).end();
      else r.end('final');
    });
    const http = new HttpClient();
    const ok = await http.request(
      { method: 'GET' as never, url: `${url}/hop` },
      { ...ctxBase(), scope: { origins: [url] } },
    );
    expect(new TextDecoder().decode(ok.body)).toBe('final');
    await expect(
      http.request({ method: 'GET' as never, url: `${url}/away` }, { ...ctxBase(), scope: { origins: [url] } }),
    ).rejects.toMatchObject({ code: 'CAPABILITY_SCOPE_DENIED', details: { redirect: true } });
    await expect(
      http.request({ method: 'GET' as never, url: `${other}/x` }, { ...ctxBase(), scope: { origins: [url] } }),
    ).rejects.toMatchObject({ code: 'CAPABILITY_SCOPE_DENIED' });
  });

  it('caps the body at the remaining byte quota and maps timeouts and refused connections to typed errors', async () => {
    const url = await serve((q, r) => {
      if (q.url === '/slow') setTimeout(() => r.end('late'), 2000);
      else r.end('x'.repeat(1000));
    });
    const http = new HttpClient();
    await expect(
      http.request({ method: 'GET' as never, url }, { ...ctxBase(), remaining: { bytes: 10 }, scope: undefined }),
    ).rejects.toMatchObject({ code: 'ADAPTER_NET_FAILED' });
    await expect(
      http.request({ method: 'GET' as never, url: `${url}/slow`, timeoutMs: 50 }, { ...ctxBase(), scope: undefined }),
    ).rejects.toMatchObject({ code: 'ADAPTER_TIMEOUT' });
    await expect(
      http.request({ method: 'GET' as never, url: 'http://127.0.0.1:9/' }, { ...ctxBase(), scope: undefined }),
    ).rejects.toSatisfy((e) => FaygerError.is(e, 'ADAPTER_NET_FAILED'));
  });
});

describe('HttpListenService', () => {
  it('turns requests into events, answers 504 when the app stays silent, refuses unknown and foreign responses', async () => {
    const svc = new HttpListenService({ responseTimeoutMs: 100 });
    const events: HostEventInput[] = [];
    const ctx = {
      instanceId: 'i1',
      emit: (e: HostEventInput) => events.push(e),
      scope: { ports: [0] },
      signal: new AbortController().signal,
    };
    const { listenerId, port } = await svc.start({ port: 0 }, ctx);
    const res = await fetch(`http://127.0.0.1:${port}/nobody-home`, { method: 'POST', body: 'hi' });
    expect(res.status).toBe(504);
    expect(events).toHaveLength(1);
    const data = events[0]!.data as { requestId: string; url: string; body: Uint8Array; method: string };
    expect([data.method, data.url, new TextDecoder().decode(data.body)]).toEqual(['POST', '/nobody-home', 'hi']);
    expect(() => svc.respond({ requestId: data.requestId, status: 200 }, ctx)).toThrow(
      expect.objectContaining({ code: 'ADAPTER_REQUEST_UNKNOWN' }),
    );
    const pending = fetch(`http://127.0.0.1:${port}/two`);
    await new Promise((r) => setTimeout(r, 30));
    const second = events[1]!.data as { requestId: string };
    expect(() => svc.respond({ requestId: second.requestId, status: 200 }, { instanceId: 'other' })).toThrow(
      expect.objectContaining({ code: 'ADAPTER_REQUEST_UNKNOWN' }),
    );
    expect(() =>
      svc.respond({ requestId: second.requestId, status: 200, headers: { 'x-a': 'b\r\nset-cookie: evil' } }, ctx),
    ).toThrow(expect.objectContaining({ code: 'INSTRUCTION_INVALID' }));
    await svc.dispose('i1');
    expect((await pending).status).toBe(503);
    expect(svc.count()).toBe(0);
    await expect(svc.start({ port: 1 }, ctx)).rejects.toMatchObject({ code: 'CAPABILITY_SCOPE_DENIED' });
    await expect(svc.start({ port: 0, host: '0.0.0.0' }, ctx)).rejects.toMatchObject({
      code: 'CAPABILITY_SCOPE_DENIED',
    });
    void listenerId;
  });
});
