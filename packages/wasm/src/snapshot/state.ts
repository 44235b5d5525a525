import { ENGINE_NEUTRAL_STATE_VERSION } from '@fayger/contracts';
import { EXTERNREF, F32, F64, FUNCREF, I32, I64, V128 } from '../decode/module-ir.js';
import type { FuncTypeIR, ModuleIR } from '../decode/module-ir.js';
import { sigId } from '../execute/objects.js';
import { snapshotError } from '../execute/snapshot-error.js';

/**
 * The engine-neutral state of a stopped instance (docs/spec/snapshot-v1.md, "Engine state"): everything a
 * snapshot holds besides the memories, in terms of the wasm code only, so that a state written by one execution
 * strategy resumes on another. Frames are named by *wasm positions*: 0 = the function's entry, k + 1 = the body's
 * k-th instruction (counted from 0 in the decoded body); a frame stands at a fuel point (entry, or a `loop`
 * header: the loop instruction's position) or at a `call` / `call_indirect` (waiting in its callee, or on a
 * host import). Values are typed wasm values as bit patterns, little-endian; their types are not written: they
 * follow from the module (a function's locals, the validation stack at a position below a call's operands).
 *
 *   u32 magic "FGWS"  u16 version (3)
 *   shape: u32 funcs (imports included), importedFuncs, globals, tables, memories, datas, elems
 *   globals: per global its value (i32/f32 4 bytes, i64/f64 8, v128 16, funcref/externref i32 ref)
 *   tables:  per table u32 size, size x i32 ref
 *   u8 per data segment, u8 per element segment: 1 = dropped
 *   u32 calls; per call:
 *     u32 export function index, u8 status (0 suspended at a fuel point, 1 waiting on a host import)
 *     f64 fuel used by the call, u32 frames
 *     frames, bottom (the export) first: u32 function index, u32 position, its locals (params first),
 *       u32 n, n operand values (the stack at the position, below a call's arguments and table index)
 *     status 1: u32 host import function index, its arguments
 *
 * A ref is -1 (null) or a function index of the instance; an externref can only be null. The top frame of a
 * suspended call is at a fuel point; every other frame at a call whose callee is the next frame's function (a
 * call_indirect: of the same signature); a waiting call's top frame at a call of the pending import.
 *
 * The same layout with magic "FGTS" and version 1 is the transpiler's own state before this encoding (still
 * read by the transpiler, see {@link TRANSPILER_V1_FORMAT}).
 */
export const WASM_STATE_VERSION = ENGINE_NEUTRAL_STATE_VERSION;

/** A state encoding: its magic, version and who writes it (for messages). */
export interface StateFormat {
  readonly magic: number;
  readonly magicName: string;
  readonly version: number;
}

export const WASM_STATE_FORMAT: StateFormat = { magic: 0x53574746, magicName: 'FGWS', version: WASM_STATE_VERSION };
/** The transpiler's state version 1 ("FGTS"): the same layout; readable by the transpiler only. */
export const TRANSPILER_V1_FORMAT: StateFormat = { magic: 0x53544746, magicName: 'FGTS', version: 1 };

/** A wasm value in a state: i32/f32 bits as a number (u32), i64/f64 bits as a bigint (u64), v128 16 bytes, a ref as a function index (-1 null). */
export type StateValue = number | bigint | Uint8Array;

export interface StateFrame {
  readonly func: number;
  readonly pos: number;
  readonly locals: readonly StateValue[];
  readonly stack: readonly StateValue[];
}

export interface StateCall {
  readonly func: number;
  readonly waiting: boolean;
  readonly fuelUsed: number;
  /** Bottom (the export's function) first. */
  readonly frames: readonly StateFrame[];
  /** The host import a waiting call waits on, with its arguments. */
  readonly pending: { readonly func: number; readonly args: readonly StateValue[] } | null;
}

export interface WasmState {
  readonly globals: readonly StateValue[];
  readonly tables: readonly (readonly number[])[];
  readonly droppedData: readonly boolean[];
  readonly droppedElems: readonly boolean[];
  readonly calls: readonly StateCall[];
}

