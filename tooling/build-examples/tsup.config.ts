import { defineConfig } from 'tsup';

// The bin runs as plain Node 20 JavaScript from example build scripts.
export default defineConfig([
  {
    entry: ['src/index.ts'],
    format: ['esm'],
    dts: process.env['FAYGER_BUILD_DTS'] !== '0', // 0 in `pnpm demo`: nothing on its path reads declarations
    sourcemap: true,
    clean: true,
    target: 'es2022',
    removeNodeProtocol: false,
  },
  {
    entry: ['src/bin.ts'],
    format: ['esm'],
    sourcemap: true,
    target: 'es2022',
    removeNodeProtocol: false,
    banner: { js: '#!/usr/bin/env node' },
  },
]);
