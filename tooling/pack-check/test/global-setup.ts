import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';
import type { PackedPackage } from './packed.js';

/**
 * Packs every published package once, exactly as `pnpm publish` would (workspace: ranges rewritten, the root
 * LICENSE added), and extracts each tarball; the tests read `packed.json` from the provided directory.
 */
export default function setup(project: TestProject): () => void {
  const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
  const packagesDir = join(repoRoot, 'packages');
  const workDir = mkdtempSync(join(tmpdir(), 'fayger-pack-check-'));
  const packed: PackedPackage[] = [];
  for (const name of readdirSync(packagesDir)) {
    const dir = join(packagesDir, name);
    const manifestFile = join(dir, 'package.json');
    if (!existsSync(manifestFile) || (JSON.parse(readFileSync(manifestFile, 'utf8')) as { private?: boolean }).private)
      continue;
    const dest = mkdtempSync(join(workDir, 'pkg-'));
    execFileSync('pnpm', ['pack', '--pack-destination', dest], { cwd: dir, stdio: 'pipe' });
    const tarball = readdirSync(dest).find((f) => f.endsWith('.tgz'));
    if (!tarball) throw new Error(`pnpm pack wrote no tarball for ${dir}`);
    execFileSync('tar', ['-xzf', join(dest, tarball), '-C', dest]);
    const root = join(dest, 'package');
    const files = walk(root).map((f) => relative(root, f));
    const unpackedBytes = files.reduce((n, f) => n + statSync(join(root, f)).size, 0);
    const pkgName = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { name: string }).name;
    packed.push({
      name: pkgName,
      dir: relative(repoRoot, dir),
      tarball: join(dest, tarball),
      root,
      files,
      unpackedBytes,
    });
  }
  writeFileSync(join(workDir, 'packed.json'), JSON.stringify(packed));
  project.provide('packDir', workDir);
  project.provide('repoRoot', repoRoot);
  return () => rmSync(workDir, { recursive: true, force: true });
}

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}
