import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/** The monorepo root: the nearest ancestor of `from` holding pnpm-workspace.yaml. */
export function findRepoRoot(from: string): string {
  let dir = resolve(from);
  for (;;) {
    if (existsSync(join(dir, 'pnpm-workspace.yaml'))) return dir;
    const up = dirname(dir);
    if (up === dir)
      throw new Error(
        `finding the repository root from ${from}: expected an ancestor with pnpm-workspace.yaml, found none`,
      );
    dir = up;
  }
}
