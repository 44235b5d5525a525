import { FaygerError } from '@fayger/contracts';
import {
  EXTERNREF,
  F32,
  F64,
  FUNCREF,
  I32,
  I64,
  V128,
  WASM_STATE_FORMAT,
  decodeWasmState,
  encodeWasmState,
  getGlobalValue,
  setGlobalValue,
  snapshotError,
  stateFormatOf,
  stateModule,
} from '@fayger/wasm';
import type {
  ModuleIR,
  RawValue,
  StateCall,
  StateFrame,
  StateModule,
  StateSites,
  StateValue,
  WasmState,
} from '@fayger/wasm';
import { readRaw, writeRaw } from './values.js';
import { X } from '../compile/exec-ops.js';
import { PAGE, WasmFunction, prepareFunction, slotCount, type InstanceCtx, type SiteRecord } from './objects.js';
import { MAX_SLOTS, acquireMachine, releaseMachine } from './machine.js';
import { acquireState, releaseState, type LoopState } from './loop-state.js';
import { Execution } from './execution.js';

/**
 * Engine state of a stopped instance (snapshot state version 2): compact, little-endian, no pointers. Program
 * counters are (function index, offset from that function's compiled entry), so they survive the lazy,
 * order-dependent layout of the shared code buffer; functions are compiled again on restore. An offset depends
 * on the compiled encoding, so a change in what the compiler emits (new fused ops) bumps the version: version 1
 * offsets (before the constant-operand compares, stores and i64 shifts) do not fit version 2 code, and such a
 * state is refused with SNAPSHOT_ENGINE_MISMATCH. Layout:
 *
 *   u32 magic "FGIS"  u16 version (2)
 *   shape: u32 funcs, importedFuncs, globals, tables, memories, datas, elems (must match the module)
 *   globals: per global  u8 value type, then i32/f32 4 bytes | i64/f64 8 | v128 16 | funcref/externref i32 ref
 *   tables:  per table   u8 element type, u32 size, size x i32 ref
 *   u8 per data segment, u8 per element segment: 1 = dropped
 *   u32 calls; per call:
 *     u32 export function index, u8 status (0 suspended at a FUEL op, 1 waiting on a host import)
 *     f64 fuel used by the call, u32 deepest frame depth reached, u32 depth
 *     (depth + 1) x frame: u32 function index, u32 pc offset, u32 base (int32 index = slot * 2); the last is the top
 *     status 1: u32 pending host function index, u32 its argument base
 *     u32 slots in use, slots x 8 bytes (the value stack), u32 n, n x (u32 slot, i32 ref) for non-null references
 *
 * A ref is -1 (null) or a function index of the instance (imported ones included). A live externref or a
 * function of another instance cannot be written: SNAPSHOT_UNSUPPORTED.
 */
export const STATE_VERSION = 2;
const MAGIC = 0x53494746; // "FGIS" little-endian

export interface CapturedCall {
  readonly ex: Execution;
  readonly exportName: string;
}

function malformed(what: string, expected: string, found: string | number): FaygerError {
  return snapshotError('SNAPSHOT_MALFORMED', `restoring the interpreter state: ${what}`, expected, String(found));
}

