import * as interp from '@fayger/interpreter';
import { describe, expect, it } from 'vitest';
import * as tr from '../src/index.js';
import { createTranspilerImplementation } from '../src/index.js';
import { drive, wat } from './support.js';

/**
 * Item 4 of the transpiler issue: only the functions that can reach an async import (call graph; call_indirect by
 * type, conservatively) have a generator body; the others run as plain functions on the resumable path too, and
 * a fuel slice ending inside them unwinds their frames (records) and re-enters them on the next run.
 */
const guest = wat(`(module
  (import "env" "fetch" (func $fetch (param i32) (result i32)))
  (import "env" "log" (func $log (param i32)))
  (type $t (func (param i32) (result i32)))
  (type $u (func (param i32 i32) (result i32)))
  (memory (export "mem") 1)
  (table 8 funcref)
  (elem (i32.const 0) $sq $viaFetch $add $twice)
  (func $sq (type $t) (i32.mul (local.get 0) (local.get 0)))
  (func $viaFetch (type $t) (i32.add (call $fetch (local.get 0)) (i32.const 1)))
  (func $add (type $u) (i32.add (local.get 0) (local.get 1)))
  (func $twice (type $u) (call $sum2 (local.get 0) (local.get 1)))
  ;; A loop with calls (a leaf, a plain function, a synchronous import) and memory traffic.
  (func $sum (param $n i32) (result i32) (local $i i32) (local $acc i32)
    (block $done
      (loop $l
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $acc (i32.add (local.get $acc) (call $sq (local.get $i))))
        (i32.store (i32.and (i32.shl (local.get $i) (i32.const 2)) (i32.const 4095)) (local.get $acc))
        (if (i32.eqz (i32.rem_u (local.get $i) (i32.const 37))) (then (call $log (local.get $acc))))
        (local.set $acc (i32.xor (local.get $acc) (call $inner (local.get $i))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $l)))
    (local.get $acc))
  (func $inner (param $x i32) (result i32) (local $k i32)
    (loop $m
      (local.set $x (i32.add (i32.mul (local.get $x) (i32.const 1103515245)) (i32.const 12345)))
      (local.set $k (i32.add (local.get $k) (i32.const 1)))
      (br_if $m (i32.lt_u (local.get $k) (i32.const 5))))
    (local.get $x))
  (func $sum2 (param i32 i32) (result i32) (i32.add (call $sum (local.get 0)) (local.get 1)))
  (func (export "sum") (param i32) (result i32) (call $sum (local.get 0)))
  ;; A generator (it reaches fetch) that calls plain code in its loop: slices end inside the plain frames.
  (func (export "mixed") (param $n i32) (result i32) (local $j i32) (local $acc i32)
    (loop $l
      (local.set $acc (i32.add (local.get $acc) (call $sum (i32.add (local.get $n) (local.get $j)))))
      (local.set $acc (i32.add (local.get $acc) (call $viaFetch (local.get $j))))
      (local.set $j (i32.add (local.get $j) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $j) (i32.const 3))))
    (local.get $acc))
  ;; call_indirect of $t: $viaFetch has that type, so it may await (a generator).
  (func (export "indirect") (param i32 i32) (result i32)
    (i32.add (call_indirect (type $t) (local.get 0) (local.get 1)) (call $sum (local.get 0))))
  ;; call_indirect of $u: no function of that type reaches fetch, so it is plain.
  (func (export "indirectSync") (param i32 i32) (result i32)
    (call_indirect (type $u) (local.get 0) (i32.const 3) (local.get 1))))`);

// Function indices: 0 fetch, 1 log, 2 $sq, 3 $viaFetch, 4 $add, 5 $twice, 6 $sum, 7 $inner, 8 $sum2, 9 sum,
// 10 mixed, 11 indirect, 12 indirectSync.
const SUM = 6;

const FETCH = { params: ['i32'], results: ['i32'] } as const;
const LOG = { params: ['i32'], results: [] } as const;
const fetchImpl = (x: unknown) => Promise.resolve(((x as number) * 3) | 0);

function transpiled(syncLog = true) {
  const logs: number[] = [];
  const inst = tr.instantiateModule(tr.compileModule(guest), {
    env: {
      fetch: tr.hostFunction(FETCH as never, fetchImpl),
      log: tr.hostFunction(LOG as never, (x) => void logs.push(x as number), { sync: syncLog }),
    },
  });
  return { inst, logs };
}

