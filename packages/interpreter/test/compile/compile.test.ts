import { describe, expect, it } from 'vitest';
import { compileModule, instantiateModule } from '../../src/index.js';
import { fixture } from '../helpers.js';

describe('compile', () => {
  it('compiles function bodies to one Int32Array of slot-addressed bytecode', () => {
    const mod = compileModule(fixture('loops'));
    // Internal view (not public API): the compiled code is a flat Int32Array with one entry per function.
    const compiled = (
      mod as unknown as {
        compiled: { code: Int32Array; funcs: ({ entry: number; frameSize: number } | undefined)[]; compileAll(): void };
      }
    ).compiled;
    // Bodies compile on first call; nothing is compiled before that.
    expect(compiled.funcs.every((f) => f === undefined)).toBe(true);
    compiled.compileAll();
    expect(compiled.code).toBeInstanceOf(Int32Array);
    expect(compiled.funcs).toHaveLength(2);
    expect(compiled.funcs[1]!.entry).toBeGreaterThan(compiled.funcs[0]!.entry);
  });

  it('compiles a function on its first call, once per module, shared by its instances', () => {
    const mod = compileModule(fixture('loops'));
    const compiled = (mod as unknown as { compiled: { funcs: ({ entry: number } | undefined)[] } }).compiled;
    const a = instantiateModule(mod);
    const b = instantiateModule(mod);
    expect(compiled.funcs.filter(Boolean)).toHaveLength(0);
    const ra = a.invoke('work', [100]);
    // Only `work` (function 1) is compiled; `spin` never ran.
    expect(compiled.funcs.map(Boolean)).toEqual([false, true]);
    expect(b.invoke('work', [100])).toEqual(ra);
    expect(compiled.funcs.map(Boolean)).toEqual([false, true]);
  });

  it('keeps local.get folding correct when a local is overwritten while its old value is still on the stack', () => {
    // (local.get 0) (local.set 0 (i32.const 7)) -> the pending read must see the old value
    // built by hand: params (i32) results (i32 i32)
    const bytes = Uint8Array.from([
      0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 1, 7, 1, 0x60, 1, 0x7f, 2, 0x7f, 0x7f, 3, 2, 1, 0, 7, 5, 1, 1, 0x66, 0, 0, 10,
      12, 1, 10, 0, 0x20, 0, 0x41, 7, 0x21, 0, 0x20, 0, 0x0b,
    ]);
    const inst = instantiateModule(compileModule(bytes));
    expect(inst.invoke('f', [3])).toEqual([3, 7]);
  });
});
