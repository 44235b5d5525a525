import { mkdir } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { runCli, type CliIo } from '@fayger/cli';
import { ensureDevKey } from './dev-key.js';
import { findRepoRoot } from './repo.js';

/**
 * Packs an example directory (its fayger.pack.json) into `<dir>/dist/<name>.buf`, signed with the
 * repository's dev key. Returns the artifact path.
 */
export async function packExample(exampleDir: string, io?: CliIo): Promise<string> {
  const dir = resolve(exampleDir);
  const name = basename(dir);
  const repoRoot = findRepoRoot(dir);
  const key = await ensureDevKey(repoRoot);
  await mkdir(join(dir, 'dist'), { recursive: true });
  const out = join(dir, 'dist', `${name}.buf`);
  const log: string[] = [];
  const cliIo: CliIo = io ?? {
    stdout: (t) => void log.push(t),
    stderr: (t) => void log.push(t),
    stderrIsTTY: false,
    cwd: dir,
  };
  const code = await runCli(['pack', dir, '-o', out, '--sign', key.keyFile, '--force'], cliIo);
  if (code !== 0) throw new Error(`packing ${dir}: fayger pack exited with ${code}: ${log.join('').trim()}`);
  return out;
}
