// fayger run --snapshot / fayger resume end to end (spawned CLI, fresh processes).
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { BIN, tempDir } from './helpers.js';
import { assemble } from './wat.js';

/** Prints "tick NN" 20 times with a busy loop between, keeps a running checksum in memory, exits with 7. */
const TICKER_WAT = `(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (memory (export "memory") 4)
  (data (i32.const 32) "tick 00\\n")
  (func (export "_start") (local $i i32) (local $j i32) (local $acc i32)
    (loop $outer
      (local.set $j (i32.const 0))
      (loop $busy
        (local.set $acc (i32.add (i32.mul (local.get $acc) (i32.const 31)) (local.get $j)))
        (i32.store (i32.add (i32.const 65536) (i32.shl (i32.and (local.get $j) (i32.const 1023)) (i32.const 2))) (local.get $acc))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br_if $busy (i32.lt_u (local.get $j) (i32.const 20000))))
      (i32.store8 (i32.const 37) (i32.add (i32.const 48) (i32.div_u (local.get $i) (i32.const 10))))
      (i32.store8 (i32.const 38) (i32.add (i32.const 48) (i32.rem_u (local.get $i) (i32.const 10))))
      (i32.store (i32.const 0) (i32.const 32))
      (i32.store (i32.const 4) (i32.const 8))
      (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 12)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $outer (i32.lt_u (local.get $i) (i32.const 20))))
    (call $proc_exit (i32.add (i32.const 7) (i32.and (local.get $acc) (i32.const 0)))))
)`;

let dir: string;
let state: string;

