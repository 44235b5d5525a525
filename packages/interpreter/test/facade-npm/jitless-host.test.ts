import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * Runs jitless-host.cjs under `node --jitless`, where V8 has no WebAssembly at all, so only the facade can run
 * the packages. It needs the built dist (vite itself cannot start without WebAssembly, so this cannot run
 * inside the test worker).
 */
const script = fileURLToPath(new URL('./jitless-host.cjs', import.meta.url));
const dist = fileURLToPath(new URL('../../dist/webassembly.cjs', import.meta.url));
const built = existsSync(dist);
if (!built) console.warn('jitless npm proof skipped: run `pnpm build` first (it loads dist/webassembly.cjs)');

describe.skipIf(!built)('npm packages on a host without WebAssembly (node --jitless)', () => {
  it('hash-wasm and brotli-wasm give node:crypto / node:zlib results through the facade', () => {
    const r = spawnSync(process.execPath, ['--jitless', script], { encoding: 'utf8', timeout: 120_000 });
    const line = r.stdout.trim().split('\n').at(-1) ?? '';
    const report = JSON.parse(line) as {
      jitless: boolean;
      hadNativeWebAssembly: boolean;
      ok: boolean;
      checks: unknown[];
    };
    expect(report).toMatchObject({ jitless: true, hadNativeWebAssembly: false, ok: true });
    expect(report.checks).toHaveLength(5);
    expect(r.status).toBe(0);
  }, 130_000);
});
