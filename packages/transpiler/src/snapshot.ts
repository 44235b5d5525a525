import { FaygerError } from '@fayger/contracts';
import {
  EXTERNREF,
  F32,
  F64,
  FUNCREF,
  I32,
  I64,
  PAGE,
  TRANSPILER_V1_FORMAT,
  V128,
  WASM_STATE_FORMAT,
  decodeWasmState,
  encodeWasmState,
  snapshotError,
  stateModule,
} from '@fayger/wasm';
import type { RawValue, StateSites, StateValue, WasmState } from '@fayger/wasm';
import type { FrameMeta, ReentryRequest } from './emit.js';
import { H, type FrameRecord } from './helpers.js';
import {
  Execution,
  TFunction,
  UNLIMITED_FUEL,
  cellValue,
  fromRaw,
  globalValue,
  plainAsGenerator,
  plainChain,
  setCell,
  swapCode,
  toRaw,
  type InstanceState,
} from './runtime.js';

/**
 * Transpiler engine state, its own version 1 (now written in the engine-neutral state version 3 of @fayger/wasm,
 * the same layout with magic "FGWS"; version 1 states are still read): what a stopped transpiled instance is, besides its
 * memories, in an engine-neutral shape. Frames are named by wasm positions (see SiteMeta: 0 = function entry,
 * k + 1 = the body's k-th instruction), values are typed wasm values in their bit patterns, little-endian; the
 * types are not written: they follow from the module (a function's locals, the validation stack at a site).
 *
 *   u32 magic "FGTS"  u16 version (1)
 *   shape: u32 funcs (imports included), importedFuncs, globals, tables, memories, datas, elems
 *   globals: per global its value (i32/f32 4 bytes, i64/f64 8, v128 16, funcref/externref i32 ref)
 *   tables:  per table u32 size, size x i32 ref
 *   u8 per data segment, u8 per element segment: 1 = dropped
 *   u32 calls; per call:
 *     u32 export function index, u8 status (0 suspended at a fuel point, 1 waiting on a host import)
 *     f64 fuel used by the call, u32 frames
 *     frames, bottom (the export) first: u32 function index, u32 position, its locals (params first),
 *       u32 n, n operand values (the stack at the position, below a call's arguments)
 *     status 1: u32 host import function index, its arguments
 *
 * A ref is -1 (null) or a function index of the instance. The top frame of a suspended call is at a fuel point
 * (entry or loop header); every other frame at a call whose callee is the next frame's function; a waiting
 * call's top frame at a call of the pending import (or a call_indirect of its signature). A call stopped before
 * entering a leaf function has the leaf's frame at its entry, like any other function.
 */
export const TRANSPILER_STATE_VERSION = 1;

function malformed(what: string, expected: string, found: string | number): FaygerError {
  return snapshotError('SNAPSHOT_MALFORMED', `restoring the transpiler state: ${what}`, expected, String(found));
}

/** One frame, engine-neutral: values are internal (generated-code) values. */
export interface Frame {
  readonly func: number;
  readonly pos: number;
  readonly locals: readonly unknown[];
  readonly stack: readonly unknown[];
}

export interface CallFrames {
  readonly frames: readonly Frame[];
  /** The host import a waiting call waits on, with its arguments. */
  readonly pending: { readonly func: number; readonly args: readonly unknown[] } | null;
}

function meta(state: InstanceState, func: number): FrameMeta | undefined {
  return state.module.emitted.frames[func - state.module.layout.nImportedFuncs];
}

function zero(t: number): unknown {
  switch (t) {
    case I32:
    case F32:
    case F64:
      return 0;
    case I64:
      return 0n;
    case V128:
      return H.VZ;
    default:
      return null;
  }
}

function unsupported(found: string): FaygerError {
  return snapshotError(
    'SNAPSHOT_UNSUPPORTED',
    'capturing a transpiled instance',
    'a call whose frames are all functions of this instance',
    found,
  );
}

