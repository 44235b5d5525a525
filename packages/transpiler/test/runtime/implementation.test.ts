import { describe, expect, it } from 'vitest';
import type { GuestCall, RunOutcome } from '@fayger/contracts';
import { readFileSync } from 'node:fs';
import { createInterpreterImplementation } from '@fayger/interpreter';
import { createTranspilerImplementation } from '../../src/index.js';

/** The interpreter's checked-in fixture modules (read as files; built from the .wat beside them). */
function fixture(name: string): Uint8Array {
  return new Uint8Array(readFileSync(new URL(`../../../interpreter/test/fixtures/${name}.wasm`, import.meta.url)));
}

async function drive(call: GuestCall, fuel?: number): Promise<{ outcome: RunOutcome; slices: number; waits: number }> {
  let slices = 0;
  let waits = 0;
  for (;;) {
    const o = call.run(fuel === undefined ? {} : { fuel });
    slices++;
    if (o.status === 'waiting') {
      waits++;
      await o.settled;
    } else if (o.status !== 'suspended') return { outcome: o, slices, waits };
  }
}

describe('Runtime_Implementation (createTranspilerImplementation)', () => {
  const impl = createTranspilerImplementation();

  it('describes itself for the registry', () => {
    expect(impl.descriptor.id).toBe('fayger-transpiler');
    expect(impl.descriptor.features).toEqual(
      expect.arrayContaining(['suspend', 'fuel', 'jitless', 'deterministic', 'simd']),
    );
  });

  it("runs a SIMD module: v128 values cross as 16-byte Uint8Arrays, host imports included, with the interpreter's fuel", async () => {
    const code = await impl.compile(fixture('simd'));
    expect(code.imports[0]).toEqual({
      module: 'host',
      name: 'twice',
      kind: 'function',
      type: { params: ['v128', 'i32'], results: ['v128'] },
    });
    const inst = await code.instantiate({ host: { twice: ([x]) => Promise.resolve(x as Uint8Array) } });
    const v = (...l: number[]) => new Uint8Array(Int32Array.from(l).buffer);
    const { outcome } = await drive(inst.call('add', [v(1, 2, 3, 4), v(5, 6, 7, -8)]), 3);
    expect(outcome.status).toBe('completed');
    const r = outcome.status === 'completed' ? (outcome.values[0] as Uint8Array) : new Uint8Array(16);
    expect([...new Int32Array(r.slice().buffer)]).toEqual([6, 8, 10, -4]);
    const host = await drive(inst.call('host', [v(9, 9, 9, 9)]));
    expect(host.waits).toBe(1);
    expect(
      host.outcome.status === 'completed' && [...new Int32Array((host.outcome.values[0] as Uint8Array).slice().buffer)],
    ).toEqual([9, 9, 9, 9]);
    const other = await (await createInterpreterImplementation().compile(fixture('simd'))).instantiate({
      host: { twice: ([x]) => x as Uint8Array },
    });
    await drive(other.call('add', [v(1, 2, 3, 4), v(5, 6, 7, -8)]), 3);
    await drive(other.call('host', [v(9, 9, 9, 9)]));
    expect(inst.usage().fuelUsed).toBe(other.usage().fuelUsed);
  });

  it('a start function that never ends runs in startSlices: between() is awaited after each slice and its error ends instantiate', async () => {
    // (module (func loop br 0 end) (start 0)), hand-encoded.
    const bytes = Uint8Array.from([
      0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x04, 0x01, 0x60, 0x00, 0x00, 0x03, 0x02, 0x01, 0x00, 0x08,
      0x01, 0x00, 0x0a, 0x09, 0x01, 0x07, 0x00, 0x03, 0x40, 0x0c, 0x00, 0x0b, 0x0b,
    ]);
    const code = await impl.compile(bytes);
    let slices = 0;
    const stop = new Error('wall time is up');
    const between = async (): Promise<void> => {
      await new Promise((r) => setTimeout(r, 0));
      if (++slices === 5) throw stop;
    };
    await expect(code.instantiate({}, { startSlices: { fuel: 1000, between } })).rejects.toBe(stop);
    expect(slices).toBe(5);
  });

  it('compiles, instantiates with Promise-returning host imports and runs in fuel slices', async () => {
    const code = await impl.compile(fixture('async'));
    expect(code.imports).toEqual([
      { module: 'host', name: 'fetch', kind: 'function', type: { params: ['i32'], results: ['i32'] } },
    ]);
    const seen: number[] = [];
    const inst = await code.instantiate({
      host: {
        fetch: ([i], ctx) => {
          seen.push(ctx.memory!.read(16, 4)[0]);
          return (i as number) % 2 ? Promise.resolve((i as number) + 1) : (i as number) + 1;
        },
      },
    });
    const { outcome, waits } = await drive(inst.call('run', [10]), 7);
    let expected = 0;
    for (let i = 0; i < 10; i++) expected += (i + 1) * (i + 1);
    expect(outcome.status).toBe('completed');
    expect(outcome.status === 'completed' && outcome.values).toEqual([expected]);
    expect(waits).toBe(5);
    expect(seen[1]).toBe(1);
    const mem = inst.memory()!;
    expect(new DataView(mem.read(16, 4).buffer).getInt32(0, true)).toBe(expected);
    mem.write(16, Uint8Array.of(1, 2, 3, 4));
    expect([...mem.read(16, 4)]).toEqual([1, 2, 3, 4]);
    expect(inst.usage().fuelUsed).toBeGreaterThan(0);
    expect(inst.usage().memoryPages).toBe(1);
    // The same call under the interpreter's implementation uses exactly the same fuel.
    const other = await (await createInterpreterImplementation().compile(fixture('async'))).instantiate({
      host: { fetch: ([i]) => ((i as number) % 2 ? Promise.resolve((i as number) + 1) : (i as number) + 1) },
    });
    const theirs = await drive(other.call('run', [10]), 7);
    expect(theirs.outcome).toMatchObject({ status: 'completed', values: [expected] });
    expect(inst.usage().fuelUsed).toBe(other.usage().fuelUsed);
  });

  it('traps with typed errors: fuel budget, call depth, memory quota', async () => {
    const loops = await (await impl.compile(fixture('loops'))).instantiate({}, { fuelBudget: 5000 });
    const r1 = await drive(loops.call('spin', []));
    expect(r1.outcome.status === 'trapped' && r1.outcome.error.code).toBe('TRAP_FUEL_EXHAUSTED');
    const rec = await (await impl.compile(fixture('recurse'))).instantiate({}, { maxCallDepth: 1000 });
    const r2 = await drive(rec.call('down', [1_000_000]));
    expect(r2.outcome.status === 'trapped' && r2.outcome.error.code).toBe('TRAP_CALL_STACK_EXHAUSTED');
    const mem = await (await impl.compile(fixture('memory'))).instantiate({}, { maxMemoryPages: 2 });
    const r3 = await drive(mem.call('grow', [5]));
    expect(r3.outcome.status === 'completed' && r3.outcome.values).toEqual([-1]);
  });

  it('terminate fails pending calls and later calls', async () => {
    const code = await impl.compile(fixture('async'));
    const inst = await code.instantiate({ host: { fetch: () => new Promise(() => {}) } });
    const call = inst.call('run', [3]);
    expect(call.run().status).toBe('waiting');
    inst.terminate();
    const after = call.run();
    expect(after.status === 'trapped' && after.error.code).toBe('WASM_INSTANCE_TERMINATED');
    expect(() => inst.call('run', [1])).toThrow(/terminated/);
  });

  it('reports unlinkable imports with WASM_LINK_ERROR', async () => {
    const code = await impl.compile(fixture('async'));
    await expect(code.instantiate({})).rejects.toMatchObject({ code: 'WASM_LINK_ERROR' });
  });
});
