// A Node host for the headline test, bundled to one .mjs and run as a child process:
//   node   node-app.mjs server  <buf> <roots> <out.json> <dataDir>   — adapter-server (also under --jitless)
//   node   node-app.mjs desktop <buf> <roots> <out.json>             — adapter-desktop, in a real terminal
// It writes the HostRun as JSON to <out.json> and exits with the guest's exit code. FAYGER_ENGINE picks the
// execution engine: interpreter (default), transpiler, or auto (the router: transpiler where new Function works).
import { readFile, writeFile } from 'node:fs/promises';
import { createDesktopAdapter } from '@fayger/adapter-desktop';
import { createServerAdapter } from '@fayger/adapter-server';
import { createInterpreterImplementation } from '@fayger/interpreter';
import { FileSource } from '@fayger/loader/node';
import { createTranspilerImplementation } from '@fayger/transpiler';
import { runBuf } from '../run-buf.js';

const [kind, bufFile, rootsFile, outFile, dataDir] = process.argv.slice(2);
if (
  (kind !== 'server' && kind !== 'desktop') ||
  !bufFile ||
  !rootsFile ||
  !outFile ||
  (kind === 'server' && !dataDir)
) {
  console.error('usage: node-app (server <buf> <roots> <out.json> <dataDir> | desktop <buf> <roots> <out.json>)');
  process.exit(64);
}
const jitless = process.execArgv.includes('--jitless');
const engine = process.env['FAYGER_ENGINE'] ?? 'interpreter';
if (engine !== 'interpreter' && engine !== 'transpiler' && engine !== 'auto') {
  console.error(`FAYGER_ENGINE must be interpreter, transpiler or auto (got ${engine})`);
  process.exit(64);
}
const implementations =
  engine === 'interpreter'
    ? [createInterpreterImplementation()]
    : engine === 'transpiler'
      ? [createTranspilerImplementation()]
      : [createTranspilerImplementation(), createInterpreterImplementation()];
const adapter =
  kind === 'server'
    ? createServerAdapter({ dataDir: dataDir!, log: { format: 'json', output: process.stdout } })
    : createDesktopAdapter({ charset: 'ascii', clipboard: null, urlOpener: null });
const source = await FileSource.open(bufFile);
try {
  const run = await runBuf({
    host: kind === 'server' ? (jitless ? 'node --jitless (server)' : 'server') : 'desktop',
    hostKind: kind,
    source,
    trustedRootsJson: await readFile(rootsFile, 'utf8'),
    adapter,
    implementations,
  });
  await writeFile(outFile, JSON.stringify({ ...run, jitless, engine }, null, 2));
  process.exitCode = run.exit.exitCode ?? 70;
} finally {
  await source.close?.();
}
