import { FaygerError } from '@fayger/contracts';
import { EXTERNREF, F32, F64, FUNCREF, I32, I64, SEG_ACTIVE, V128 } from '../decode/module-ir.js';
import type { ConstExprIR, FuncTypeIR, ModuleIR } from '../decode/module-ir.js';
import { MEM_NATURAL_ALIGN, SIMD_BASE } from '../decode/opcodes.js';
import { instructionOffsets } from '../decode/expr.js';
import { MEM_TYPE, SIMD_SIG, SIMPLE } from './op-signatures.js';

const UNKNOWN = 0; // bottom type in unreachable code

function invalid(message: string, details: Record<string, unknown> = {}): never {
  throw new FaygerError({
    code: 'WASM_INVALID',
    phase: 'validate',
    message: `validating the WebAssembly module failed: ${message}${details.func !== undefined ? ` (function ${String(details.func)})` : ''}`,
    details: { reason: message, ...details },
  });
}

const isNum = (t: number) => t === I32 || t === I64 || t === F32 || t === F64;
const isRef = (t: number) => t === FUNCREF || t === EXTERNREF;

// Block types without a type index, made once and shared (read-only like every FuncTypeIR; not frozen, so
// they keep the element kind of every other type list): [] -> [] and [] -> [t].
const EMPTY_BLOCK: FuncTypeIR = { params: [], results: [] };
const RESULT_BLOCK: FuncTypeIR[] = [];
for (const t of [I32, I64, F32, F64, V128, FUNCREF, EXTERNREF]) RESULT_BLOCK[t] = { params: [], results: [t] };

export function blockSig(m: ModuleIR, bt: number): FuncTypeIR {
  if (bt === -1) return EMPTY_BLOCK;
  if (bt < -1) return RESULT_BLOCK[-bt] ?? { params: [], results: [-bt] };
  const t = m.types[bt];
  if (t === undefined) invalid(`unknown type ${bt}`);
  return t;
}

interface Ctrl {
  op: number;
  params: readonly number[];
  results: readonly number[];
  height: number;
  unreachable: boolean;
}

/** Index spaces of the module, shared by function-body and constant-expression validation. */
interface Spaces {
  funcTypes: FuncTypeIR[];
  tables: { elem: number }[];
  memories: number;
  globals: { type: number; mutable: boolean }[];
  importedGlobals: number;
  refs: Set<number>;
}

/**
 * Function bodies decode() has already validated, in the same pass that decoded them (see `bodyValidation`):
 * the module's code list and the first body's error, if any. validate() reuses the verdict instead of walking
 * the bodies again, after the same module-level checks in the same order, so it throws what it always did.
 */
const PREVALIDATED = new WeakMap<
  ModuleIR,
  { readonly codes: readonly unknown[]; readonly sp: Spaces; readonly error: unknown }
>();

/** Full WebAssembly 2.0 validation. Throws WASM_INVALID. */
export function validate(m: ModuleIR): void {
  const pre = PREVALIDATED.get(m);
  const seen = pre !== undefined && pre.codes === m.codes;
  // The index spaces depend only on the sections before the code section: decode() computed them already.
  const sp = seen ? pre.sp : spaces(m);
  moduleRest(m, sp);
  if (seen) {
    if (pre.error !== undefined) throw pre.error;
    return;
  }
  const nImportedFuncs = sp.funcTypes.length - m.funcs.length;
  for (let i = 0; i < m.codes.length; i++) {
    const c = m.codes[i].body;
    validateFunction(m, sp, i, nImportedFuncs + i, c, c.length);
  }
}

/**
 * Validation of each function body as decode() produces it (decode calls this when it reaches the code
 * section; every section a body may refer to precedes it). `check` validates one body from the decoder's
 * scratch stream; the first failure is kept, not thrown (decode still reports a malformed later section
 * first), and `finish` hands the verdict to validate(). Undefined when the module-level part is itself
 * invalid: validate() then reports that, as before.
 */
export function bodyValidation(
  m: ModuleIR,
): { check(codeIndex: number, body: Int32Array, length: number): void; finish(): void } | undefined {
  let sp: Spaces;
  try {
    sp = spaces(m);
  } catch {
    return undefined;
  }
  const nImportedFuncs = sp.funcTypes.length - m.funcs.length;
  let error: unknown;
  let failed = false;
  return {
    check(codeIndex, body, length) {
      if (failed) return;
      try {
        validateFunction(m, sp, codeIndex, nImportedFuncs + codeIndex, body, length);
      } catch (e) {
        failed = true;
        error = e;
      }
    },
    finish() {
      PREVALIDATED.set(m, { codes: m.codes, sp, error });
    },
  };
}

