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
  // As the published package: `run` also as one CommonJS file, compiled through a V8 code cache on Node 20
  // (src/commands/run-cached.ts), so the spawned `fayger run` takes the path users get.
  await build({
    entry: { run: join(root, 'src', 'commands', 'run.ts') },
    outDir,
    format: ['cjs'],
    outExtension: () => ({ js: '.cjs' }),
    platform: 'node',
    target: 'node20',
    noExternal: [/.*/],
    splitting: false,
    silent: true,
    clean: false,
    dts: false,
    config: false,
    removeNodeProtocol: false,
    esbuildOptions(o) {
      o.conditions = ['@fayger/source'];
      o.supported = { ...o.supported, 'dynamic-import': false };
      o.charset = 'ascii';
      o.minifyWhitespace = true;
    },
  });
}
