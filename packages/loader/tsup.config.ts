import { defineConfig, type Options } from 'tsup';

const common: Options = {
  entry: ['src/index.ts', 'src/node.ts'],
  dts: process.env['FAYGER_BUILD_DTS'] !== '0', // 0 in `pnpm demo`: nothing on its path reads declarations
  sourcemap: true,
  // maps point at the shipped src/ rather than embedding a second copy of it
  esbuildOptions: (options) => {
    options.sourcesContent = false;
  },
  target: 'es2022',
};

export default defineConfig([
  { ...common, format: ['esm'], clean: true },
  {
    ...common,
    format: ['cjs'],
    // @ipld/dag-pb exports an `import` condition only, which require() cannot resolve even where require(esm)
    // works: the CommonJS build carries the IPFS codecs itself (the ESM build imports them).
    noExternal: ['@ipld/dag-pb', 'ipfs-unixfs', 'multiformats', 'protons-runtime', 'uint8arraylist', 'uint8arrays'],
  },
]);
