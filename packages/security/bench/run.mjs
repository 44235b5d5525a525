// Bundles the benchmark from sources (every @fayger/* package through its `@fayger/source` condition) and
// runs it, so `pnpm bench` needs no prior build and measures the code in the work tree.
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'tsup';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = join(root, 'bench-results', '.bundle');
mkdirSync(outDir, { recursive: true });
await build({
  entry: { security: join(root, 'bench', 'security.bench.ts') },
  outDir,
  format: ['esm'],
  platform: 'node',
  target: 'node20',
  noExternal: [/.*/],
  silent: true,
  clean: true,
  dts: false,
  config: false,
  removeNodeProtocol: false,
  esbuildOptions(o) {
    o.conditions = ['@fayger/source'];
  },
});
process.env.BENCH_OUT ??= join(root, 'bench-results', 'security.json');
await import(pathToFileURL(join(outDir, 'security.js')).href);
