import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { BIN, tempDir } from './helpers.js';
import { assemble } from './wat.js';

/**
 * poll_oneoff on stdin reports readiness only when a read would not wait: a child `fayger run` whose stdin is a
 * pipe the test writes to later. The guest's steps are driven by what it prints, so no verdict depends on speed:
 *   1. poll(stdin, a 200 ms clock) while nothing has been written: only the clock may fire -> prints "waiting";
 *   2. the test writes "hello"; poll(stdin) alone -> fd_read ready with nbytes > 0 -> reads and echoes it;
 *   3. the test closes stdin; poll(stdin) -> ready with HANGUP and nbytes 0 -> prints "eof", exits 0.
 * A guest that saw stdin "ready" in step 1 prints "early" and exits 3.
 */
const POLL_STDIN_WAT = `(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_read" (func $fd_read (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "poll_oneoff" (func $poll (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (memory (export "memory") 1)
  (data (i32.const 64) "waiting\\n")
  (data (i32.const 80) "early\\n")
  (data (i32.const 96) "eof\\n")
  (data (i32.const 112) "bad\\n")
  (data (i32.const 128) "got:")
  (func $print (param $ptr i32) (param $len i32)
    (i32.store (i32.const 0) (local.get $ptr))
    (i32.store (i32.const 4) (local.get $len))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8))))
  (func $fail (param $code i32)
    (call $print (i32.const 112) (i32.const 4))
    (call $proc_exit (local.get $code)))
  ;; subscription 0 at 256: userdata 1, FD_READ on fd 0
  ;; subscription 1 at 304: userdata 2, CLOCK monotonic, relative 200 ms
  (func $setup
    (i64.store (i32.const 256) (i64.const 1))
    (i32.store8 (i32.const 264) (i32.const 1))
    (i32.store (i32.const 272) (i32.const 0))
    (i64.store (i32.const 304) (i64.const 2))
    (i32.store8 (i32.const 312) (i32.const 0))
    (i32.store (i32.const 320) (i32.const 1))
    (i64.store (i32.const 328) (i64.const 200000000))
    (i64.store (i32.const 336) (i64.const 0))
    (i32.store16 (i32.const 344) (i32.const 0)))
  ;; polls n subscriptions from 256 into events at 512; returns nevents (exits on an errno)
  (func $poll_n (param $n i32) (result i32)
    (if (call $poll (i32.const 256) (i32.const 512) (local.get $n) (i32.const 600)) (then (call $fail (i32.const 10))))
    (i32.load (i32.const 600)))
  (func (export "_start") (local $n i32)
    (call $setup)
    ;; 1. nothing written yet: only the clock may fire
    (local.set $n (call $poll_n (i32.const 2)))
    (if (i32.ne (local.get $n) (i32.const 1)) (then (call $print (i32.const 80) (i32.const 6)) (call $proc_exit (i32.const 3))))
    (if (i64.ne (i64.load (i32.const 512)) (i64.const 2)) (then (call $print (i32.const 80) (i32.const 6)) (call $proc_exit (i32.const 3))))
    (call $print (i32.const 64) (i32.const 8))
    ;; 2. stdin alone: ready once the test has written (error 0, FD_READ, nbytes > 0, no hangup)
    (local.set $n (call $poll_n (i32.const 1)))
    (if (i32.ne (local.get $n) (i32.const 1)) (then (call $fail (i32.const 11))))
    (if (i64.ne (i64.load (i32.const 512)) (i64.const 1)) (then (call $fail (i32.const 12))))
    (if (i32.load16_u (i32.const 520)) (then (call $fail (i32.const 13))))
    (if (i32.ne (i32.load8_u (i32.const 522)) (i32.const 1)) (then (call $fail (i32.const 14))))
    (if (i64.eqz (i64.load (i32.const 528))) (then (call $fail (i32.const 15))))
    (if (i32.load16_u (i32.const 536)) (then (call $fail (i32.const 16))))
    ;; read it (iovec at 16 -> 1024, 100 bytes) and echo "got:<data>"
    (i32.store (i32.const 16) (i32.const 1024))
    (i32.store (i32.const 20) (i32.const 100))
    (if (call $fd_read (i32.const 0) (i32.const 16) (i32.const 1) (i32.const 24)) (then (call $fail (i32.const 17))))
    (call $print (i32.const 128) (i32.const 4))
    (call $print (i32.const 1024) (i32.load (i32.const 24)))
    ;; 3. stdin closed: ready with HANGUP and nbytes 0
    (local.set $n (call $poll_n (i32.const 1)))
    (if (i32.ne (local.get $n) (i32.const 1)) (then (call $fail (i32.const 18))))
    (if (i32.ne (i32.load16_u (i32.const 536)) (i32.const 1)) (then (call $fail (i32.const 19))))
    (if (i64.ne (i64.load (i32.const 528)) (i64.const 0)) (then (call $fail (i32.const 20))))
    (call $print (i32.const 96) (i32.const 4))
    (call $proc_exit (i32.const 0))))`;

let dir: string;

/** Runs the guest with a stdin pipe; writes "hello\n" after "waiting", closes stdin after the echo. */
function drive(
  host: 'server' | 'desktop',
): Promise<{ code: number | null; stdout: string; stderr: string; wroteAfterWaiting: boolean }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, 'run', 'poll.wasm', '--host', host], {
      cwd: dir,
      env: { ...process.env, FAYGER_STATE_DIR: join(dir, `state-${host}`) },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let wrote = false;
    let closed = false;
    // Generous: a loaded machine; the verdict never depends on this, only a hang would.
    const guard = setTimeout(() => child.kill('SIGKILL'), 150_000);
    child.stdout.setEncoding('utf8').on('data', (c: string) => {
      stdout += c;
      if (!wrote && stdout.includes('waiting\n')) {
        wrote = true;
        child.stdin.write('hello\n');
      }
      if (wrote && !closed && stdout.includes('got:hello\n')) {
        closed = true;
        child.stdin.end();
      }
    });
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    child.stdin.on('error', () => {});
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(guard);
      resolve({ code, stdout, stderr, wroteAfterWaiting: wrote });
    });
  });
}

describe('poll_oneoff on stdin (spawned fayger run, stdin a pipe written later)', () => {
  beforeAll(async () => {
    dir = tempDir('fayger-cli-poll-');
    writeFileSync(join(dir, 'poll.wasm'), await assemble(POLL_STDIN_WAT));
  });

  for (const host of ['server', 'desktop'] as const) {
    it(`${host} adapter: stdin is not ready before data, ready with nbytes when written, HANGUP at its end`, async () => {
      const r = await drive(host);
      expect(r.stdout, r.stderr).toBe('waiting\ngot:hello\neof\n');
      expect(r.wroteAfterWaiting).toBe(true);
      expect(r.code, r.stderr).toBe(0);
    });
  }
});