class Reader {
  private readonly dv: DataView;
  n = 0;
  constructor(private readonly bytes: Uint8Array) {
    this.dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  private need(k: number, what: string): void {
    if (this.n + k > this.bytes.length)
      throw malformed(`reading ${what}`, `${k} more bytes at offset ${this.n}`, `${this.bytes.length - this.n} left`);
  }
  u8(what: string): number {
    this.need(1, what);
    return this.dv.getUint8(this.n++);
  }
  u16(what: string): number {
    this.need(2, what);
    const v = this.dv.getUint16(this.n, true);
    this.n += 2;
    return v;
  }
  u32(what: string): number {
    this.need(4, what);
    const v = this.dv.getUint32(this.n, true);
    this.n += 4;
    return v;
  }
  i32(what: string): number {
    this.need(4, what);
    const v = this.dv.getInt32(this.n, true);
    this.n += 4;
    return v;
  }
  f64(what: string): number {
    this.need(8, what);
    const v = this.dv.getFloat64(this.n, true);
    this.n += 8;
    return v;
  }
  /** A u32 count of items of at least `itemBytes` bytes each, bounded by what is left (no huge allocations). */
  count(what: string, itemBytes: number): number {
    const c = this.u32(what);
    if (itemBytes > 0 && c > (this.bytes.length - this.n) / itemBytes)
      throw malformed(`reading ${what}`, `at most ${Math.floor((this.bytes.length - this.n) / itemBytes)}`, c);
    return c;
  }
  i32s(out: Int32Array, count: number, what: string): void {
    this.need(4 * count, what);
    for (let i = 0; i < count; i++) out[i] = this.dv.getInt32(this.n + 4 * i, true);
    this.n += 4 * count;
  }
  get left(): number {
    return this.bytes.length - this.n;
  }
}

function funcIndexMap(ctx: InstanceCtx): Map<unknown, number> {
  const m = new Map<unknown, number>();
  for (let i = ctx.funcs.length - 1; i >= 0; i--) m.set(ctx.funcs[i], i);
  return m;
}

function refIndex(v: unknown, index: Map<unknown, number>, where: string): number {
  if (v === null || v === undefined) return -1;
  const i = v instanceof WasmFunction ? index.get(v) : undefined;
  if (i === undefined) {
    throw snapshotError(
      'SNAPSHOT_UNSUPPORTED',
      `snapshotting ${where}`,
      'null references or functions of this instance only',
      v instanceof WasmFunction ? 'a function of another instance' : 'a live externref (a host object)',
    );
  }
  return i;
}

/** The extent of a frame in slots (base is an int32 index). */
function frameTop(fn: WasmFunction, b: number): number {
  return (b >> 1) + fn.frameSize;
}

function pendingTop(pf: WasmFunction, base: number): number {
  return (base >> 1) + Math.max(slotCount(pf.irType.params), slotCount(pf.irType.results), 1);
}

/** A defined function's locals as the shared encoding sees them, with the first slot of each. */
interface LocalLayout {
  readonly types: readonly number[];
  readonly slots: readonly number[];
}

function localLayout(mod: StateModule, codeIndex: number): LocalLayout {
  const types = mod.locals(codeIndex);
  const slots: number[] = [];
  let n = 0;
  for (const t of types) {
    slots.push(n);
    n += t === V128 ? 2 : 1;
  }
  return { types, slots };
}

/** The interpreter's fuel points and call return points as the shared encoding names them. */
function sitesOf(ctx: InstanceCtx, nImported: number): StateSites {
  return {
    site(func, pos) {
      const i = func - nImported;
      if (i < 0 || i >= ctx.funcs.length - nImported) return undefined;
      const r = ctx.compiled.sites(i).byPos.get(pos);
      return r === undefined ? undefined : { kind: r.kind, callee: r.callee, typeIndex: r.typeIndex, stack: r.types };
    },
  };
}

/**
 * Captures the instance's globals, tables, segment state and the given stopped calls in the engine-neutral state
 * encoding of @fayger/wasm (state version 3): each frame's program counter becomes its wasm position (the site
 * map of its function), its locals and live operands typed wasm values read from their slots. Only live values
 * are read, so whatever a dead slot holds (a reference a returned frame left behind) is never captured.
 */
export function captureState(ir: ModuleIR, ctx: InstanceCtx, calls: readonly CapturedCall[]): Uint8Array {
  const index = funcIndexMap(ctx);
  const mod = stateModule(ir);
  const nImported = ctx.funcs.length - ir.funcs.length;
  const value = (t: number, x: unknown, where: string): StateValue =>
    t === FUNCREF || t === EXTERNREF ? refIndex(x, index, where) : (x as StateValue);
  const globals = ctx.globals.map((g, i) => value(g.valueType, getGlobalValue(g), `global ${i}`));
  const tables = ctx.tables.map((t, k) => t.elements.map((e) => refIndex(e, index, `table ${k}`)));
  const out: StateCall[] = calls.map(({ ex }, c) => {
    const view = ex.snapshotView();
    const st = view.st;
    const m = st.machine;
    const chain: { fn: WasmFunction; pc: number; b: number }[] = [];
    const ffn = m.ffn as WasmFunction[];
    for (let d = 0; d < st.depth; d++) chain.push({ fn: ffn[d], pc: m.fpc[d], b: m.fb[d] });
    chain.push({ fn: st.fn, pc: st.pc, b: st.b });
    const where = `call ${c}'s frames`;
    let lastRec: SiteRecord | null = null;
    let lastB = 0;
    const frames: StateFrame[] = chain.map(({ fn, pc, b }) => {
      if (fn.inst !== ctx || fn.codeIndex < 0)
        throw snapshotError(
          'SNAPSHOT_UNSUPPORTED',
          `snapshotting call ${c}`,
          'frames of this instance only',
          'a frame of another instance',
        );
      const rec = ctx.compiled.sites(fn.codeIndex).byOffset.get(pc - fn.entry);
      if (rec === undefined) {
        throw snapshotError(
          'SNAPSHOT_UNSUPPORTED',
          `snapshotting call ${c}`,
          'frames stopped at fuel points or calls',
          `function ${index.get(fn)} at compiled offset ${pc - fn.entry}`,
        );
      }
      const L = localLayout(mod, fn.codeIndex);
      lastRec = rec;
      lastB = b;
      return {
        func: index.get(fn)!,
        pos: rec.pos,
        locals: L.types.map((t, i) => value(t, readRaw(m.I32, m.refs, b + 2 * L.slots[i], t), where)),
        stack: rec.types.map((t, h) => value(t, readRaw(m.I32, m.refs, b + 2 * rec.slots[h], t), where)),
      };
    });
    let pending: StateCall['pending'] = null;
    if (view.waiting) {
      const pf = st.pendingFn!;
      const base = lastB + (lastRec as SiteRecord | null)!.arg;
      let s = 0;
      const args = pf.irType.params.map((t) => {
        const v = value(t, readRaw(m.I32, m.refs, base + 2 * s, t), `call ${c}'s pending host call`);
        s += t === V128 ? 2 : 1;
        return v;
      });
      pending = { func: index.get(pf)!, args };
    }
    return { func: index.get(ex.fn)!, waiting: view.waiting, fuelUsed: ex.fuelUsed, frames, pending };
  });
  const state: WasmState = {
    globals,
    tables,
    droppedData: ctx.datas.map((d) => d === null),
    droppedElems: ctx.elems.map((e) => e === null),
    calls: out,
  };
  return encodeWasmState(mod, sitesOf(ctx, nImported), state);
}

/** Restores a state in either encoding: the engine-neutral one (version 3, any engine) or this engine's version 2. */
export function applyAnyState(
  ir: ModuleIR,
  ctx: InstanceCtx,
  state: Uint8Array,
  callExports: readonly { export: string; waiting: boolean }[],
  exportIndex: (name: string) => number | undefined,
): Execution[] {
  const f = stateFormatOf(state);
  if (f !== null && f.magic === WASM_STATE_FORMAT.magic)
    return applyNeutralState(ir, ctx, state, callExports, exportIndex);
  return applyState(ir, ctx, state, callExports, exportIndex);
}

/**
 * Decodes an engine-neutral state (the shared decoder checks every field against the module and this engine's
 * site map) into a freshly linked instance: globals, tables, segment state, and one resumable Execution per call
 * whose frames are laid out as the interpreter would have them at those positions (each callee's frame at its
 * caller's argument base).
 */
export function applyNeutralState(
  ir: ModuleIR,
  ctx: InstanceCtx,
  bytes: Uint8Array,
  callExports: readonly { export: string; waiting: boolean }[],
  exportIndex: (name: string) => number | undefined,
): Execution[] {
  const mod = stateModule(ir);
  const nImported = ctx.funcs.length - ir.funcs.length;
  const exportFuncs = callExports.map((c, i) => {
    const f = exportIndex(c.export);
    if (f === undefined) throw malformed(`call ${i}'s export`, 'an exported function', JSON.stringify(c.export));
    return f;
  });
  const s = decodeWasmState(mod, sitesOf(ctx, nImported), bytes, exportFuncs, ctx.maxCallDepth + 1);
  const fn = (i: number): WasmFunction | null => (i < 0 ? null : (ctx.funcs[i] as WasmFunction));
  const raw = (t: number, v: StateValue): RawValue =>
    t === FUNCREF || t === EXTERNREF ? fn(v as number) : (v as RawValue);
  ctx.globals.forEach((g, i) => {
    if (g.valueType !== mod.globalTypes[i])
      throw malformed(`global ${i}'s type`, String(mod.globalTypes[i]), g.valueType);
    setGlobalValue(g, raw(g.valueType, s.globals[i]));
  });
  let totalElements = 0;
  s.tables.forEach((els, t) => {
    const table = ctx.tables[t];
    if (table.maximum !== undefined && els.length > table.maximum)
      throw malformed(`table ${t}'s size`, `at most ${table.maximum} elements`, els.length);
    table.elements = els.map((e) => fn(e));
    totalElements += els.length;
  });
  const budget = ctx.tableBudget;
  if (totalElements > budget.limit) {
    throw new FaygerError({
      code: 'WASM_LINK_ERROR',
      phase: 'instantiate',
      what: 'restoring the tables of a snapshot',
      expected: `at most ${budget.limit} table elements in all (the instance limit)`,
      found: `${totalElements}`,
      hint: 'Raise maxTableElements (the tableElements quota) to what the snapshotted instance used.',
      details: { limit: 'tableElements', requested: totalElements, max: budget.limit },
    });
  }
  budget.used = totalElements;
  s.droppedData.forEach((d, i) => {
    if (d) ctx.datas[i] = null;
    else if (ctx.datas[i] === null) throw malformed(`data segment ${i}'s flag`, '1 (an active segment)', 0);
  });
  s.droppedElems.forEach((d, i) => {
    if (d) ctx.elems[i] = null;
  });
  const out: Execution[] = [];
  const states: LoopState[] = [];
  try {
    s.calls.forEach((call, c) => {
      const at = `call ${c}`;
      if (call.waiting !== callExports[c].waiting)
        throw malformed(`${at}'s status`, callExports[c].waiting ? 'waiting' : 'suspended', String(call.waiting));
      const depth = call.frames.length - 1;
      if (depth > ctx.maxCallDepth)
        throw malformed(`${at}'s depth`, `at most ${ctx.maxCallDepth} (maxCallDepth here)`, depth);
      // Lay the frames out: the export at base 0, each callee at its caller's argument base.
      const laid: { f: WasmFunction; rec: SiteRecord; b: number; L: LocalLayout }[] = [];
      let b = 0;
      let used = 0;
      for (const fr of call.frames) {
        const f = ctx.funcs[fr.func] as WasmFunction;
        prepareFunction(f);
        const rec = ctx.compiled.sites(f.codeIndex).byPos.get(fr.pos)!;
        laid.push({ f, rec, b, L: localLayout(mod, f.codeIndex) });
        used = Math.max(used, frameTop(f, b));
        b += rec.arg;
      }
      const top = laid[depth];
      const pendingFn = call.pending === null ? null : (ctx.funcs[call.pending.func] as WasmFunction);
      const pendingBase = top.b + top.rec.arg;
      if (pendingFn !== null) used = Math.max(used, pendingTop(pendingFn, pendingBase));
      const machine = acquireMachine();
      if (used > MAX_SLOTS || !machine.reach(used)) {
        releaseMachine(machine);
        throw malformed(`${at}'s value stack`, `at most ${MAX_SLOTS} slots`, used);
      }
      const entryFn = laid[0].f;
      const st = acquireState(machine, entryFn, ctx.maxCallDepth, ctx.fuel);
      states.push(st);
      machine.I32.fill(0, 0, 2 * used);
      machine.refs.fill(null, 0, used);
      const w = (s2: number, t: number, v: StateValue) => writeRaw(machine.I32, machine.refs, s2, t, raw(t, v));
      call.frames.forEach((fr, d) => {
        const { rec, b: fb, L } = laid[d];
        // Operands first: one a `local.get` left in its local's slot must equal that local, written next.
        rec.types.forEach((t, h) => w(fb + 2 * rec.slots[h], t, fr.stack[h]));
        L.types.forEach((t, i) => w(fb + 2 * L.slots[i], t, fr.locals[i]));
        rec.types.forEach((t, h) => {
          const slot = rec.slots[h];
          const li = L.slots.indexOf(slot);
          if (li >= 0 && !sameValue(t, fr.stack[h], fr.locals[li]))
            throw malformed(
              `${at} frame ${d}'s operand ${h}`,
              `the value of local ${li} (the operand is that local)`,
              'another value',
            );
        });
      });
      if (call.pending !== null) {
        let s2 = pendingBase;
        pendingFn!.irType.params.forEach((t, i) => {
          w(s2, t, call.pending!.args[i]);
          s2 += t === V128 ? 4 : 2;
        });
      }
      for (let d = 0; d < depth; d++) {
        machine.fpc[d] = laid[d].f.entry + laid[d].rec.offset;
        machine.fb[d] = laid[d].b;
        machine.ffn[d] = laid[d].f;
      }
      st.fn = top.f;
      st.pc = top.f.entry + top.rec.offset;
      st.b = top.b;
      st.depth = depth;
      st.maxDepthReached = depth;
      st.pendingFn = pendingFn;
      st.pendingBase = pendingFn === null ? 0 : pendingBase;
      out.push(Execution.restored(entryFn, ctx.fuel, ctx.maxCallDepth, st, call.fuelUsed, pendingFn !== null));
    });
  } catch (e) {
    for (const st of states) {
      releaseMachine(st.machine);
      releaseState(st);
    }
    throw e;
  }
  return out;
}

function sameValue(t: number, a: StateValue, b: StateValue): boolean {
  if (t === V128) {
    const x = a as Uint8Array;
    const y = b as Uint8Array;
    return x.every((v, i) => v === y[i]);
  }
  return a === b;
}

/** The defined functions' compiled forms, compiled on demand (restore validates pcs against them). */
function isPoint(points: Int32Array, off: number): boolean {
  let lo = 0;
  let hi = points.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const v = points[mid];
    if (v === off) return true;
    if (v < off) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}

interface Frame {
  fn: WasmFunction;
  pc: number;
  b: number;
}

/**
 * Decodes `state` into a freshly linked instance `ctx` (start function not run): overwrites globals, tables,
 * segment state, and builds one resumable Execution per call. Every field is checked against the module
 * before anything is used; a bad one throws SNAPSHOT_MALFORMED.
 */
export function applyState(
  ir: ModuleIR,
  ctx: InstanceCtx,
  state: Uint8Array,
  callExports: readonly { export: string; waiting: boolean }[],
  exportIndex: (name: string) => number | undefined,
): Execution[] {
  const r = new Reader(state);
  const magic = r.u32('the magic number');
  if (magic !== MAGIC) throw malformed('the header', 'magic "FGIS"', `0x${magic.toString(16)}`);
  const version = r.u16('the state version');
  if (version !== STATE_VERSION)
    throw snapshotError(
      'SNAPSHOT_ENGINE_MISMATCH',
      'restoring the interpreter state',
      `state version ${STATE_VERSION}`,
      `version ${version}`,
    );
  const nImported = ctx.funcs.length - ir.funcs.length;
  const shape = [
    ['functions', ctx.funcs.length],
    ['imported functions', nImported],
    ['globals', ctx.globals.length],
    ['tables', ctx.tables.length],
    ['memories', ctx.memory ? 1 : 0],
    ['data segments', ctx.datas.length],
    ['element segments', ctx.elems.length],
  ] as const;
  for (const [name, n] of shape) {
    const v = r.u32(`the number of ${name}`);
    if (v !== n) throw malformed(`the number of ${name} (the state is of other code)`, String(n), v);
  }
  const nFuncs = ctx.funcs.length;
  const ref = (what: string): WasmFunction | null => {
    const i = r.i32(what);
    if (i === -1) return null;
    if (i < 0 || i >= nFuncs) throw malformed(what, `-1 or a function index below ${nFuncs}`, i);
    return ctx.funcs[i];
  };
  for (let i = 0; i < ctx.globals.length; i++) {
    const g = ctx.globals[i];
    const t = r.u8(`global ${i}'s type`);
    if (t !== g.valueType)
      throw malformed(`global ${i}'s type`, `0x${g.valueType.toString(16)}`, `0x${t.toString(16)}`);
    switch (t) {
      case I32:
      case F32:
        g.lo = r.i32(`global ${i}`);
        break;
      case I64:
      case F64:
        g.lo = r.i32(`global ${i}`);
        g.hi = r.i32(`global ${i}`);
        break;
      case V128:
        g.lo = r.i32(`global ${i}`);
        g.hi = r.i32(`global ${i}`);
        g.w2 = r.i32(`global ${i}`);
        g.w3 = r.i32(`global ${i}`);
        break;
      case EXTERNREF: {
        const v = ref(`global ${i}`);
        if (v !== null) throw malformed(`global ${i} (an externref)`, 'null', 'a function');
        g.ref = null;
        break;
      }
      default:
        g.ref = ref(`global ${i}`);
    }
  }
  let totalElements = 0;
  for (let t = 0; t < ctx.tables.length; t++) {
    const table = ctx.tables[t];
    const et = r.u8(`table ${t}'s element type`);
    if (et !== table.elemType) throw malformed(`table ${t}'s element type`, String(table.elemType), et);
    const size = r.count(`table ${t}'s size`, 4);
    const min = ir.tables[t]?.min ?? 0;
    if (size < min || size > (table.maximum ?? 0xffffffff) || size > 10_000_000)
      throw malformed(`table ${t}'s size`, `${min}..${table.maximum ?? 10_000_000} elements`, size);
    const els = new Array<unknown>(size);
    for (let k = 0; k < size; k++) {
      const v = ref(`table ${t} element ${k}`);
      if (v !== null && et === EXTERNREF) throw malformed(`table ${t} element ${k}`, 'null (externref)', 'a function');
      els[k] = v;
    }
    table.elements = els;
    totalElements += size;
  }
  const budget = ctx.tableBudget;
  if (totalElements > budget.limit) {
    throw new FaygerError({
      code: 'WASM_LINK_ERROR',
      phase: 'instantiate',
      what: 'restoring the tables of a snapshot',
      expected: `at most ${budget.limit} table elements in all (the instance limit)`,
      found: `${totalElements}`,
      hint: 'Raise maxTableElements (the tableElements quota) to what the snapshotted instance used.',
      details: { limit: 'tableElements', requested: totalElements, max: budget.limit },
    });
  }
  budget.used = totalElements;
  for (let i = 0; i < ctx.datas.length; i++) {
    const f = r.u8(`data segment ${i}'s flag`);
    if (f > 1) throw malformed(`data segment ${i}'s flag`, '0 or 1', f);
    if (f === 1) ctx.datas[i] = null;
    else if (ctx.datas[i] === null) throw malformed(`data segment ${i}'s flag`, '1 (an active segment)', 0);
  }
  for (let i = 0; i < ctx.elems.length; i++) {
    const f = r.u8(`element segment ${i}'s flag`);
    if (f > 1) throw malformed(`element segment ${i}'s flag`, '0 or 1', f);
    if (f === 1) ctx.elems[i] = null;
  }

  const code = (): Int32Array => ctx.compiled.code;
  const defined = (i: number, what: string): WasmFunction => {
    if (i < nImported || i >= nFuncs)
      throw malformed(what, `a defined function index in ${nImported}..${nFuncs - 1}`, i);
    const f = ctx.funcs[i];
    prepareFunction(f);
    return f;
  };
  const points = (f: WasmFunction) => ctx.compiled.func(f.codeIndex);

  const nCalls = r.count('the number of calls', 30);
  if (nCalls !== callExports.length)
    throw malformed('the number of calls', `${callExports.length} (as the snapshot lists)`, nCalls);
  const out: Execution[] = [];
  const states: LoopState[] = [];
  try {
    for (let c = 0; c < nCalls; c++) {
      const at = `call ${c}`;
      const exportFn = r.u32(`${at}'s export function`);
      const named = exportIndex(callExports[c].export);
      if (named === undefined || named !== exportFn)
        throw malformed(
          `${at}'s export`,
          `function ${named ?? '?'} (export ${JSON.stringify(callExports[c].export)})`,
          exportFn,
        );
      const entryFn = defined(exportFn, `${at}'s export function`);
      const status = r.u8(`${at}'s status`);
      if (status > 1) throw malformed(`${at}'s status`, '0 (suspended) or 1 (waiting)', status);
      if ((status === 1) !== callExports[c].waiting)
        throw malformed(`${at}'s status`, callExports[c].waiting ? 'waiting' : 'suspended', status);
      const fuelUsed = r.f64(`${at}'s fuel used`);
      if (!(Number.isSafeInteger(fuelUsed) && fuelUsed >= 0))
        throw malformed(`${at}'s fuel used`, 'a non-negative integer', fuelUsed);
      const maxReached = r.u32(`${at}'s deepest depth`);
      const depth = r.count(`${at}'s depth`, 12);
      if (depth > ctx.maxCallDepth)
        throw malformed(`${at}'s depth`, `at most ${ctx.maxCallDepth} (maxCallDepth here)`, depth);
      const frames: Frame[] = [];
      for (let d = 0; d <= depth; d++) {
        const fn = defined(r.u32(`${at} frame ${d}'s function`), `${at} frame ${d}'s function`);
        const off = r.u32(`${at} frame ${d}'s pc`);
        const b = r.u32(`${at} frame ${d}'s base`);
        frames.push({ fn, pc: fn.entry + off, b });
      }
      let pending: WasmFunction | null = null;
      let pendingBase = 0;
      if (status === 1) {
        const pi = r.u32(`${at}'s pending import`);
        if (pi >= nImported) throw malformed(`${at}'s pending import`, `an imported function below ${nImported}`, pi);
        pending = ctx.funcs[pi];
        pendingBase = r.u32(`${at}'s pending argument base`);
      }
      // Frame chain: the export at base 0, every caller stopped right after a call to the next frame's function
      // whose arguments start at the next frame's base; the top at a FUEL op (or after the pending host call).
      if (frames[0].fn !== entryFn) throw malformed(`${at} frame 0`, `the export function ${exportFn}`, 'another');
      if (frames[0].b !== 0) throw malformed(`${at} frame 0's base`, '0', frames[0].b);
      let used = 0;
      for (let d = 0; d <= depth; d++) {
        const fr = frames[d];
        const cf = points(fr.fn);
        const off = fr.pc - fr.fn.entry;
        used = Math.max(used, frameTop(fr.fn, fr.b));
        const top = d === depth;
        if (top && status === 0) {
          if (!isPoint(cf.fuelPoints, off)) throw malformed(`${at} frame ${d}'s pc`, 'a fuel point', off);
          continue;
        }
        if (!isPoint(cf.returnPoints, off)) throw malformed(`${at} frame ${d}'s pc`, 'a return point', off);
        const k = code();
        const direct = k[fr.pc - 3] === X.CALL;
        const arg = k[fr.pc - 1];
        const callee = top ? pending! : frames[d + 1].fn;
        const nextBase = top ? pendingBase : frames[d + 1].b;
        const ok = direct ? ctx.funcs[k[fr.pc - 2]] === callee : callee.sig === k[fr.pc - 4];
        if (!ok) throw malformed(`${at} frame ${d}`, 'a call of the next frame', 'a call of another function');
        if (nextBase !== fr.b + arg) throw malformed(`${at} frame ${d + 1}'s base`, String(fr.b + arg), nextBase);
      }
      if (pending !== null) used = Math.max(used, pendingTop(pending, pendingBase));
      const nSlots = r.u32(`${at}'s slot count`);
      if (nSlots !== used || used > MAX_SLOTS) throw malformed(`${at}'s slot count`, String(used), nSlots);
      if (r.left < 8 * used) throw malformed(`${at}'s value stack`, `${8 * used} bytes`, `${r.left} left`);
      const machine = acquireMachine();
      if (!machine.reach(used)) {
        releaseMachine(machine);
        throw malformed(`${at}'s slot count`, `at most ${MAX_SLOTS}`, used);
      }
      const st = acquireState(machine, entryFn, ctx.maxCallDepth, ctx.fuel);
      states.push(st);
      r.i32s(machine.I32, 2 * used, `${at}'s value stack`);
      const nRefs = r.count(`${at}'s reference count`, 8);
      let last = -1;
      for (let i = 0; i < nRefs; i++) {
        const s = r.u32(`${at}'s reference slot`);
        if (s <= last || s >= used) throw malformed(`${at}'s reference slot`, `ascending, below ${used}`, s);
        last = s;
        machine.refs[s] = ref(`${at}'s reference`);
      }
      for (let d = 0; d < depth; d++) {
        machine.fpc[d] = frames[d].pc;
        machine.fb[d] = frames[d].b;
        machine.ffn[d] = frames[d].fn;
      }
      const topFrame = frames[depth];
      st.fn = topFrame.fn;
      st.pc = topFrame.pc;
      st.b = topFrame.b;
      st.depth = depth;
      st.maxDepthReached = Math.max(maxReached, depth);
      st.pendingFn = pending;
      st.pendingBase = pendingBase;
      out.push(Execution.restored(entryFn, ctx.fuel, ctx.maxCallDepth, st, fuelUsed, pending !== null));
    }
    if (r.left !== 0) throw malformed('the end of the state', 'no more bytes', `${r.left} bytes`);
  } catch (e) {
    for (const st of states) {
      releaseMachine(st.machine);
      releaseState(st);
    }
    throw e;
  }
  return out;
}

/** Checks a snapshot memory against the module and the page limit, and installs it. */
export function applyMemory(ctx: InstanceCtx, ir: ModuleIR, mems: readonly { pages: number; bytes: Uint8Array }[]) {
  const want = ctx.memory ? 1 : 0;
  if (mems.length !== want) throw malformed('the memories', `${want} memory`, mems.length);
  const mem = ctx.memory;
  if (mem === null) return;
  const { pages, bytes } = mems[0];
  const min = ir.memories[0]?.min ?? 0;
  const max = Math.min(mem.maximum ?? 65536, 65536);
  if (!Number.isInteger(pages) || pages < min || pages > max)
    throw malformed("the memory's size", `${min}..${max} pages`, pages);
  if (!(bytes instanceof Uint8Array) || bytes.length !== pages * PAGE)
    throw malformed("the memory's bytes", `${pages * PAGE} bytes`, bytes?.length ?? 'none');
  if (pages > mem.limit) {
    throw new FaygerError({
      code: 'WASM_LINK_ERROR',
      phase: 'instantiate',
      what: 'restoring the linear memory of a snapshot',
      expected: `at most ${mem.limit} pages (the page quota)`,
      found: `${pages} pages`,
      hint: 'Raise maxMemoryPages to what the snapshotted instance used.',
      details: { limit: 'memoryPages', requested: pages, max: mem.limit },
    });
  }
  const buffer = new ArrayBuffer(pages * PAGE);
  const u8 = new Uint8Array(buffer);
  u8.set(bytes);
  mem.buffer = buffer;
  mem.u8 = u8;
  mem.dv = new DataView(buffer);
  mem.i32 = null;
  mem.i32u8 = null;
}
