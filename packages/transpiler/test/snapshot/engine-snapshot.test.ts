import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { FaygerError, type HostImports } from '@fayger/contracts';
import { describe, expect, it } from 'vitest';
import { createInterpreterImplementation } from '@fayger/interpreter';
import {
  type Guest,
  decodeSnapshot,
  drive,
  encodeSnapshot,
  runUntil,
  snapGuest,
  snapshotHarness,
} from '@fayger/wasm-testgen/snapshot';
import { describeSnapshotTamper } from '@fayger/wasm-testgen/snapshot-tamper';
import { createTranspilerImplementation } from '../../src/index.js';

const { runFull, runSplit } = snapshotHarness(createTranspilerImplementation);
const interpreter = createInterpreterImplementation;

const fixture = (name: string) =>
  new Uint8Array(readFileSync(new URL(`../../../interpreter/test/fixtures/${name}.wasm`, import.meta.url)));
const tick = (asyncEvery: number): HostImports => snapGuest('ticks', 0, asyncEvery).imports();
const snap = fixture('snap');
/** ticks(20) with every third tick async, recording each tick's argument in `seen`. */
const countedTicks = (seen: number[]): Guest => ({
  ...snapGuest('ticks', 20, 3),
  imports: () => {
    const inner = tick(3).host!.tick!;
    return { host: { tick: (args, ctx) => (seen.push(args[0] as number), inner(args, ctx)) } };
  },
});

async function expectCode(p: Promise<unknown>, code: string): Promise<void> {
  const e = await p.then(
    () => undefined,
    (x: unknown) => x,
  );
  expect(FaygerError.is(e) && e.code, String(e)).toBe(code);
}

