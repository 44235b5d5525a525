import { existsSync } from 'node:fs';
import { mkdtemp, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { runCli, type CliIo } from '@fayger/cli';

/** Publisher of every example manifest; the dev key is scoped to it and nothing else. */
export const EXAMPLES_PUBLISHER = 'dev.fayger.examples';

export interface DevKey {
  dir: string;
  /** Secret key file (mode 0600), for `fayger pack --sign`. */
  keyFile: string;
  /** Trusted-roots document holding only the dev key. */
  rootsFile: string;
}

export function devKeyPaths(repoRoot: string): DevKey {
  const dir = join(repoRoot, '.fayger-dev');
  return { dir, keyFile: join(dir, 'examples.key.json'), rootsFile: join(dir, 'trusted-roots.json') };
}

function quietIo(cwd: string, log: string[]): CliIo {
  return { stdout: (t) => void log.push(t), stderr: (t) => void log.push(t), stderrIsTTY: false, cwd };
}

/**
 * Returns the repository's dev signing key, creating it on first use. The key is generated in a private
 * temporary directory that is then renamed into place: rename is atomic, so when parallel builds race, one
 * directory wins whole and the losers discard theirs and use it. Never committed (.gitignore).
 */
export async function ensureDevKey(repoRoot: string): Promise<DevKey> {
  const key = devKeyPaths(repoRoot);
  if (existsSync(key.keyFile) && existsSync(key.rootsFile)) return key;
  if (existsSync(key.dir)) {
    throw new Error(
      `reading the dev signing key: expected ${key.keyFile} and ${key.rootsFile}, found ${key.dir} without them; delete ${key.dir} to have a new key generated`,
    );
  }
  const tmp = await mkdtemp(join(repoRoot, '.fayger-dev.tmp-'));
  try {
    const log: string[] = [];
    const code = await runCli(
      ['keygen', '-p', EXAMPLES_PUBLISHER, '-o', join(tmp, 'examples'), '--roots', join(tmp, 'trusted-roots.json')],
      quietIo(repoRoot, log),
    );
    if (code !== 0)
      throw new Error(`generating the dev signing key: fayger keygen exited with ${code}: ${log.join('').trim()}`);
    try {
      await rename(tmp, key.dir);
    } catch (err) {
      const c = (err as NodeJS.ErrnoException).code;
      // Another build created it first: theirs is complete (it was renamed whole), use it.
      if ((c !== 'ENOTEMPTY' && c !== 'EEXIST') || !existsSync(key.keyFile)) throw err;
    }
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
  return key;
}
