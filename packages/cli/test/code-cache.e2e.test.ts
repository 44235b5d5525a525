import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as nodeModule from 'node:module';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { BIN, tempDir } from './helpers.js';
import { WRITE_WAT, assemble } from './wat.js';

/**
 * `fayger run` on Node 20 compiles the command through a V8 code cache kept in the state directory
 * (src/commands/run-cached.ts). Behaviour must not depend on the cache: made on the first run, used on the next,
 * a corrupt one is rejected by V8 and rewritten, FAYGER_CODE_CACHE=0 makes none, --state-dir is honoured.
 * (Node 22.1+ uses its own module compile cache instead; this file then checks only that runs still work.)
 */
const hello = `(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 16) "hello, world\\n")
  (func (export "_start")
    (i32.store (i32.const 0) (i32.const 16))
    (i32.store (i32.const 4) (i32.const 13))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))))`;
const ownCache = typeof (nodeModule as { enableCompileCache?: unknown }).enableCompileCache !== 'function';

let dir: string;

function run(state: string, extra: string[] = [], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [BIN, 'run', 'hello.wasm', '--host', 'server', ...extra], {
    cwd: dir,
    encoding: 'utf8',
    timeout: 120_000,
    env: { ...process.env, FAYGER_STATE_DIR: state, ...env },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const caches = (state: string): string[] =>
  existsSync(join(state, 'cache')) ? readdirSync(join(state, 'cache')).filter((f) => f.endsWith('.v8')) : [];

describe('fayger run through the V8 code cache', () => {
  beforeAll(async () => {
    dir = tempDir('fayger-cli-cache-');
    writeFileSync(join(dir, 'hello.wasm'), await assemble(hello));
    // Keep wat.ts's exports in use here too (a write through a mount works the same through the cache).
    writeFileSync(join(dir, 'write.wasm'), await assemble(WRITE_WAT));
  });

  it('made on the first run, used on the second; the output is the same', () => {
    const state = join(dir, 'state-a');
    const first = run(state);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toBe('hello, world\n');
    if (!ownCache) return;
    const made = caches(state);
    expect(made).toHaveLength(1);
    const bytes = readFileSync(join(state, 'cache', made[0]!));
    expect(bytes.byteLength).toBeGreaterThan(1000);
    const second = run(state);
    expect(second).toEqual(first);
    // Accepted: not rewritten.
    expect(readFileSync(join(state, 'cache', made[0]!)).equals(bytes)).toBe(true);
  });

  it.skipIf(!ownCache)('a corrupt cache is rejected and rewritten; the run is unaffected', () => {
    const state = join(dir, 'state-b');
    expect(run(state).code).toBe(0);
    const [name] = caches(state);
    writeFileSync(join(state, 'cache', name!), 'not a V8 cache');
    const r = run(state);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('hello, world\n');
    expect(readFileSync(join(state, 'cache', name!), 'utf8')).not.toBe('not a V8 cache');
  });

  it.skipIf(!ownCache)('FAYGER_CODE_CACHE=0 makes none; --state-dir decides where it goes', () => {
    const state = join(dir, 'state-c');
    const off = run(state, [], { FAYGER_CODE_CACHE: '0' });
    expect(off.code, off.stderr).toBe(0);
    expect(off.stdout).toBe('hello, world\n');
    expect(caches(state)).toEqual([]);
    const other = join(dir, 'state-flag');
    const r = run(state, ['--state-dir', other]);
    expect(r.code, r.stderr).toBe(0);
    expect(caches(other)).toHaveLength(1);
    expect(caches(state)).toEqual([]);
    // Guest file writes go through the cached command as well.
    const w = spawnSync(process.execPath, [BIN, 'run', 'write.wasm', '--host', 'server', '--dir', '.::/'], {
      cwd: dir,
      encoding: 'utf8',
      timeout: 120_000,
      env: { ...process.env, FAYGER_STATE_DIR: other },
    });
    expect(w.status, w.stderr).toBe(0);
    expect(readFileSync(join(dir, 'out.txt'), 'utf8')).toBe('written\n');
  });
});
