import wabtInit from 'wabt';

/** Tiny WASI command modules assembled from WAT for the `fayger run app.wasm` tests. */

const PRELUDE = `
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (memory (export "memory") 2)
  (data (i32.const 8) "\\n")
  ;; write(fd 1, ptr, len) through an iovec at 0
  (func $print (param $ptr i32) (param $len i32)
    (i32.store (i32.const 0) (local.get $ptr))
    (i32.store (i32.const 4) (local.get $len))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 12))))
  (func $strlen (param $p i32) (result i32) (local $n i32)
    (block $done (loop $l
      (br_if $done (i32.eqz (i32.load8_u (i32.add (local.get $p) (local.get $n)))))
      (local.set $n (i32.add (local.get $n) (i32.const 1)))
      (br $l)))
    (local.get $n))
  ;; prints each NUL-terminated string of a pointer array, one per line
  (func $print_all (param $ptrs i32) (param $count i32) (local $i i32) (local $s i32)
    (block $done (loop $l
      (br_if $done (i32.ge_u (local.get $i) (local.get $count)))
      (local.set $s (i32.load (i32.add (local.get $ptrs) (i32.shl (local.get $i) (i32.const 2)))))
      (call $print (local.get $s) (call $strlen (local.get $s)))
      (call $print (i32.const 8) (i32.const 1))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $l))))
`;

/** Prints argv (argv[0] first), a line "--", then the environment, one entry per line; exits 0. */
export const ARGS_ENV_WAT = `(module
  (import "wasi_snapshot_preview1" "args_sizes_get" (func $args_sizes_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "args_get" (func $args_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "environ_sizes_get" (func $environ_sizes_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "environ_get" (func $environ_get (param i32 i32) (result i32)))
  ${PRELUDE}
  (data (i32.const 16) "--\\n")
  (func (export "_start")
    (drop (call $args_sizes_get (i32.const 32) (i32.const 36)))
    (drop (call $args_get (i32.const 1024) (i32.const 8192)))
    (call $print_all (i32.const 1024) (i32.load (i32.const 32)))
    (call $print (i32.const 16) (i32.const 3))
    (drop (call $environ_sizes_get (i32.const 32) (i32.const 36)))
    (drop (call $environ_get (i32.const 2048) (i32.const 16384)))
    (call $print_all (i32.const 2048) (i32.load (i32.const 32)))
    (call $proc_exit (i32.const 0))))`;

/** Exits through proc_exit with `code` (an unsigned 32-bit value). */
export const exitWat = (code: number) => `(module
  ${PRELUDE}
  (func (export "_start") (call $proc_exit (i32.const ${code | 0}))))`;

/** Traps on `unreachable` after printing a line. */
export const TRAP_WAT = `(module
  ${PRELUDE}
  (data (i32.const 16) "about to trap\\n")
  (func (export "_start") (call $print (i32.const 16) (i32.const 14)) unreachable))`;

/**
 * Creates "out.txt" in the first preopen (fd 3) and writes "written\\n" to it; exits with path_open's errno
 * (0 when the file was created and written).
 */
export const WRITE_WAT = `(module
  (import "wasi_snapshot_preview1" "path_open"
    (func $path_open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
  ${PRELUDE}
  (data (i32.const 16) "out.txt")
  (data (i32.const 32) "written\\n")
  (func (export "_start") (local $errno i32)
    ;; dirfd 3, no lookup flags, "out.txt", O_CREAT|O_TRUNC, rights fd_write (1<<6), no inheriting, no fdflags
    (local.set $errno (call $path_open (i32.const 3) (i32.const 0) (i32.const 16) (i32.const 7)
      (i32.const 9) (i64.const 64) (i64.const 0) (i32.const 0) (i32.const 48)))
    (if (i32.eqz (local.get $errno))
      (then
        (i32.store (i32.const 0) (i32.const 32))
        (i32.store (i32.const 4) (i32.const 8))
        (drop (call $fd_write (i32.load (i32.const 48)) (i32.const 0) (i32.const 1) (i32.const 12)))))
    (call $proc_exit (local.get $errno))))`;

/** A module with no _start export (a reactor). */
export const NO_START_WAT = `(module (func (export "_initialize")))`;

export async function assemble(wat: string): Promise<Uint8Array> {
  const wabt = await wabtInit();
  const mod = wabt.parseWat('test.wat', wat);
  try {
    return new Uint8Array(mod.toBinary({}).buffer);
  } finally {
    mod.destroy();
  }
}
