import { describe, expect, it } from 'vitest';
import { FaygerError } from '@fayger/contracts';
import { compileModule, hostFunction, instantiateModule, type ExecutionResult } from '../../src/index.js';
import { fixture, moduleBytes, section } from '../helpers.js';
import { INITIAL_SLOTS, Machine, releaseMachine } from '../../src/execute/machine.js';

function trapCode(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    if (FaygerError.is(e)) return e.code;
    throw e;
  }
  return undefined;
}

describe('call depth', () => {
  const mod = compileModule(fixture('recurse'));

  it('a guest recursing 1,000,000 deep traps with TRAP_CALL_STACK_EXHAUSTED (no JS RangeError)', () => {
    const inst = instantiateModule(mod);
    expect(trapCode(() => inst.invoke('down', [1_000_000]))).toBe('TRAP_CALL_STACK_EXHAUSTED');
    expect(trapCode(() => inst.invoke('forever'))).toBe('TRAP_CALL_STACK_EXHAUSTED');
  });

  it('the depth limit is configurable', () => {
    const inst = instantiateModule(mod, {}, { maxCallDepth: 300 });
    expect(inst.invoke('down', [250])).toEqual([250]);
    expect(trapCode(() => inst.invoke('down', [1_000_000]))).toBe('TRAP_CALL_STACK_EXHAUSTED');
    const deep = instantiateModule(mod, {}, { maxCallDepth: 200_000 });
    expect(deep.invoke('down', [150_000])).toEqual([150_000]);
    expect(deep.usage().maxCallDepthReached).toBeGreaterThanOrEqual(150_000);
  });

  it('stacks start small and grow on demand: the depth limit traps at the same depth, fresh or pooled', () => {
    // `down` uses about one slot per level: 100,000 levels grow the stack from INITIAL_SLOTS many times over.
    for (let i = 0; i < 2; i++) {
      const inst = instantiateModule(mod, {}, { maxCallDepth: 100_000 });
      expect(inst.invoke('down', [100_000])).toEqual([100_000]);
      expect(trapCode(() => inst.invoke('down', [100_001]))).toBe('TRAP_CALL_STACK_EXHAUSTED');
      expect(inst.usage().maxCallDepthReached).toBe(100_000);
    }
    const inst = instantiateModule(mod, {}, { maxCallDepth: 300 });
    expect(inst.invoke('down', [300])).toEqual([300]);
    expect(trapCode(() => inst.invoke('down', [301]))).toBe('TRAP_CALL_STACK_EXHAUSTED');
    expect(inst.usage().maxCallDepthReached).toBe(300);
  });

  it('a pooled stack does not keep references from an earlier call alive (only the used part is cleared)', () => {
    const m = new Machine();
    expect(m.cap).toBe(INITIAL_SLOTS);
    const top = 3 * INITIAL_SLOTS;
    expect(m.reach(top)).toBe(true);
    expect(m.cap).toBeGreaterThanOrEqual(top);
    const guestObject = {};
    m.refs[top - 1] = guestObject;
    m.refs[0] = guestObject;
    releaseMachine(m);
    expect(m.refs.includes(guestObject)).toBe(false);
    expect(m.hw).toBe(0);
  });
});

describe('fuel', () => {
  const mod = compileModule(fixture('loops'));

  it('an infinite loop under a fuel budget traps with TRAP_FUEL_EXHAUSTED', () => {
    const inst = instantiateModule(mod, {}, { fuel: 100_000 });
    expect(trapCode(() => inst.invoke('spin'))).toBe('TRAP_FUEL_EXHAUSTED');
    expect(inst.usage().fuelUsed).toBeLessThanOrEqual(100_000);
    expect(inst.usage().fuelUsed).toBeGreaterThan(99_000);
  });

  it('the same guest and budget stops at the same count on every run', () => {
    const used: number[] = [];
    for (let i = 0; i < 3; i++) {
      const inst = instantiateModule(mod, {}, { fuel: 123_457 });
      expect(trapCode(() => inst.invoke('work', [1_000_000]))).toBe('TRAP_FUEL_EXHAUSTED');
      used.push(inst.usage().fuelUsed);
    }
    expect(new Set(used).size).toBe(1);
  });

  it('fuel slices resume to the same result as one uninterrupted run', () => {
    const whole = instantiateModule(mod).invoke('work', [50_000]);
    const inst = instantiateModule(mod);
    const ex = inst.call('work', [50_000]);
    let r: ExecutionResult;
    let slices = 0;
    do {
      r = ex.run({ fuel: 997 });
      slices++;
    } while (r.status === 'suspended');
    expect(r.status).toBe('completed');
    expect(slices).toBeGreaterThan(100);
    expect((r as { values: unknown[] }).values).toEqual(whole);
    // Fuel is the same whether sliced or not.
    const once = instantiateModule(mod);
    once.invoke('work', [50_000]);
    expect(inst.usage().fuelUsed).toBe(once.usage().fuelUsed);
    // Bounded by its counts (50,000 iterations, 997-fuel slices); the timeout is sized for a loaded machine.
  }, 120_000);
});