describe('transpiler snapshot / restore (engine level)', () => {
  it('advertises the snapshot feature and restores a suspended call at several points, also in slices', async () => {
    expect(createTranspilerImplementation().descriptor.features).toContain('snapshot');
    for (const g of [
      snapGuest('deep', 300),
      snapGuest('dispatch', 500),
      snapGuest('grow', 5),
      snapGuest('ticks', 60),
    ]) {
      const full = await runFull(g);
      expect(full.status, g.name).toBe('completed');
      for (const n of [1, 37, Math.floor(full.fuel / 2), Math.floor(full.fuel * 0.9)]) {
        const split = await runSplit(g, n, { keepGoing: true });
        expect(split, `${g.name} at ${n}`).toBeDefined();
        expect(split!.result, `${g.name} at ${n}`).toEqual(full);
        expect(split!.original, `${g.name} at ${n}, run on`).toEqual(full);
      }
    }
  });

  it('a restored call runs on in fuel slices, and is snapshotted and restored again', async () => {
    const g = snapGuest('deep', 400);
    const full = await runFull(g);
    const code = await createTranspilerImplementation().compile(g.bytes);
    const inst = await code.instantiate(g.imports());
    const call = inst.call('deep', [400]);
    expect((await runUntil(call, 1000)).ended).toBe(false);
    let s = inst.snapshot!([call]);
    for (const slice of [7, 13]) {
      const r = await code.restore!(g.imports(), decodeSnapshot(encodeSnapshot(s)));
      expect((await runUntil(r.calls[0]!, 500 * slice)).ended).toBe(false);
      s = r.instance.snapshot!([r.calls[0]!]);
    }
    const last = await code.restore!(g.imports(), s);
    expect(await drive(last.instance, last.calls[0]!, 3)).toEqual(full);
  });

  it('snapshots a call waiting on a host promise: the import is invoked again with the same arguments', async () => {
    const seen: number[] = [];
    const g = countedTicks(seen);
    const full = await runFull(g);
    seen.length = 0;
    const split = await runSplit(g, 10);
    expect(decodeSnapshot(split!.snapshot).calls).toEqual([{ export: 'ticks', waiting: true }]);
    expect(split!.result).toEqual(full);
    // Waiting at tick(0): called once before the snapshot and once again after the restore.
    expect(seen.slice(0, 2)).toEqual([0, 0]);
    expect(seen.length).toBe(21);
    // The snapshotted instance itself goes on with the promise it was waiting on (no second call).
    seen.length = 0;
    const kept = await runSplit(g, 10, { keepGoing: true });
    expect(kept!.original).toEqual(full);
    expect(seen.slice(0, 2)).toEqual([0, 1]);
  });

  it('captures the same stopped call twice in a row (fuel stop, waiting, restored and not run yet) on both engines', async () => {
    for (const engine of [createTranspilerImplementation, interpreter]) {
      const seen: number[] = [];
      const g = countedTicks(seen);
      const full = await snapshotHarness(engine).runFull(g);
      const calls = seen.length;
      const stops = new Set<string>();
      for (const fuel of [10, 25, 40]) {
        const code = await engine().compile(g.bytes);
        seen.length = 0;
        const inst = await code.instantiate(g.imports());
        const call = inst.call('ticks', [20]);
        const stop = call.run({ fuel });
        stops.add(stop.status);
        const a = encodeSnapshot(inst.snapshot!([call]));
        expect(encodeSnapshot(inst.snapshot!([call])), `${engine().descriptor.id} at ${fuel}`).toEqual(a);
        if (stop.status === 'waiting') await stop.settled;
        expect(await drive(inst, call, 3)).toEqual(full);
        expect(seen.length, 'no import called twice in-process').toBe(calls);
        // Restored and captured again before it runs: the same state, and it still calls a pending import once.
        seen.length = 0;
        const r = await code.restore!(g.imports(), decodeSnapshot(a));
        expect(encodeSnapshot(r.instance.snapshot!([r.calls[0]!]))).toEqual(a);
        expect(encodeSnapshot(r.instance.snapshot!([r.calls[0]!]))).toEqual(a);
        expect(await drive(r.instance, r.calls[0]!, 3)).toEqual(full);
      }
      expect([...stops].sort()).toEqual(['suspended', 'waiting']);
    }
  });

  it('refuses to capture a live externref and a call that is not stopped', async () => {
    const code = await createTranspilerImplementation().compile(snap);
    const inst = await code.instantiate(tick(0));
    const held = inst.call('holdref', [{ host: 'object' }, 1000]);
    expect(held.run({ fuel: 20 }).status).toBe('suspended');
    expect(() => inst.snapshot!([held])).toThrowError(expect.objectContaining({ code: 'SNAPSHOT_UNSUPPORTED' }));
    // The refused capture still left the call runnable.
    expect(held.run().status).toBe('completed');
    const ready = inst.call('deep', [3]);
    expect(() => inst.snapshot!([ready])).toThrowError(expect.objectContaining({ code: 'SNAPSHOT_NOT_SUSPENDED' }));
    const nulled = inst.call('holdref', [null, 1000]);
    nulled.run({ fuel: 20 });
    expect(inst.snapshot!([nulled]).calls).toEqual([{ export: 'holdref', waiting: false }]);
  });

  it("reads the interpreter's engine-neutral state; refuses another engine's own older state, another version and state of other code", async () => {
    const g = snapGuest('deep', 50);
    const split = await runSplit(g, 400);
    const s = decodeSnapshot(split!.snapshot);
    expect([s.engine, s.stateVersion]).toEqual(['fayger-transpiler', 3]);
    const code = await createTranspilerImplementation().compile(snap);
    const fromInterp = await runSplit(g, 40, { from: interpreter(), to: createTranspilerImplementation() });
    expect(decodeSnapshot(fromInterp!.snapshot).engine).toBe('fayger-interpreter');
    expect(fromInterp!.result).toEqual(await runFull(g));
    // The interpreter's own version 2 (before the neutral encoding) stays the interpreter's.
    const legacy = (path: string) =>
      decodeSnapshot(new Uint8Array(readFileSync(fileURLToPath(new URL(path, import.meta.url)))));
    const v2 = legacy('../../../interpreter/test/snapshot/legacy/snap-deep60-interpreter-v2.snapshot');
    expect([v2.engine, v2.stateVersion]).toEqual(['fayger-interpreter', 2]);
    await expectCode(code.restore!(tick(0), v2), 'SNAPSHOT_ENGINE_MISMATCH');
    await expectCode(code.restore!(tick(0), { ...s, stateVersion: 2 }), 'SNAPSHOT_ENGINE_MISMATCH');
    await expectCode(code.restore!(tick(0), { ...s, stateVersion: 4 }), 'SNAPSHOT_ENGINE_MISMATCH');
    // Its own version 1 still resumes here, and only here.
    const v1 = legacy('legacy/snap-deep60-transpiler-v1.snapshot');
    expect([v1.engine, v1.stateVersion]).toEqual(['fayger-transpiler', 1]);
    const back = await code.restore!(tick(0), v1);
    const o = back.calls[0]!.run();
    expect(o.status === 'completed' && o.values).toEqual([-234304993]);
    expect(back.instance.usage().fuelUsed).toBe(1891);
    await expectCode((await interpreter().compile(snap)).restore!(tick(0), v1), 'SNAPSHOT_ENGINE_MISMATCH');
    const other = await createTranspilerImplementation().compile(fixture('async'));
    await expectCode(other.restore!({ host: { fetch: () => 0 } }, s), 'SNAPSHOT_MALFORMED');
    await expectCode(
      code.restore!(tick(0), { ...s, calls: [{ export: 'grow', waiting: false }] }),
      'SNAPSHOT_MALFORMED',
    );
    await expectCode(
      code.restore!(tick(0), { ...s, calls: [{ export: 'deep', waiting: true }] }),
      'SNAPSHOT_MALFORMED',
    );
    await expectCode(code.restore!(tick(0), { ...s, memories: [] }), 'SNAPSHOT_MALFORMED');
    await expectCode(code.restore!(tick(0), { ...s, state: new Uint8Array(0) }), 'SNAPSHOT_MALFORMED');
    await expectCode(code.restore!(tick(0), { ...s, state: new Uint8Array(64).fill(7) }), 'SNAPSHOT_MALFORMED');
    await expectCode(code.restore!(tick(0), { ...s, state: Uint8Array.from([...s.state, 0]) }), 'SNAPSHOT_MALFORMED');
    await expectCode(code.restore!(tick(0), s, { maxMemoryPages: 0 }), 'WASM_LINK_ERROR');
    expect(s.state.length).toBeGreaterThan(100); // several frames deep
    await expectCode(code.restore!(tick(0), s, { maxCallDepth: 2 }), 'SNAPSHOT_MALFORMED');
  });
});

// Tampered snapshot states (the suite is shared with the interpreter, see
// tooling/wasm-testgen/src/snapshot/tamper-suite.ts).
describeSnapshotTamper({ label: 'transpiler', engine: createTranspilerImplementation, imports: () => tick(0) });
