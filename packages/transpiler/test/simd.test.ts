import { FaygerError } from '@fayger/contracts';
import * as interp from '@fayger/interpreter';
import { describe, expect, it } from 'vitest';
import * as tr from '../src/index.js';
import { drive, wat } from './support.js';

/**
 * SIMD (v128) in the transpiler, checked against the interpreter through the same public API: v128 across the
 * native boundary (params, results, host functions, imported/exported/closure globals), in block params/results,
 * select and call_indirect signatures; identical fuel under every budget; v128 values live across a host promise.
 */

type Api = typeof interp | typeof tr;
// The two APIs have the same shape; the casts only bridge their distinct (structurally equal) nominal types.
const inst = (api: Api, bytes: Uint8Array, imports: Record<string, Record<string, unknown>> = {}, fuel?: number) =>
  (api.instantiateModule as typeof interp.instantiateModule)(
    (api.compileModule as typeof interp.compileModule)(bytes),
    imports as interp.Imports,
    fuel === undefined ? {} : { fuel },
  );

const bytes16 = (...words: number[]) => new Uint8Array(Int32Array.from(words).buffer);

const apiWat = `(module
  (import "host" "mix" (func $mix (param v128 i32) (result v128)))
  (import "host" "gin" (global $gin v128))
  (type $vv (func (param v128 v128) (result v128 i32)))
  (global $gm (export "gm") (mut v128) (v128.const i32x4 1 2 3 4))
  (global $gc (mut v128) (v128.const i64x2 -1 5))
  (table 2 funcref)
  (elem (i32.const 0) $pair $swap)
  (func $pair (type $vv) (i32x4.add (local.get 0) (local.get 1)) (i32x4.extract_lane 2 (local.get 1)))
  (func $swap (type $vv)
    (i8x16.shuffle 16 17 18 19 20 21 22 23 0 1 2 3 4 5 6 7 (local.get 0) (local.get 1)) (i32.const 7))
  (func (export "api") (param $a v128) (param $b v128) (param $k i32) (result v128 v128 i32)
    (local $r v128) (local $n i32)
    (local.get $a) (local.get $b)
    (block $blk (param v128 v128) (result v128 i32) (call_indirect (type $vv) (local.get $k)))
    (local.set $n) (local.set $r)
    (global.set $gm (i32x4.mul (global.get $gm) (local.get $r)))
    (global.set $gc (i64x2.add (global.get $gc) (global.get $gin)))
    (select (result v128) (local.get $r) (global.get $gc) (local.get $n))
    (call $mix (global.get $gm) (local.get $n))
    (local.get $n))
  (func (export "gc") (result v128) (global.get $gc))
  (func (export "lanes") (param $v v128) (result i32 i64 f32 f64 v128)
    (i8x16.extract_lane_s 7 (local.get $v)) (i64x2.extract_lane 1 (local.get $v))
    (f32x4.extract_lane 2 (local.get $v)) (f64x2.extract_lane 0 (local.get $v))
    (f64x2.replace_lane 1 (i64x2.replace_lane 0 (local.get $v) (i64.const -3)) (f64.const -0.5))))`;

