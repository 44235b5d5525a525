import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'tsup';

/**
 * Bundles src/bin.ts with every @fayger/* dependency taken from its sources (the `@fayger/source`
 * condition), so the spawned `fayger` is exactly the code under test, with no prior build.
 */
export default async function setup(): Promise<void> {
  const root = join(dirname(fileURLToPath(import.meta.url)), '..');
  const outDir = join(root, 'test-artifacts', 'bin');
  mkdirSync(outDir, { recursive: true });
  await build({
    entry: { fayger: join(root, 'src', 'bin.ts') },
    outDir,
    format: ['esm'],
    platform: 'node',
    target: 'node20',
    noExternal: [/.*/],
    // As the published bin: split, so each command loads only its own chunk.
    splitting: true,
    silent: true,
    clean: true,
    dts: false,
    config: false,
    removeNodeProtocol: false,
    esbuildOptions(o) {
      o.conditions = ['@fayger/source'];
      o.chunkNames = 'bin-chunks/[name]-[hash]';
    },
  });
}