/** Where a frame of a function may stand: a fuel point (kind 0) or a call (2) / call_indirect (3). */
export interface StateSite {
  readonly kind: 0 | 2 | 3;
  /** The callee of a call, else -1. */
  readonly callee: number;
  /** The type index of a call_indirect, else -1. */
  readonly typeIndex: number;
  /** Types of the operand stack at the position, below a call's operands. */
  readonly stack: readonly number[];
}

/** What an engine knows of a defined function's positions (both engines compute the same from the code). */
export interface StateSites {
  site(func: number, pos: number): StateSite | undefined;
}

/** The module facts a state is checked against, from the IR alone. */
export interface StateModule {
  readonly ir: ModuleIR;
  readonly nImportedFuncs: number;
  readonly funcTypes: readonly FuncTypeIR[];
  readonly globalTypes: readonly number[];
  readonly tables: readonly { readonly elem: number; readonly min: number; readonly max: number | undefined }[];
  readonly nMemories: number;
  /** Locals of each defined function (params first), by function index − nImportedFuncs. */
  readonly locals: (codeIndex: number) => readonly number[];
}

const moduleCache = new WeakMap<ModuleIR, StateModule>();

/** The state-relevant facts of a module (cached per IR). */
export function stateModule(ir: ModuleIR): StateModule {
  let s = moduleCache.get(ir);
  if (s !== undefined) return s;
  const funcTypes: FuncTypeIR[] = [];
  const globalTypes: number[] = [];
  const tables: { elem: number; min: number; max: number | undefined }[] = [];
  let nMemories = 0;
  for (const imp of ir.imports) {
    if (imp.kind === 0) funcTypes.push(ir.types[imp.type]);
    else if (imp.kind === 1) tables.push({ elem: imp.table.elem, min: imp.table.min, max: imp.table.max });
    else if (imp.kind === 2) nMemories++;
    else globalTypes.push(imp.global.type);
  }
  const nImportedFuncs = funcTypes.length;
  for (const t of ir.funcs) funcTypes.push(ir.types[t]);
  for (const g of ir.globals) globalTypes.push(g.type.type);
  for (const t of ir.tables) tables.push({ elem: t.elem, min: t.min, max: t.max });
  nMemories += ir.memories.length;
  const localCache: (readonly number[] | undefined)[] = [];
  s = {
    ir,
    nImportedFuncs,
    funcTypes,
    globalTypes,
    tables,
    nMemories,
    locals: (i) => {
      let l = localCache[i];
      if (l === undefined) {
        l = [...funcTypes[nImportedFuncs + i].params, ...ir.codes[i].locals];
        localCache[i] = l;
      }
      return l;
    },
  };
  moduleCache.set(ir, s);
  return s;
}

function malformed(what: string, expected: string, found: string | number): never {
  throw snapshotError('SNAPSHOT_MALFORMED', `restoring the engine state: ${what}`, expected, String(found));
}

class Writer {
  private buf = new Uint8Array(1024);
  private dv = new DataView(this.buf.buffer);
  at = 0;
  private room(n: number): void {
    if (this.at + n <= this.buf.length) return;
    const next = new Uint8Array(Math.max(this.buf.length * 2, this.at + n));
    next.set(this.buf);
    this.buf = next;
    this.dv = new DataView(next.buffer);
  }
  u8(x: number): void {
    this.room(1);
    this.buf[this.at++] = x;
  }
  u16(x: number): void {
    this.room(2);
    this.dv.setUint16(this.at, x, true);
    this.at += 2;
  }
  u32(x: number): void {
    this.room(4);
    this.dv.setUint32(this.at, x >>> 0, true);
    this.at += 4;
  }
  f64(x: number): void {
    this.room(8);
    this.dv.setFloat64(this.at, x, true);
    this.at += 8;
  }
  u64(x: bigint): void {
    this.room(8);
    this.dv.setBigUint64(this.at, BigInt.asUintN(64, x), true);
    this.at += 8;
  }
  bytes(b: Uint8Array): void {
    this.room(b.length);
    this.buf.set(b, this.at);
    this.at += b.length;
  }
  done(): Uint8Array {
    return this.buf.slice(0, this.at);
  }
}

