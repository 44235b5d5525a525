import { defineConfig } from 'tsup';

export default defineConfig({
  entry: { index: 'src/index.ts', webassembly: 'src/facade/index.ts' },
  format: ['esm', 'cjs'],
  dts: process.env['FAYGER_BUILD_DTS'] !== '0', // 0 in `pnpm demo`: nothing on its path reads declarations
  sourcemap: true,
  // maps point at the shipped src/ rather than embedding a second copy of it
  esbuildOptions: (options) => {
    options.sourcesContent = false;
  },
  clean: true,
  target: 'es2022',
});
