import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  target: 'es2022',
  // Peer dependencies: the app's own copies are used, never bundled ones.
  external: ['@fayger/adapter-core', '@fayger/contracts'],
});
