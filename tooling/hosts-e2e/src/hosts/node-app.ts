// A Node host for the headline test, bundled to one .mjs and run as a child process:
//   node   node-app.mjs server  <buf> <roots> <out.json> <dataDir>   — adapter-server (also under --jitless)
//   node   node-app.mjs desktop <buf> <roots> <out.json>             — adapter-desktop, in a real terminal
// It writes the HostRun as JSON to <out.json> and exits with the guest's exit code.
import { readFile, writeFile } from 'node:fs/promises';
import { createDesktopAdapter } from '@fayger/adapter-desktop';
import { createServerAdapter } from '@fayger/adapter-server';
import { FileSource } from '@fayger/loader/node';
import { runBuf } from '../run-buf.js';

const [kind, bufFile, rootsFile, outFile, dataDir] = process.argv.slice(2);
if ((kind !== 'server' && kind !== 'desktop') || !bufFile || !rootsFile || !outFile || (kind === 'server' && !dataDir)) {
  console.error('usage: node-app (server <buf> <roots> <out.json> <dataDir> | desktop <buf> <roots> <out.json>)');
  process.exit(64);
}
const jitless = process.execArgv.includes('--jitless');
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
  });
  await writeFile(outFile, JSON.stringify({ ...run, jitless }, null, 2));
  process.exitCode = run.exit.exitCode ?? 70;
} finally {
  await source.close?.();
}
