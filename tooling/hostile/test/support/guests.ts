import { wat, watBytes } from './run.js';

/**
 * The hostile guests, in WAT. Each exports `memory` and `_start`; guests that report through their exit code
 * use fayger.exit. Sizes are counts, never timings.
 */

const enc = new TextEncoder();

/** 200 tables of 10,000,000 funcref elements each, declared (2·10⁹ elements: 16 GB of host pointers). */
export function tablesDeclared(): Uint8Array {
  const tables = Array.from({ length: 200 }, () => '(table 10000000 funcref)').join('\n');
  return wat(`(module ${tables} (memory (export "memory") 1) (func (export "_start")))`);
}

/** One table grown by table.grow(null, 10,000,000) 200 times. */
export function tablesGrown(): Uint8Array {
  return wat(`(module
    (table 0 funcref) (memory (export "memory") 1)
    (func (export "_start") (local $i i32)
      (loop $l
        (drop (table.grow 0 (ref.null func) (i32.const 10000000)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br_if $l (i32.lt_u (local.get $i) (i32.const 200))))))`);
}

/**
 * fayger.call("log.write", args) where args is ~48 KB of JSON holding thousands of {"$mem":[0,1 MiB]} refs to
 * the same 1 MiB of guest memory: gigabytes if each ref were copied. Exits with 100 + the call's status.
 */
export function memAmplification(): Uint8Array {
  const refs = Array.from({ length: 2400 }, () => '{"$mem":[0,1048576]}').join(',');
  const args = enc.encode(`{"level":"info","message":"x","parts":[${refs}]}`);
  const op = enc.encode('log.write');
  const argsAt = 1048576;
  return wat(`(module
    (import "fayger" "call" (func $call (param i32 i32 i32 i32) (result i32)))
    (import "fayger" "exit" (func $exit (param i32)))
    (memory (export "memory") 18)
    (data (i32.const 1000) "${watBytes(op)}")
    (data (i32.const ${argsAt}) "${watBytes(args)}")
    (func (export "_start")
      (call $exit (i32.add (i32.const 100)
        (call $call (i32.const 1000) (i32.const ${op.length}) (i32.const ${argsAt}) (i32.const ${args.length}))))))`);
}

/** `loop br 0`: only fuel (or wall time) ends it. */
export function spinner(): Uint8Array {
  return wat(`(module (memory (export "memory") 1) (func (export "_start") (loop $l (br $l))))`);
}

/** The same infinite loop in the module's start function (runs during instantiation). */
export function startSpinner(): Uint8Array {
  return wat(`(module (memory (export "memory") 1) (func $s (loop $l (br $l))) (start $s) (func (export "_start")))`);
}

/** memory.grow(1) until it fails, touching each new page; then traps (unreachable) if the host let it go on. */
export function growByPages(): Uint8Array {
  return wat(`(module (memory (export "memory") 1)
    (func (export "_start") (local $p i32)
      (loop $l
        (local.set $p (memory.grow (i32.const 1)))
        (if (i32.eq (local.get $p) (i32.const -1)) (then unreachable))
        (i32.store8 (i32.mul (local.get $p) (i32.const 65536)) (i32.const 1))
        (br $l))))`);
}

/** memory.grow(65535) at once: 4 GiB. Traps (unreachable) when refused, exits 0 if granted. */
export function growAllAtOnce(): Uint8Array {
  return wat(`(module (memory (export "memory") 1)
    (func (export "_start")
      (if (i32.eq (memory.grow (i32.const 65535)) (i32.const -1)) (then unreachable))))`);
}

/** Grows to 64 pages, then memory.fill's the whole memory forever: only wall time (fuel unlimited) stops it. */
export function fillForever(pages = 64): Uint8Array {
  return wat(`(module (memory (export "memory") 1)
    (func (export "_start")
      (drop (memory.grow (i32.const ${pages - 1})))
      (loop $l (memory.fill (i32.const 0) (i32.const 7) (i32.const ${pages * 65536})) (br $l))))`);
}

/** memory.fill of 4 GiB - 1 bytes on a 1-page memory. */
export function fill4GiB(): Uint8Array {
  return wat(`(module (memory (export "memory") 1)
    (func (export "_start") (memory.fill (i32.const 0) (i32.const 1) (i32.const -1))))`);
}

/**
 * Writes `chunk` bytes of 'y' lines per fayger.call("stdio.write") forever (until the host stops it), through
 * {"$mem":[0,chunk]}. Exits with 100 + the status of the first failed write.
 */
export function yes(chunk = 1 << 20): Uint8Array {
  const op = enc.encode('stdio.write');
  const args = enc.encode(`{"stream":"stdout","data":{"$mem":[0,${chunk}]}}`);
  const at = chunk + 4096;
  return wat(`(module
    (import "fayger" "call" (func $call (param i32 i32 i32 i32) (result i32)))
    (import "fayger" "exit" (func $exit (param i32)))
    (memory (export "memory") ${Math.ceil((at + 8192) / 65536)})
    (data (i32.const ${at}) "${watBytes(op)}")
    (data (i32.const ${at + 64}) "${watBytes(args)}")
    (func (export "_start") (local $s i32)
      (memory.fill (i32.const 0) (i32.const 121) (i32.const ${chunk}))
      (i32.store8 (i32.const ${chunk - 1}) (i32.const 10))
      (loop $l
        (local.set $s (call $call (i32.const ${at}) (i32.const ${op.length}) (i32.const ${at + 64}) (i32.const ${args.length})))
        (if (local.get $s) (then (call $exit (i32.add (i32.const 100) (local.get $s)))))
        (br $l))))`);
}