class Reader {
  private readonly dv: DataView;
  at = 0;
  constructor(private readonly buf: Uint8Array) {
    this.dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  }
  private need(n: number): void {
    if (this.at + n > this.buf.length) malformed('reading the state', `${n} more bytes`, 'the end of the state');
  }
  u8(): number {
    this.need(1);
    return this.buf[this.at++];
  }
  u16(): number {
    this.need(2);
    const x = this.dv.getUint16(this.at, true);
    this.at += 2;
    return x;
  }
  u32(): number {
    this.need(4);
    const x = this.dv.getUint32(this.at, true);
    this.at += 4;
    return x;
  }
  i32(): number {
    return this.u32() | 0;
  }
  f64(): number {
    this.need(8);
    const x = this.dv.getFloat64(this.at, true);
    this.at += 8;
    return x;
  }
  u64(): bigint {
    this.need(8);
    const x = this.dv.getBigUint64(this.at, true);
    this.at += 8;
    return x;
  }
  bytes(n: number): Uint8Array {
    this.need(n);
    const b = this.buf.slice(this.at, this.at + n);
    this.at += n;
    return b;
  }
  get left(): number {
    return this.buf.length - this.at;
  }
}

function writeValue(w: Writer, t: number, x: StateValue): void {
  switch (t) {
    case I32:
    case F32:
      w.u32(x as number);
      return;
    case I64:
    case F64:
      w.u64(x as bigint);
      return;
    case V128:
      w.bytes(x as Uint8Array);
      return;
    default:
      w.u32(x as number);
  }
}

function readValue(r: Reader, t: number, nFuncs: number): StateValue {
  switch (t) {
    case I32:
    case F32:
      return r.u32();
    case I64:
    case F64:
      return r.u64();
    case V128:
      return r.bytes(16);
    default: {
      const x = r.i32();
      if (x < -1 || x >= nFuncs || (t === EXTERNREF && x !== -1)) {
        malformed('a reference', t === EXTERNREF ? 'a null externref (-1)' : `-1 or a function index < ${nFuncs}`, x);
      }
      return x;
    }
  }
}

/** The site of a frame the engine wrote (an internal error if the engine named a position it does not know). */
function siteOf(sites: StateSites, func: number, pos: number): StateSite {
  const s = sites.site(func, pos);
  if (s === undefined) {
    throw snapshotError(
      'SNAPSHOT_UNSUPPORTED',
      'encoding the engine state',
      'frames at fuel points and calls of their functions',
      `function ${func} at position ${pos}`,
    );
  }
  return s;
}

/**
 * Encodes a state the engine captured (its values already as {@link StateValue}s, refs as function indices).
 * Counts and types come from the module and the sites, so the layout is the same whichever engine writes it.
 */
export function encodeWasmState(
  mod: StateModule,
  sites: StateSites,
  s: WasmState,
  format: StateFormat = WASM_STATE_FORMAT,
): Uint8Array {
  const ir = mod.ir;
  const w = new Writer();
  w.u32(format.magic);
  w.u16(format.version);
  for (const n of [
    mod.funcTypes.length,
    mod.nImportedFuncs,
    mod.globalTypes.length,
    mod.tables.length,
    mod.nMemories,
    ir.datas.length,
    ir.elems.length,
  ])
    w.u32(n);
  mod.globalTypes.forEach((t, g) => writeValue(w, t, s.globals[g]));
  for (const t of s.tables) {
    w.u32(t.length);
    for (const e of t) w.u32(e);
  }
  for (const d of s.droppedData) w.u8(d ? 1 : 0);
  for (const e of s.droppedElems) w.u8(e ? 1 : 0);
  w.u32(s.calls.length);
  for (const c of s.calls) {
    w.u32(c.func);
    w.u8(c.waiting ? 1 : 0);
    w.f64(c.fuelUsed);
    w.u32(c.frames.length);
    for (const f of c.frames) {
      const site = siteOf(sites, f.func, f.pos);
      w.u32(f.func);
      w.u32(f.pos);
      mod.locals(f.func - mod.nImportedFuncs).forEach((t, i) => writeValue(w, t, f.locals[i]));
      w.u32(site.stack.length);
      site.stack.forEach((t, i) => writeValue(w, t, f.stack[i]));
    }
    if (c.waiting) {
      const p = c.pending!;
      w.u32(p.func);
      mod.funcTypes[p.func].params.forEach((t, i) => writeValue(w, t, p.args[i]));
    }
  }
  return w.done();
}