/** Capture records (innermost first) → frames bottom first, with the pending host call of a waiting call. */
export function framesOf(state: InstanceState, all: readonly FrameRecord[]): CallFrames {
  const frames: Frame[] = [];
  let pending: CallFrames['pending'] = null;
  // A waiting call's innermost record is the host function's (func -1): the pending call and its arguments.
  const host = all.length > 0 && all[0].func < 0 ? all[0] : null;
  const records = host === null ? all : all.slice(1);
  const n = records.length;
  for (let k = n - 1; k >= 0; k--) {
    const r = records[k];
    const fm = meta(state, r.func);
    const site = fm?.sites.get(r.pos);
    if (fm === undefined || site === undefined) throw unsupported(`a frame of another instance (function ${r.func})`);
    frames.push({ func: r.func, pos: r.pos, locals: r.locals, stack: r.stack });
    const callee = site.kind === 2 ? state.funcs[site.callee] : site.kind === 3 ? (r.fn as TFunction) : null;
    if (k > 0) {
      if (callee === null || callee.inst !== state) throw unsupported('a call into another instance');
      continue;
    }
    // The innermost frame.
    if (site.kind === 1) {
      const lm = meta(state, site.callee)!;
      frames.push({
        func: site.callee,
        pos: 0,
        locals: lm.locals.map((t, i) => (i < lm.nParams ? r.args[i] : zero(t))),
        stack: [],
      });
    } else if (site.kind !== 0) {
      if (host === null || callee === null || callee.inst !== null || host.fn !== callee) {
        throw unsupported('a call waiting in another instance');
      }
      const j = state.funcs.indexOf(callee);
      if (j < 0 || j >= state.module.layout.nImportedFuncs) throw unsupported('a call waiting on a foreign function');
      pending = { func: j, args: host.args };
    }
  }
  return { frames, pending };
}

/** The (function, position) pairs a chain of frames needs re-entry variants for. */
export function requestsOf(calls: readonly CallFrames[]): ReentryRequest[] {
  const out: ReentryRequest[] = [];
  for (const c of calls) for (const f of c.frames) if (f.pos > 0) out.push({ func: f.func, pos: f.pos });
  return out;
}

/**
 * Builds the generator chain that continues `c` in the instance's current code (which must have the variants
 * of {@link requestsOf}): the innermost frame first, each caller continuing its call with the callee's chain.
 * `host` makes the generator of the pending host call.
 */
export function chainOf(
  state: InstanceState,
  c: CallFrames,
  host: (f: TFunction, args: readonly unknown[]) => Generator<unknown, unknown, unknown>,
): Generator<unknown, unknown, unknown> {
  const code = state.code;
  const nImp = state.module.layout.nImportedFuncs;
  let nx: Generator<unknown, unknown, unknown> | null =
    c.pending === null ? null : host(state.funcs[c.pending.func], c.pending.args);
  let k = c.frames.length - 1;
  const plain = plainSuffix(state, c);
  if (plain > 0) {
    // The innermost frames are of functions with no generator body: they continue as plain code.
    nx = plainAsGenerator(state, plainChain(state, c.frames.slice(k + 1 - plain).reverse()));
    k -= plain;
  }
  for (; k >= 0; k--) {
    const f = c.frames[k];
    if (f.pos === 0) {
      const fm = meta(state, f.func)!;
      nx = code.g[f.func - nImp](...f.locals.slice(0, fm.nParams));
    } else {
      const v = code.r.find((x) => x[0] === f.func && x[1] === f.pos);
      if (v === undefined)
        throw new FaygerError({ code: 'INTERNAL', phase: 'execute', message: 'no re-entry variant' });
      nx = v[2](nx, [...f.locals, ...f.stack]);
    }
  }
  return nx!;
}

/** How many innermost frames of `c` are of functions that run as plain code on the resumable path. */
function plainSuffix(state: InstanceState, c: CallFrames): number {
  if (c.pending !== null) return 0;
  let n = 0;
  while (n < c.frames.length && !state.emitted.awaits[c.frames[c.frames.length - 1 - n].func]) n++;
  return n;
}

/** Fuel the next slice of a re-entered call must at least cover (its top frame's segment), as `run` expects. */
export function nextCostOf(state: InstanceState, c: CallFrames): number {
  if (c.pending !== null) return 0;
  const top = c.frames[c.frames.length - 1];
  return meta(state, top.func)!.sites.get(top.pos)!.cost;
}

/**
 * Captures every stopped call of the instance (their generator chains are destroyed by the capture) and gives
 * them new chains in a code with the re-entry variants they need, so the instance runs on exactly as before.
 */
export function captureCalls(state: InstanceState, calls: readonly Execution[]): CallFrames[] {
  // A call captured (or restored) and not run since is already taken apart: its frames are kept on it.
  const captured = calls.map((ex) => (ex.frozen as CallFrames | null) ?? framesOf(state, ex.captureFrames()));
  swapCode(state, requestsOf(captured));
  calls.forEach((ex, i) => {
    const c = captured[i];
    // A waiting call goes on with the promise it waits on; a restored one not run yet still has to call its import.
    ex.reenter(
      chainOf(state, c, ex.state === 'waiting' ? (f) => ex.hostResume(f) : (f, args) => f.gen(...args)),
      ex.nextCost,
    );
    ex.frozen = c;
  });
  return captured;
}

