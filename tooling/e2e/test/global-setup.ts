import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'tsup';

/** Bundles the CLI from sources (the `@fayger/source` condition), so the spawned `fayger` is the code under test. */
export default async function setup(): Promise<void> {
  const root = join(dirname(fileURLToPath(import.meta.url)), '..');
  const outDir = join(root, 'test-artifacts', 'bin');
  mkdirSync(outDir, { recursive: true });
  await build({
    entry: { fayger: join(root, '..', '..', 'packages', 'cli', 'src', 'bin.ts') },
    outDir,
    format: ['esm'],
    platform: 'node',
    target: 'node20',
    noExternal: [/.*/],
    silent: true,
    clean: true,
    dts: false,
    config: false,
    removeNodeProtocol: false,
    esbuildOptions(o) {
      o.conditions = ['@fayger/source'];
    },
  });
}
