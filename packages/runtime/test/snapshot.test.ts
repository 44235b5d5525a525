import { FaygerError, type InstanceSnapshot } from '@fayger/contracts';
import { describe, expect, it } from 'vitest';
import { createInterpreterImplementation } from '@fayger/interpreter';
import { createTranspilerImplementation } from '@fayger/transpiler';
import { TEST_ENGINE, cap, loadedBuf, setup, wasiGuest } from './support/harness.js';

/**
 * Snapshot and resume through the runtime's public API (#18): a WASI guest with a file open is parked in
 * Suspended by its fuel soft limit, snapshotted, and resumed in a fresh runtime over a fresh bus; it reads on
 * from the same descriptor offset and ends as an uninterrupted run does (stdout, exit code, total fuel).
 */
const RIGHTS_READ = '(i64.const 2)';
const READER = wasiGuest(
  `(local $fd i32) (local $i i32) (local $acc i32)
   (if (call $path_open (i32.const 3) (i32.const 0) {notes} (i32.const 0) ${RIGHTS_READ} (i64.const 0) (i32.const 0) (i32.const 160))
     (then (return (i32.const 200))))
   (local.set $fd (i32.load (i32.const 160)))
   (i32.store (i32.const 16) (i32.const 4096)) (i32.store (i32.const 20) (i32.const 6))
   (if (call $fd_read (local.get $fd) (i32.const 16) (i32.const 1) (i32.const 24)) (then (return (i32.const 300))))
   (drop (call $print (i32.const 4096) (i32.load (i32.const 24))))
   ;; a long computation between the two reads: the snapshot is taken in here
   (block $done (loop $l
     (br_if $done (i32.ge_u (local.get $i) (i32.const 40000)))
     (local.set $acc (i32.add (i32.mul (local.get $acc) (i32.const 31)) (local.get $i)))
     (local.set $i (i32.add (local.get $i) (i32.const 1)))
     (br $l)))
   (i32.store (i32.const 20) (i32.const 64))
   (if (call $fd_read (local.get $fd) (i32.const 16) (i32.const 1) (i32.const 24)) (then (return (i32.const 400))))
   (drop (call $print (i32.const 4096) (i32.load (i32.const 24))))
   (i32.and (local.get $acc) (i32.const 0x7f))`,
  { notes: 'notes.txt' },
  ['path_open', 'fd_read', 'fd_close'],
);
const FILES = { '/data/notes.txt': 'first|second part' };
const caps = () => [cap('stdio'), cap('fs.read', { scope: { roots: ['/data'] } })];

async function suspendedSnapshot(): Promise<{ snapshot: InstanceSnapshot; stdout: string }> {
  const { runtime, bus } = setup({
    busOptions: { files: FILES },
    limits: { sliceFuel: 1000, softLimitRatio: 0.5, softActions: { fuel: 'suspend' } },
  });
  const inst = runtime.instantiate(loadedBuf({ code: READER, capabilities: caps(), quotas: { fuel: 600_000 } }));
  const suspended = new Promise<void>((r) => inst.onTransition((t) => t.to === 'Suspended' && r()));
  await inst.start();
  await suspended;
  const snapshot = inst.snapshot();
  const stdout = bus.stdout.get(inst.id) ?? '';
  inst.terminate();
  // Only plain data crosses: what a serializer would write and read back.
  return { snapshot: structuredClone(snapshot), stdout };
}

