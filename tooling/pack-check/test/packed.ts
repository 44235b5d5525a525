import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { inject } from 'vitest';

declare module 'vitest' {
  export interface ProvidedContext {
    packDir: string;
    repoRoot: string;
  }
}

/** One published package as its tarball holds it (test/global-setup.ts). */
export interface PackedPackage {
  name: string;
  /** Source directory, relative to the repository root (e.g. packages/loader). */
  dir: string;
  tarball: string;
  /** Root of the extracted tarball. */
  root: string;
  files: string[];
  unpackedBytes: number;
}

export function packedPackages(): PackedPackage[] {
  return JSON.parse(readFileSync(join(inject('packDir'), 'packed.json'), 'utf8')) as PackedPackage[];
}

/**
 * npm `overrides` that send every @fayger dependency to its tarball: what a project gets from the registry once
 * the packages are published, without publishing them.
 */
export function tarballOverrides(): Record<string, string> {
  return Object.fromEntries(packedPackages().map((p) => [p.name, `file:${p.tarball}`]));
}
