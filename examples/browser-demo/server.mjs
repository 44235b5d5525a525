// The browser demo's server: the page, its esbuild bundle (built in memory at start from workspace sources),
// the dev trusted roots as JSON, and example BuFs under /bufs/<name>.buf through serve-static (Range, ETag,
// If-Range). Every request is logged, so a test can check which bytes of an artifact were transferred.
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import serveStatic from 'serve-static';

const here = dirname(fileURLToPath(import.meta.url));
const examplesDir = dirname(here);
const repoRoot = dirname(examplesDir);

/** Bundles src/page.ts for the browser (ESM, workspace sources through the @fayger/source condition). */
export async function bundlePage({ minify = false } = {}) {
  const result = await build({
    entryPoints: [join(here, 'src', 'page.ts')],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify,
    sourcemap: minify ? false : 'inline',
    conditions: ['@fayger/source'],
    logLevel: 'silent',
    metafile: true,
  });
  return { code: result.outputFiles[0].text, metafile: result.metafile };
}

/**
 * Starts the demo server on 127.0.0.1. Resolves with its origin, the request log
 * (`{ method, path, range, status, length }` per finished request) and `close()`.
 */
export async function startDemoServer({ port = 0 } = {}) {
  const [html, { code }] = await Promise.all([readFile(join(here, 'page', 'index.html'), 'utf8'), bundlePage()]);
  const bufs = serveStatic(examplesDir, {
    index: false,
    dotfiles: 'deny',
    acceptRanges: true,
    etag: true,
    lastModified: true,
    cacheControl: false,
    fallthrough: false,
  });
  const log = [];
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    res.on('finish', () => {
      const length = Number(res.getHeader('content-length') ?? 0);
      log.push({
        method: req.method,
        path: url.pathname,
        range: req.headers.range ?? null,
        status: res.statusCode,
        length,
      });
    });
    if (url.pathname === '/' || url.pathname === '/index.html') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(html);
      return;
    }
    if (url.pathname === '/app.js') {
      res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'no-store' }).end(code);
      return;
    }
    if (url.pathname === '/trusted-roots.json') {
      readFile(join(repoRoot, '.fayger-dev', 'trusted-roots.json')).then(
        (body) => res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(body),
        () =>
          res
            .writeHead(404, { 'content-type': 'text/plain' })
            .end('no .fayger-dev/trusted-roots.json: build an example first'),
      );
      return;
    }
    const m = /^\/bufs\/([a-z0-9-]+)\.buf$/.exec(url.pathname);
    if (m) {
      req.url = `/${m[1]}/dist/${m[1]}.buf`;
      bufs(req, res, (err) =>
        res
          .writeHead(err?.statusCode ?? 404, { 'content-type': 'text/plain' })
          .end(err ? String(err.message) : 'not found'),
      );
      return;
    }
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
  });
  await new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(port, '127.0.0.1', () => ok(undefined));
  });
  const address = server.address();
  return {
    origin: `http://127.0.0.1:${address.port}`,
    log,
    close: () =>
      new Promise((ok) => {
        server.closeAllConnections();
        server.close(() => ok(undefined));
      }),
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const s = await startDemoServer({ port: Number(process.env.PORT ?? 8137) });
  console.log(`Fayger browser demo: ${s.origin}/`);
  console.log(`  same page, the unmodified ui-counter example: ${s.origin}/?buf=/bufs/ui-counter.buf`);
  console.log('  (Ctrl-C to stop)');
}
