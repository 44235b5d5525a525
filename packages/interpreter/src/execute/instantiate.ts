import { FaygerError } from '@fayger/contracts';
import { EXTERNREF, FUNCREF, I32, SEG_ACTIVE, SEG_PASSIVE } from '@fayger/wasm';
import type { ConstExprIR, ModuleIR } from '@fayger/wasm';
import type { CompiledCode } from '../compile/compile.js';
import { SIMD_BASE } from '@fayger/wasm';
import {
  WasmFunction,
  WasmGlobal,
  WasmMemory,
  WasmTable,
  sigId,
  slotCount,
  type FuelAccount,
  type InstanceCtx,
} from './objects.js';
import { memoryInit, tableInit } from './rare-ops.js';
import { Trap } from '@fayger/wasm';
import { toTrapError } from './execution.js';

export type Extern = WasmFunction | WasmTable | WasmMemory | WasmGlobal;
export type Imports = Readonly<Record<string, Readonly<Record<string, unknown>>>>;

export interface LinkOptions {
  maxMemoryPages: number;
  maxCallDepth: number;
  /** Table elements of all the instance's own tables together (Infinity: only the per-table 10M cap). */
  maxTableElements: number;
  /** Memories grow their buffer geometrically (see WasmMemory.geometric). */
  geometricMemory: boolean;
  fuel: FuelAccount;
}

function linkError(message: string, details: Record<string, unknown>): never {
  throw new FaygerError({
    code: 'WASM_LINK_ERROR',
    phase: 'instantiate',
    message: `linking the module failed: ${message}`,
    details,
  });
}

/**
 * Links imports and builds the instance: index spaces, globals, active segments. Returns the context and the
 * export map; the caller runs the start function. Segment initialisation traps (out of bounds) are thrown as
 * FaygerErrors with phase 'instantiate'; effects of earlier segments stay, as the spec requires.
 */
