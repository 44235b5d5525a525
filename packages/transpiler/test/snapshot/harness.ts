import { createHash } from 'node:crypto';
import type {
  EngineSnapshot,
  GuestCall,
  GuestInstance,
  GuestValue,
  HostImports,
  InstantiateOptions,
} from '@fayger/contracts';
import { createInterpreterImplementation } from '@fayger/interpreter';
import type { RuntimeImplementation } from '@fayger/contracts';
import { createTranspilerImplementation } from '../../src/index.js';

/**
 * Test support for transpiler snapshots: a self-contained byte encoding of an EngineSnapshot (nothing but bytes
 * crosses from the snapshotting instance to the restoring one; the artifact format is the loader's), and drivers
 * that run a guest call to completion, or N fuel units then snapshot + restore + completion.
 */

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

export interface Finished {
  readonly status: string;
  readonly values: string;
  readonly memory: string;
  readonly fuel: number;
}

export const transpiler = (): RuntimeImplementation => createTranspilerImplementation();
export const interpreter = (): RuntimeImplementation => createInterpreterImplementation();

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

export async function runFull(g: Guest, engine = transpiler()): Promise<Finished> {
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
 * compilation and instance of `to` and runs to the end. With `keepGoing` the original instance also runs on to
 * its end after the snapshot (`original`). Undefined when the call ended within `fuel` (nothing to snapshot).
 */
export async function runSplit(
  g: Guest,
  fuel: number,
  opts: { atWait?: boolean; keepGoing?: boolean; from?: RuntimeImplementation; to?: RuntimeImplementation } = {},
): Promise<{ result: Finished; snapshot: Uint8Array; original?: Finished } | undefined> {
  const code = await (opts.from ?? transpiler()).compile(g.bytes);
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
  const result = await resume(g, bytes, opts.to);
  return original === undefined ? { result, snapshot: bytes } : { result, snapshot: bytes, original };
}

export async function resume(g: Guest, bytes: Uint8Array, engine = transpiler()): Promise<Finished> {
  const code = await engine.compile(g.bytes);
  const { instance, calls } = await code.restore!(g.imports(), decodeSnapshot(bytes), g.options);
  return drive(instance, calls[0]!);
}
