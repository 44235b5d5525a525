import { afterAll, describe, expect, it } from 'vitest';
import { fayger, Lab, MAX_RSS_BYTES, row, wat } from './support/run.js';

/**
 * The WASI rows of the hostile suite: one host call whose arguments reference far more memory than the guest
 * owns. The WASI caps (iovec sums, subscription counts, checked before allocating) belong to the WASI rewrite
 * (packages/runtime/src/abi/wasi.ts); these rows pass once it lands. The outcome must be typed — an errno the
 * guest sees (it exits 100 + errno) or a typed error — with a clean exit and bounded RSS.
 */

const lab = new Lab();
afterAll(() => lab.cleanup());

function expectBounded(r: Awaited<ReturnType<typeof fayger>>): void {
  expect(r.timedOut, 'did not exit by itself').toBe(false);
  expect(r.signal, r.stderr.slice(-2000)).toBeNull();
  expect(r.stderr).not.toMatch(/FATAL ERROR|JavaScript heap out of memory/);
  expect(r.peakRss, `peak RSS ${(r.peakRss / 1048576).toFixed(0)} MB`).toBeLessThanOrEqual(MAX_RSS_BYTES);
  // A short write the guest accepted (exit 0), an errno (100 + errno), or a typed failure (exit 116).
  if (r.code === 116) expect(r.errorCode).toMatch(/^[A-Z][A-Z0-9_]+$/);
  else if (r.code !== 0) expect(r.code).toBeGreaterThan(100);
}

describe('WASI amplification', () => {
  it('fd_write with a 16 KiB iovec array, every iovec the same 1 MiB buffer (16 GiB if concatenated)', async () => {
    // iovecs at 2 MiB: 16384 × (ptr 0, len 1 MiB); nwritten at 4 MiB - 8.
    const n = 16384;
    const wasm = wat(`(module
      (import "wasi_snapshot_preview1" "fd_write" (func $w (param i32 i32 i32 i32) (result i32)))
      (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
      (memory (export "memory") 64)
      (func (export "_start") (local $i i32) (local $e i32)
        (loop $l
          (i32.store (i32.add (i32.const 2097152) (i32.mul (local.get $i) (i32.const 8))) (i32.const 0))
          (i32.store (i32.add (i32.const 2097156) (i32.mul (local.get $i) (i32.const 8))) (i32.const 1048576))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br_if $l (i32.lt_u (local.get $i) (i32.const ${n}))))
        (local.set $e (call $w (i32.const 1) (i32.const 2097152) (i32.const ${n}) (i32.const 4194296)))
        (call $exit (select (i32.add (i32.const 100) (local.get $e)) (i32.const 0) (local.get $e)))))`);
    const r = await fayger(
      await lab.pack('wasi-iovec', wasm, { capabilities: [{ name: 'stdio', required: true }] }),
      lab,
      [],
      { closeStdoutAfter: 1 << 30 },
    );
    row('WASI fd_write 16 KiB iovecs × 1 MiB', r);
    expectBounded(r);
  }, 900_000);

  it('poll_oneoff with 89,000,000 subscriptions on a 1-page memory', async () => {
    const wasm = wat(`(module
      (import "wasi_snapshot_preview1" "poll_oneoff" (func $p (param i32 i32 i32 i32) (result i32)))
      (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
      (memory (export "memory") 1)
      (func (export "_start") (local $e i32)
        (local.set $e (call $p (i32.const 0) (i32.const 0) (i32.const 89000000) (i32.const 65528)))
        (call $exit (select (i32.add (i32.const 100) (local.get $e)) (i32.const 0) (local.get $e)))))`);
    const r = await fayger(
      await lab.pack('wasi-poll', wasm, {
        capabilities: [
          { name: 'clock', required: false },
          { name: 'timer', required: false },
        ],
      }),
      lab,
    );
    row('WASI poll_oneoff 89M subscriptions', r);
    expectBounded(r);
  }, 900_000);
});
