import { defineConfig } from 'tsup';

export default defineConfig([
  {
    entry: ['src/index.ts'],
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    clean: true,
    target: 'es2022',
    removeNodeProtocol: false,
  },
  {
    // The `fayger` bin: one self-contained ESM bundle (every dependency inlined, so start-up resolves no
    // packages), split so that each command's code is a chunk loaded only when that command runs.
    entry: { bin: 'src/bin.ts' },
    outDir: 'dist',
    format: ['esm'],
    platform: 'node',
    target: 'node20',
    splitting: true,
    noExternal: [/.*/],
    sourcemap: true,
    removeNodeProtocol: false,
    banner: { js: '#!/usr/bin/env node' },
    esbuildOptions(o) {
      o.chunkNames = 'bin-chunks/[name]-[hash]';
    },
  },
]);