function interpreted() {
  const logs: number[] = [];
  const inst = interp.instantiateModule(interp.compileModule(guest), {
    env: {
      fetch: interp.hostFunction(FETCH as never, fetchImpl),
      log: interp.hostFunction(LOG as never, (x) => void logs.push(x as number)),
    },
  });
  return { inst, logs };
}

describe('resumable forms: generators only where an async import is reachable', () => {
  it('gives a function that cannot reach an async import no generator body', () => {
    const { inst } = transpiled();
    // fetch may await; log is declared synchronous.
    expect(inst.resumable).toEqual([
      true, // fetch
      false, // log (sync)
      false, // $sq (a leaf)
      true, // $viaFetch
      false, // $add
      false, // $twice
      false, // $sum
      false, // $inner
      false, // $sum2
      false, // sum
      true, // mixed
      true, // indirect: call_indirect of a type $viaFetch has
      false, // indirectSync: no function of type $u awaits
    ]);
    // In the generated source: $sum has a resumable plain form and a two-line generator entry, no generator body.
    expect(inst.source).toMatch(new RegExp(`function p${SUM}\\(l0\\) \\{\\nlet `));
    expect(inst.source).toMatch(new RegExp(`function\\* g${SUM}\\(l0\\) \\{\\nconst R = p${SUM}\\(l0\\);`));
    expect(inst.source).not.toMatch(new RegExp(`function\\* g${SUM}\\(l0\\) \\{\\nlet `));
    expect(inst.source).toMatch(/function\* g10\(l0\) \{\nlet /); // mixed: a real generator
    // Without the declaration every import may await: $sum reaches log, so it is a generator too.
    const all = transpiled(false).inst;
    expect(all.resumable[SUM]).toBe(true);
    expect(all.resumable[2]).toBe(false); // a leaf never awaits
    expect(all.module.resumable).toEqual(all.resumable);
    expect(all.source).toMatch(new RegExp(`function\\* g${SUM}\\(l0\\) \\{\\nlet `));
  });

  it('treats every call_indirect as possibly awaiting when foreign functions can reach the tables', () => {
    const bytes = wat(`(module
      (type $u (func (param i32 i32) (result i32)))
      (table (export "table") 2 funcref)
      (func $add (type $u) (i32.add (local.get 0) (local.get 1)))
      (elem (i32.const 0) $add)
      (func (export "f") (param i32) (result i32) (call_indirect (type $u) (local.get 0) (i32.const 1) (i32.const 0)))
      (func (export "g") (param i32) (result i32) (call $add (local.get 0) (i32.const 2))))`);
    // The host may store any function (of another instance, which may await) in the exported table.
    expect(tr.compileModule(bytes).resumable).toEqual([false, true, false]);
  });

  it('resumes a guest stopped mid-loop in plain code to the interpreter result and fuel, at every slice size', async () => {
    const cases: [string, number[]][] = [
      ['sum', [60]],
      ['mixed', [25]],
      ['indirectSync', [7, 2]],
    ];
    const slices = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 17, 19, 23, 29, 31, 64, 97, 256, 1000, 1e9];
    for (const [name, args] of cases) {
      for (const slice of slices) {
        const t = transpiled();
        const i = interpreted();
        const got = await drive(t.inst.call(name, args), slice);
        const want = await drive(i.inst.call(name, args), slice);
        const where = `${name}(${args}) in slices of ${slice}`;
        expect([where, got]).toEqual([where, want]);
        expect([where, t.inst.usage().fuelUsed]).toEqual([where, i.inst.usage().fuelUsed]);
        expect([where, t.logs]).toEqual([where, i.logs]);
        const mem = (x: { exports: Record<string, unknown> }) =>
          (x.exports.mem as { u8: Uint8Array }).u8.slice(0, 4096);
        expect([where, mem(t.inst)]).toEqual([where, mem(i.inst)]);
      }
    }
  });

  it('stops at the same count as the interpreter when the total budget runs out inside plain code', () => {
    for (const fuel of [1, 9, 50, 333, 1234, 5000]) {
      const run = (inst: { call(n: string, a: number[]): { run(o: { fuel: number }): { status: string } } }) => {
        const ex = inst.call('mixed', [25]);
        let r = ex.run({ fuel: 7 });
        while (r.status === 'suspended') r = ex.run({ fuel: 7 });
        return r.status === 'trapped' ? (r as unknown as { error: { code: string } }).error.code : r.status;
      };
      const mk = (api: typeof tr | typeof interp, sync: boolean) => {
        const hf = api.hostFunction as typeof tr.hostFunction;
        return (api.instantiateModule as typeof tr.instantiateModule)(
          (api.compileModule as typeof tr.compileModule)(guest),
          { env: { fetch: hf(FETCH as never, fetchImpl), log: hf(LOG as never, () => {}, { sync }) } },
          { fuel },
        );
      };
      const t = mk(tr, true);
      const i = mk(interp, true);
      expect([fuel, run(t), t.usage().fuelUsed]).toEqual([fuel, run(i as never), i.usage().fuelUsed]);
    }
  });

  it('re-enters deep plain recursion partly as generator frames, to the interpreter result and fuel', async () => {
    // Deeper than the plain frames a re-entry keeps plain (16): the outer ones go on as generator variants.
    const bytes = wat(`(module
      (func $rec (export "rec") (param $n i32) (result i32) (local $k i32) (local $acc i32)
        (if (i32.eqz (local.get $n)) (then (return (i32.const 1))))
        (loop $l
          (local.set $acc (i32.add (local.get $acc) (i32.mul (local.get $k) (local.get $n))))
          (local.set $k (i32.add (local.get $k) (i32.const 1)))
          (br_if $l (i32.lt_u (local.get $k) (i32.const 3))))
        (i32.add (local.get $acc)
          (i32.mul (call $rec (i32.sub (local.get $n) (i32.const 1))) (i32.const 3)))))`);
    const mod = tr.compileModule(bytes);
    expect(mod.resumable).toEqual([false]);
    for (const slice of [1, 2, 3, 5, 7, 11, 40, 1000]) {
      const t = tr.instantiateModule(mod);
      const i = interp.instantiateModule(interp.compileModule(bytes));
      const got = await drive(t.call('rec', [300]), slice);
      const want = await drive(i.call('rec', [300]), slice);
      expect([slice, got]).toEqual([slice, want]);
      expect([slice, t.usage().fuelUsed]).toEqual([slice, i.usage().fuelUsed]);
      if (slice < 40) expect(t.state.code.gv?.size).toBeGreaterThan(0);
    }
  });

  it('takes `sync: true` on a Runtime_Implementation host function as a synchronous import', async () => {
    const code = await createTranspilerImplementation().compile(guest);
    const logs: number[] = [];
    const log = Object.assign((args: readonly unknown[]) => void logs.push(Number(args[0])), { sync: true });
    const inst = await code.instantiate({ env: { fetch: ([x]) => Promise.resolve(Number(x) * 3), log } });
    const native = (inst as unknown as { inst: tr.TranspiledInstance }).inst;
    expect(native.resumable[SUM]).toBe(false);
    expect(native.resumable[10]).toBe(true);
    const call = inst.call('mixed', [25]);
    let r = call.run({ fuel: 13 });
    for (; r.status !== 'completed'; r = call.run({ fuel: 13 })) {
      if (r.status === 'waiting') await r.settled;
      else expect(r.status).toBe('suspended');
    }
    const i = interpreted();
    expect(r.values).toEqual((await drive(i.inst.call('mixed', [25]))).values.map((v) => (v as number) | 0));
    expect(logs).toEqual(i.logs.map((v) => v | 0));
  });

  it('compiles each plain re-entry variant once, not once per slice', async () => {
    const t = transpiled();
    const before = t.inst.state.code;
    const r = await drive(t.inst.call('sum', [200]), 5);
    expect(r.suspensions).toBeGreaterThan(1000);
    // The same code object (no recompilation of the module), and one variant per (function, site) it stopped at.
    expect(t.inst.state.code).toBe(before);
    const sites = t.inst.state.emitted.frames.reduce((n, f) => n + f.sites.size, 0);
    expect(before.pv!.size).toBeGreaterThan(0);
    expect(before.pv!.size).toBeLessThanOrEqual(sites);
  });

  it('suspends at an async import reached through call_indirect, also in fuel slices', async () => {
    for (const slice of [undefined, 1, 3, 10, 77]) {
      const t = transpiled();
      const i = interpreted();
      const got = await drive(t.inst.call('indirect', [5, 1]), slice);
      const want = await drive(i.inst.call('indirect', [5, 1]), slice);
      expect(got.waits).toBe(1);
      expect([slice, got]).toEqual([slice, want]);
      expect(t.inst.usage().fuelUsed).toBe(i.inst.usage().fuelUsed);
      // Through the table to a plain function of the same type: no wait.
      const sq = await drive(transpiled().inst.call('indirect', [5, 0]), slice);
      expect(sq.waits).toBe(0);
      expect(sq).toEqual(await drive(interpreted().inst.call('indirect', [5, 0]), slice));
    }
  });
});
