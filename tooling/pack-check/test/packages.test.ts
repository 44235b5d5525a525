import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { packedPackages, type PackedPackage } from './packed.js';

// What a user installs is the tarball, not the workspace: every published package is packed exactly as
// `pnpm publish` would (test/global-setup.ts) and each tarball is held to the project's packaging rules.

/** Unpacked-size budgets in bytes (every file of the tarball, expanded). Raise one only on purpose. */
const SIZE_BUDGETS: Record<string, number> = {
  '@fayger/contracts': 900_000,
  '@fayger/observability': 250_000,
  '@fayger/security': 350_000,
  '@fayger/loader': 1_300_000, // its CJS build bundles the IPFS codecs (ESM-only upstream)
  // The fused ops picked from measured op pairs (#11; the dispatch loop is in each of the two CJS entries and the
  // ESM chunk); the decoder, validator and shared objects moved to @fayger/wasm (was ~2.47 MB); ~1.31 MB measured,
  // then ~1.51 MB with 18 more pair ops and pair+op fusions (#11) and the wasm-position map for snapshots (#18)
  '@fayger/interpreter': 1_650_000,
  // Decoder, validator, runtime objects, SIMD lanes and the facade base both engines share; ~0.57 MB measured
  '@fayger/wasm': 720_000, // + the engine-neutral snapshot state and shared value conversion (~678 KB measured, #18)
  // two entries (index, webassembly facade) sharing a chunk, + snapshot capture/restore and re-entry emission (#18);
  // ~872 KB measured
  '@fayger/transpiler': 1_000_000,
  '@fayger/runtime': 850_000, // + snapshot capture/resume (~756 KB measured)
  // + the building blocks adapters compose (fetchHttp, HostLink, kvHandlers, DomUiHost; #14); ~853 KB measured
  '@fayger/adapter-core': 950_000,
  '@fayger/node-host': 400_000,
  '@fayger/adapter-server': 100_000,
  '@fayger/adapter-desktop': 450_000,
  '@fayger/adapter-browser': 300_000,
  '@fayger/adapter-in-app': 420_000,
  fayger: 400_000,
  // The bin inlines its dependencies (one tree-shaken bundle starts `fayger run` 2.5x faster than loading them).
  // Plus dist/run.cjs (~1.3 MB): `run` as one ASCII CommonJS file that Node 20 compiles through a V8 code cache.
  '@fayger/cli': 4_100_000, // ~3.91 MB measured (the interpreter's fused ops, #11)
  '@fayger/guest-as': 120_000,
};
const DEFAULT_BUDGET = 500_000;

interface Manifest {
  name: string;
  private?: boolean;
  license?: string;
  repository?: { type?: string; url?: string; directory?: string } | string;
  homepage?: string;
  bugs?: { url?: string } | string;
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
}

const all = packedPackages();
const dirs = all.map((p) => [p.dir]);

function packedAt(dir: string): PackedPackage & { manifest: Manifest } {
  const p = all.find((x) => x.dir === dir);
  if (!p) throw new Error(`${dir} was not packed`);
  return { ...p, manifest: JSON.parse(readFileSync(join(p.root, 'package.json'), 'utf8')) as Manifest };
}

const rootLicense = readFileSync(join(inject('repoRoot'), 'LICENSE'), 'utf8');

describe('every published package', () => {
  it('was packed (the list is not empty)', () => {
    expect(all.length).toBeGreaterThanOrEqual(15);
  });

  // pnpm pack copies the workspace root LICENSE into a package that has none of its own.
  it.each(dirs)('%s ships the repository LICENSE', (dir) => {
    const p = packedAt(dir);
    expect(p.files, `${p.manifest.name}: no LICENSE in the tarball`).toContain('LICENSE');
    expect(readFileSync(join(p.root, 'LICENSE'), 'utf8')).toBe(rootLicense);
    expect(p.manifest.license).toBe('Apache-2.0');
  });

  it.each(dirs)('%s names its repository, homepage and bug tracker', (dir) => {
    const p = packedAt(dir);
    const repo = p.manifest.repository;
    expect(
      typeof repo === 'object' && repo.url && repo.directory,
      `${p.manifest.name}: repository {url, directory}`,
    ).toBeTruthy();
    if (typeof repo === 'object') expect(repo.directory).toBe(dir);
    expect(p.manifest.homepage, `${p.manifest.name}: homepage`).toMatch(/^https:\/\//);
    const bugs = p.manifest.bugs;
    expect(typeof bugs === 'object' ? bugs.url : bugs, `${p.manifest.name}: bugs`).toMatch(/^https:\/\//);
  });

  it.each(dirs)('%s ships its source at most once', (dir) => {
    const p = packedAt(dir);
    const embedding = p.files
      .filter((f) => f.endsWith('.map'))
      .filter((f) => {
        const map = JSON.parse(readFileSync(join(p.root, f), 'utf8')) as { sourcesContent?: unknown[] };
        return Array.isArray(map.sourcesContent) && map.sourcesContent.some((s) => s !== null);
      });
    expect(embedding, `${p.manifest.name}: source maps embed sourcesContent beside src/`).toEqual([]);
  });

  it.each(dirs)('%s takes caret ranges for runtime dependencies', (dir) => {
    const p = packedAt(dir);
    const pinned = Object.entries({ ...p.manifest.dependencies, ...p.manifest.peerDependencies }).filter(
      ([, range]) => !/^[\^>]/.test(range) && !range.includes('||'),
    );
    expect(pinned, `${p.manifest.name}: exact pins defeat de-duplication in users' trees`).toEqual([]);
    const workspace = Object.entries({ ...p.manifest.dependencies }).filter(([, r]) => r.startsWith('workspace:'));
    expect(workspace, 'workspace: protocol left in a packed manifest').toEqual([]);
  });

  it.each(dirs)('%s has a README whose links work on the registry page', (dir) => {
    const p = packedAt(dir);
    expect(p.files).toContain('README.md');
    const readme = readFileSync(join(p.root, 'README.md'), 'utf8');
    // A relative link resolves against the registry page, not the repository: only in-package files work.
    const links = [...readme.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]!);
    const dead = links.filter((href) => {
      if (/^(https?:|mailto:|#)/.test(href)) return false;
      const target = href.split('#')[0]!;
      return target.startsWith('..') || !p.files.includes(target.replace(/^\.\//, ''));
    });
    expect(dead, `${p.manifest.name}: README links that are dead outside the repository`).toEqual([]);
  });

  it.each(dirs)('%s stays within its size budget', (dir) => {
    const p = packedAt(dir);
    const budget = SIZE_BUDGETS[p.manifest.name] ?? DEFAULT_BUDGET;
    expect(
      p.unpackedBytes,
      `${p.manifest.name}: ${p.unpackedBytes} B unpacked, budget ${budget} B`,
    ).toBeLessThanOrEqual(budget);
  });
});
