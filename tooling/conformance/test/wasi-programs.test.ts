import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runWasiSuite, type WasiTest } from '../src/wasi-suite.js';

/**
 * Our own WASI programs for what the official suite does not cover (symlinks, hard links, rename, readdir,
 * rights, timestamps, append, pread/pwrite, truncate, poll_oneoff, fd_renumber; Rust std::fs), compiled at
 * test time with Debian's clang + wasi-libc and rustc (wasm32-wasi std), and run through the built CLI's
 * `fayger run` on the server and desktop adapters and under `node --jitless`. Skips, saying why, when a
 * compiler or the built CLI is absent.
 */
const here = fileURLToPath(new URL('.', import.meta.url));
const src = join(here, 'wasi-programs');
const bin = resolve(here, '../../../packages/cli/dist/bin.js');
// Compilers and a loaded machine: generous, explicit bounds (a verdict never depends on speed).
const COMPILE_MS = 600_000;
const RUN_MS = 900_000;

function have(cmd: string, args: string[]): boolean {
  try {
    execFileSync(cmd, args, { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
const clang = have('clang', ['--version']) && existsSync('/usr/lib/wasm32-wasi/libc.a');
const rustc = existsSync('/usr/bin/rustc') && existsSync('/usr/lib/rustlib/wasm32-wasi/lib');
const cli = existsSync(bin);
const why = [
  !cli && `the CLI is not built (${bin}; pnpm turbo run build --filter @fayger/cli...)`,
  !clang && 'clang with wasi-libc is absent (apt-get install clang lld wasi-libc libclang-rt-14-dev-wasm32)',
  !rustc && "Debian's rustc with the wasm32-wasi std is absent (apt-get install rustc libstd-rust-dev-wasm32)",
].filter(Boolean);
if (why.length) console.warn(`wasi-programs: skipping what needs them — ${why.join('; ')}`);

let work = '';
const programs: WasiTest[] = [];

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'fayger-wasi-programs-'));
  const empty = join(work, 'empty-root');
  mkdirSync(empty);
  const test = (name: string, wasm: string): WasiTest => ({
    name,
    wasm,
    args: [],
    env: {},
    root: empty,
    exitCode: 0,
    stdout: 'ok ',
    stderr: undefined,
  });
  if (clang) {
    const out = join(work, 'fs_ops.wasm');
    execFileSync('clang', ['--target=wasm32-wasi', '-O1', '-Wall', '-Werror', '-o', out, join(src, 'fs_ops.c')], {
      timeout: COMPILE_MS,
    });
    programs.push(test('c/fs_ops', out));
  }
  if (rustc) {
    const out = join(work, 'std_fs.wasm');
    execFileSync(
      '/usr/bin/rustc',
      ['--target', 'wasm32-wasi', '-O', '-C', 'strip=debuginfo', '-o', out, join(src, 'std_fs.rs')],
      { timeout: COMPILE_MS },
    );
    programs.push(test('rust/std_fs', out));
  }
}, COMPILE_MS);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

const cases = [
  { label: 'server adapter', host: 'server' as const, nodeFlags: [] },
  { label: 'desktop adapter', host: 'desktop' as const, nodeFlags: [] },
  { label: 'server adapter under node --jitless', host: 'server' as const, nodeFlags: ['--jitless'] },
];

describe.skipIf(!cli || (!clang && !rustc))('own WASI programs through fayger run', () => {
  for (const c of cases) {
    it(
      `C and Rust programs pass every check on the ${c.label}`,
      async () => {
        const report = await runWasiSuite({
          runner: {
            node: process.execPath,
            bin,
            nodeFlags: c.nodeFlags,
            work: join(work, c.label.replace(/\W+/g, '-')),
            host: c.host,
            timeoutMs: RUN_MS,
          },
          tests: programs,
        });
        for (const o of report.outcomes) {
          // Every check printed "ok …"; the last line says all passed.
          expect({
            name: o.name,
            detail: o.detail,
            failed: o.stdout.split('\n').filter((l) => l.startsWith('FAIL')),
          }).toEqual({ name: o.name, detail: undefined, failed: [] });
          expect(o.stdout).toContain('all ok');
        }
      },
      RUN_MS * 2,
    );
  }
});
