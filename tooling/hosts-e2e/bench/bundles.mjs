// `pnpm bench`: minified + gzip sizes of Fayger's browser pieces built as an app would build them; JSON to
// bench-results/bundles.json, printed as a table. `--source` measures the TypeScript sources instead of dist.
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BUNDLES, bundleApp, nodeImports } from './bundle-app.mjs';

const pkg = dirname(dirname(fileURLToPath(import.meta.url)));
const repo = dirname(dirname(pkg));
const distMissing = [
  'loader',
  'runtime',
  'interpreter',
  'adapter-browser',
  'adapter-core',
  'security',
  'contracts',
].filter((p) => !existsSync(join(repo, 'packages', p, 'dist', 'index.js')));
const source = process.argv.includes('--source') || distMissing.length > 0;
if (distMissing.length > 0 && !process.argv.includes('--source')) {
  console.warn(
    `dist missing for ${distMissing.join(', ')}: measuring the TypeScript sources (run \`pnpm turbo run build\` to measure what an app gets)`,
  );
}

const bundles = [];
for (const [name, entry] of Object.entries(BUNDLES)) {
  const b = await bundleApp(entry, { source });
  bundles.push({
    name,
    minifiedBytes: b.minified,
    gzipBytes: b.gzip,
    nodeImports: nodeImports(b.metafile).map((i) => i.path),
  });
}
const result = {
  benchmark: 'browser bundle sizes',
  date: new Date().toISOString(),
  node: process.version,
  esbuild: { platform: 'browser', format: 'esm', minify: true, treeShaking: true, target: 'es2022' },
  gzip: 'node:zlib gzipSync level 9',
  resolvedFrom: source ? 'TypeScript sources (@fayger/source)' : 'published dist (import condition)',
  bundles,
};
await mkdir(join(pkg, 'bench-results'), { recursive: true });
await writeFile(join(pkg, 'bench-results', 'bundles.json'), `${JSON.stringify(result, null, 2)}\n`);
const kb = (n) => `${(n / 1024).toFixed(1)} KiB`.padStart(10);
console.log(`bundle sizes (${result.resolvedFrom}; minified, gzip):`);
for (const b of bundles)
  console.log(
    `${b.name.padEnd(50)} ${kb(b.minifiedBytes)} ${kb(b.gzipBytes)}${b.nodeImports.length ? `  NODE IMPORTS: ${b.nodeImports.join(', ')}` : ''}`,
  );
console.log(`written to ${join(pkg, 'bench-results', 'bundles.json')}`);
