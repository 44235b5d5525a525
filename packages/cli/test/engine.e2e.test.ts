import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { emitterCompilesSimd } from '@fayger/transpiler';
import { BIN, tempDir } from './helpers.js';
import { assemble, exitWat } from './wat.js';

let dir: string;

/** `fayger run …` in a child node; `nodeFlags` go to node (e.g. no code generation from strings, as a CSP). */
function run(args: string[], nodeFlags: string[] = []) {
  const r = spawnSync(process.execPath, [...nodeFlags, BIN, 'run', ...args], {
    cwd: dir,
    encoding: 'utf8',
    timeout: 120_000,
    env: { ...process.env, FAYGER_STATE_DIR: join(dir, 'state') },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const engineLines = (stderr: string) => stderr.split('\n').filter((l) => l.startsWith('engine: '));

const hdr = [
  0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 127, 3, 2, 1, 0, 5, 3, 1, 0, 1, 7, 19, 2, 6, 109, 101, 109, 111, 114,
  121, 2, 0, 6, 95, 115, 116, 97, 114, 116, 0, 0,
];
/** `_start` returns i32x4.extract_lane 2 (splat 20 + [1 2 3 4]) = 23: SIMD, which the transpiler may refuse. */
const SIMD = new Uint8Array([
  ...hdr,
  10,
  32,
  1,
  30,
  0,
  65,
  20,
  253,
  17,
  253,
  12,
  1,
  0,
  0,
  0,
  2,
  0,
  0,
  0,
  3,
  0,
  0,
  0,
  4,
  0,
  0,
  0,
  253,
  174,
  1,
  253,
  27,
  2,
  11,
]);

describe('fayger run --engine (spawned CLI)', () => {
  beforeAll(async () => {
    dir = tempDir('fayger-cli-engine-');
    writeFileSync(join(dir, 'exit-42.wasm'), await assemble(exitWat(42)));
    writeFileSync(join(dir, 'simd.wasm'), SIMD);
  });

  it('auto (default) runs on the transpiler and --explain says why; --engine interpreter forces the interpreter', () => {
    const a = run(['exit-42.wasm', '--explain']);
    expect(a.code, a.stderr).toBe(42);
    expect(engineLines(a.stderr)).toEqual([
      'engine: fayger-transpiler — first registered implementation that fits (order: fayger-transpiler, fayger-interpreter) (--engine auto)',
    ]);
    expect(a.stderr).toContain('implementation: fayger-transpiler');

    const i = run(['exit-42.wasm', '--explain', '--engine', 'interpreter']);
    expect(i.code, i.stderr).toBe(42);
    expect(engineLines(i.stderr)).toEqual([
      'engine: fayger-interpreter — first registered implementation that fits (--engine interpreter)',
    ]);

    const t = run(['exit-42.wasm', '--engine', 'transpiler', '--json']);
    expect(t.code, t.stderr).toBe(42);
  });

  it('falls back to the interpreter when the transpiler refuses the module, and --explain says so before the guest output', () => {
    const r = run(['simd.wasm', '--explain']);
    expect(r.code, r.stderr).toBe(23);
    const lines = engineLines(r.stderr);
    if (emitterCompilesSimd()) {
      expect(lines).toHaveLength(1);
      return;
    }
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatch(
      /^engine: fayger-interpreter — fallback at load: fayger-transpiler refused the module \(.*SIMD.*\) \(--engine auto\)$/,
    );
    expect(r.stderr.indexOf(lines[1])).toBeLessThan(r.stderr.indexOf('--- guest output ---'));
  });

  it('--engine transpiler on a module it refuses ends with the typed refusal (exit 116), no fallback', () => {
    if (emitterCompilesSimd()) return;
    const r = run(['simd.wasm', '--engine', 'transpiler', '--json']);
    expect(r.code).toBe(116);
    expect(r.stderr).toContain('WASM_UNSUPPORTED_FEATURE');
    const last = JSON.parse(r.stderr.trim().split('\n').at(-1)!);
    expect(last.error.details).toMatchObject({ refused: true, feature: 'simd' });
  });

  it('a host without code generation from strings (as a CSP without unsafe-eval): auto picks the interpreter; --engine transpiler is refused, naming the flag', () => {
    const flags = ['--disallow-code-generation-from-strings'];
    const a = run(['exit-42.wasm', '--explain'], flags);
    expect(a.code, a.stderr).toBe(42);
    expect(engineLines(a.stderr)[0]).toMatch(
      /^engine: fayger-interpreter — .*passed over fayger-transpiler \(cannot run on this host: this host refuses new Function/,
    );

    const t = run(['exit-42.wasm', '--engine', 'transpiler'], flags);
    expect(t.code).toBe(115);
    expect(t.stderr).toContain('FAYGER_ENGINE_UNAVAILABLE');
    expect(t.stderr).toContain('fayger run --engine');
  });

  it('rejects an unknown engine as a usage error', () => {
    const r = run(['exit-42.wasm', '--engine', 'jit']);
    expect(r.code).toBe(111);
    expect(r.stderr).toContain('auto, interpreter, transpiler');
  });
});
