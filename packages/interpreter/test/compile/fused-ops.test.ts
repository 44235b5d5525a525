import { createRequire } from 'node:module';
import { beforeAll, describe, expect, it } from 'vitest';
import { compileModule, hostFunction, instantiateModule } from '../../src/index.js';

const require = createRequire(import.meta.url);

/**
 * The compiler folds constant operands, `i32.shl` address computations and loop back-edge fuel into fused
 * ops; each form is checked against V8's own WebAssembly on edge-case inputs.
 */
const WAT = `(module
  (memory (export "memory") 1)
  (func (export "imm32") (param $x i32) (result i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32)
    (i32.mul (local.get $x) (i32.const -1640531535))
    (i32.mul (i32.const 7) (local.get $x))
    (i32.sub (i32.const 5) (local.get $x))
    (i32.sub (local.get $x) (i32.const -2147483648))
    (i32.and (i32.const 0xff00) (local.get $x))
    (i32.or (local.get $x) (i32.const 0x80000001))
    (i32.xor (local.get $x) (i32.const -1))
    (i32.shl (local.get $x) (i32.const 33))
    (i32.shr_s (local.get $x) (i32.const 31))
    (i32.shr_u (local.get $x) (i32.const 64))
    (i32.rotl (local.get $x) (i32.const 37))
    (i32.rotr (local.get $x) (i32.const 32)))
  (func (export "rotr") (param $x i32) (result i32 i32 i32)
    (i32.rotr (local.get $x) (i32.const 1))
    (i32.rotr (local.get $x) (i32.const 31))
    (i32.rotl (local.get $x) (i32.const 0)))
  (func (export "imm64") (param $x i64) (result i64 i64 i64 i64 i64 i64 i64)
    (i64.mul (local.get $x) (i64.const 0x100000001b3))
    (i64.mul (i64.const -3) (local.get $x))
    (i64.add (local.get $x) (i64.const 0xffffffff))
    (i64.add (i64.const -1) (local.get $x))
    (i64.and (local.get $x) (i64.const 0xff00ff00ff00ff00))
    (i64.or (local.get $x) (i64.const 0x8000000000000001))
    (i64.xor (i64.const 0x5555555555555555) (local.get $x)))
  (func (export "shl_load") (param $i i32) (result i32 f64)
    (i32.store (i32.const 64) (i32.const 0x12345678))
    (f64.store (i32.const 128) (f64.const -1.5))
    (i32.load offset=4 (i32.shl (local.get $i) (i32.const 2)))
    (f64.load offset=8 (i32.shl (local.get $i) (i32.const 3))))
  (func (export "add_shl_load") (param $base i32) (param $i i32) (result i32 i64)
    (i32.store (i32.const 64) (i32.const 0x12345678))
    (f64.store (i32.const 128) (f64.const -1.5))
    (i32.load offset=4 (i32.add (local.get $base) (i32.shl (local.get $i) (i32.const 2))))
    (i64.reinterpret_f64 (f64.load offset=8 (i32.add (local.get $base) (i32.shl (local.get $i) (i32.const 3))))))
  (func (export "loop_sum") (param $n i32) (result i32)
    (local $i i32) (local $s i32)
    (block $done
      (loop $top
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $s (i32.add (local.get $s) (i32.mul (local.get $i) (i32.const 3))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $top)))
    (local.get $s))
  (func (export "chain") (param $x i32) (param $y i32) (result i32 i32 i32 i32 i32 i32 i32 i32 i32)
    (local $t i32)
    (i32.add (i32.mul (local.get $x) (i32.const 1664525)) (i32.const 1013904223))
    (i32.sub (i32.mul (local.get $x) (i32.const -7)) (i32.const -2147483648))
    (i32.xor (local.get $y) (i32.shr_u (local.get $x) (i32.const 13)))
    (i32.xor (i32.shr_u (local.get $x) (i32.const 45)) (local.get $y))
    (i32.xor (local.get $y) (i32.shl (local.get $x) (i32.const 31)))
    (i32.add (i32.rotl (local.get $y) (i32.const 5)) (local.get $x))
    (i32.add (local.get $x) (i32.rotr (local.get $y) (i32.const 32)))
    (local.set $t (i32.add (i32.mul (local.get $t) (i32.const 3)) (i32.const 1)))
    (local.set $x (i32.xor (local.get $x) (i32.shr_u (local.get $x) (i32.const 1))))
    (i32.add (local.get $t) (local.get $x))
    (local.tee $y (i32.add (i32.rotl (local.get $y) (i32.const 1)) (local.get $y))))
  (func (export "mad_load") (param $r i32) (param $c i32) (param $n i32) (result i32 i64)
    (i32.store (i32.const 64) (i32.const 0x12345678))
    (f64.store (i32.const 128) (f64.const -1.5))
    (i32.load offset=4 (i32.shl (i32.add (i32.mul (local.get $r) (local.get $n)) (local.get $c)) (i32.const 2)))
    (i64.reinterpret_f64 (f64.load offset=8 (i32.shl (i32.add (i32.mul (local.get $r) (local.get $n)) (local.get $c)) (i32.const 3)))))
  (func (export "loop_step_s") (param $n i32) (result i32)
    (local $i i32) (local $s i32)
    (local.set $i (i32.const -40))
    (block $done
      (loop $top
        (br_if $done (i32.ge_s (local.get $i) (local.get $n)))
        (local.set $s (i32.add (i32.mul (local.get $s) (i32.const 31)) (local.get $i)))
        (local.set $i (i32.add (local.get $i) (i32.const 3)))
        (br $top)))
    (local.get $s))
  (func (export "loop_do") (param $n i32) (result i32)
    (local $i i32) (local $s i32)
    (loop $top
      (local.set $s (i32.xor (local.get $s) (i32.add (local.get $i) (i32.const 7))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $top (i32.lt_u (local.get $i) (local.get $n))))
    (loop $down
      (local.set $i (i32.sub (local.get $i) (i32.const 1)))
      (br_if $down (local.get $i)))
    (local.get $s))
  (func (export "cmp_imm") (param $x i32) (result i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32)
    (i32.eq (local.get $x) (i32.const -1))
    (i32.ne (i32.const 255) (local.get $x))
    (i32.lt_s (local.get $x) (i32.const 15))
    (i32.lt_u (i32.const 15) (local.get $x))
    (i32.gt_s (i32.const -2147483648) (local.get $x))
    (i32.gt_u (local.get $x) (i32.const 0x7fffffff))
    (i32.le_s (local.get $x) (i32.const 0))
    (i32.le_u (i32.const -1) (local.get $x))
    (i32.ge_s (i32.const 2) (local.get $x))
    (i32.ge_u (local.get $x) (i32.const 0xffff0000))
    (select (i32.const 10) (i32.const 20) (i32.lt_u (local.get $x) (i32.const 256)))
    (if (result i32) (i32.gt_s (local.get $x) (i32.const 1)) (then (i32.const 1)) (else (i32.const 2))))
  (func (export "br_imm") (param $x i32) (result i32)
    (local $c i32)
    (block $a (br_if $a (i32.eq (local.get $x) (i32.const 7))) (local.set $c (i32.or (local.get $c) (i32.const 1))))
    (block $a (br_if $a (i32.ne (local.get $x) (i32.const 7))) (local.set $c (i32.or (local.get $c) (i32.const 2))))
    (block $a (br_if $a (i32.lt_s (local.get $x) (i32.const -5))) (local.set $c (i32.or (local.get $c) (i32.const 4))))
    (block $a (br_if $a (i32.lt_u (local.get $x) (i32.const 100))) (local.set $c (i32.or (local.get $c) (i32.const 8))))
    (block $a (br_if $a (i32.gt_s (i32.const 3) (local.get $x))) (local.set $c (i32.or (local.get $c) (i32.const 16))))
    (block $a (br_if $a (i32.gt_u (local.get $x) (i32.const 0x80000000))) (local.set $c (i32.or (local.get $c) (i32.const 32))))
    (block $a (br_if $a (i32.le_s (local.get $x) (i32.const 0))) (local.set $c (i32.or (local.get $c) (i32.const 64))))
    (block $a (br_if $a (i32.le_u (i32.const 9) (local.get $x))) (local.set $c (i32.or (local.get $c) (i32.const 128))))
    (block $a (br_if $a (i32.ge_s (local.get $x) (i32.const 1000))) (local.set $c (i32.or (local.get $c) (i32.const 256))))
    (block $a (br_if $a (i32.ge_u (local.get $x) (i32.const -2))) (local.set $c (i32.or (local.get $c) (i32.const 512))))
    (local.get $c))
  (func (export "store_imm") (param $a i32) (result i64 i64)
    (i64.store (local.get $a) (i64.const 0))
    (i64.store offset=8 (local.get $a) (i64.const 0))
    (i32.store (local.get $a) (i32.const 0x89abcdef))
    (i32.store8 offset=5 (local.get $a) (i32.const 0x1ff))
    (i32.store16 offset=6 (local.get $a) (i32.const -2))
    (i32.store offset=9 (local.get $a) (i32.const 0x01020304))
    (i64.load (local.get $a))
    (i64.load offset=8 (local.get $a)))
  (func (export "shift_imm") (param $x i64) (result i64 i64 i64 i64 i64 i64 i64 i64 i64 i64)
    (i64.shl (local.get $x) (i64.const 0))
    (i64.shl (local.get $x) (i64.const 13))
    (i64.shl (local.get $x) (i64.const 32))
    (i64.shl (local.get $x) (i64.const 127))
    (i64.shr_s (local.get $x) (i64.const 1))
    (i64.shr_s (local.get $x) (i64.const 33))
    (i64.shr_s (local.get $x) (i64.const 64))
    (i64.shr_u (local.get $x) (i64.const 7))
    (i64.shr_u (local.get $x) (i64.const 63))
    (i64.xor (local.get $x) (i64.shr_u (local.get $x) (i64.const -28))))
  (func (export "mul_add") (param $x f64) (param $y f64) (param $z f64) (result f64 f64)
    (local $s f64)
    (local.set $s (f64.add (f64.mul (local.get $x) (local.get $y)) (local.get $z)))
    (f64.add (f64.mul (local.get $y) (local.get $z)) (local.get $x))
    (local.get $s))
  (func (export "xor_rotl") (param $x i32) (param $y i32) (result i32 i32 i32)
    (i32.xor (i32.rotl (local.get $x) (i32.const 7)) (local.get $y))
    (i32.xor (local.get $y) (i32.rotr (local.get $x) (i32.const 13)))
    (i32.xor (local.get $y) (i32.rotl (local.get $x) (i32.const 32))))
  (func (export "loop_imm") (param $n i32) (result i32)
    (local $i i32) (local $s i32)
    (loop $top
      (local.set $s (i32.add (local.get $s) (local.get $i)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $top (i32.lt_u (local.get $i) (i32.const 250))))
    (loop $down
      (local.set $i (i32.sub (local.get $i) (i32.const 3)))
      (local.set $s (i32.xor (local.get $s) (local.get $i)))
      (br_if $down (i32.gt_s (local.get $i) (local.get $n))))
    (loop $up
      (local.set $i (i32.add (local.get $i) (i32.const 2)))
      (br_if $up (i32.ge_s (i32.const 400) (local.get $i))))
    (i32.add (local.get $s) (local.get $i)))
  (func (export "step_loops") (param $n i32) (result i32)
    (local $i i32) (local $s i32)
    (loop $a
      (local.set $s (i32.add (local.get $s) (local.get $i)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $a (i32.ne (local.get $i) (local.get $n))))
    (loop $b
      (local.set $s (i32.xor (local.get $s) (local.get $i)))
      (local.set $i (i32.add (local.get $i) (i32.const -7)))
      (br_if $b (i32.lt_s (i32.const -100) (local.get $i))))
    (loop $c
      (local.set $s (i32.add (local.get $s) (i32.const 3)))
      (local.set $i (i32.add (local.get $i) (i32.const 5)))
      (br_if $c (i32.lt_s (local.get $i) (local.get $n))))
    (local.set $s (i32.and (local.get $s) (i32.const 1023)))
    (loop $d
      (local.set $s (i32.sub (local.get $s) (i32.const 1)))
      (local.set $i (i32.add (local.get $i) (i32.const 2)))
      (br_if $d (i32.lt_u (local.get $i) (local.get $s))))
    (local.set $i (i32.const 0))
    (loop $e
      (local.set $s (i32.add (local.get $s) (i32.const 1)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $e (i32.ne (local.get $i) (i32.const 37))))
    (loop $f
      (local.set $s (i32.add (local.get $s) (local.get $i)))
      (local.set $i (i32.add (local.get $i) (i32.const 4)))
      (br_if $f (i32.lt_s (local.get $i) (i32.const 1000))))
    (i32.add (local.get $s) (local.get $i)))
  (func (export "load_add") (param $a i32) (param $b i32) (result i32 i64 i32 i32 i32 i64 i32 i32)
    (i64.store (i32.const 64) (i64.const 0x8899aabbccddeeff))
    (i64.store (i32.const 72) (i64.const 0x0123456789abcdef))
    (i32.load offset=2 (i32.add (local.get $a) (i32.const 60)))
    (i64.reinterpret_f64 (f64.load offset=1 (i32.add (local.get $a) (i32.const 63))))
    (i32.load8_s offset=3 (i32.sub (local.get $a) (i32.const -61)))
    (i32.load8_u (i32.add (i32.const 70) (local.get $a)))
    (i32.load offset=4 (i32.add (local.get $a) (local.get $b)))
    (i64.reinterpret_f64 (f64.load (i32.add (local.get $b) (local.get $a))))
    (i32.load8_s offset=1 (i32.add (local.get $a) (local.get $b)))
    (i32.load8_u offset=7 (i32.add (local.get $a) (local.get $b))))
  (func (export "xor_shift64") (param $x i64) (param $y i64) (result i64 i64 i64 i64)
    (i64.xor (local.get $y) (i64.shr_u (local.get $x) (i64.const 12)))
    (i64.xor (i64.shl (local.get $x) (i64.const 25)) (local.get $y))
    (i64.xor (local.get $y) (i64.shr_u (local.get $x) (i64.const 40)))
    (local.tee $x (i64.xor (local.get $x) (i64.shl (local.get $x) (i64.const 64)))))
  (func (export "shl_add") (param $x i32) (result i32 i32 i32)
    (i64.store (i32.const 64) (i64.const 0x8899aabbccddeeff))
    (i32.add (i32.shl (local.get $x) (i32.const 2)) (i32.const 1024))
    (i32.sub (i32.shl (local.get $x) (i32.const 35)) (i32.const 8))
    (i32.load (i32.add (i32.shl (local.get $x) (i32.const 2)) (i32.const 64))))
  (func (export "pairs") (param $a i32) (param $b i32) (param $c i32) (result i32 i32 i32 i32 i32 i32)
    (local $x i32) (local $y i32) (local $z i32) (local $w i32)
    (local.set $x (local.get $a))
    (local.set $y (local.get $b))
    (local.set $z (i32.add (local.get $x) (local.get $y)))
    (local.set $w (i32.add (local.get $z) (local.get $b)))
    (local.set $x (i32.add (local.get $w) (local.get $a)))
    (local.set $y (i32.add (local.get $y) (i32.const -7)))
    (local.set $z (i32.shl (local.get $x) (i32.const 3)))
    (local.set $w (i32.add (local.get $w) (i32.const 0x7fffffff)))
    ;; the br_if lands on the second op of a pair: it runs alone
    (block $l
      (br_if $l (local.get $c))
      (local.set $a (i32.add (local.get $a) (local.get $b))))
    (local.set $b (i32.add (local.get $b) (i32.const 9)))
    (local.get $x) (local.get $y) (local.get $z) (local.get $w) (local.get $a) (local.get $b))
  (func (export "pairs_mem") (param $p i32) (param $q i32) (param $v i32) (result i32 i32 i32 i32 i32)
    (local $t i32) (local $u i32)
    (i32.store (i32.const 64) (i32.const 0x8899aabb))
    (local.set $t (i32.add (local.get $p) (local.get $q)))
    (i32.store8 offset=3 (local.get $t) (i32.const 0x1ab))
    (local.set $u (i32.load8_u offset=3 (local.get $t)))
    (i32.store8 offset=1 (local.get $q) (local.get $u))
    (i32.store8 (local.get $p) (local.get $v))
    (local.set $p (i32.add (local.get $p) (i32.const 1)))
    (local.set $q (i32.add (local.get $q) (i32.const 4)))
    (local.set $u (i32.load offset=2 (i32.add (local.get $q) (i32.const 8))))
    (local.get $p) (local.get $q) (local.get $u) (i32.load (i32.const 64)) (i32.load (i32.const 68)))
  (func (export "pairs_load") (param $p i32) (param $q i32) (result i32 i32 i32 i32 i32)
    (local $t i32) (local $u i32) (local $v i32) (local $w i32) (local $r i32)
    (i64.store (i32.const 64) (i64.const 0x8899aabbccddeeff))
    (i64.store (i32.const 72) (i64.const 0x0102030405060708))
    (local.set $v (i32.load offset=2 (i32.add (local.get $q) (i32.const 4))))
    (local.set $w (i32.load8_u offset=2 (i32.add (local.get $q) (i32.const 5))))
    (local.set $t (i32.add (local.get $p) (local.get $q)))
    (local.set $u (i32.load offset=1 (i32.add (local.get $t) (i32.const 3))))
    (local.set $t (i32.add (i32.shl (local.get $p) (i32.const 2)) (i32.const 64)))
    (local.set $p (i32.load (local.get $t)))
    (block $d
      (block $c
        (block $b
          (block $a
            (br_table $a $b $c $d (i32.load8_u offset=1 (i32.add (local.get $q) (i32.const 7)))))
          (local.set $r (i32.const 10))
          (br $d))
        (local.set $r (i32.const 20))
        (br $d))
      (local.set $r (i32.const 30)))
    (local.get $u) (local.get $v) (local.get $w) (local.get $p) (local.get $r))
  (table 1 funcref)
  (elem (i32.const 0) $inc)
  (func $inc (param $x i32) (result i32) (i32.add (local.get $x) (i32.const 3)))
  (func (export "call_loop") (param $n i32) (result i32)
    (local $i i32) (local $s i32)
    (loop $top
      (local.set $s (call $inc (local.get $s)))
      (local.set $s (call_indirect (param i32) (result i32) (local.get $s) (i32.const 0)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $top (i32.lt_u (local.get $i) (local.get $n))))
    (local.get $s))
  (func (export "pair_loops") (param $n i32) (result i32)
    (local $i i32) (local $j i32) (local $s i32)
    (loop $a
      (i32.store8 (local.get $j) (local.get $s))
      (local.set $j (i32.add (local.get $j) (local.get $n)))
      (br_if $a (i32.lt_u (local.get $j) (i32.const 60000))))
    (loop $b
      (local.set $s (i32.add (local.get $s) (i32.const 3)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $b (i32.ne (local.get $i) (local.get $n))))
    (i32.add (local.get $s) (i32.load (i32.const 600)))))`;

