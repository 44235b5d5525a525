import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A small HTTP server on 127.0.0.1 for browser tests that need a second origin (CORS, redirects, status codes).
 *
 *   GET  /ok                 200 "ok" (CORS: *)
 *   ANY  /echo               200 JSON {method, url, headers, body(base64)} (CORS: *, preflight answered)
 *   GET  /status/<n>         status n, empty body (CORS: *)
 *   GET  /redirect?to=<url>  302 to <url> (CORS: *)
 *   GET  /nocors             200 without any Access-Control-* header (a browser fetch from another origin fails)
 *   GET  /bytes?n=<k>        200 k bytes 0..255 repeating (CORS: *)
 *   GET  /slow?ms=<t>        200 "slow" after t ms (CORS: *)
 */
export interface HttpFixture {
  origin: string;
  close(): Promise<void>;
}

function cors(res: ServerResponse): void {
  res.setHeader('access-control-allow-origin', '*');
  res.setHeader('access-control-allow-methods', 'GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS');
  res.setHeader('access-control-allow-headers', '*');
  res.setHeader('access-control-expose-headers', '*');
}

function handle(req: IncomingMessage, res: ServerResponse, body: Buffer): void {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  const path = url.pathname;
  if (path === '/nocors') {
    res.writeHead(200, { 'content-type': 'text/plain' }).end('no cors here');
    return;
  }
  cors(res);
  if (req.method === 'OPTIONS') {
    res.writeHead(204).end();
    return;
  }
  if (path === '/ok') {
    res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
  } else if (path === '/echo') {
    res.writeHead(200, { 'content-type': 'application/json', 'x-fixture': 'echo' });
    res.end(JSON.stringify({ method: req.method, url: req.url, headers: req.headers, body: body.toString('base64') }));
  } else if (path.startsWith('/status/')) {
    res.writeHead(Number(path.slice('/status/'.length)) || 500).end();
  } else if (path === '/redirect') {
    res.writeHead(302, { location: url.searchParams.get('to') ?? '/ok' }).end();
  } else if (path === '/bytes') {
    const n = Math.min(Number(url.searchParams.get('n') ?? '0') || 0, 1 << 24);
    const out = Buffer.alloc(n);
    for (let i = 0; i < n; i++) out[i] = i & 0xff;
    res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(out);
  } else if (path === '/slow') {
    const t = setTimeout(
      () => res.writeHead(200).end('slow'),
      Math.min(Number(url.searchParams.get('ms') ?? '0') || 0, 30_000),
    );
    res.on('close', () => clearTimeout(t));
  } else {
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
  }
}

export async function startHttpFixture(): Promise<HttpFixture> {
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => handle(req, res, Buffer.concat(chunks)));
  });
  // Not keeping a finished test run alive if a test forgot to close it.
  server.unref();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