/** Unbounded recursion; `locals` (a multiple of 1000) declared i64 locals per frame: big frames fill the value stack first. */
export function recursion(locals = 0): Uint8Array {
  return wat(`(module (memory (export "memory") 1)
    (func $r ${bigLocals(locals)} (call $r))
    (func (export "_start") (call $r)))`);
}

function bigLocals(n: number): string {
  return Array.from({ length: n / 1000 }, () => `(local ${'i64 '.repeat(1000)})`).join(' ');
}

/** fayger.log of a `size`-byte message in a tight loop (a log/event flood). */
export function logFlood(size = 65536): Uint8Array {
  return wat(`(module
    (import "fayger" "log" (func $log (param i32 i32 i32) (result i32)))
    (import "fayger" "exit" (func $exit (param i32)))
    (memory (export "memory") ${Math.ceil(size / 65536) + 1})
    (func (export "_start") (local $s i32)
      (memory.fill (i32.const 0) (i32.const 97) (i32.const ${size}))
      (loop $l
        (local.set $s (call $log (i32.const 2) (i32.const 0) (i32.const ${size})))
        (if (local.get $s) (then (call $exit (i32.add (i32.const 100) (local.get $s)))))
        (br $l))))`);
}

/** fayger.clock_now in a tight loop: a host-call rate flood. */
export function hostCallFlood(): Uint8Array {
  return wat(`(module
    (import "fayger" "clock_now" (func $now (param i32) (result f64)))
    (memory (export "memory") 1)
    (func (export "_start") (loop $l (drop (call $now (i32.const 1))) (br $l))))`);
}

/** A br_table with `n` targets in one function. Exits 0 (takes target n-1... the default). */
export function hugeBrTable(n: number): Uint8Array {
  const targets = '0 '.repeat(n);
  return wat(`(module (memory (export "memory") 1)
    (func (export "_start") (block (br_table ${targets} 0 (i32.const 12345)))))`);
}

/** An active data segment of `bytes` bytes into a 1-page memory (far past its end). */
export function hugeData(bytes: number): Uint8Array {
  const m = wat(`(module (memory (export "memory") 1) (data (i32.const 0) "PLACEHOLDER") (func (export "_start")))`);
  // Splice a big segment in binary: rebuild the data section with one segment of `bytes` zero bytes.
  return withDataSegment(m, bytes);
}

/** `n` element-segment entries (ref.func 0) into a table of `n` elements. */
export function hugeElems(n: number): Uint8Array {
  return wat(`(module (memory (export "memory") 1) (table ${n} funcref)
    (func $f) (elem (i32.const 0) func ${'$f '.repeat(n)})
    (func (export "_start")))`);
}

/** `n` functions (each empty). */
export function manyFunctions(n: number): Uint8Array {
  return wat(`(module (memory (export "memory") 1) ${'(func) '.repeat(n)} (func (export "_start")))`);
}

/** A function with `n` locals, called once. */
export function manyLocals(n: number): Uint8Array {
  return wat(`(module (memory (export "memory") 1) (func $f ${bigLocals(n)}) (func (export "_start") (call $f)))`);
}

/** An extra export whose name is `n` bytes long. */
export function longExportName(n: number): Uint8Array {
  return wat(`(module (memory (export "memory") 1) (func $f) (export "${'x'.repeat(n)}" (func $f)) (func (export "_start")))`);
}

// ---- binary helpers ---------------------------------------------------------------------------------

function leb(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n = Math.floor(n / 128);
    if (n) b |= 0x80;
    out.push(b);
  } while (n);
  return out;
}

/** Replaces the data section (id 11) and data count (id 12) of `m` with one active segment of `bytes` zeros at 0. */
function withDataSegment(m: Uint8Array, bytes: number): Uint8Array {
  const parts: Uint8Array[] = [m.subarray(0, 8)];
  let p = 8;
  while (p < m.length) {
    const id = m[p];
    let size = 0;
    let shift = 0;
    let q = p + 1;
    for (;;) {
      const b = m[q++];
      size += (b & 0x7f) * 2 ** shift;
      shift += 7;
      if (!(b & 0x80)) break;
    }
    const end = q + size;
    if (id === 11) {
      const head = new Uint8Array([0x01, 0x00, 0x41, 0x00, 0x0b, ...leb(bytes)]);
      const body = new Uint8Array(head.length + bytes);
      body.set(head);
      parts.push(new Uint8Array([11, ...leb(body.length)]), body);
    } else parts.push(m.subarray(p, end));
    p = end;
  }
  const total = parts.reduce((n, x) => n + x.length, 0);
  const out = new Uint8Array(total);
  let o = 0;
  for (const x of parts) {
    out.set(x, o);
    o += x.length;
  }
  return out;
}