/** The index spaces, checking imports, types of functions, limits, memories and the globals' initialisers. */
function spaces(m: ModuleIR): Spaces {
  const sp: Spaces = { funcTypes: [], tables: [], memories: 0, globals: [], importedGlobals: 0, refs: new Set() };
  for (const imp of m.imports) {
    if (imp.kind === 0) {
      const t = m.types[imp.type];
      if (!t) invalid(`unknown type ${imp.type}`);
      sp.funcTypes.push(t);
    } else if (imp.kind === 1) {
      checkLimits(imp.table.min, imp.table.max, 0xffffffff, 'table');
      sp.tables.push(imp.table);
    } else if (imp.kind === 2) {
      checkLimits(imp.memory.min, imp.memory.max, 65536, 'memory');
      sp.memories++;
    } else {
      sp.globals.push({ type: imp.global.type, mutable: imp.global.mutable });
      sp.importedGlobals++;
    }
  }
  for (const ti of m.funcs) {
    const t = m.types[ti];
    if (!t) invalid(`unknown type ${ti}`);
    sp.funcTypes.push(t);
  }
  for (const t of m.tables) {
    checkLimits(t.min, t.max, 0xffffffff, 'table');
    sp.tables.push(t);
  }
  for (const mem of m.memories) {
    checkLimits(mem.min, mem.max, 65536, 'memory');
    sp.memories++;
  }
  if (sp.memories > 1) invalid('multiple memories');
  // Functions referenced outside function bodies may be used by ref.func inside them (C.refs).
  for (const g of m.globals) collectRefs(g.init, sp.refs);
  for (const e of m.elems) for (const x of e.init) collectRefs(x, sp.refs);
  for (const ex of m.exports) if (ex.kind === 0) sp.refs.add(ex.index);

  // Globals may only refer to imported globals (2.0).
  const globalCount = sp.globals.length;
  for (const g of m.globals) {
    constExpr(m, sp, g.init, g.type.type, globalCount);
    sp.globals.push({ type: g.type.type, mutable: g.type.mutable });
  }
  return sp;
}

/** Element and data segments, the start function and exports. */
function moduleRest(m: ModuleIR, sp: Spaces): void {
  for (const e of m.elems) {
    for (const x of e.init) constExpr(m, sp, x, e.type, sp.globals.length);
    if (e.mode === SEG_ACTIVE) {
      const t = sp.tables[e.table];
      if (!t) invalid(`unknown table ${e.table}`);
      if (t.elem !== e.type) invalid('type mismatch: element segment type differs from the table type');
      constExpr(m, sp, e.offset!, I32, sp.globals.length);
    }
  }
  for (const d of m.datas) {
    if (d.mode === SEG_ACTIVE) {
      if (d.memory >= sp.memories) invalid(`unknown memory ${d.memory}`);
      constExpr(m, sp, d.offset!, I32, sp.globals.length);
    }
  }
  if (m.start !== undefined) {
    const t = sp.funcTypes[m.start];
    if (!t) invalid(`unknown function ${m.start}`);
    if (t.params.length || t.results.length) invalid('start function must have type [] -> []');
  }
  const names = new Set<string>();
  for (const ex of m.exports) {
    if (names.has(ex.name)) invalid(`duplicate export name ${JSON.stringify(ex.name)}`);
    names.add(ex.name);
    const space =
      ex.kind === 0
        ? sp.funcTypes.length
        : ex.kind === 1
          ? sp.tables.length
          : ex.kind === 2
            ? sp.memories
            : sp.globals.length;
    const kindName = ['function', 'table', 'memory', 'global'][ex.kind];
    if (ex.index >= space) invalid(`unknown ${kindName} ${ex.index}`);
  }
}

function checkLimits(min: number, max: number | undefined, bound: number, what: string): void {
  if (min > bound)
    invalid(what === 'memory' ? 'memory size must be at most 65536 pages (4GiB)' : 'table size must be at most 2^32-1');
  if (max !== undefined) {
    if (max > bound)
      invalid(
        what === 'memory' ? 'memory size must be at most 65536 pages (4GiB)' : 'table size must be at most 2^32-1',
      );
    if (min > max) invalid('size minimum must not be greater than maximum');
  }
}

function collectRefs(e: ConstExprIR, refs: Set<number>): void {
  if (e.code[0] === 0xd2) refs.add(e.code[1]);
}