/** The module's suspension sites as the shared state encoding names them (a leaf call is a call). */
function sitesOf(mod: InstanceState['module']): StateSites {
  const nImp = mod.layout.nImportedFuncs;
  const frames = mod.emitted.frames;
  return {
    site(func, pos) {
      const s = func >= nImp ? frames[func - nImp]?.sites.get(pos) : undefined;
      if (s === undefined) return undefined;
      return { kind: s.kind === 1 ? 2 : s.kind, callee: s.callee, typeIndex: s.typeIndex, stack: s.stack };
    },
  };
}

/** A raw value read by the shared decoder → the generated code's value, once the instance's functions exist. */
function internal(t: number, x: unknown, funcs: readonly TFunction[]): unknown {
  if (t === FUNCREF || t === EXTERNREF) return (x as number) < 0 ? null : funcs[x as number];
  return fromRaw(t, x as RawValue);
}

export interface CallToWrite {
  readonly func: number;
  readonly waiting: boolean;
  readonly fuelUsed: number;
  readonly frames: CallFrames;
}

/**
 * Encodes the instance (all but memories) and the given calls in the engine-neutral state encoding of
 * @fayger/wasm (state version 3). SNAPSHOT_UNSUPPORTED for a live externref.
 */
export function encodeState(state: InstanceState, calls: readonly CallToWrite[]): Uint8Array {
  const mod = state.module;
  const L = mod.layout;
  const index = new Map<unknown, number>();
  state.funcs.forEach((f, i) => index.set(f, i));
  const refIndex = (x: unknown): number => {
    if (x === null || x === undefined) return -1;
    const i = index.get(x);
    if (i === undefined) {
      throw snapshotError(
        'SNAPSHOT_UNSUPPORTED',
        'capturing a transpiled instance',
        'only null externrefs and functions of this instance in globals, tables and frames',
        x instanceof TFunction ? 'a function of another instance' : 'a live externref (a host object)',
      );
    }
    return i;
  };
  const value = (t: number, x: unknown): StateValue =>
    t === FUNCREF || t === EXTERNREF ? refIndex(x) : (toRaw(t, x) as StateValue);
  const DS = state.rt.DS as (Uint8Array | null)[];
  const ES = state.rt.ES as (readonly unknown[])[];
  const ws: WasmState = {
    globals: L.globalTypes.map((t, g) => value(t, globalValue(state, g))),
    tables: state.tables.map((t) => t.elements.map(refIndex)),
    droppedData: mod.ir.datas.map((_, i) => DS[i] === null),
    droppedElems: mod.ir.elems.map((_, i) => ES[i] === H.EMPTY),
    calls: calls.map((c) => {
      const p = c.frames.pending;
      return {
        func: c.func,
        waiting: c.waiting,
        fuelUsed: c.fuelUsed,
        frames: c.frames.frames.map((f) => {
          const fm = meta(state, f.func)!;
          const site = fm.sites.get(f.pos)!;
          return {
            func: f.func,
            pos: f.pos,
            locals: fm.locals.map((t, i) => value(t, f.locals[i])),
            stack: site.stack.map((t, i) => value(t, f.stack[i])),
          };
        }),
        pending:
          c.waiting && p !== null
            ? { func: p.func, args: L.funcTypes[p.func].params.map((t, i) => value(t, p.args[i])) }
            : null,
      };
    }),
  };
  return encodeWasmState(stateModule(mod.ir), sitesOf(mod), ws);
}

/** A decoded, validated state; refs are function indices until {@link applyState}. */
export type DecodedState = WasmState;

/**
 * Decodes and validates a state against the module with the shared decoder (shape, positions against the
 * module's site tables, the call relation between frames, value ranges, no trailing bytes): the engine-neutral
 * encoding (state version 3, from either engine) or this engine's own version 1 (`legacy`).
 */
export function decodeState(
  mod: InstanceState['module'],
  bytes: Uint8Array,
  exportFuncs: readonly number[],
  maxCallDepth: number,
  legacy = false,
): DecodedState {
  return decodeWasmState(
    stateModule(mod.ir),
    sitesOf(mod),
    bytes,
    exportFuncs,
    maxCallDepth,
    legacy ? TRANSPILER_V1_FORMAT : WASM_STATE_FORMAT,
  );
}

