// Runs examples/ui-counter/dist/ui-counter.buf (or the BuF given) on one host by hand:
//   node scripts/host.mjs server  [buf]   adapter-server in this Node process' child; prints the HostRun JSON
//   node scripts/host.mjs jitless [buf]   the same under `node --jitless` (no WebAssembly in V8)
//   node scripts/host.mjs desktop [buf]   adapter-desktop in this terminal (Tab/arrows/Enter; Ctrl-C quits)
//   node scripts/host.mjs in-app  [buf]   serves the in-app simulator page (no WebAssembly) and prints its URL
//   node scripts/host.mjs hermes  [buf]   inside the `hermes` VM (hermes-engine-cli), React Native bridge
//   node scripts/host.mjs quickjs [buf]   inside QuickJS (quickjs-ng, embedded by a Node program)
// (the engine legs' native side answers permission prompts "Allow" and plays the scripted user on ui trees)
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const pkg = dirname(dirname(fileURLToPath(import.meta.url)));
const repo = dirname(dirname(pkg));
const [mode, bufArg] = process.argv.slice(2);
// A relative path is taken from where the command was typed (pnpm --filter runs scripts in the package dir).
const buf = bufArg
  ? resolve(process.env.INIT_CWD ?? process.cwd(), bufArg)
  : join(repo, 'examples/ui-counter/dist/ui-counter.buf');
const roots = join(repo, '.fayger-dev/trusted-roots.json');
const cache = join(pkg, 'node_modules', '.cache', 'hosts-e2e');
mkdirSync(cache, { recursive: true });

if (mode === 'server' || mode === 'jitless' || mode === 'desktop') {
  const app = join(cache, 'node-app.mjs');
  await build({
    entryPoints: [join(pkg, 'src/hosts/node-app.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    conditions: ['@fayger/source'],
    outfile: app,
    logLevel: 'warning',
    banner: { js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" },
  });
  const work = mkdtempSync(join(tmpdir(), 'fayger-host-'));
  const out = join(work, 'run.json');
  const args =
    mode === 'desktop' ? [app, 'desktop', buf, roots, out] : [app, 'server', buf, roots, out, join(work, 'data')];
  const r = spawnSync(process.execPath, [...(mode === 'jitless' ? ['--jitless'] : []), ...args], { stdio: 'inherit' });
  try {
    console.log(readFileSync(out, 'utf8'));
  } catch {
    console.error(`no result written (${out})`);
  }
  process.exit(r.status ?? 1);
} else if (mode === 'in-app') {
  const sim = join(repo, 'packages/adapter-in-app/simulator');
  const page = (
    await build({
      entryPoints: [join(pkg, 'src/hosts/in-app-page.ts')],
      bundle: true,
      write: false,
      format: 'esm',
      platform: 'browser',
      target: 'es2022',
      conditions: ['@fayger/source'],
      logLevel: 'warning',
    })
  ).outputFiles[0].text;
  const files = {
    '/index.html': ['text/html; charset=utf-8', readFileSync(join(sim, 'index.html'))],
    '/no-wasm.js': ['text/javascript', readFileSync(join(sim, 'no-wasm.js'))],
    '/page.js': ['text/javascript', page],
    '/ui-counter.buf': ['application/octet-stream', readFileSync(buf)],
    '/trusted-roots.json': ['application/json', readFileSync(roots)],
  };
  const server = createServer((req, res) => {
    const f =
      files[
        new URL(req.url ?? '/', 'http://x').pathname === '/'
          ? '/index.html'
          : new URL(req.url ?? '/', 'http://x').pathname
      ];
    if (!f) return void res.writeHead(404).end('not found');
    res.writeHead(200, { 'content-type': f[0], 'cache-control': 'no-store' }).end(f[1]);
  });
  server.listen(Number(process.env.PORT ?? 8138), '127.0.0.1', () => {
    console.log(
      `in-app simulator (WebAssembly deleted before load): http://127.0.0.1:${server.address().port}/index.html?go=1`,
    );
  });
} else if (mode === 'hermes' || mode === 'quickjs') {
  const { buildEngineBundles, runInEngine } = await import('./engines.mjs');
  const started = Date.now();
  const bundles = await buildEngineBundles(mode);
  console.error(`built the in-app stack for ${mode} in ${Date.now() - started} ms; running ${buf}`);
  const r = await runInEngine(mode, bundles, buf, roots);
  const { stdout: _o, stderr, ...shown } = r;
  for (const l of r.stdout.split('\n').filter((l) => l.startsWith('@@fayger-problem '))) console.error(l);
  if (stderr.trim())
    console.error(
      stderr
        .split('\n')
        .filter((l) => !/warning: the variable|^\s*\^|^\s{4,}/.test(l))
        .join('\n'),
    );
  console.log(JSON.stringify(shown, null, 2));
  process.exit(r.run.exit.exitCode ?? 70);
} else {
  console.error('usage: node scripts/host.mjs server|jitless|desktop|in-app|hermes|quickjs [path/to/app.buf]');
  process.exit(64);
}