let bytes: Uint8Array<ArrayBuffer>;
let native: Record<string, (...a: unknown[]) => unknown>;

beforeAll(async () => {
  if (typeof WebAssembly === 'undefined') return;
  const wabt = await require('wabt')();
  const mod = wabt.parseWat('fused.wat', WAT);
  bytes = new Uint8Array(mod.toBinary({}).buffer);
  mod.destroy();
  native = new WebAssembly.Instance(new WebAssembly.Module(bytes)).exports as unknown as typeof native;
});

const u32 = (v: unknown) => (v as number) >>> 0;
const u64 = (v: unknown) => BigInt.asUintN(64, v as bigint);
const I32S = [0, 1, -1, 2, 15, 255, 0x7fffffff, -0x80000000, 0x12345678, -0x6543210f, 0x0000ffff, 0xffff0000 | 0];
const I64S = [
  0n,
  1n,
  -1n,
  0xffffffffn,
  0x100000000n,
  -0x8000000000000000n,
  0x7fffffffffffffffn,
  0x123456789abcdef0n,
  -0x0123456789abcdefn,
];

// wabt and the reference both need the host's WebAssembly, absent under `node --jitless`.
describe.skipIf(typeof WebAssembly === 'undefined')('fused ops', () => {
  it('i32 binary ops with a constant operand', () => {
    const inst = instantiateModule(compileModule(bytes));
    for (const x of I32S) {
      expect(inst.invoke('imm32', [x])).toEqual((native.imm32(x) as number[]).map(u32));
      expect(inst.invoke('rotr', [x])).toEqual((native.rotr(x) as number[]).map(u32));
    }
  });

  it('chained fusions: multiply-add by constants, xor/add of a constant shift or rotate', () => {
    const inst = instantiateModule(compileModule(bytes));
    for (const x of I32S) {
      for (const y of [0, -1, 0x12345678, -0x80000000]) {
        expect(inst.invoke('chain', [x, y])).toEqual((native.chain(x, y) as number[]).map(u32));
      }
    }
  });

  it('i64 binary ops with a constant operand', () => {
    const inst = instantiateModule(compileModule(bytes));
    for (const x of I64S) expect(inst.invoke('imm64', [x])).toEqual((native.imm64(x) as bigint[]).map(u64));
  });

  it('loads whose address is a shifted index, including out-of-bounds traps', () => {
    const inst = instantiateModule(compileModule(bytes));
    for (const i of [15, 16, 0, 1, 8189, 8190, 0x40000000, 0xc0000000 | 0]) {
      const [a, f] = native.shl_load(i) as [number, number];
      const [ia, ifb] = inst.invoke('shl_load', [i]) as [number, bigint];
      expect(ia).toBe(a >>> 0);
      expect(ifb).toBe(new BigUint64Array(new Float64Array([f]).buffer)[0]);
    }
    for (const i of [8191, 16383, -1, 0x1fffffff]) {
      expect(() => native.shl_load(i)).toThrow();
      expect(() => inst.invoke('shl_load', [i])).toThrow(
        expect.objectContaining({ code: 'TRAP_MEMORY_OUT_OF_BOUNDS' }),
      );
    }
  });

  it('loads whose address is (r * n + c) << k, wrapping and trapping like native', () => {
    const inst = instantiateModule(compileModule(bytes));
    for (const [r, n] of [
      [0, 0],
      [1, 15],
      [3, 5],
      [-1, 1],
      [0x10000, 0x10000],
      [0x40000000, 4],
      [7, -2],
    ]) {
      for (const c of [0, 1, 15, 16, -16, 8189, 0x7fffffff]) {
        let expected: unknown[] | undefined;
        try {
          expected = (native.mad_load(r, c, n) as unknown[]).map((v, k) => (k === 0 ? u32(v) : u64(v)));
        } catch {
          expected = undefined;
        }
        if (expected === undefined) {
          expect(() => inst.invoke('mad_load', [r, c, n])).toThrow(
            expect.objectContaining({ code: 'TRAP_MEMORY_OUT_OF_BOUNDS' }),
          );
        } else {
          expect(inst.invoke('mad_load', [r, c, n])).toEqual(expected);
        }
      }
    }
  });

  it('loads whose address is base + (x << k), wrapping and trapping like native', () => {
    const inst = instantiateModule(compileModule(bytes));
    for (const base of [0, 60, 120, -8, -4, 65528, 0x7fffffff]) {
      for (const i of [0, 1, 2, 15, 16, 8190, 0x40000000, -1, -2]) {
        let expected: unknown[] | undefined;
        try {
          expected = (native.add_shl_load(base, i) as unknown[]).map((v, k) => (k === 0 ? u32(v) : u64(v)));
        } catch {
          expected = undefined;
        }
        if (expected === undefined) {
          expect(() => inst.invoke('add_shl_load', [base, i])).toThrow(
            expect.objectContaining({ code: 'TRAP_MEMORY_OUT_OF_BOUNDS' }),
          );
        } else {
          expect(inst.invoke('add_shl_load', [base, i])).toEqual(expected);
        }
      }
    }
  });

  it('i32 comparisons with a constant (either side), as values, in select, if and br_if', () => {
    const inst = instantiateModule(compileModule(bytes));
    for (const x of [...I32S, 7, 8, -5, -6, 3, 9, 99, 100, 999, 1000, -2, -3, 0x80000001 | 0]) {
      expect(inst.invoke('cmp_imm', [x])).toEqual((native.cmp_imm(x) as number[]).map(u32));
      expect(inst.invoke('br_imm', [x])).toEqual([u32(native.br_imm(x))]);
    }
  });

  it('i32 stores of a constant, including out-of-bounds traps', () => {
    const inst = instantiateModule(compileModule(bytes));
    for (const a of [0, 1, 64, 65520, 65519]) {
      expect(inst.invoke('store_imm', [a])).toEqual((native.store_imm(a) as bigint[]).map(u64));
    }
    for (const a of [65521, 65535, -1]) {
      expect(() => native.store_imm(a)).toThrow();
      expect(() => inst.invoke('store_imm', [a])).toThrow(
        expect.objectContaining({ code: 'TRAP_MEMORY_OUT_OF_BOUNDS' }),
      );
    }
  });

  it('i64 shifts by a constant, f64 multiply-add with the product on the left, xor of a constant rotate', () => {
    const inst = instantiateModule(compileModule(bytes));
    for (const x of I64S) expect(inst.invoke('shift_imm', [x])).toEqual((native.shift_imm(x) as bigint[]).map(u64));
    const bits = (v: unknown) => new BigUint64Array(new Float64Array([v as number]).buffer)[0];
    for (const [x, y, z] of [
      [1.5, 2.25, -3],
      [0.1, 0.2, 0.3],
      [1e308, 10, -1e308],
      [-0, 0, -0],
      [Number.NaN, 1, 2],
      [3, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY],
    ]) {
      expect(inst.invoke('mul_add', [x, y, z].map(bits))).toEqual((native.mul_add(x, y, z) as number[]).map(bits));
    }
    for (const x of I32S) {
      for (const y of [0, -1, 0x12345678]) {
        expect(inst.invoke('xor_rotl', [x, y])).toEqual((native.xor_rotl(x, y) as number[]).map(u32));
      }
    }
  });

  // Fresh instances on both sides: the memory then holds only what the function stores itself.
  const fresh = () => ({
    inst: instantiateModule(compileModule(bytes)),
    native: new WebAssembly.Instance(new WebAssembly.Module(bytes)).exports as unknown as typeof native,
  });

  it('loads of base + constant and base + index: wrapping like i32.add, trapping like native', () => {
    const { inst, native } = fresh();
    const v = [0, 1, 4, 8, -1, -4, -60, -64, 65520, 65527, 65528, 65535, 0x7fffffff, -0x80000000];
    for (const a of v) {
      for (const b of [0, 4, 64, -64, 65472, -1, 0x80000000 | 0]) {
        let expected: unknown[] | undefined;
        try {
          expected = (native.load_add(a, b) as unknown[]).map((x) => (typeof x === 'bigint' ? u64(x) : u32(x)));
        } catch {
          expected = undefined;
        }
        if (expected === undefined) {
          expect(() => inst.invoke('load_add', [a, b])).toThrow(
            expect.objectContaining({ code: 'TRAP_MEMORY_OUT_OF_BOUNDS' }),
          );
        } else {
          expect(inst.invoke('load_add', [a, b])).toEqual(expected);
        }
      }
    }
  });

  it('i64 xor of a constant shift, i32 shift then add of a constant', () => {
    const { inst, native } = fresh();
    for (const x of I64S) {
      for (const y of [0n, -1n, 0x123456789abcdef0n]) {
        expect(inst.invoke('xor_shift64', [x, y])).toEqual((native.xor_shift64(x, y) as bigint[]).map(u64));
      }
    }
    for (const x of [0, 1, 4, 15, -1, 0x40000000, -0x3fffffff]) {
      let expected: number[] | undefined;
      try {
        expected = (native.shl_add(x) as number[]).map(u32);
      } catch {
        expected = undefined;
      }
      if (expected === undefined) {
        expect(() => inst.invoke('shl_add', [x])).toThrow(
          expect.objectContaining({ code: 'TRAP_MEMORY_OUT_OF_BOUNDS' }),
        );
      } else {
        expect(inst.invoke('shl_add', [x])).toEqual(expected);
      }
    }
  });

  it('pairs of adjacent ops in one dispatch, a branch to the second op of a pair running it alone', () => {
    const inst = instantiateModule(compileModule(bytes));
    for (const a of I32S) {
      for (const b of [0, 1, -1, 0x7fffffff, -0x80000000, 0x12345678]) {
        for (const c of [0, 1]) {
          expect(inst.invoke('pairs', [a, b, c])).toEqual((native.pairs(a, b, c) as number[]).map(u32));
        }
      }
    }
  });

  it('pairs with byte loads and stores: wrapping and trapping like native, in either op of the pair', () => {
    const { inst, native } = fresh();
    const v = [0, 1, 60, 64, 65, 65532, 65533, 65534, 65535, 65536, -1, -3, -4, 0x7fffffff, -0x80000000];
    for (const p of v) {
      for (const q of [0, 1, 4, 65520, 65531, 65532, 65534, 65535, -1, -65536]) {
        let expected: number[] | undefined;
        try {
          expected = (native.pairs_mem(p, q, 0x1234) as number[]).map(u32);
        } catch {
          expected = undefined;
        }
        if (expected === undefined) {
          expect(() => inst.invoke('pairs_mem', [p, q, 0x1234])).toThrow(
            expect.objectContaining({ code: 'TRAP_MEMORY_OUT_OF_BOUNDS' }),
          );
        } else {
          expect(inst.invoke('pairs_mem', [p, q, 0x1234])).toEqual(expected);
        }
      }
    }
  });

  const FUEL_OF: Record<string, number> = { pair_loops: 8001, call_loop: 7801 };
  it('pairs with loads and a br_table on a loaded byte: wrapping and trapping like native', () => {
    const { inst, native } = fresh();
    for (const p of [0, 1, 2, 16, 17, 18, 19, -1, 16383, 16384, 0x40000000]) {
      for (const q of [0, 56, 57, 58, 59, 60, 64, 65, 66, 65520, 65524, 65525, 65526, 65527, -4, -5, -8]) {
        let expected: number[] | undefined;
        try {
          expected = (native.pairs_load(p, q) as number[]).map(u32);
        } catch {
          expected = undefined;
        }
        if (expected === undefined) {
          expect(() => inst.invoke('pairs_load', [p, q])).toThrow(
            expect.objectContaining({ code: 'TRAP_MEMORY_OUT_OF_BOUNDS' }),
          );
        } else {
          expect(inst.invoke('pairs_load', [p, q])).toEqual(expected);
        }
      }
    }
  });

  it.each(['loop_sum', 'loop_step_s', 'loop_do', 'loop_imm', 'step_loops', 'pair_loops', 'call_loop'])(
    '%s: charges loop fuel on the back edge and stops at the same point for the same slices',
    (fn) => {
      const mod = compileModule(bytes);
      const full = instantiateModule(mod);
      const expected = full.invoke(fn, [300]);
      expect(expected).toEqual([u32(native[fn](300))]);
      const fuelUsed = full.usage().fuelUsed;
      // Fuel is one unit per WebAssembly instruction: these totals are what the engine charged before the pair
      // ops existed (measured on that build); running two ops in one dispatch must not change them.
      if (fn in FUEL_OF) expect(fuelUsed).toBe(FUEL_OF[fn]);
      for (const slice of [1, 2, 3, 7, 10, 64]) {
        const trace = (): number[] => {
          const inst = instantiateModule(mod);
          const call = inst.call(fn, [300]);
          const used: number[] = [];
          for (;;) {
            const r = call.run({ fuel: slice });
            used.push(inst.usage().fuelUsed);
            if (r.status === 'completed') {
              expect(r.values).toEqual(expected);
              break;
            }
            expect(r.status).toBe('suspended');
          }
          return used;
        };
        const a = trace();
        expect(trace()).toEqual(a);
        expect(a.at(-1)).toBe(fuelUsed);
      }
      // A budget one short of what the call needs traps; the exact budget completes.
      expect(() => instantiateModule(mod, {}, { fuel: fuelUsed - 1 }).invoke(fn, [300])).toThrow(
        expect.objectContaining({ code: 'TRAP_FUEL_EXHAUSTED' }),
      );
      expect(instantiateModule(mod, {}, { fuel: fuelUsed }).invoke(fn, [300])).toEqual(expected);
    },
  );
});