/** Converts a decoded frame list's raw values to internal values of the restored instance. */
function liveFrames(state: InstanceState, c: DecodedState['calls'][number]): CallFrames {
  const L = state.module.layout;
  const funcs = state.funcs;
  const frames = c.frames.map((f) => {
    const fm = meta(state, f.func)!;
    const site = fm.sites.get(f.pos)!;
    return {
      func: f.func,
      pos: f.pos,
      locals: fm.locals.map((t, i) => internal(t, f.locals[i], funcs)),
      stack: site.stack.map((t, i) => internal(t, f.stack[i], funcs)),
    };
  });
  const p = c.pending;
  return {
    frames,
    pending:
      p === null
        ? null
        : { func: p.func, args: L.funcTypes[p.func].params.map((t, i) => internal(t, p.args[i], funcs)) },
  };
}

/** The requests for a decoded state's frames (to link the instance with the right code). */
export function decodedRequests(d: DecodedState): ReentryRequest[] {
  const out: ReentryRequest[] = [];
  for (const c of d.calls) for (const f of c.frames) if (f.pos > 0) out.push({ func: f.func, pos: f.pos });
  return out;
}

/**
 * Applies a decoded state to a freshly linked instance (whose code has the variants of decodedRequests):
 * memory, globals, tables, segments, fuel; returns the restored executions (`suspended`; a waiting one calls
 * its host import again on its first run).
 */
export function applyState(
  state: InstanceState,
  d: DecodedState,
  memories: readonly { readonly pages: number; readonly bytes: Uint8Array }[],
  fuelUsed: number,
): Execution[] {
  const mem = state.memory;
  if (memories.length !== (mem === null ? 0 : 1)) {
    throw malformed('the memories', `${mem === null ? 0 : 1} memory`, memories.length);
  }
  if (mem !== null) {
    const m = memories[0];
    if (!Number.isInteger(m.pages) || m.pages < mem.pages || m.bytes.length !== m.pages * PAGE) {
      throw malformed(
        'the memory',
        `at least ${mem.pages} pages of ${PAGE} bytes`,
        `${m.pages} pages, ${m.bytes.length} bytes`,
      );
    }
    if (m.pages > mem.pages && mem.grow(m.pages - mem.pages) < 0) {
      if (m.pages > (mem.maximum ?? 65536)) throw malformed('the memory', `at most ${mem.maximum} pages`, m.pages);
      throw new FaygerError({
        code: 'WASM_LINK_ERROR',
        phase: 'instantiate',
        what: 'restoring linear memory',
        expected: `at most ${mem.limit} pages (the page quota)`,
        found: `${m.pages} pages in the snapshot`,
        hint: 'Raise maxMemoryPages (the memoryPages quota) to resume this snapshot.',
        details: { limit: 'memoryPages', requested: m.pages, max: mem.limit },
      });
    }
    mem.u8.set(m.bytes);
  }
  const L = state.module.layout;
  const funcs = state.funcs;
  d.tables.forEach((els, k) => {
    const t = state.tables[k];
    if (els.length > t.elements.length && t.grow(els.length - t.elements.length, null) < 0) {
      throw new FaygerError({
        code: 'WASM_LINK_ERROR',
        phase: 'instantiate',
        what: `restoring table ${k}`,
        expected: 'table elements within the instance limit (maxTableElements)',
        found: `${els.length} elements in the snapshot`,
        details: { limit: 'tableElements', requested: els.length },
      });
    }
    for (let i = 0; i < els.length; i++) t.elements[i] = els[i] < 0 ? null : funcs[els[i]];
  });
  const nImportedGlobals = state.module.ir.imports.filter((i) => i.kind === 3).length;
  d.globals.forEach((raw, g) => {
    if (g < nImportedGlobals) return; // another instance's (or the host's) global: not this snapshot's to write
    const x = internal(L.globalTypes[g], raw, funcs);
    const cell = state.globals[g];
    if (cell) setCell(cell, x);
    else state.code.setG(g, x);
  });
  const DS = state.rt.DS as (Uint8Array | null)[];
  const ES = state.rt.ES as (readonly unknown[])[];
  d.droppedData.forEach((x, i) => {
    if (x) DS[i] = null;
  });
  d.droppedElems.forEach((x, i) => {
    if (x) ES[i] = H.EMPTY;
  });
  state.fuel.used = fuelUsed;
  if (state.fuel.remaining !== UNLIMITED_FUEL) state.fuel.remaining = Math.max(0, state.fuel.remaining - fuelUsed);
  return d.calls.map((c) => {
    const cf = liveFrames(state, c);
    const fn = funcs[c.func];
    const ex = new Execution(
      fn,
      fn.irType.params.map((t) => toRaw(t, zero(t))),
    );
    ex.reenter(
      chainOf(state, cf, (f, args) => f.gen(...args)),
      nextCostOf(state, cf),
      { fuelUsed: c.fuelUsed },
    );
    ex.frozen = cf;
    return ex;
  });
}

export { cellValue };