/** Reads the magic and version of a state: which encoding it is (null: neither known magic). */
export function stateFormatOf(bytes: Uint8Array): { magic: number; version: number } | null {
  if (!(bytes instanceof Uint8Array) || bytes.length < 6) return null;
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return { magic: dv.getUint32(0, true), version: dv.getUint16(4, true) };
}

/**
 * Decodes and validates a state against the module: shape, value ranges, positions against the engine's sites
 * (which the engine computes from the code alone), the call relation between frames, the pending call, no
 * trailing bytes. SNAPSHOT_ENGINE_MISMATCH for another version of the format, SNAPSHOT_MALFORMED otherwise.
 */
export function decodeWasmState(
  mod: StateModule,
  sites: StateSites,
  bytes: Uint8Array,
  exportFuncs: readonly number[],
  maxCallDepth: number,
  format: StateFormat = WASM_STATE_FORMAT,
): WasmState {
  const r = new Reader(bytes);
  const ir = mod.ir;
  if (r.u32() !== format.magic) malformed('its header', `the magic "${format.magicName}"`, 'other bytes');
  const version = r.u16();
  if (version !== format.version) {
    throw snapshotError(
      'SNAPSHOT_ENGINE_MISMATCH',
      'restoring a snapshot',
      `state version ${format.version} ("${format.magicName}")`,
      `version ${version}`,
      { stateVersion: version },
    );
  }
  const nFuncs = mod.funcTypes.length;
  const nImp = mod.nImportedFuncs;
  const nTables = mod.tables.length;
  const shape = [nFuncs, nImp, mod.globalTypes.length, nTables, mod.nMemories, ir.datas.length, ir.elems.length];
  const got = shape.map(() => r.u32());
  if (got.some((x, i) => x !== shape[i])) {
    malformed('the module shape', `the counts ${shape.join('/')} of this code`, got.join('/'));
  }
  const globals = mod.globalTypes.map((t) => readValue(r, t, nFuncs));
  const tables: number[][] = [];
  for (let k = 0; k < nTables; k++) {
    const size = r.u32();
    const def = mod.tables[k];
    const max = Math.min(def.max ?? 10_000_000, 10_000_000);
    if (size < def.min || size > max || size > r.left / 4) {
      malformed(`table ${k}'s size`, `${def.min}..${max} elements`, size);
    }
    const els: number[] = [];
    for (let i = 0; i < size; i++) els.push(readValue(r, def.elem, nFuncs) as number);
    tables.push(els);
  }
  const flag = (what: string) => {
    const x = r.u8();
    if (x > 1) malformed(what, '0 or 1', x);
    return x === 1;
  };
  const droppedData = ir.datas.map(() => flag('a data segment flag'));
  const droppedElems = ir.elems.map(() => flag('an element segment flag'));
  const nCalls = r.u32();
  if (nCalls !== exportFuncs.length) malformed('the calls', `${exportFuncs.length} (the snapshot's list)`, nCalls);
  const calls: StateCall[] = [];
  for (let c = 0; c < nCalls; c++) {
    const func = r.u32();
    if (func !== exportFuncs[c]) malformed(`call ${c}`, `export function ${exportFuncs[c]}`, func);
    const status = r.u8();
    if (status > 1) malformed(`call ${c}'s status`, '0 (suspended) or 1 (waiting)', status);
    const fuelUsed = r.f64();
    if (!(Number.isSafeInteger(fuelUsed) && fuelUsed >= 0)) malformed(`call ${c}'s fuel`, 'a count', fuelUsed);
    const n = r.u32();
    if (n < 1 || n > maxCallDepth) malformed(`call ${c}'s frames`, `1..${maxCallDepth} (the call depth limit)`, n);
    const fs: StateFrame[] = [];
    let prev: StateSite | null = null;
    for (let k = 0; k < n; k++) {
      const f = r.u32();
      if (f < nImp || f >= nFuncs) malformed(`call ${c} frame ${k}`, 'a function defined by the module', f);
      if (k === 0 && f !== func) malformed(`call ${c}'s bottom frame`, `the export's function ${func}`, f);
      if (prev !== null) {
        const ok =
          prev.kind === 3
            ? sigId(mod.funcTypes[f]) === sigId(ir.types[prev.typeIndex])
            : prev.kind === 2 && prev.callee === f;
        if (!ok) malformed(`call ${c} frame ${k}`, 'the callee of the call its caller stopped at', f);
      }
      const pos = r.u32();
      const site = sites.site(f, pos);
      if (site === undefined) malformed(`call ${c} frame ${k}'s position`, `a suspension site of function ${f}`, pos);
      const locals = mod.locals(f - nImp).map((t) => readValue(r, t, nFuncs));
      const ns = r.u32();
      if (ns !== site.stack.length) malformed(`call ${c} frame ${k}'s operands`, `${site.stack.length}`, ns);
      const stack = site.stack.map((t) => readValue(r, t, nFuncs));
      fs.push({ func: f, pos, locals, stack });
      prev = site;
    }
    const top = prev!;
    let pending: StateCall['pending'] = null;
    if (status === 0) {
      if (top.kind !== 0) malformed(`call ${c}'s top frame`, 'a fuel point (suspended call)', `a call site`);
    } else {
      const p = r.u32();
      const ok =
        p < nImp &&
        (top.kind === 2
          ? top.callee === p
          : top.kind === 3 && sigId(mod.funcTypes[p]) === sigId(ir.types[top.typeIndex]));
      if (!ok) malformed(`call ${c}'s pending host call`, 'the import its top frame calls', p);
      pending = { func: p, args: mod.funcTypes[p].params.map((t) => readValue(r, t, nFuncs)) };
    }
    calls.push({ func, waiting: status === 1, fuelUsed, frames: fs, pending });
  }
  if (r.left !== 0) malformed('its end', 'no bytes after the last call', `${r.left} more`);
  return { globals, tables, droppedData, droppedElems, calls };
}