function constExpr(_m: ModuleIR, sp: Spaces, e: ConstExprIR, expected: number, globalsVisible: number): void {
  const c = e.code;
  const stack: number[] = [];
  let pc = 0;
  for (;;) {
    const op = c[pc];
    if (op === 0x0b) break;
    if (op === 0x41) {
      stack.push(I32);
      pc += 2;
    } else if (op === 0x42) {
      stack.push(I64);
      pc += 3;
    } else if (op === 0x43) {
      stack.push(F32);
      pc += 2;
    } else if (op === 0x44) {
      stack.push(F64);
      pc += 3;
    } else if (op === 0xd0) {
      stack.push(c[pc + 1]);
      pc += 2;
    } else if (op === SIMD_BASE + 0x0c) {
      stack.push(V128);
      pc += 5;
    } else if (op === 0xd2) {
      if (c[pc + 1] >= sp.funcTypes.length) invalid(`unknown function ${c[pc + 1]}`);
      stack.push(FUNCREF);
      pc += 2;
    } else if (op === 0x23) {
      const gi = c[pc + 1];
      if (gi >= globalsVisible || gi >= sp.globals.length) invalid(`unknown global ${gi}`);
      if (gi >= sp.importedGlobals) invalid('unknown global: constant expressions may only read imported globals');
      const g = sp.globals[gi];
      if (g.mutable) invalid('constant expression required');
      stack.push(g.type);
      pc += 2;
    } else invalid('constant expression required', { offset: e.offset });
  }
  if (stack.length !== 1 || stack[0] !== expected)
    invalid('type mismatch in constant expression', { offset: e.offset });
}

const VALS: number[] = [];
const CTRLS: Ctrl[] = [];

