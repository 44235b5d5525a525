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
    // The `fayger` bin: self-contained (every dependency inlined and tree-shaken: loading typebox's hundreds of
    // ESM files and a dozen packages' dist made `fayger run` start 2.5x slower) and split so that each command
    // is a chunk imported only when it runs (`--version` and `--help` load no command). No source maps: they
    // would point into other packages' sources, which this tarball does not ship.
    entry: { bin: 'src/bin.ts' },
    outDir: 'dist',
    format: ['esm'],
    platform: 'node',
    splitting: true,
    // OpenTelemetry (large, loaded only by `run --trace`) stays an installed dependency.
    noExternal: [/^(?!@opentelemetry\/)/],
    external: [/^@opentelemetry\//],
    sourcemap: false,
    esbuildOptions: (options) => {
      options.chunkNames = 'bin-chunks/[name]-[hash]';
    },
    target: 'es2022',
    removeNodeProtocol: false,
    banner: { js: '#!/usr/bin/env node' },
  },
  {
    // `fayger run` once more as one CommonJS file, which commands/run-cached.ts compiles with a V8 code cache
    // (Node 20 has none for ES modules; see there). Same inlining as the bin; `import()` becomes require so the
    // file needs no module loader inside vm.Script.
    entry: { run: 'src/commands/run.ts' },
    outDir: 'dist',
    format: ['cjs'],
    outExtension: () => ({ js: '.cjs' }),
    platform: 'node',
    splitting: false,
    noExternal: [/^(?!@opentelemetry\/)/],
    external: [/^@opentelemetry\//],
    sourcemap: false,
    clean: false,
    esbuildOptions: (options) => {
      options.supported = { ...options.supported, 'dynamic-import': false };
      // ASCII only (other characters escaped): read back as a one-byte string, which is ~3x cheaper to decode
      // and hash than the two-byte string one non-ASCII character would force on the whole 1.6 MB.
      options.charset = 'ascii';
      // No comments or indentation (some comments carry non-ASCII; less to read and hash); names are kept.
      options.minifyWhitespace = true;
      // From the workspace packages' sources (as test/global-setup.ts bundles): their dists are pre-split, and
      // the loader's puts its IPFS source (multiformats, dag-pb, unixfs, protons) in a chunk its index imports,
      // so every run paid for initialising codecs only an ipfs:// URL needs. From sources they stay lazy.
      options.conditions = ['@fayger/source'];
    },
    target: 'es2022',
    removeNodeProtocol: false,
  },
]);
