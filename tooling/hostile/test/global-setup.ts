import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'tsup';

/**
 * Bundles the CLI (and the many-instances embedder script) from sources (the `@fayger/source` condition), so
 * the spawned processes run the code under test, and writes the RSS preload.
 */
export default async function setup(): Promise<void> {
  const root = join(dirname(fileURLToPath(import.meta.url)), '..');
  const outDir = join(root, 'test-artifacts', 'bin');
  mkdirSync(outDir, { recursive: true });
  await build({
    entry: {
      fayger: join(root, '..', '..', 'packages', 'cli', 'src', 'bin.ts'),
      'many-instances': join(root, 'test', 'support', 'many-instances.ts'),
    },
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
  // Preloaded into every child: writes the process's peak RSS (KiB) to $HOSTILE_RSS_FILE when it exits.
  writeFileSync(
    join(outDir, 'rss-preload.cjs'),
    `const fs = require('node:fs');
process.on('exit', () => {
  const f = process.env.HOSTILE_RSS_FILE;
  if (f) try { fs.writeFileSync(f, String(process.resourceUsage().maxRSS)); } catch {}
});
`,
  );
}
