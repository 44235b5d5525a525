import { existsSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const SUITE = 'wasm-spec-2.0';

/** The repository root, found from this file (src/ or dist/ of tooling/conformance). */
export function repoRoot(): string {
  return resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
}

/** `FAYGER_CONFORMANCE_DIR`, else `../shared/conformance` beside the repository root. */
export function conformanceDir(env: NodeJS.ProcessEnv = process.env): string {
  const override = env['FAYGER_CONFORMANCE_DIR'];
  return override ? resolve(override) : resolve(repoRoot(), '../shared/conformance');
}

/** The spec-test directory, or undefined when the corpus is not present on this machine. */
export function suiteDir(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const dir = join(conformanceDir(env), SUITE);
  return existsSync(dir) ? dir : undefined;
}

export function listScripts(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(dir, d.name, `${d.name}.json`)))
    .map((d) => d.name)
    .sort();
}

/** The SIMD scripts of the suite (run like every other script since the interpreter implements SIMD). */
export function isSimd(name: string): boolean {
  return name.startsWith('simd_');
}