/** Validates body `c` (its first `len` words) of code entry `codeIndex`. */
function validateFunction(
  m: ModuleIR,
  sp: Spaces,
  codeIndex: number,
  funcIndex: number,
  c: Int32Array,
  len: number,
): void {
  const type = sp.funcTypes[funcIndex];
  const code = m.codes[codeIndex];
  const params = type.params;
  const np = params.length;
  const declared = code.locals;
  // The operand and control stacks are reused by every body (validation is synchronous and not re-entered).
  const vals = VALS;
  const ctrls = CTRLS;
  vals.length = 0;
  ctrls.length = 0;
  let instr = 0;
  const fail = (msg: string): never => invalid(msg, { func: funcIndex, offset: instructionOffsets(code)[instr] });

  const push = (t: number) => vals.push(t);
  const pop = (): number => {
    const f = ctrls[ctrls.length - 1];
    if (vals.length === f.height) {
      if (f.unreachable) return UNKNOWN;
      fail('type mismatch: operand stack underflow');
    }
    return vals.pop()!;
  };
  const popExpect = (t: number): number => {
    const a = pop();
    if (a !== t && a !== UNKNOWN && t !== UNKNOWN) fail(`type mismatch: expected ${typeName(t)}, found ${typeName(a)}`);
    return a;
  };
  const popVals = (ts: readonly number[]) => {
    for (let i = ts.length - 1; i >= 0; i--) popExpect(ts[i]);
  };
  const pushCtrl = (op: number, params: readonly number[], results: readonly number[]) => {
    ctrls.push({ op, params, results, height: vals.length, unreachable: false });
    for (const p of params) push(p);
  };
  const popCtrl = (): Ctrl => {
    if (ctrls.length === 0) fail('type mismatch: unbalanced end');
    const f = ctrls[ctrls.length - 1];
    popVals(f.results);
    if (vals.length !== f.height) fail('type mismatch: values remain on the stack at the end of a block');
    ctrls.pop();
    return f;
  };
  const labelTypes = (f: Ctrl) => (f.op === 0x03 ? f.params : f.results);
  const label = (n: number): Ctrl => {
    if (n >= ctrls.length) fail(`unknown label ${n}`);
    return ctrls[ctrls.length - 1 - n];
  };
  const setUnreachable = () => {
    const f = ctrls[ctrls.length - 1];
    vals.length = f.height;
    f.unreachable = true;
  };
  const memCheck = (align: number, natural: number) => {
    if (sp.memories === 0) fail('unknown memory 0');
    if (align >>> 0 > natural) fail('alignment must not be larger than natural');
  };
  const table = (i: number) => {
    const t = sp.tables[i];
    if (!t) fail(`unknown table ${i}`);
    return t;
  };
  const elemSeg = (i: number) => {
    const e = m.elems[i];
    if (!e) fail(`unknown elem segment ${i}`);
    return e;
  };
  const dataSeg = (i: number) => {
    if (m.dataCount === undefined || i >= m.dataCount) fail(`unknown data segment ${i}`);
  };

  ctrls.push({ op: 0x02, params: [], results: type.results, height: 0, unreachable: false });
  let pc = 0;
  while (pc < len) {
    const op = c[pc];
    const sig = SIMPLE[op];
    if (sig !== undefined) {
      popVals(sig.params);
      push(sig.result);
      pc += 1;
      instr++;
      continue;
    }
    switch (op) {
      case 0x00:
        setUnreachable();
        pc += 1;
        break;
      case 0x01:
        pc += 1;
        break;
      case 0x02:
      case 0x03:
      case 0x04: {
        if (c[pc + 1] >= 0 && m.types[c[pc + 1]] === undefined) fail(`unknown type ${c[pc + 1]}`);
        const bt = blockSig(m, c[pc + 1]);
        if (op === 0x04) popExpect(I32);
        popVals(bt.params);
        pushCtrl(op, bt.params, bt.results);
        pc += 2;
        break;
      }
      case 0x05: {
        const f = popCtrl();
        if (f.op !== 0x04) fail('else without if');
        pushCtrl(0x05, f.params, f.results);
        pc += 1;
        break;
      }
      case 0x0b: {
        const f = popCtrl();
        if (f.op === 0x04 && !sameTypes(f.params, f.results))
          fail('type mismatch: if without else must have matching param and result types');
        for (const r of f.results) push(r);
        pc += 1;
        break;
      }
      case 0x0c: {
        popVals(labelTypes(label(c[pc + 1])));
        setUnreachable();
        pc += 2;
        break;
      }
      case 0x0d: {
        popExpect(I32);
        const ts = labelTypes(label(c[pc + 1]));
        popVals(ts);
        for (const t of ts) push(t);
        pc += 2;
        break;
      }
      case 0x0e: {
        const n = c[pc + 1];
        popExpect(I32);
        const def = labelTypes(label(c[pc + 2 + n]));
        for (let i = 0; i < n; i++) {
          const ts = labelTypes(label(c[pc + 2 + i]));
          if (ts.length !== def.length) fail('type mismatch: br_table targets have different arities');
          // Check each target against the stack without consuming it.
          const saved = vals.slice();
          popVals(ts);
          vals.length = 0;
          vals.push(...saved);
        }
        popVals(def);
        setUnreachable();
        pc += 3 + n;
        break;
      }
      case 0x0f:
        popVals(type.results);
        setUnreachable();
        pc += 1;
        break;
      case 0x10: {
        const t = sp.funcTypes[c[pc + 1]];
        if (!t) fail(`unknown function ${c[pc + 1]}`);
        popVals(t.params);
        for (const r of t.results) push(r);
        pc += 2;
        break;
      }
      case 0x11: {
        const t = m.types[c[pc + 1]];
        const tab = table(c[pc + 2]);
        if (!t) fail(`unknown type ${c[pc + 1]}`);
        if (tab.elem !== FUNCREF) fail('type mismatch: call_indirect on a table that is not funcref');
        popExpect(I32);
        popVals(t.params);
        for (const r of t.results) push(r);
        pc += 3;
        break;
      }
      case 0x1a:
        pop();
        pc += 1;
        break;
      case 0x1b: {
        popExpect(I32);
        const a = pop();
        const b = pop();
        if (isRef(a) || isRef(b)) fail('type mismatch: untyped select needs numeric operands');
        if (a !== b && a !== UNKNOWN && b !== UNKNOWN) fail('type mismatch in select');
        push(a === UNKNOWN ? b : a);
        pc += 1;
        break;
      }
      case 0x1c: {
        const n = c[pc + 1];
        if (n !== 1) fail('invalid result arity');
        const t = c[pc + 2];
        popExpect(I32);
        popExpect(t);
        popExpect(t);
        push(t);
        pc += 3;
        break;
      }
      case 0x20:
      case 0x21:
      case 0x22: {
        const li = c[pc + 1];
        const t = li < np ? params[li] : declared[li - np];
        if (t === undefined) fail(`unknown local ${li}`);
        if (op === 0x20) push(t);
        else if (op === 0x21) popExpect(t);
        else {
          popExpect(t);
          push(t);
        }
        pc += 2;
        break;
      }
      case 0x23:
      case 0x24: {
        const g = sp.globals[c[pc + 1]];
        if (!g) fail(`unknown global ${c[pc + 1]}`);
        if (op === 0x23) push(g.type);
        else {
          if (!g.mutable) fail('global is immutable');
          popExpect(g.type);
        }
        pc += 2;
        break;
      }
      case 0x25: {
        const t = table(c[pc + 1]);
        popExpect(I32);
        push(t.elem);
        pc += 2;
        break;
      }
      case 0x26: {
        const t = table(c[pc + 1]);
        popExpect(t.elem);
        popExpect(I32);
        pc += 2;
        break;
      }
      case 0x3f:
        if (sp.memories === 0) fail('unknown memory 0');
        push(I32);
        pc += 1;
        break;
      case 0x40:
        if (sp.memories === 0) fail('unknown memory 0');
        popExpect(I32);
        push(I32);
        pc += 1;
        break;
      case 0x41:
        push(I32);
        pc += 2;
        break;
      case 0x42:
        push(I64);
        pc += 3;
        break;
      case 0x43:
        push(F32);
        pc += 2;
        break;
      case 0x44:
        push(F64);
        pc += 3;
        break;
      case 0xd0:
        push(c[pc + 1]);
        pc += 2;
        break;
      case 0xd1: {
        const t = pop();
        if (!isRef(t) && t !== UNKNOWN) fail('type mismatch: ref.is_null needs a reference');
        push(I32);
        pc += 1;
        break;
      }
      case 0xd2: {
        const f = c[pc + 1];
        if (f >= sp.funcTypes.length) fail(`unknown function ${f}`);
        if (!sp.refs.has(f)) fail('undeclared function reference');
        push(FUNCREF);
        pc += 2;
        break;
      }
      case 0x108: {
        dataSeg(c[pc + 1]);
        if (sp.memories === 0) fail('unknown memory 0');
        popVals([I32, I32, I32]);
        pc += 2;
        break;
      }
      case 0x109:
        dataSeg(c[pc + 1]);
        pc += 2;
        break;
      case 0x10a:
      case 0x10b:
        if (sp.memories === 0) fail('unknown memory 0');
        popVals([I32, I32, I32]);
        pc += 1;
        break;
      case 0x10c: {
        const e = elemSeg(c[pc + 1]);
        const t = table(c[pc + 2]);
        if (t.elem !== e.type) fail('type mismatch: table.init segment type differs from the table type');
        popVals([I32, I32, I32]);
        pc += 3;
        break;
      }
      case 0x10d:
        elemSeg(c[pc + 1]);
        pc += 2;
        break;
      case 0x10e: {
        const d = table(c[pc + 1]);
        const s = table(c[pc + 2]);
        if (d.elem !== s.elem) fail('type mismatch: table.copy between tables of different types');
        popVals([I32, I32, I32]);
        pc += 3;
        break;
      }
      case 0x10f: {
        const t = table(c[pc + 1]);
        popVals([t.elem, I32]);
        push(I32);
        pc += 2;
        break;
      }
      case 0x110:
        table(c[pc + 1]);
        push(I32);
        pc += 2;
        break;
      case 0x111: {
        const t = table(c[pc + 1]);
        popVals([I32, t.elem, I32]);
        pc += 2;
        break;
      }
      default:
        if (op >= 0x28 && op <= 0x3e) {
          memCheck(c[pc + 1], MEM_NATURAL_ALIGN[op - 0x28]);
          const t = MEM_TYPE[op - 0x28];
          if (op <= 0x35) {
            popExpect(I32);
            push(t);
          } else {
            popExpect(t);
            popExpect(I32);
          }
          pc += 3;
        } else if (op >= SIMD_BASE) {
          const sub = op - SIMD_BASE;
          const s = SIMD_SIG[sub]!;
          let len = 1;
          if (s.align >= 0) {
            memCheck(c[pc + 1], s.align);
            len = 3;
          }
          if (s.lanes > 0) {
            if (c[pc + len] >= s.lanes) fail('invalid lane index');
            len++;
          }
          if (sub === 0x0c) len = 5;
          else if (sub === 0x0d) {
            for (let i = 1; i <= 16; i++) if (c[pc + i] >= 32) fail('invalid lane index');
            len = 17;
          }
          popVals(s.params);
          if (s.result !== 0) push(s.result);
          pc += len;
        } else {
          fail(`unexpected opcode 0x${op.toString(16)}`);
        }
    }
    instr++;
    if (ctrls.length === 0) {
      if (pc !== len) fail('instructions after the final end');
      return;
    }
  }
  if (ctrls.length !== 0) fail('type mismatch: function body not terminated');
}

function sameTypes(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

function typeName(t: number): string {
  switch (t) {
    case I32:
      return 'i32';
    case I64:
      return 'i64';
    case F32:
      return 'f32';
    case F64:
      return 'f64';
    case V128:
      return 'v128';
    case FUNCREF:
      return 'funcref';
    case EXTERNREF:
      return 'externref';
    default:
      return 'unknown';
  }
}

export { isNum };