describe('memory quota', () => {
  const mod = compileModule(fixture('memory'));

  it('memory.grow returns -1 past the page quota, and out-of-bounds access is a typed trap', () => {
    const inst = instantiateModule(mod, {}, { maxMemoryPages: 3 });
    expect(inst.invoke('grow', [1])).toEqual([1]);
    expect(inst.invoke('grow', [1])).toEqual([2]);
    expect(inst.invoke('grow', [1])).toEqual([0xffffffff]);
    expect(inst.invoke('size')).toEqual([3]);
    expect(trapCode(() => inst.invoke('grow_until_fail_then_touch'))).toBe('TRAP_MEMORY_OUT_OF_BOUNDS');
    expect(trapCode(() => inst.invoke('load', [3 * 65536 - 2]))).toBe('TRAP_MEMORY_OUT_OF_BOUNDS');
    inst.invoke('store', [3 * 65536 - 4, 0xdeadbeef]);
    expect(inst.invoke('load', [3 * 65536 - 4])).toEqual([0xdeadbeef]);
  });
});

describe('suspension on host promises', () => {
  it('an async import suspends the guest mid-loop and resumes it with state intact', async () => {
    const mod = compileModule(fixture('async'));
    const calls: number[] = [];
    const fetch = hostFunction({ params: ['i32'], results: ['i32'] }, (i) => {
      calls.push(i as number);
      const v = (i as number) * 3 + 1;
      // Every third call answers synchronously; the rest suspend the guest.
      return (i as number) % 3 === 0 ? v : new Promise((res) => setTimeout(() => res(v), 1));
    });
    const inst = instantiateModule(mod, { host: { fetch } });
    const n = 20;
    const ex = inst.call('run', [n]);
    let r = ex.run();
    let waits = 0;
    while (r.status === 'waiting') {
      waits++;
      await r.settled;
      r = ex.run();
    }
    let expected = 0;
    for (let i = 0; i < n; i++) expected = (expected + (i * 3 + 1) * (i + 1)) | 0;
    expect(r).toEqual({ status: 'completed', values: [expected >>> 0] });
    expect(waits).toBe(13);
    expect(calls).toEqual([...Array(n).keys()]);
    const mem = inst.exports.memory as { buffer: ArrayBuffer };
    expect(new DataView(mem.buffer).getInt32(16, true)).toBe(expected);
  });

  it('a rejected host promise traps with TRAP_HOST_ERROR carrying the cause', async () => {
    const mod = compileModule(fixture('async'));
    const boom = new Error('backend down');
    const fetch = hostFunction({ params: ['i32'], results: ['i32'] }, () => Promise.reject(boom));
    const inst = instantiateModule(mod, { host: { fetch } });
    const ex = inst.call('run', [5]);
    const r = ex.run();
    expect(r.status).toBe('waiting');
    await (r as { settled: Promise<void> }).settled;
    const t = ex.run();
    expect(t.status).toBe('trapped');
    const err = (t as { error: FaygerError }).error;
    expect(err.code).toBe('TRAP_HOST_ERROR');
    expect(err.cause).toBe(boom);
  });

  it('synchronous invoke refuses a promise-returning import with a typed error', () => {
    const mod = compileModule(fixture('async'));
    const fetch = hostFunction({ params: ['i32'], results: ['i32'] }, () => Promise.resolve(1));
    const inst = instantiateModule(mod, { host: { fetch } });
    expect(trapCode(() => inst.invoke('run', [2]))).toBe('WASM_EXECUTION_STATE');
  });
});

describe('unsupported features', () => {
  it('a post-2.0 proposal (tail calls) is rejected with WASM_UNSUPPORTED_FEATURE naming it', () => {
    const body = [0, 0x12, 0, 0x0b];
    const bytes = moduleBytes(section(1, [1, 0x60, 0, 0]), section(3, [1, 0]), section(10, [1, body.length, ...body]));
    try {
      compileModule(bytes);
      expect.unreachable();
    } catch (e) {
      expect(FaygerError.is(e, 'WASM_UNSUPPORTED_FEATURE')).toBe(true);
      expect((e as FaygerError).details.feature).toMatch(/tail calls/);
      expect((e as FaygerError).phase).toBe('decode');
    }
  });

  it('SIMD (the v128 type, 0xFD instructions) is accepted: WebAssembly 2.0 includes it', () => {
    expect(trapCode(() => compileModule(moduleBytes(section(1, [1, 0x60, 1, 0x7b, 0]))))).toBeUndefined();
    const body = [0, 0xfd, 0x0c, ...new Array(16).fill(0), 0x1a, 0x0b];
    const bytes = moduleBytes(section(1, [1, 0x60, 0, 0]), section(3, [1, 0]), section(10, [1, body.length, ...body]));
    expect(trapCode(() => compileModule(bytes))).toBeUndefined();
  });
});

describe('usage', () => {
  it('reports the call depth of a suspended guest', async () => {
    const mod = compileModule(fixture('async'));
    const fetch = hostFunction({ params: ['i32'], results: ['i32'] }, () => Promise.resolve(1));
    const inst = instantiateModule(mod, { host: { fetch } });
    const ex = inst.call('run', [1]);
    const r = ex.run();
    expect(r.status).toBe('waiting');
    expect(inst.usage().callDepth).toBe(1);
    await (r as { settled: Promise<void> }).settled;
    expect(ex.run()).toEqual({ status: 'completed', values: [1] });
    expect(inst.usage().callDepth).toBe(0);
  });
});
