// `pnpm --filter @fayger/otel bench`: bundles bench/otel.bench.ts with every workspace package taken from its
// sources (the `@fayger/source` condition, as the CLI tests do), so no prior build is needed, then runs it.
// Writes bench-results/otel.json. Env: BENCH_ROUNDS (default 9), BENCH_CALLS (host calls per run, default 5000).
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'tsup';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = join(root, 'bench-results', '.bundle');
mkdirSync(outDir, { recursive: true });
await build({
  entry: { 'otel.bench': join(root, 'bench', 'otel.bench.ts') },
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
await import(pathToFileURL(join(outDir, 'otel.bench.js')).href);