const kernelWat = `(module
  (import "host" "fetch" (func $fetch (param i32) (result i32)))
  (memory (export "mem") 1)
  (data (i32.const 0) "\\01\\ff\\7f\\80\\10\\20\\30\\40\\fe\\fd\\fc\\fb\\00\\09\\08\\07 zyxwvutsrqponmlkjihgfedcba9876543210")
  (func (export "kernel") (param $n i32) (result i32)
    (local $i i32) (local $acc v128) (local $x v128) (local $f v128)
    (loop $l
      (local.set $x (v128.load offset=3 align=1 (i32.and (i32.mul (local.get $i) (i32.const 5)) (i32.const 0x3ff))))
      (local.set $acc (i32x4.add (local.get $acc) (i16x8.extmul_low_i8x16_s (local.get $x) (i8x16.splat (local.get $i)))))
      (local.set $acc (v128.xor (local.get $acc)
        (i8x16.swizzle (local.get $acc) (v128.const i8x16 3 2 1 0 7 6 5 4 11 10 9 8 15 14 13 12))))
      (v128.store offset=64 (i32.and (i32.mul (local.get $i) (i32.const 16)) (i32.const 0x3f0)) (local.get $acc))
      (v128.store8_lane 5 (local.get $i) (local.get $acc))
      (local.set $acc (v128.load32_lane 1 (i32.const 100) (local.get $acc)))
      (local.set $acc (i16x8.add_sat_s (local.get $acc) (v128.load16x4_u (local.get $i))))
      (local.set $f (f32x4.add (local.get $f) (f32x4.convert_i32x4_s (local.get $x))))
      (local.set $acc (v128.bitselect (local.get $acc) (i32x4.trunc_sat_f32x4_s (local.get $f)) (v128.load32_splat (i32.const 8))))
      (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $n))))
    (i32.add (i32.add (i32x4.extract_lane 0 (local.get $acc)) (i8x16.bitmask (local.get $acc)))
      (i32.add (i32x4.all_true (local.get $acc)) (i16x8.extract_lane_u 5 (local.get $acc)))))
  (func (export "susp") (param $n i32) (result v128)
    (local $v v128) (local $i i32)
    (local.set $v (v128.const i32x4 0x01020304 -1 7 0x80000000))
    (loop $l
      ;; the shuffled vector is on the operand stack while the host call waits
      (local.set $v (i32x4.add
        (i8x16.shuffle 1 2 3 0 5 6 7 4 9 10 11 8 13 14 15 12 (local.get $v) (local.get $v))
        (i32x4.splat (call $fetch (local.get $i)))))
      (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $n))))
    (local.get $v)))`;

const fetchSync = (i: unknown) => ((i as number) * 7 + 1) | 0;
const fetchAsync = (i: unknown) => new Promise((res) => setTimeout(() => res(fetchSync(i)), 1));

function kernelOn(api: Api, fuel?: number, async = false) {
  const fetch = (api.hostFunction as typeof interp.hostFunction)(
    { params: ['i32'], results: ['i32'] },
    async ? fetchAsync : fetchSync,
  );
  return inst(api, wat(kernelWat), { host: { fetch } }, fuel);
}

function outcome(f: () => unknown): unknown {
  try {
    return f();
  } catch (e) {
    if (FaygerError.is(e)) return e.code;
    throw e;
  }
}

describe('v128 across the native API, in blocks, select, call_indirect and globals', () => {
  function apiOn(api: Api) {
    const mix = (api.hostFunction as typeof interp.hostFunction)(
      { params: ['v128', 'i32'], results: ['v128'] },
      (v, n) => (v as Uint8Array).map((x, i) => x ^ ((n as number) + i)),
    );
    const gin = (api.createGlobal as typeof interp.createGlobal)(
      { value: 'v128', mutable: false },
      bytes16(10, 0, -20, -1),
    );
    return inst(api, wat(apiWat), { host: { mix, gin } });
  }

  it("gives the interpreter's raw values (16-byte Uint8Arrays) for every path", () => {
    const t = apiOn(tr);
    const i = apiOn(interp);
    const a = bytes16(1, -2, 0x7fffffff, 5);
    const b = bytes16(-1, 1 << 20, 3, 0x80000000 | 0);
    for (const k of [0, 1, 0, 1]) {
      const got = t.invoke('api', [a, b, k]);
      expect(got).toEqual(i.invoke('api', [a, b, k]));
      expect(got[0]).toBeInstanceOf(Uint8Array);
      expect((got[0] as Uint8Array).length).toBe(16);
      expect(t.getGlobal('gm')).toEqual(i.getGlobal('gm'));
      expect(t.invoke('gc')).toEqual(i.invoke('gc'));
    }
    // Spot values, independent of the interpreter: pair(a, b) = (a + b, lane 2 of b), and select picks a + b.
    const fresh = apiOn(tr).invoke('api', [a, b, 0]);
    expect(fresh[2]).toBe(3);
    expect(Array.from(new Int32Array((fresh[0] as Uint8Array).slice().buffer))).toEqual([
      0,
      (1 << 20) - 2,
      (0x7fffffff + 3) | 0,
      0x80000005 | 0,
    ]);
    const v = bytes16(0x11223344, -0x1000000, 0x3fc00000, 0x40490fdb);
    expect(t.invoke('lanes', [v])).toEqual(i.invoke('lanes', [v]));
    const [s8, i64] = t.invoke('lanes', [v]);
    expect(s8).toBe(0xffffffff); // byte 7 is 0xff: -1 sign-extended, 0xffffffff as a raw i32
    expect(i64).toBe(0x40490fdb3fc00000n);
  });

  it('exported v128 globals read and write through the shared global objects; bad values are typed errors', () => {
    const t = apiOn(tr);
    const g = t.exports['gm'] as tr.WasmGlobal;
    tr.setGlobalValue(g, bytes16(2, 2, 2, 2));
    t.invoke('api', [bytes16(1, 1, 1, 1), bytes16(0, 0, 0, 0), 0]);
    expect(Array.from(new Int32Array((t.getGlobal('gm') as Uint8Array).slice().buffer))).toEqual([2, 2, 2, 2]);
    const err = outcome(() => t.invoke('api', [new Uint8Array(8), bytes16(0, 0, 0, 0), 0]));
    expect(err).toBe('WASM_BAD_VALUE');
    expect(outcome(() => t.invoke('api', [[1, 2, 3, 4], bytes16(0, 0, 0, 0), 0]))).toBe('WASM_BAD_VALUE');
  });
});