function fayger(...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd: dir,
    encoding: 'utf8',
    timeout: 120_000,
    env: { ...process.env, FAYGER_STATE_DIR: state },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('snapshot and resume through the CLI', () => {
  beforeAll(async () => {
    dir = tempDir('fayger-cli-snap-');
    state = join(dir, 'state');
    writeFileSync(join(dir, 'ticker.wasm'), await assemble(TICKER_WAT));
  });

  it('run to N fuel + snapshot, resume in a fresh process: same stdout and exit code as one uninterrupted run', () => {
    const whole = fayger('run', 'ticker.wasm');
    expect(whole.stderr).toBe('');
    expect(whole.code).toBe(7);
    expect(whole.stdout.split('\n').filter(Boolean)).toHaveLength(20);

    // Both engines capture in the engine-neutral state: run on one engine, resume on the other (`--engine`
    // registers only that engine), snapshot again, and resume on the router's choice (--engine auto).
    for (const [n, engine, other] of [
      ['300000', 'transpiler', 'interpreter'],
      ['1500000', 'interpreter', 'transpiler'],
    ] as const) {
      const first = fayger(
        ...['run', 'ticker.wasm', '--engine', engine],
        ...['--snapshot', `t${n}.snap`, '--snapshot-on-exit-after', n],
      );
      expect(first.code, first.stderr).toBe(0);
      expect(first.stderr).toMatch(new RegExp(`snapshot after \\d+ fuel .* written to .*t${n}\\.snap`));
      expect(first.stdout.length).toBeLessThan(whole.stdout.length);
      expect(whole.stdout.startsWith(first.stdout)).toBe(true);
      const info = fayger('inspect', `t${n}.snap`, '--json');
      expect(info.code, info.stderr).toBe(0);
      // Stopped at the first fuel point at or past N (one busy-loop turn costs < 100), not at a slice boundary.
      const stoppedAt = JSON.parse(info.stdout).fuelUsed as number;
      expect(info.stdout).toContain(`fayger-${engine}`);
      expect(stoppedAt).toBeGreaterThanOrEqual(Number(n));
      expect(stoppedAt - Number(n)).toBeLessThan(100);

      // The host key made on first use; a resuming host trusts it through its trusted-roots entry.
      const entry = JSON.parse(readFileSync(join(state, 'snapshot-host.pub.json'), 'utf8'));
      writeFileSync(join(dir, 'roots.json'), JSON.stringify({ version: 1, keys: [entry] }));
      const untrusted = fayger('resume', `t${n}.snap`, 'ticker.wasm');
      expect(untrusted.code).toBe(112);
      expect(untrusted.stderr).toMatch(/SNAPSHOT_UNTRUSTED/);
      expect(untrusted.stdout).toBe('');
      const rest = fayger('resume', `t${n}.snap`, 'ticker.wasm', '--trusted-roots', 'roots.json', '--engine', other);
      expect(rest.code, rest.stderr).toBe(7);
      expect(first.stdout + rest.stdout).toBe(whole.stdout);

      // A resumed guest snapshotted again: on resume, FUEL counts from the snapshot point.
      const again = fayger(
        ...['resume', `t${n}.snap`, 'ticker.wasm', '--trusted-roots', 'roots.json', '--engine', other],
        ...['--snapshot', `t${n}b.snap`, '--snapshot-on-exit-after', '400000'],
      );
      expect(again.code, again.stderr).toBe(0);
      const secondInfo = JSON.parse(fayger('inspect', `t${n}b.snap`, '--json').stdout);
      expect(secondInfo.engine).toMatchObject({ id: `fayger-${other}`, stateVersion: 3, neutral: true });
      const second = secondInfo.fuelUsed as number;
      expect(second - stoppedAt).toBeGreaterThanOrEqual(400_000);
      expect(second - stoppedAt - 400_000).toBeLessThan(100);
      const last = fayger('resume', `t${n}b.snap`, 'ticker.wasm', '--trusted-roots', 'roots.json', '--engine', engine);
      expect(last.code, last.stderr).toBe(7);
      expect(first.stdout + again.stdout + last.stdout).toBe(whole.stdout);
    }
  }, 360_000);

  it('a tampered snapshot is refused with a typed error before the guest runs', () => {
    const first = fayger('run', 'ticker.wasm', '--snapshot', 'x.snap', '--snapshot-on-exit-after', '500000');
    expect(first.code, first.stderr).toBe(0);
    const bytes = readFileSync(join(dir, 'x.snap'));
    bytes[bytes.length - 100]! ^= 1;
    writeFileSync(join(dir, 'bad.snap'), bytes);
    const r = fayger('resume', 'bad.snap', 'ticker.wasm');
    expect(r.code).toBe(112);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/SNAPSHOT_DIGEST_MISMATCH/);
  }, 120_000);

  it('SIGINT with --snapshot writes a snapshot that resumes to the same end', async () => {
    const whole = fayger('run', 'ticker.wasm');
    const child = spawn(process.execPath, [BIN, 'run', 'ticker.wasm', '--snapshot', 'int.snap'], {
      cwd: dir,
      env: { ...process.env, FAYGER_STATE_DIR: state },
    });
    let out = '';
    let err = '';
    let signalled = false;
    child.stderr.on('data', (d) => (err += d));
    const code = await new Promise<number | null>((resolve) => {
      child.stdout.on('data', (d) => {
        out += d;
        if (!signalled && out.includes('tick 00')) {
          signalled = true;
          child.kill('SIGINT');
        }
      });
      child.on('close', (c) => resolve(c));
    });
    expect(code, err).toBe(0);
    expect(err).toMatch(/snapshot after \d+ fuel \(SIGINT\)/);
    const entry = JSON.parse(readFileSync(join(state, 'snapshot-host.pub.json'), 'utf8'));
    writeFileSync(join(dir, 'roots.json'), JSON.stringify({ version: 1, keys: [entry] }));
    const rest = fayger('resume', 'int.snap', 'ticker.wasm', '--trusted-roots', 'roots.json');
    expect(rest.code, rest.stderr).toBe(7);
    expect(out + rest.stdout).toBe(whole.stdout);
  }, 120_000);
});
