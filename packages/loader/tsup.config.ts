import { defineConfig } from 'tsup';

const common = {
  entry: ['src/index.ts', 'src/node.ts'],
  dts: true,
  sourcemap: true,
  target: 'es2022',
} as const;

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
