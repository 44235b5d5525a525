import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { FaygerError, type HostImports } from '@fayger/contracts';
import { createInterpreterImplementation } from '../../src/index.js';
import { fixture } from '../helpers.js';
import { type Guest, decodeSnapshot, encodeSnapshot, snapshotHarness } from '@fayger/wasm-testgen/snapshot';

const { runFull, runSplit } = snapshotHarness(createInterpreterImplementation);

interface WabtModule {
  parseWat(
    name: string,
    src: string,
    features?: Record<string, boolean>,
  ): { toBinary(o: object): { buffer: Uint8Array } };
}

const tick = (asyncEvery: number): HostImports => ({
  host: {
    tick: ([i, acc]) => {
      const v = BigInt.asIntN(64, (acc as bigint) * 31n + BigInt(i as number) + 7n);
      return asyncEvery > 0 && (i as number) % asyncEvery === 0 ? Promise.resolve(v) : v;
    },
  },
});
const snap = fixture('snap');
const guest = (name: string, exp: string, args: number[], asyncEvery = 0): Guest => ({
  name,
  bytes: snap,
  export: exp,
  args,
  imports: () => tick(asyncEvery),
});

describe('interpreter snapshot / restore (engine level)', () => {
  it('still resumes its own state version 2 (written before the engine-neutral encoding)', async () => {
    const old = decodeSnapshot(
      new Uint8Array(
        readFileSync(fileURLToPath(new URL('legacy/snap-deep60-interpreter-v2.snapshot', import.meta.url))),
      ),
    );
    expect([old.engine, old.stateVersion]).toEqual(['fayger-interpreter', 2]);
    const code = await createInterpreterImplementation().compile(snap);
    const { instance, calls } = await code.restore!(tick(0), old);
    const o = calls[0]!.run();
    expect(o.status === 'completed' && o.values).toEqual([-234304993]);
    expect(instance.usage().fuelUsed).toBe(1891);
  });

  it('restores a suspended call into a fresh compilation and instance: same result, memory and fuel', async () => {
    for (const g of [
      guest('deep', 'deep', [300]),
      guest('dispatch', 'dispatch', [500]),
      guest('grow', 'grow', [5]),
      guest('ticks', 'ticks', [60]),
    ]) {
      const full = await runFull(g);
      expect(full.status, g.name).toBe('completed');
      for (const n of [1, 37, Math.floor(full.fuel / 2), Math.floor(full.fuel * 0.9)]) {
        const split = await runSplit(g, n);
        expect(split, `${g.name} at ${n}`).toBeDefined();
        expect(split!.result, `${g.name} at ${n}`).toEqual(full);
      }
    }
  });

  it('restores a call waiting on a host promise: the import is invoked again with the same arguments', async () => {
    const seen: number[] = [];
    const g: Guest = {
      ...guest('ticks async', 'ticks', [20], 3),
      imports: () => {
        const inner = tick(3).host!.tick!;
        return { host: { tick: (args, ctx) => (seen.push(args[0] as number), inner(args, ctx)) } };
      },
    };
    const full = await runFull(g);
    seen.length = 0;
    const split = await runSplit(g, 10);
    expect(split!.result).toEqual(full);
    // Waiting at tick(0): called once before the snapshot and once again after the restore.
    expect(seen.slice(0, 2)).toEqual([0, 0]);
    expect(seen.length).toBe(21);
  });

  it('captures only live values: a dead externref a returned frame left in a reused slot does not block a snapshot', async () => {
    const wabt = await ((await import('wabt')) as unknown as { default: () => Promise<WabtModule> }).default();
    const src = `(module
      (import "host" "obj" (func $obj (result externref)))
      (func $keep (result i32) (local $x externref)
        (local.set $x (call $obj))
        (ref.is_null (local.get $x)))
      (func $count (param $n i32) (result i32) (local $i i32)
        (block $done (loop $l
          (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br $l)))
        (local.get $i))
      (func (export "run") (param $n i32) (result i32)
        (i32.add (call $keep) (call $count (local.get $n)))))`;
    const mod = wabt.parseWat('dead-ref.wat', src, { reference_types: true });
    const bytes = new Uint8Array(mod.toBinary({}).buffer);
    const g: Guest = {
      name: 'dead-ref',
      bytes,
      export: 'run',
      args: [1000],
      imports: () => ({ host: { obj: () => ({ a: 'host object' }) } }),
    };
    const full = await runFull(g);
    expect(full.values).toBe('[1000]');
    // Stopped inside $count, whose slots held $keep's externref local and its call result a moment ago.
    const split = await runSplit(g, 200);
    expect(split!.result).toEqual(full);
  });

  it('refuses to capture a live externref and a call that is not stopped', async () => {
    const code = await createInterpreterImplementation().compile(snap);
    const inst = await code.instantiate(tick(0));
    const held = inst.call('holdref', [{ host: 'object' }, 1000]);
    expect(held.run({ fuel: 20 }).status).toBe('suspended');
    expect(() => inst.snapshot!([held])).toThrowError(expect.objectContaining({ code: 'SNAPSHOT_UNSUPPORTED' }));
    const ready = inst.call('deep', [3]);
    expect(() => inst.snapshot!([ready])).toThrowError(expect.objectContaining({ code: 'SNAPSHOT_NOT_SUSPENDED' }));
    const nulled = inst.call('holdref', [null, 1000]);
    nulled.run({ fuel: 20 });
    expect(inst.snapshot!([nulled]).calls).toEqual([{ export: 'holdref', waiting: false }]);
  });

  it('refuses another engine, another state version and state of other code with typed errors', async () => {
    const g = guest('deep', 'deep', [50]);
    const split = await runSplit(g, 40);
    const s = decodeSnapshot(split!.snapshot);
    const code = await createInterpreterImplementation().compile(snap);
    const expectCode = async (p: Promise<unknown>, c: string) => {
      const e = await p.then(
        () => undefined,
        (x: unknown) => x,
      );
      expect(FaygerError.is(e) && e.code, String(e)).toBe(c);
    };
    // The engine-neutral state (version 3) is read whichever engine wrote it; another engine's own older
    // encoding, or an unknown version, is refused.
    expect(s.stateVersion).toBe(3);
    await expectCode(
      code.restore!(tick(0), { ...s, engine: 'fayger-transpiler', stateVersion: 1 }),
      'SNAPSHOT_ENGINE_MISMATCH',
    );
    await expectCode(code.restore!(tick(0), { ...s, stateVersion: 1 }), 'SNAPSHOT_ENGINE_MISMATCH');
    await expectCode(code.restore!(tick(0), { ...s, stateVersion: 4 }), 'SNAPSHOT_ENGINE_MISMATCH');
    const other = await createInterpreterImplementation().compile(fixture('async'));
    await expectCode(other.restore!({ host: { fetch: () => 0 } }, s), 'SNAPSHOT_MALFORMED');
    await expectCode(
      code.restore!(tick(0), { ...s, calls: [{ export: 'grow', waiting: false }] }),
      'SNAPSHOT_MALFORMED',
    );
    await expectCode(code.restore!(tick(0), { ...s, memories: [] }), 'SNAPSHOT_MALFORMED');
    await expectCode(code.restore!(tick(0), s, { maxMemoryPages: 0 }), 'WASM_LINK_ERROR');
    expect(encodeSnapshot(s)).toEqual(split!.snapshot);
  });
});
