import { defineConfig } from 'tsup';

// Bundles the benchmark and the spec-example generator into plain JS so Node 20 runs them without a TS loader.
export default defineConfig({
  entry: {
    run: 'bench/run.ts',
    'spec-example': 'bench/spec-example.ts',
    'profile-open': 'bench/profile-open.ts',
    sources: 'bench/sources.ts',
    'snapshot-sizes': 'bench/snapshot-sizes.ts',
  },
  outDir: 'bench-dist',
  format: ['esm'],
  platform: 'node',
  target: 'node20',
  dts: false,
  clean: true,
  noExternal: [/^@fayger\//],
  // The loopback servers' own dependencies stay external (s3rver is CommonJS with dynamic requires).
  external: ['s3rver', '@ipld/car', 'ipfs-unixfs-importer', 'aws4fetch', 'multiformats'],
  esbuildOptions(o) {
    o.conditions = ['@fayger/source'];
  },
});