describe(`snapshot and resume (runtime, on the ${TEST_ENGINE})`, () => {
  it('a WASI guest with a file open resumes in a fresh runtime and ends as an uninterrupted run', async () => {
    const ref = setup({ busOptions: { files: FILES } });
    const whole = ref.runtime.instantiate(loadedBuf({ code: READER, capabilities: caps() }));
    const expected = await whole.runToCompletion();
    expect(ref.bus.stdout.get(whole.id)).toBe('first|second part');

    const { snapshot, stdout } = await suspendedSnapshot();
    expect(stdout).toBe('first|');
    expect(snapshot.entry).toBe('_start');
    expect(snapshot.engine.calls).toEqual([{ export: '_start', waiting: false }]);
    expect(snapshot.resources).toEqual([
      expect.objectContaining({ kind: 'wasi.fd', handle: 4, capability: 'fs.read' }),
    ]);
    expect(snapshot.resources[0]!.data).toMatchObject({ type: 'file', path: '/data/notes.txt', pos: 6 });

    const fresh = setup({ busOptions: { files: FILES } });
    const inst = fresh.runtime.resume(loadedBuf({ code: READER, capabilities: caps() }), snapshot);
    const states: string[] = [];
    inst.onTransition((t) => states.push(t.to));
    const info = await inst.runToCompletion();
    expect(fresh.bus.stdout.get(inst.id)).toBe('second part');
    expect(info.exitCode).toBe(expected.exitCode);
    expect(info.usage.fuelUsed).toBe(expected.usage.fuelUsed);
    expect(states).toEqual(['Initialized', 'Running', 'Terminated']);
  });

  it('a guest waiting on a host call resumes by re-issuing that call (at-least-once) under the new grants', async () => {
    const first = setup({ busOptions: { files: FILES, asyncAll: true } });
    first.bus.hang.add('fs.read');
    const inst = first.runtime.instantiate(loadedBuf({ code: READER, capabilities: caps() }));
    await inst.start();
    for (let i = 0; i < 200 && !first.bus.dispatched.some((d) => d.op === 'fs.read'); i++)
      await new Promise((r) => setTimeout(r, 5));
    const snapshot = structuredClone(inst.snapshot());
    inst.terminate();
    expect(snapshot.pending).toEqual({ op: 'wasi_snapshot_preview1.fd_read', capability: 'fs.read' });
    expect(snapshot.engine.calls).toEqual([{ export: '_start', waiting: true }]);
    // The origin names the kind of host behind the bus (informational), not a guess from globals.
    expect(snapshot.origin.hostKind).toBe(first.bus.hostKind);

    const revoked = setup({ busOptions: { files: FILES } });
    await expect(
      revoked.runtime.resume(loadedBuf({ code: READER, capabilities: [cap('stdio')] }), snapshot).start(),
    ).rejects.toMatchObject({ code: 'SNAPSHOT_CAPABILITY_REVOKED' });

    const fresh = setup({ busOptions: { files: FILES } });
    const resumed = fresh.runtime.resume(loadedBuf({ code: READER, capabilities: caps() }), snapshot);
    const info = await resumed.runToCompletion();
    expect(fresh.bus.stdout.get(resumed.id)).toBe('first|second part');
    expect(fresh.bus.dispatched.filter((d) => d.op === 'fs.read').length).toBe(2);
    expect(info.state).toBe('Terminated');
  });

  it('refuses before the guest runs: other code, a revoked capability, a file that is gone, a bad snapshot', async () => {
    const { snapshot } = await suspendedSnapshot();
    const failOf = async (files: Record<string, string>, buf: ReturnType<typeof loadedBuf>, s = snapshot) => {
      const { runtime, bus } = setup({ busOptions: { files } });
      let inst: ReturnType<typeof runtime.resume>;
      try {
        inst = runtime.resume(buf, s);
      } catch (e) {
        return FaygerError.is(e) ? e.code : String(e);
      }
      const err = await inst.start().then(
        () => 'started',
        (e: unknown) => (FaygerError.is(e) ? e.code : String(e)),
      );
      // Nothing of the guest ran: no output, no read.
      expect(bus.stdout.get(inst.id) ?? '').toBe('');
      expect(bus.dispatched.filter((i) => i.op === 'fs.read')).toEqual([]);
      return err;
    };
    const other = loadedBuf({ code: READER, capabilities: caps() });
    (other.sections[0]!.digest as Uint8Array)[0] = 1;
    expect(await failOf(FILES, other)).toBe('SNAPSHOT_CODE_MISMATCH');
    expect(await failOf(FILES, loadedBuf({ code: READER, capabilities: [cap('stdio')] }))).toBe(
      'SNAPSHOT_CAPABILITY_REVOKED',
    );
    expect(
      await failOf(
        FILES,
        loadedBuf({ code: READER, capabilities: [cap('stdio'), cap('fs.read', { scope: { roots: ['/other'] } })] }),
      ),
    ).toBe('SNAPSHOT_CAPABILITY_REVOKED');
    expect(await failOf({}, loadedBuf({ code: READER, capabilities: caps() }))).toBe('SNAPSHOT_RESOURCE_UNAVAILABLE');
    expect(
      await failOf(FILES, loadedBuf({ code: READER, capabilities: caps() }), {
        ...snapshot,
        engine: { ...snapshot.engine, state: snapshot.engine.state.subarray(0, 20) },
      }),
    ).toBe('SNAPSHOT_MALFORMED');
    expect(
      await failOf(FILES, loadedBuf({ code: READER, capabilities: caps() }), {
        ...snapshot,
        version: 2,
      } as unknown as InstanceSnapshot),
    ).toBe('SNAPSHOT_MALFORMED');
  });

  it("a transpiler snapshot resumes on either engine: the routed one, or the one asked for; an engine's own older state only on it", async () => {
    const transpilerOnly = () => [createTranspilerImplementation()];
    const { runtime } = setup({
      implementations: transpilerOnly(),
      busOptions: { files: FILES },
      limits: { sliceFuel: 1000, softLimitRatio: 0.5, softActions: { fuel: 'suspend' } },
    });
    const inst = runtime.instantiate(loadedBuf({ code: READER, capabilities: caps(), quotas: { fuel: 600_000 } }));
    expect(() => inst.snapshot()).toThrowError(expect.objectContaining({ code: 'SNAPSHOT_NOT_SUSPENDED' }));
    const suspended = new Promise<void>((r) => inst.onTransition((t) => t.to === 'Suspended' && r()));
    await inst.start();
    await suspended;
    const snapshot = structuredClone(inst.snapshot());
    inst.terminate();
    expect(snapshot.engine.engine).toBe('fayger-transpiler');

    const ref = setup({ implementations: transpilerOnly(), busOptions: { files: FILES } });
    const whole = ref.runtime.instantiate(loadedBuf({ code: READER, capabilities: caps() }));
    const expected = await whole.runToCompletion();

    // The engine-neutral state: routed among both engines (either first), the routed engine resumes it; asked
    // for one (`engine`), that one does.
    expect(snapshot.engine.stateVersion).toBe(3);
    for (const [implementations, engine, expectOn] of [
      [[createTranspilerImplementation(), createInterpreterImplementation()], undefined, 'fayger-transpiler'],
      [[createInterpreterImplementation(), createTranspilerImplementation()], undefined, 'fayger-interpreter'],
      [
        [createTranspilerImplementation(), createInterpreterImplementation()],
        'fayger-interpreter',
        'fayger-interpreter',
      ],
      [[createInterpreterImplementation()], undefined, 'fayger-interpreter'],
    ] as const) {
      const fresh = setup({ implementations: [...implementations], busOptions: { files: FILES } });
      const resumed = fresh.runtime.resume(
        loadedBuf({ code: READER, capabilities: caps() }),
        snapshot,
        engine ? { engine } : {},
      );
      expect(resumed.implementation).toBe(expectOn);
      const info = await resumed.runToCompletion();
      expect(fresh.bus.stdout.get(resumed.id)).toBe('second part');
      expect(info.exitCode).toBe(expected.exitCode);
      expect(info.usage.fuelUsed).toBe(expected.usage.fuelUsed);
    }

    const interpOnly = setup({ implementations: [createInterpreterImplementation()], busOptions: { files: FILES } });
    // An engine that is not registered: a typed error before anything runs.
    expect(() =>
      interpOnly.runtime.resume(loadedBuf({ code: READER, capabilities: caps() }), snapshot, {
        engine: 'fayger-transpiler',
      }),
    ).toThrowError(expect.objectContaining({ code: 'RUNTIME_OPTIONS_INVALID' }));
    // The transpiler's own older state version (1) stays the transpiler's.
    const older = { ...snapshot, engine: { ...snapshot.engine, stateVersion: 1 } };
    const refused = interpOnly.runtime.resume(loadedBuf({ code: READER, capabilities: caps() }), older);
    let err: unknown;
    await refused.start().catch((e: unknown) => {
      err = e;
    });
    expect(FaygerError.is(err) && err.code).toBe('SNAPSHOT_ENGINE_MISMATCH');
    expect(String((err as Error).message)).toContain('--engine transpiler');
  });
});