export function link(
  ir: ModuleIR,
  compiled: CompiledCode,
  imports: Imports,
  opts: LinkOptions,
): { ctx: InstanceCtx; exports: Map<string, Extern> } {
  const ctx: InstanceCtx = {
    compiled,
    funcs: [],
    globals: [],
    tables: [],
    memory: null,
    sigs: Int32Array.from(ir.types.map(sigId)),
    datas: [],
    elems: [],
    maxCallDepth: opts.maxCallDepth,
    fuel: opts.fuel,
    terminated: false,
    name: ir.names?.moduleName ?? '',
    tableBudget: { limit: opts.maxTableElements, used: 0, refused: 0 },
  };
  // Declared tables are checked against the element budget before anything is allocated.
  let declared = 0;
  for (const t of ir.tables) declared += t.min;
  if (declared > opts.maxTableElements) {
    throw new FaygerError({
      code: 'WASM_LINK_ERROR',
      phase: 'instantiate',
      what: `allocating ${ir.tables.length} table(s)`,
      expected: `at most ${opts.maxTableElements} table elements in all (the instance limit)`,
      found: `${declared} declared`,
      hint: 'Raise maxTableElements (the tableElements quota) or use a module with smaller tables.',
      details: { limit: 'tableElements', requested: declared, max: opts.maxTableElements },
    });
  }
  ctx.tableBudget.used = declared;
  for (const imp of ir.imports) {
    const v = (imports[imp.module] as Record<string, unknown> | undefined)?.[imp.name];
    const where = { module: imp.module, name: imp.name };
    const what = `import ${JSON.stringify(imp.module)}.${JSON.stringify(imp.name)}`;
    if (v === undefined) linkError(`unknown import: ${what} was not provided`, where);
    switch (imp.kind) {
      case 0: {
        if (!(v instanceof WasmFunction)) linkError(`incompatible import type: ${what} must be a function`, where);
        if (v.sig !== sigId(ir.types[imp.type]))
          linkError(`incompatible import type: ${what} has a different function signature`, where);
        ctx.funcs.push(v);
        break;
      }
      case 1: {
        if (!(v instanceof WasmTable)) linkError(`incompatible import type: ${what} must be a table`, where);
        if (v.elemType !== imp.table.elem)
          linkError(`incompatible import type: ${what} has a different element type`, where);
        if (!limitsMatch(v.size, v.maximum, imp.table.min, imp.table.max))
          linkError(`incompatible import type: ${what} table limits do not match`, where);
        ctx.tables.push(v);
        break;
      }
      case 2: {
        if (!(v instanceof WasmMemory)) linkError(`incompatible import type: ${what} must be a memory`, where);
        if (!limitsMatch(v.pages, v.maximum, imp.memory.min, imp.memory.max))
          linkError(`incompatible import type: ${what} memory limits do not match`, where);
        ctx.memory = v;
        break;
      }
      case 3: {
        if (!(v instanceof WasmGlobal)) linkError(`incompatible import type: ${what} must be a global`, where);
        if (v.valueType !== imp.global.type || v.mutable !== imp.global.mutable)
          linkError(`incompatible import type: ${what} has a different global type`, where);
        ctx.globals.push(v);
        break;
      }
    }
  }
  const nImported = ctx.funcs.length;
  for (let i = 0; i < ir.funcs.length; i++) {
    const f = new WasmFunction(ir.types[ir.funcs[i]]);
    const c = compiled.funcs[i];
    const type = ir.types[ir.funcs[i]];
    const locals = ir.codes[i].locals;
    f.nParams = slotCount(type.params);
    f.nLocals = f.nParams + slotCount(locals);
    f.hasRefLocals = locals.some((t) => t === FUNCREF || t === EXTERNREF);
    f.lazy = compiled;
    f.codeIndex = i;
    // Compiled on its first call unless another instance of the module already did.
    // Until then its entry is the LAZY stub at 0, and the frame is sized for the locals the call zeroes.
    f.entry = c === undefined ? 0 : c.entry;
    f.frameSize = c === undefined ? f.nLocals : c.frameSize;
    f.inst = ctx;
    f.index = nImported + i;
    ctx.funcs.push(f);
  }
  for (const t of ir.tables) {
    const table = new WasmTable(t.elem, t.min, t.max);
    if (Number.isFinite(opts.maxTableElements)) table.budget = ctx.tableBudget;
    ctx.tables.push(table);
  }
  for (const mem of ir.memories)
    ctx.memory = new WasmMemory(mem.min, mem.max, opts.maxMemoryPages, opts.geometricMemory);
  for (const g of ir.globals) {
    const cell = new WasmGlobal(g.type.type, g.type.mutable);
    evalConst(ctx, g.init, cell);
    ctx.globals.push(cell);
  }
  const exports = new Map<string, Extern>();
  for (const ex of ir.exports) {
    exports.set(
      ex.name,
      ex.kind === 0
        ? ctx.funcs[ex.index]
        : ex.kind === 1
          ? ctx.tables[ex.index]
          : ex.kind === 2
            ? ctx.memory!
            : ctx.globals[ex.index],
    );
  }
  const tmp = new WasmGlobal(FUNCREF, false);
  for (const e of ir.elems) {
    const vals = e.init.map((x) => {
      evalConst(ctx, x, tmp);
      return tmp.ref;
    });
    ctx.elems.push(e.mode === SEG_PASSIVE ? vals : []);
  }
  for (const d of ir.datas) ctx.datas.push(d.mode === SEG_PASSIVE ? d.bytes : null);
  const off = new WasmGlobal(I32, false);
  try {
    ir.elems.forEach((e, i) => {
      if (e.mode !== SEG_ACTIVE) return;
      evalConst(ctx, e.offset!, off);
      const vals = e.init.map((x) => {
        evalConst(ctx, x, tmp);
        return tmp.ref;
      });
      tableInit(ctx.tables[e.table], vals, off.lo >>> 0, 0, vals.length);
      void i;
    });
    for (const d of ir.datas) {
      if (d.mode !== SEG_ACTIVE) continue;
      evalConst(ctx, d.offset!, off);
      memoryInit(ctx, d.bytes, off.lo >>> 0, 0, d.bytes.length);
    }
  } catch (e) {
    if (e instanceof Trap) {
      const err = toTrapError(e, -1);
      throw new FaygerError({
        code: err.code,
        phase: 'instantiate',
        message: `instantiating the module failed: ${err.message}`,
        details: err.details,
      });
    }
    throw e;
  }
  return { ctx, exports };
}

function limitsMatch(size: number, max: number | undefined, wantMin: number, wantMax: number | undefined): boolean {
  if (size < wantMin) return false;
  if (wantMax === undefined) return true;
  return max !== undefined && max <= wantMax;
}

/** Evaluates a (validated) constant expression into a global cell. */
export function evalConst(ctx: InstanceCtx, e: ConstExprIR, out: WasmGlobal): void {
  const c = e.code;
  switch (c[0]) {
    case 0x41:
    case 0x43:
      out.lo = c[1];
      out.hi = 0;
      return;
    case 0x42:
    case 0x44:
      out.lo = c[1];
      out.hi = c[2];
      return;
    case 0xd0:
      out.ref = null;
      return;
    case SIMD_BASE + 0x0c:
      out.lo = c[1];
      out.hi = c[2];
      out.w2 = c[3];
      out.w3 = c[4];
      return;
    case 0xd2:
      out.ref = ctx.funcs[c[1]];
      return;
    case 0x23: {
      const g = ctx.globals[c[1]];
      out.lo = g.lo;
      out.hi = g.hi;
      out.w2 = g.w2;
      out.w3 = g.w3;
      out.ref = g.ref;
      return;
    }
  }
}
