import { createInterpreterImplementation } from '@fayger/interpreter';
import { createTranspilerImplementation } from '@fayger/transpiler';
import { describe, expect, it } from 'vitest';
import type { BufInstance, TransitionInfo } from '../src/index.js';
import { loadedBuf, setup, wat } from './support/harness.js';

/**
 * `BufInstance.suspendAt(fuel)`: the instance parks at the first fuel point at or past a total of `fuel`
 * units, whatever the slice size and whichever engine runs it (fuel is identical across strategies), and goes
 * on from there to the same end as an uninterrupted run.
 */
const LOOP = wat(`(module
  (memory (export "memory") 1)
  (func $mix (param $x i32) (result i32)
    (i32.xor (i32.mul (local.get $x) (i32.const 0x9e3779b1)) (i32.shr_u (local.get $x) (i32.const 15))))
  (func (export "_start") (result i32) (local $i i32) (local $acc i32)
    (block $done (loop $l
      (br_if $done (i32.ge_u (local.get $i) (i32.const 20000)))
      (local.set $acc (i32.add (call $mix (local.get $acc)) (local.get $i)))
      (if (i32.eqz (i32.and (local.get $i) (i32.const 7)))
        (then (i32.store (i32.and (local.get $i) (i32.const 0xfffc)) (local.get $acc))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $l)))
    (i32.and (local.get $acc) (i32.const 0x7f))))`);

const ENGINES = {
  interpreter: createInterpreterImplementation,
  transpiler: createTranspilerImplementation,
} as const;
type Engine = keyof typeof ENGINES;

function instance(engine: Engine, sliceFuel: number): BufInstance {
  const { runtime } = setup({ implementations: [ENGINES[engine]()], limits: { sliceFuel } });
  return runtime.instantiate(loadedBuf({ code: LOOP, capabilities: [] }));
}

/** Runs until parked by suspendAt(at); returns the fuel there, the transition, then the run's end. */
async function stopAt(engine: Engine, sliceFuel: number, at: number) {
  const inst = instance(engine, sliceFuel);
  inst.suspendAt(at);
  const parked = new Promise<TransitionInfo>((r) => inst.onTransition((t) => t.to === 'Suspended' && r(t)));
  await inst.start();
  const t = await Promise.race([parked, inst.done.then(() => undefined)]);
  const fuel = inst.usage().fuelUsed;
  const state = inst.state;
  inst.resume();
  const end = await inst.runToCompletion();
  return { t, fuel, state, end };
}

describe('suspendAt (runtime)', () => {
  it('parks at the same fuel point whatever the slice size and engine, and goes on to the same end', async () => {
    const whole = await instance('interpreter', 10_000).runToCompletion();
    const total = whole.usage.fuelUsed;
    expect(total).toBeGreaterThan(200_000);
    for (const at of [1, 777, 12_345, Math.floor(total / 2), total - 60]) {
      const stops = [];
      for (const engine of ['interpreter', 'transpiler'] as const) {
        for (const slice of [10_000, 997, 50]) {
          const r = await stopAt(engine, slice, at);
          expect(r.t?.reason, `${engine} slice ${slice} at ${at}`).toBe('suspend-at-fuel');
          expect(r.state).toBe('Suspended');
          expect(r.end.exitCode).toBe(whole.exitCode);
          expect(r.end.usage.fuelUsed).toBe(total);
          stops.push(r.fuel);
        }
      }
      // At the first fuel point at or past the stop (never before it; one loop turn costs < 40).
      expect(stops[0]!).toBeGreaterThanOrEqual(at);
      expect(stops[0]! - at).toBeLessThan(40);
      expect(new Set(stops).size, `stops at ${at}: ${stops.join(', ')}`).toBe(1);
    }
  }, 120_000);

  it('a stop past the end lets the guest finish; undefined cancels; a bad amount is a typed error', async () => {
    const whole = await instance('interpreter', 1000).runToCompletion();
    const past = instance('interpreter', 1000);
    past.suspendAt(whole.usage.fuelUsed + 1);
    const states: string[] = [];
    past.onTransition((t) => states.push(t.to));
    expect((await past.runToCompletion()).exitCode).toBe(whole.exitCode);
    expect(states).toEqual(['Initialized', 'Running', 'Terminated']);

    const cancelled = instance('transpiler', 1000);
    cancelled.suspendAt(500);
    cancelled.suspendAt(undefined);
    const seen: string[] = [];
    cancelled.onTransition((t) => seen.push(t.to));
    await cancelled.runToCompletion();
    expect(seen).not.toContain('Suspended');

    for (const bad of [-1, 1.5, Number.NaN, Infinity]) {
      expect(() => instance('interpreter', 1000).suspendAt(bad)).toThrow(
        expect.objectContaining({ code: 'RUNTIME_OPTIONS_INVALID', phase: 'suspend-at' }),
      );
    }
  }, 60_000);

  it('stops again after resume at a later point', async () => {
    const inst = instance('interpreter', 1000);
    const reasons: string[] = [];
    inst.onTransition((t) => {
      if (t.to === 'Suspended') reasons.push(t.reason);
    });
    const parkedOnce = () =>
      new Promise<number>((r) => {
        const off = inst.onTransition((t) => {
          if (t.to === 'Suspended') {
            off();
            r(inst.usage().fuelUsed);
          }
        });
      });
    inst.suspendAt(5000);
    let parked = parkedOnce();
    await inst.start();
    const first = await parked;
    inst.suspendAt(first + 5000);
    parked = parkedOnce();
    inst.resume();
    const second = await parked;
    expect(first).toBeGreaterThanOrEqual(5000);
    expect(first).toBeLessThan(5040);
    expect(second).toBeGreaterThanOrEqual(first + 5000);
    expect(second).toBeLessThan(first + 5040);
    inst.resume();
    await inst.runToCompletion();
    expect(reasons).toEqual(['suspend-at-fuel', 'suspend-at-fuel']);
  }, 60_000);
});
