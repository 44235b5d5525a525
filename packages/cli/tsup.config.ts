import { defineConfig } from 'tsup';

export default defineConfig([
  {
    entry: ['src/index.ts'],
    format: ['esm', 'cjs'],
    dts: process.env['FAYGER_BUILD_DTS'] !== '0', // 0 in `pnpm demo`: nothing on its path reads declarations
    sourcemap: true,
    // maps point at the shipped src/ rather than embedding a second copy of it
    esbuildOptions: (options) => {
      options.sourcesContent = false;
    },
    clean: true,
    target: 'es2022',
    removeNodeProtocol: false,
  },
  {
    // The `fayger` bin, split so that each command's code is a chunk imported only when that command runs
    // (`--version` and `--help` load no command); dependencies stay external (the packages' own dist).
    entry: { bin: 'src/bin.ts' },
    outDir: 'dist',
    format: ['esm'],
    platform: 'node',
    splitting: true,
    sourcemap: true,
    // maps point at the shipped src/ rather than embedding a second copy of it
    esbuildOptions: (options) => {
      options.sourcesContent = false;
      options.chunkNames = 'bin-chunks/[name]-[hash]';
    },
    target: 'es2022',
    removeNodeProtocol: false,
    banner: { js: '#!/usr/bin/env node' },
  },
]);
