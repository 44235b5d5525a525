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
  return wat(
    `(module (memory (export "memory") 1) (func $f) (export "${'x'.repeat(n)}" (func $f)) (func (export "_start")))`,
  );
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

/** Replaces the data section (id 11) of `m` with one active segment at 0: `content`, or that many zero bytes. */
function withDataSegment(m: Uint8Array, content: number | Uint8Array): Uint8Array {
  const bytes = typeof content === 'number' ? content : content.length;
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
      if (typeof content !== 'number') body.set(content, head.length);
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

// ---- module-shape guests (built in binary: far too large or odd for WAT) ------------------------------

function bytesOf(parts: ArrayLike<number>[]): Uint8Array {
  const total = parts.reduce((n, x) => n + x.length, 0);
  const out = new Uint8Array(total);
  let o = 0;
  for (const x of parts) {
    out.set(x, o);
    o += x.length;
  }
  return out;
}

/** A section: id, size, body. */
function section(id: number, body: Uint8Array): Uint8Array {
  return bytesOf([[id, ...leb(body.length)], body]);
}

/** `count` followed by `count` copies of `item` (a vector of identical entries), built without a JS array per entry. */
function repeatVec(count: number, item: ArrayLike<number>, declared = count): Uint8Array {
  const head = leb(declared);
  const out = new Uint8Array(head.length + count * item.length);
  out.set(head);
  for (let i = 0, o = head.length; i < count; i++, o += item.length) out.set(item, o);
  return out;
}

const HEADER = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
/** Type 0: () -> (). */
const TYPE_SECTION = section(1, new Uint8Array([1, 0x60, 0, 0]));
const MEMORY_SECTION = section(5, new Uint8Array([1, 0, 1]));
/** Exports memory 0 and function `startFn` as _start. */
function exportSection(startFn: number): Uint8Array {
  const name = (s: string) => [...leb(s.length), ...enc.encode(s)];
  return section(7, new Uint8Array([2, ...name('memory'), 2, 0, ...name('_start'), 0, ...leb(startFn)]));
}

/**
 * `n` functions, each declaring `locals` i32 locals in one group (7 bytes a body), plus an empty _start:
 * 250,000 × 50,000 would be 12.5·10⁹ locals if each were expanded.
 */
export function localsBomb(n: number, locals: number): Uint8Array {
  const body = [0x01, ...leb(locals), 0x7f, 0x0b];
  const entry = [...leb(body.length), ...body];
  const funcs = section(3, repeatVec(n + 1, [0]));
  const code = section(10, bytesOf([repeatVec(n, entry, n + 1), [2, 0, 0x0b]]));
  return bytesOf([HEADER, TYPE_SECTION, funcs, MEMORY_SECTION, exportSection(n), code]);
}

/** `n` copies of the type () -> () (3 bytes each) ahead of a minimal module. */
export function typesBomb(n: number): Uint8Array {
  const types = section(1, repeatVec(n, [0x60, 0, 0]));
  return bytesOf([
    HEADER,
    types,
    section(3, new Uint8Array([1, 0])),
    MEMORY_SECTION,
    exportSection(0),
    section(10, new Uint8Array([1, 2, 0, 0x0b])),
  ]);
}

/** `n` immutable i32 globals (5 bytes each). */
export function globalsBomb(n: number): Uint8Array {
  const globals = section(6, repeatVec(n, [0x7f, 0x00, 0x41, 0x00, 0x0b]));
  return bytesOf([
    HEADER,
    TYPE_SECTION,
    section(3, new Uint8Array([1, 0])),
    MEMORY_SECTION,
    globals,
    exportSection(0),
    section(10, new Uint8Array([1, 2, 0, 0x0b])),
  ]);
}

/** `n` empty passive data segments (2 bytes each). */
export function dataBomb(n: number): Uint8Array {
  const datas = section(11, repeatVec(n, [0x01, 0x00]));
  return bytesOf([
    HEADER,
    TYPE_SECTION,
    section(3, new Uint8Array([1, 0])),
    MEMORY_SECTION,
    exportSection(0),
    section(12, new Uint8Array(leb(n))),
    section(10, new Uint8Array([1, 2, 0, 0x0b])),
    datas,
  ]);
}

/** `n` imports fayger.clock_now-typed "" "" (4 bytes each): decoded before anything is linked. */
export function importsBomb(n: number): Uint8Array {
  const imports = section(2, repeatVec(n, [0, 0, 0x00, 0x00]));
  return bytesOf([
    HEADER,
    TYPE_SECTION,
    imports,
    section(3, new Uint8Array([1, 0])),
    MEMORY_SECTION,
    exportSection(n),
    section(10, new Uint8Array([1, 2, 0, 0x0b])),
  ]);
}

/** A function section declaring 2³²−1 functions in 5 bytes (nothing follows). */
export function functionCountBomb(): Uint8Array {
  return bytesOf([HEADER, TYPE_SECTION, section(3, new Uint8Array([0xff, 0xff, 0xff, 0xff, 0x0f])), MEMORY_SECTION]);
}

/** `_start` is one body of `instrs` × (i32.const 0; drop): 3 bytes each, run once. */
export function hugeBody(instrs: number): Uint8Array {
  const body = bytesOf([[0], repeatVec(instrs, [0x41, 0x00, 0x1a]).subarray(leb(instrs).length), [0x0b]]);
  const code = section(10, bytesOf([[1, ...leb(body.length)], body]));
  return bytesOf([HEADER, TYPE_SECTION, section(3, new Uint8Array([1, 0])), MEMORY_SECTION, exportSection(0), code]);
}

/** `n` functions of `instrs` × (i32.const 0; drop) each; _start calls every one (each compiled on first call). */
export function manyBodies(n: number, instrs: number): Uint8Array {
  const body = bytesOf([[0], repeatVec(instrs, [0x41, 0x00, 0x1a]).subarray(leb(instrs).length), [0x0b]]);
  const entry = bytesOf([leb(body.length), body]);
  const calls: number[] = [0];
  for (let i = 0; i < n; i++) calls.push(0x10, ...leb(i));
  calls.push(0x0b);
  const start = bytesOf([leb(calls.length), calls]);
  const code = section(10, bytesOf([repeatVec(n, entry, n + 1), start]));
  return bytesOf([HEADER, TYPE_SECTION, section(3, repeatVec(n + 1, [0])), MEMORY_SECTION, exportSection(n), code]);
}

/**
 * fayger.call("log.write") whose args are `bytes` of JSON holding empty objects (`{},` three bytes each):
 * within the host-call byte cap, but millions of host objects if parsed naively. Exits 100 + the status.
 */
export function jsonObjects(bytes: number): Uint8Array {
  const head = '{"level":"info","message":"x","fields":{"a":"b"},"parts":[';
  const n = Math.floor((bytes - head.length - 4) / 3);
  const args = enc.encode(`${head}${'{},'.repeat(n)}{}]}`);
  const op = enc.encode('log.write');
  const data = new Uint8Array(64 + args.length);
  data.set(op);
  data.set(args, 64);
  const m = wat(`(module
    (import "fayger" "call" (func $call (param i32 i32 i32 i32) (result i32)))
    (import "fayger" "exit" (func $exit (param i32)))
    (memory (export "memory") ${Math.ceil(data.length / 65536) + 1})
    (data (i32.const 0) "PLACEHOLDER")
    (func (export "_start")
      (call $exit (i32.add (i32.const 100)
        (call $call (i32.const 0) (i32.const ${op.length}) (i32.const 64) (i32.const ${args.length}))))))`);
  return withDataSegment(m, data);
}
