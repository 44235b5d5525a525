import { defineConfig } from 'tsup';

// The CLI and its per-file worker run as plain Node 20 JavaScript (no type stripping there).
export default defineConfig({
  entry: ['src/index.ts', 'src/cli.ts', 'src/worker.ts', 'src/wasi-cli.ts'],
  format: ['esm'],
  dts: { entry: 'src/index.ts' },
  sourcemap: true,
  clean: true,
  target: 'es2022',
});
