import { createHash } from 'node:crypto';
import type {
  EngineSnapshot,
  GuestCall,
  GuestInstance,
  GuestValue,
  HostImports,
  InstantiateOptions,
  RuntimeImplementation,
} from '@fayger/contracts';

/**
 * Engine snapshot test support, one for every engine (@fayger/interpreter, @fayger/transpiler): a self-contained
 * byte encoding of an EngineSnapshot (nothing but bytes crosses from the snapshotting instance to the restoring
 * one; the artifact format is the loader's), and drivers that run a guest call to completion, or N fuel units then
 * snapshot + restore + completion, on engines given as RuntimeImplementation factories (`snapshotHarness`).
 */

/** Makes a fresh RuntimeImplementation of an engine (`createInterpreterImplementation`, …). */
export type EngineFactory = () => RuntimeImplementation;

export function encodeSnapshot(s: EngineSnapshot): Uint8Array {
  const head = new TextEncoder().encode(
    JSON.stringify({
      engine: s.engine,
      stateVersion: s.stateVersion,
      fuelUsed: s.fuelUsed,
      calls: s.calls,
      memories: s.memories.map((m) => ({ pages: m.pages, length: m.bytes.length })),
      stateLength: s.state.length,
    }),
  );
  const total = 4 + head.length + s.state.length + s.memories.reduce((n, m) => n + m.bytes.length, 0);
  const out = new Uint8Array(total);
  new DataView(out.buffer).setUint32(0, head.length, true);
  out.set(head, 4);
  let at = 4 + head.length;
  out.set(s.state, at);
  at += s.state.length;
  for (const m of s.memories) {
    out.set(m.bytes, at);
    at += m.bytes.length;
  }
  return out;
}

export function decodeSnapshot(bytes: Uint8Array): EngineSnapshot {
  const n = new DataView(bytes.buffer, bytes.byteOffset).getUint32(0, true);
  const head = JSON.parse(new TextDecoder().decode(bytes.subarray(4, 4 + n)));
  let at = 4 + n;
  const state = bytes.slice(at, at + head.stateLength);
  at += head.stateLength;
  const memories = (head.memories as { pages: number; length: number }[]).map((m) => {
    const b = bytes.slice(at, at + m.length);
    at += m.length;
    return { pages: m.pages, bytes: b };
  });
  return {
    engine: head.engine,
    stateVersion: head.stateVersion,
    fuelUsed: head.fuelUsed,
    calls: head.calls,
    state,
    memories,
  };
}

export function memoryHash(inst: GuestInstance): string {
  const m = inst.memory();
  return m ? createHash('sha256').update(m.read(0, m.byteLength)).digest('hex').slice(0, 16) : 'none';
}

export interface Guest {
  readonly name: string;
  readonly bytes: Uint8Array;
  readonly export: string;
  readonly args: readonly GuestValue[];
  /** Fresh host imports per instance (the same behaviour each time). */
  readonly imports: () => HostImports;
  readonly options?: InstantiateOptions;
}

export interface SplitRun {
  readonly result: Finished;
  /** The encoded snapshot (encodeSnapshot). */
  readonly snapshot: Uint8Array;
  /** With `keepGoing`: the snapshotted instance's own run to the end. */
  readonly original?: Finished;
}

export interface Finished {
  readonly status: string;
  readonly values: string;
  readonly memory: string;
  readonly fuel: number;
}

const show = (vs: readonly GuestValue[]) =>
  JSON.stringify(vs, (_, v) => (typeof v === 'bigint' ? `${v}n` : Number.isNaN(v) ? 'NaN' : v));

/** Runs `call` to its end (completed or trapped), awaiting host promises, in slices of `slice` fuel. */
export async function drive(inst: GuestInstance, call: GuestCall, slice?: number): Promise<Finished> {
  for (;;) {
    const o = call.run(slice === undefined ? {} : { fuel: slice });
    if (o.status === 'waiting') await o.settled;
    else if (o.status === 'completed')
      return { status: 'completed', values: show(o.values), memory: memoryHash(inst), fuel: inst.usage().fuelUsed };
    else if (o.status === 'trapped')
      return { status: `trapped ${o.error.code}`, values: '', memory: memoryHash(inst), fuel: inst.usage().fuelUsed };
  }
}

