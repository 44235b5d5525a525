/**
 * Builds the C kernels in `c/` with clang (`--target=wasm32 -O2 -nostdlib`), caching the .wasm files by source
 * hash under bench-results/c-build. Returns null and a reason when clang (or wasm-ld) is not installed.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
export const CLANG_FLAGS = ['--target=wasm32', '-O2', '-nostdlib', '-Wl,--no-entry', '-Wl,--export=run'];

export function clangVersion() {
  try {
    return execFileSync(process.env.CLANG ?? 'clang', ['--version'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).split('\n')[0];
  } catch {
    return null;
  }
}

/**
 * { bytes, command } for kernel `name` (c/<name>.c + c/rt.c), or throws with clang's message. `extra` flags
 * (e.g. ['-msimd128']) are added to CLANG_FLAGS.
 */
export function buildKernel(name, outDir, extra = []) {
  const clang = process.env.CLANG ?? 'clang';
  const flags = [...CLANG_FLAGS, ...extra];
  const srcs = [join(here, 'c', `${name}.c`), join(here, 'c', 'rt.c')];
  const hash = createHash('sha256')
    .update(flags.join(' '))
    .update(clangVersion() ?? '');
  for (const s of srcs) hash.update(readFileSync(s));
  mkdirSync(outDir, { recursive: true });
  const out = join(outDir, `${name}-${hash.digest('hex').slice(0, 12)}.wasm`);
  const args = [...flags, '-o', out, ...srcs];
  if (!existsSync(out)) execFileSync(clang, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  return { bytes: new Uint8Array(readFileSync(out)), command: `clang ${flags.join(' ')} c/${name}.c c/rt.c` };
}
