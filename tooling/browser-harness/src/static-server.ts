import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, resolve, sep } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.png': 'image/png',
  '.txt': 'text/plain; charset=utf-8',
};

export interface StaticServerOptions {
  /** Folder served at `/` (optional when only `files` are served). */
  root?: string;
  /** In-memory files by URL path (`'/index.html'`), served before `root`. */
  files?: Record<string, string | Uint8Array>;
}

export interface StaticServer {
  /** `http://127.0.0.1:<port>` */
  origin: string;
  /** Adds or replaces an in-memory file. */
  put(path: string, body: string | Uint8Array): void;
  close(): Promise<void>;
}

/** A static server on 127.0.0.1 (ephemeral port); paths outside `root` answer 404. */
export async function startStaticServer(options: StaticServerOptions = {}): Promise<StaticServer> {
  const files = new Map(Object.entries(options.files ?? {}));
  const root = options.root ? resolve(options.root) : undefined;
  const server: Server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://127.0.0.1').pathname);
    const key = path === '/' ? '/index.html' : path;
    const type = TYPES[extname(key)] ?? 'application/octet-stream';
    const mem = files.get(key);
    if (mem !== undefined) {
      res.writeHead(200, { 'content-type': type, 'cache-control': 'no-store' }).end(mem);
      return;
    }
    const full = root ? resolve(root, `.${key}`) : undefined;
    if (!root || !full || (full !== root && !full.startsWith(root + sep))) {
      res.writeHead(404).end('not found');
      return;
    }
    readFile(full).then(
      (body) => res.writeHead(200, { 'content-type': type, 'cache-control': 'no-store' }).end(body),
      () => res.writeHead(404).end('not found'),
    );
  });
  server.unref();
  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => ok());
  });
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    put: (path, body) => void files.set(path, body),
    close: () =>
      new Promise<void>((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}