describe.skipIf(typeof WebAssembly === 'undefined')('lazy compilation', () => {
  it('a host call that compiles functions (growing the code buffer) leaves the calling frame intact', async () => {
    const wabt = await require('wabt')();
    const adds = '(local.set 0 (i32.add (local.get 0) (i32.const 3)))\n'.repeat(600);
    const mod = wabt.parseWat(
      'lazy.wat',
      `(module
      (import "env" "cb" (func $cb))
      (func (export "outer") (result i32) (call $cb) (i32.add (call $big) (call $small)))
      (func $big (export "big") (result i32) (local i32) ${adds} (local.get 0))
      (func $small (result i32) (i32.const 5)))`,
    );
    const wasm = new Uint8Array(mod.toBinary({}).buffer);
    mod.destroy();
    const compiled = compileModule(wasm);
    let inst: ReturnType<typeof instantiateModule> | undefined;
    const cb = hostFunction({ params: [], results: [] }, () => {
      // Re-enters the guest: compiles `big`, a body larger than the initial code buffer.
      expect(inst!.invoke('big', [])).toEqual([1800]);
    });
    inst = instantiateModule(compiled, { env: { cb } });
    expect(inst.invoke('outer', [])).toEqual([1805]);
    expect(
      instantiateModule(compiled, { env: { cb: hostFunction({ params: [], results: [] }, () => {}) } }).invoke(
        'outer',
        [],
      ),
    ).toEqual([1805]);
  });
});