/** Runs the guest's call to its end on a fresh compilation and instance of `engine`. */
export async function runFull(g: Guest, engine: RuntimeImplementation): Promise<Finished> {
  const code = await engine.compile(g.bytes);
  const inst = await code.instantiate(g.imports(), g.options);
  return drive(inst, inst.call(g.export, g.args));
}

/** Runs `call` until at least `fuel` units are used (or, when `atWait`, until it waits on a host promise). */
export async function runUntil(
  call: GuestCall,
  fuel: number,
  atWait = true,
): Promise<{ ended: boolean; settled?: Promise<void> }> {
  let used = 0;
  for (;;) {
    const o = call.run({ fuel: Math.max(1, fuel - used) });
    used += o.fuelUsed;
    if (o.status === 'completed' || o.status === 'trapped') return { ended: true };
    if (o.status === 'suspended' && used >= fuel) return { ended: false };
    if (o.status === 'waiting') {
      if (atWait) return { ended: false, settled: o.settled };
      await o.settled;
    }
  }
}

/**
 * Runs `fuel` units (a waiting call is snapshotted while its host promise is still pending when `atWait`),
 * snapshots, encodes, and (unless `keepGoing`) terminates the original; restores the bytes into a fresh
 * compilation and instance of `to` (default: `from`) and runs to the end. With `keepGoing` the original instance also runs on to
 * its end after the snapshot (`original`). Undefined when the call ended within `fuel` (nothing to snapshot).
 */
export async function runSplit(
  g: Guest,
  fuel: number,
  opts: { from: RuntimeImplementation; to?: RuntimeImplementation; atWait?: boolean; keepGoing?: boolean },
): Promise<SplitRun | undefined> {
  const code = await opts.from.compile(g.bytes);
  const inst = await code.instantiate(g.imports(), g.options);
  const call = inst.call(g.export, g.args);
  const stop = await runUntil(call, fuel, opts.atWait ?? true);
  if (stop.ended) return undefined;
  const bytes = encodeSnapshot(inst.snapshot!([call]));
  let original: Finished | undefined;
  if (opts.keepGoing) {
    await stop.settled;
    original = await drive(inst, call);
  } else inst.terminate();
  const result = await resume(g, bytes, opts.to ?? opts.from);
  return original === undefined ? { result, snapshot: bytes } : { result, snapshot: bytes, original };
}

/** Restores encoded snapshot bytes into a fresh compilation and instance of `engine` and runs its call to the end. */
export async function resume(g: Guest, bytes: Uint8Array, engine: RuntimeImplementation): Promise<Finished> {
  const code = await engine.compile(g.bytes);
  const { instance, calls } = await code.restore!(g.imports(), decodeSnapshot(bytes), g.options);
  return drive(instance, calls[0]!);
}

/** The drivers bound to one engine's RuntimeImplementation factory (a fresh implementation per run). */
export interface SnapshotHarness {
  readonly engine: EngineFactory;
  runFull(g: Guest, engine?: RuntimeImplementation): Promise<Finished>;
  /** runSplit from and to (fresh implementations of) the harness's engine unless `from` / `to` say otherwise. */
  runSplit(
    g: Guest,
    fuel: number,
    opts?: { atWait?: boolean; keepGoing?: boolean; from?: RuntimeImplementation; to?: RuntimeImplementation },
  ): Promise<SplitRun | undefined>;
  resume(g: Guest, bytes: Uint8Array, engine?: RuntimeImplementation): Promise<Finished>;
}

export function snapshotHarness(engine: EngineFactory): SnapshotHarness {
  return {
    engine,
    runFull: (g, e = engine()) => runFull(g, e),
    runSplit: (g, fuel, opts = {}) =>
      runSplit(g, fuel, { ...opts, from: opts.from ?? engine(), to: opts.to ?? engine() }),
    resume: (g, bytes, e = engine()) => resume(g, bytes, e),
  };
}
