import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * A real SIMD-using npm package, unmodified, on the facade with no native WebAssembly: `playwright-core` ships
 * libwebp as `lib/webp_codec.wasm` (565 KB, Emscripten, built with -msimd128) behind `utils.encodeWebp` /
 * `utils.decodeWebp`. webp-host.cjs runs it in a plain Node process with the facade (dist) as the only
 * `WebAssembly`; the encoded bytes must equal native WebAssembly's output for the same image (recorded with
 * Node 20 and playwright-core 1.65.1), and a lossless round trip must be exact. Needs the built dist.
 */
const script = fileURLToPath(new URL('./webp-host.cjs', import.meta.url));
const dist = fileURLToPath(new URL('../../dist/webassembly.cjs', import.meta.url));
const built = existsSync(dist);
if (!built) console.warn('playwright-core webp proof skipped: run `pnpm build` first (it loads dist/webassembly.cjs)');

describe.skipIf(!built)('playwright-core webp codec (SIMD wasm), unmodified, on the WebAssembly facade', () => {
  it('encodes lossy and lossless WebP byte-identically to native WebAssembly and round-trips losslessly', () => {
    // Bounded by a fixed image size; the timeout is sized for a loaded 2-core machine.
    const r = spawnSync(process.execPath, [script], { encoding: 'utf8', timeout: 170_000 });
    const line = r.stdout.trim().split('\n').at(-1) ?? '';
    expect(r.status, r.stderr).toBe(0);
    const report = JSON.parse(line) as { modules: number; lossy: unknown; lossless: unknown; roundTrip: boolean };
    expect(report.modules).toBe(1);
    expect(report.lossy).toEqual([346, 'a64a6d34531d8bce']);
    expect(report.lossless).toEqual([318, '5e6c086d8be88276']);
    expect(report.roundTrip).toBe(true);
  }, 180_000);
});