describe("SIMD fuel: identical to the interpreter's", () => {
  it('uses the same fuel, memory and result on a full run', () => {
    const t = kernelOn(tr);
    const i = kernelOn(interp);
    for (const n of [1, 9, 200]) {
      expect(t.invoke('kernel', [n])).toEqual(i.invoke('kernel', [n]));
      expect(t.usage().fuelUsed).toBe(i.usage().fuelUsed);
    }
    expect(new Uint8Array((t.exports['mem'] as tr.WasmMemory).buffer)).toEqual(
      new Uint8Array((i.exports['mem'] as interp.WasmMemory).buffer),
    );
  });

  it('stops at the same count under budgets that run out part-way, plain and in fuel slices', async () => {
    const full = kernelOn(interp);
    full.invoke('kernel', [60]);
    const total = full.usage().fuelUsed;
    expect(total).toBeGreaterThan(60 * 30);
    for (const fuel of [1, 2, 17, Math.floor(total / 3), Math.floor(total / 2) + 1, total - 1, total]) {
      const t = kernelOn(tr, fuel);
      const i = kernelOn(interp, fuel);
      const want = outcome(() => i.invoke('kernel', [60]));
      expect(outcome(() => t.invoke('kernel', [60]))).toEqual(want);
      expect(t.usage().fuelUsed).toBe(i.usage().fuelUsed);
      expect(new Uint8Array((t.exports['mem'] as tr.WasmMemory).buffer)).toEqual(
        new Uint8Array((i.exports['mem'] as interp.WasmMemory).buffer),
      );
      // The resumable form, in slices of 97, stops (or completes) at the same count too.
      const s = kernelOn(tr, fuel);
      const got = await drive(s.call('kernel', [60]), 97).then(
        (r) => r.values,
        (e: FaygerError) => e.code,
      );
      expect(got).toEqual(fuel >= total ? want : 'TRAP_FUEL_EXHAUSTED');
      expect(s.usage().fuelUsed).toBe(i.usage().fuelUsed);
    }
  }, 120_000);
});

describe('SIMD and suspension', () => {
  it('keeps v128 locals and operands live across async host calls and fuel-slice ends', {
    timeout: 60_000,
  }, async () => {
    const want = kernelOn(interp).invoke('susp', [12]);
    const t = kernelOn(tr, undefined, true);
    const i = kernelOn(interp, undefined, true);
    const got = await drive(t.call('susp', [12]));
    expect(got.waits).toBe(12);
    expect(got.values).toEqual(want);
    expect(got.values).toEqual((await drive(i.call('susp', [12]))).values);
    expect(t.usage().fuelUsed).toBe(i.usage().fuelUsed);
    const sliced = await drive(kernelOn(tr, undefined, true).call('susp', [12]), 5);
    expect(sliced.values).toEqual(want);
    // A slice smaller than a segment still runs that segment: one suspension per loop header at least.
    expect(sliced.suspensions).toBeGreaterThanOrEqual(12);
    // The synchronous form of the same code agrees.
    expect(kernelOn(tr).invoke('susp', [12])).toEqual(want);
  });
});