/** True for a reference type (its state value is a function index, -1 null). */
export function isRefType(t: number): boolean {
  return t === FUNCREF || t === EXTERNREF;
}

/**
 * Which encoding an engine snapshot's state is, for an engine with id `ownId` whose own older encoding is
 * `legacyVersion`: `neutral` (state version 3, whichever engine wrote it) or `legacy` (its own older version,
 * written by itself). Anything else is SNAPSHOT_ENGINE_MISMATCH (another engine's older encoding, or an unknown
 * version).
 */
export function stateKindOf(
  snapshot: { readonly engine: unknown; readonly stateVersion: unknown },
  ownId: string,
  legacyVersion: number,
): 'neutral' | 'legacy' {
  if (snapshot.stateVersion === WASM_STATE_VERSION) return 'neutral';
  if (snapshot.stateVersion === legacyVersion && snapshot.engine === ownId) return 'legacy';
  const other = snapshot.engine !== ownId;
  throw snapshotError(
    'SNAPSHOT_ENGINE_MISMATCH',
    'restoring a snapshot',
    `the engine-neutral state version ${WASM_STATE_VERSION} (or ${ownId}'s own version ${legacyVersion})`,
    other
      ? `version ${String(snapshot.stateVersion)} written by ${JSON.stringify(snapshot.engine)} (that engine's own encoding)`
      : `version ${String(snapshot.stateVersion)}`,
    { engine: snapshot.engine, stateVersion: snapshot.stateVersion },
  );
}
