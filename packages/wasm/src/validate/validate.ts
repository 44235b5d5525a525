import { FaygerError } from '@fayger/contracts';
import { EXTERNREF, F32, F64, FUNCREF, I32, I64, SEG_ACTIVE, V128 } from '../decode/module-ir.js';
import type { CodeIR, ConstExprIR, FuncTypeIR, ModuleIR } from '../decode/module-ir.js';
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

const I32x3: readonly number[] = [I32, I32, I32];

// SIMPLE as flat tables for the validator's hot path: arity (-1: not in the table), operand types, result type
// and instruction length in stream words, indexed by instruction-stream opcode. The constants are in it too
// (arity 0): one table-driven path for every fixed-type instruction, so meeting one of them for the first time
// late in a module does not deoptimise the optimised validator (see BodyValidator.rare).
const SIMPLE_ARITY = new Int8Array(SIMPLE.length).fill(-1);
const SIMPLE_P0 = new Int32Array(SIMPLE.length);
const SIMPLE_P1 = new Int32Array(SIMPLE.length);
const SIMPLE_RESULT = new Int32Array(SIMPLE.length);
const SIMPLE_LEN = new Int32Array(SIMPLE.length).fill(1);
for (let op = 0; op < SIMPLE.length; op++) {
  const sig = SIMPLE[op];
  if (sig === undefined) continue;
  if (sig.params.length < 1 || sig.params.length > 2) throw new Error(`simple op 0x${op.toString(16)}: arity`);
  SIMPLE_ARITY[op] = sig.params.length;
  SIMPLE_P0[op] = sig.params[0];
  SIMPLE_P1[op] = sig.params[sig.params.length - 1];
  SIMPLE_RESULT[op] = sig.result;
}
for (const [op, type, len] of [
  [0x41, I32, 2],
  [0x42, I64, 3],
  [0x43, F32, 2],
  [0x44, F64, 3],
]) {
  SIMPLE_ARITY[op] = 0;
  SIMPLE_RESULT[op] = type;
  SIMPLE_LEN[op] = len;
}

/**
 * The function-body validator: one instance, reused by every body (validation is synchronous and not
 * re-entered). The operand stack and the control stack live in typed arrays that grow on demand, so a body
 * allocates nothing per instruction or per block; the state is in monomorphic fields, not in closures made
 * per body.
 */
class BodyValidator {
  /** Operand stack: value type codes (UNKNOWN in unreachable code); `vh` is its height. */
  vals = new Int32Array(1024);
  vh = 0;
  /** Control stack, one entry per open block, as parallel arrays; `cn` is its depth. */
  cOp = new Int32Array(256);
  cHeight = new Int32Array(256);
  cUnreachable = new Uint8Array(256);
  /** Block signature of each open block (shared objects, see blockSig; the function's type for the outermost). */
  cSig: FuncTypeIR[] = [];
  cn = 0;
  // The body being validated, for error details.
  funcIndex = 0;
  code: CodeIR | undefined = undefined;
  instr = 0;

  fail(msg: string): never {
    const offset = instructionOffsets(this.code!)[this.instr];
    this.code = undefined; // the module's bytes are not kept alive by the next run's absence
    invalid(msg, { func: this.funcIndex, offset });
  }

  push(t: number): void {
    if (this.vh === this.vals.length) {
      const next = new Int32Array(this.vals.length * 2);
      next.set(this.vals);
      this.vals = next;
    }
    this.vals[this.vh++] = t;
  }

  pushAll(ts: readonly number[]): void {
    for (let i = 0; i < ts.length; i++) this.push(ts[i]);
  }

  pop(): number {
    const top = this.cn - 1;
    if (this.vh === this.cHeight[top]) {
      if (this.cUnreachable[top] !== 0) return UNKNOWN;
      this.fail('type mismatch: operand stack underflow');
    }
    return this.vals[--this.vh];
  }

  popExpect(t: number): number {
    const vh = this.vh;
    // Fast path: the expected type is on top, above the current block's base.
    if (vh > this.cHeight[this.cn - 1] && this.vals[vh - 1] === t) {
      this.vh = vh - 1;
      return t;
    }
    const a = this.pop();
    if (a !== t && a !== UNKNOWN && t !== UNKNOWN)
      this.fail(`type mismatch: expected ${typeName(t)}, found ${typeName(a)}`);
    return a;
  }

  popVals(ts: readonly number[]): void {
    for (let i = ts.length - 1; i >= 0; i--) this.popExpect(ts[i]);
  }

  pushCtrl(op: number, sig: FuncTypeIR): void {
    const n = this.cn;
    if (n === this.cOp.length) {
      const cap = n * 2;
      const op2 = new Int32Array(cap);
      const h2 = new Int32Array(cap);
      const u2 = new Uint8Array(cap);
      op2.set(this.cOp);
      h2.set(this.cHeight);
      u2.set(this.cUnreachable);
      this.cOp = op2;
      this.cHeight = h2;
      this.cUnreachable = u2;
    }
    this.cOp[n] = op;
    this.cHeight[n] = this.vh;
    this.cUnreachable[n] = 0;
    this.cSig[n] = sig;
    this.cn = n + 1;
    this.pushAll(sig.params);
  }

  /** Pops the innermost block; returns its index (its entries stay readable until the next pushCtrl). */
  popCtrl(): number {
    if (this.cn === 0) this.fail('type mismatch: unbalanced end');
    const f = this.cn - 1;
    this.popVals(this.cSig[f].results);
    if (this.vh !== this.cHeight[f]) this.fail('type mismatch: values remain on the stack at the end of a block');
    this.cn = f;
    return f;
  }

  /** Types a branch to label `n` takes. */
  labelTypes(n: number): readonly number[] {
    if (n >= this.cn) this.fail(`unknown label ${n}`);
    const f = this.cn - 1 - n;
    return this.cOp[f] === 0x03 ? this.cSig[f].params : this.cSig[f].results;
  }

  setUnreachable(): void {
    const f = this.cn - 1;
    this.vh = this.cHeight[f];
    this.cUnreachable[f] = 1;
  }

  memCheck(sp: Spaces, align: number, natural: number): void {
    if (sp.memories === 0) this.fail('unknown memory 0');
    if (align >>> 0 > natural) this.fail('alignment must not be larger than natural');
  }

  table(sp: Spaces, i: number): { elem: number } {
    const t = sp.tables[i];
    if (!t) this.fail(`unknown table ${i}`);
    return t;
  }

  elemSeg(m: ModuleIR, i: number): { type: number } {
    const e = m.elems[i];
    if (!e) this.fail(`unknown elem segment ${i}`);
    return e;
  }

  dataSeg(m: ModuleIR, i: number): void {
    if (m.dataCount === undefined || i >= m.dataCount) this.fail(`unknown data segment ${i}`);
  }

  /**
   * The instructions `run` leaves out of its hot loop (rare in compiler output): returns the next pc. Kept out of
   * line for cold start: V8 optimises `run` after the first bodies, and each opcode first met after that used to
   * deoptimise it and cost a recompile of the whole function.
   */
  rare(m: ModuleIR, sp: Spaces, op: number, c: Int32Array, pc: number): number {
    switch (op) {
      case 0x1c: {
        const n = c[pc + 1];
        if (n !== 1) this.fail('invalid result arity');
        const t = c[pc + 2];
        this.popExpect(I32);
        this.popExpect(t);
        this.popExpect(t);
        this.push(t);
        return pc + 3;
      }
      case 0x25: {
        const t = this.table(sp, c[pc + 1]);
        this.popExpect(I32);
        this.push(t.elem);
        return pc + 2;
      }
      case 0x26: {
        const t = this.table(sp, c[pc + 1]);
        this.popExpect(t.elem);
        this.popExpect(I32);
        return pc + 2;
      }
      case 0x3f:
        if (sp.memories === 0) this.fail('unknown memory 0');
        this.push(I32);
        return pc + 1;
      case 0x40:
        if (sp.memories === 0) this.fail('unknown memory 0');
        this.popExpect(I32);
        this.push(I32);
        return pc + 1;
      case 0xd0:
        this.push(c[pc + 1]);
        return pc + 2;
      case 0xd1: {
        const t = this.pop();
        if (!isRef(t) && t !== UNKNOWN) this.fail('type mismatch: ref.is_null needs a reference');
        this.push(I32);
        return pc + 1;
      }
      case 0xd2: {
        const f = c[pc + 1];
        if (f >= sp.funcTypes.length) this.fail(`unknown function ${f}`);
        if (!sp.refs.has(f)) this.fail('undeclared function reference');
        this.push(FUNCREF);
        return pc + 2;
      }
      case 0x108: {
        this.dataSeg(m, c[pc + 1]);
        if (sp.memories === 0) this.fail('unknown memory 0');
        this.popVals(I32x3);
        return pc + 2;
      }
      case 0x109:
        this.dataSeg(m, c[pc + 1]);
        return pc + 2;
      case 0x10a:
      case 0x10b:
        if (sp.memories === 0) this.fail('unknown memory 0');
        this.popVals(I32x3);
        return pc + 1;
      case 0x10c: {
        const e = this.elemSeg(m, c[pc + 1]);
        const t = this.table(sp, c[pc + 2]);
        if (t.elem !== e.type) this.fail('type mismatch: table.init segment type differs from the table type');
        this.popVals(I32x3);
        return pc + 3;
      }
      case 0x10d:
        this.elemSeg(m, c[pc + 1]);
        return pc + 2;
      case 0x10e: {
        const d = this.table(sp, c[pc + 1]);
        const s = this.table(sp, c[pc + 2]);
        if (d.elem !== s.elem) this.fail('type mismatch: table.copy between tables of different types');
        this.popVals(I32x3);
        return pc + 3;
      }
      case 0x10f: {
        const t = this.table(sp, c[pc + 1]);
        this.popExpect(I32);
        this.popExpect(t.elem);
        this.push(I32);
        return pc + 2;
      }
      case 0x110:
        this.table(sp, c[pc + 1]);
        this.push(I32);
        return pc + 2;
      case 0x111: {
        const t = this.table(sp, c[pc + 1]);
        this.popExpect(I32);
        this.popExpect(t.elem);
        this.popExpect(I32);
        return pc + 2;
      }
      default:
        if (op >= SIMD_BASE) {
          const sub = op - SIMD_BASE;
          const s = SIMD_SIG[sub]!;
          let n = 1;
          if (s.align >= 0) {
            this.memCheck(sp, c[pc + 1], s.align);
            n = 3;
          }
          if (s.lanes > 0) {
            if (c[pc + n] >= s.lanes) this.fail('invalid lane index');
            n++;
          }
          if (sub === 0x0c) n = 5;
          else if (sub === 0x0d) {
            for (let i = 1; i <= 16; i++) if (c[pc + i] >= 32) this.fail('invalid lane index');
            n = 17;
          }
          this.popVals(s.params);
          if (s.result !== 0) this.push(s.result);
          return pc + n;
        }
        this.fail(`unexpected opcode 0x${op.toString(16)}`);
    }
  }

  /** Validates body `c` (its first `len` words) of code entry `codeIndex`. */
  run(m: ModuleIR, sp: Spaces, codeIndex: number, funcIndex: number, c: Int32Array, len: number): void {
    const type = sp.funcTypes[funcIndex];
    const code = m.codes[codeIndex];
    const params = type.params;
    const np = params.length;
    const declared = code.locals;
    this.funcIndex = funcIndex;
    this.code = code;
    this.instr = 0;
    this.vh = 0;
    this.cn = 0;
    // The outermost block: a block of the function's results (its params are locals, not operands).
    this.cOp[0] = 0x02;
    this.cHeight[0] = 0;
    this.cUnreachable[0] = 0;
    this.cSig[0] = type;
    this.cn = 1;
    let pc = 0;
    while (pc < len) {
      const op = c[pc];
      const arity = op < SIMPLE_ARITY.length ? SIMPLE_ARITY[op] : -1;
      if (arity >= 0) {
        // Operands popped last first, as popVals does.
        if (arity === 2) this.popExpect(SIMPLE_P1[op]);
        if (arity !== 0) this.popExpect(SIMPLE_P0[op]);
        this.push(SIMPLE_RESULT[op]);
        pc += SIMPLE_LEN[op];
        this.instr++;
        continue;
      }
      if (op >= 0x28 && op <= 0x3e) {
        this.memCheck(sp, c[pc + 1], MEM_NATURAL_ALIGN[op - 0x28]);
        const t = MEM_TYPE[op - 0x28];
        if (op <= 0x35) {
          this.popExpect(I32);
          this.push(t);
        } else {
          this.popExpect(t);
          this.popExpect(I32);
        }
        pc += 3;
        this.instr++;
        continue;
      }
      switch (op) {
        case 0x00:
          this.setUnreachable();
          pc += 1;
          break;
        case 0x01:
          pc += 1;
          break;
        case 0x02:
        case 0x03:
        case 0x04: {
          if (c[pc + 1] >= 0 && m.types[c[pc + 1]] === undefined) this.fail(`unknown type ${c[pc + 1]}`);
          const bt = blockSig(m, c[pc + 1]);
          if (op === 0x04) this.popExpect(I32);
          this.popVals(bt.params);
          this.pushCtrl(op, bt);
          pc += 2;
          break;
        }
        case 0x05: {
          const f = this.popCtrl();
          if (this.cOp[f] !== 0x04) this.fail('else without if');
          this.pushCtrl(0x05, this.cSig[f]);
          pc += 1;
          break;
        }
        case 0x0b: {
          const f = this.popCtrl();
          const s = this.cSig[f];
          if (this.cOp[f] === 0x04 && !sameTypes(s.params, s.results))
            this.fail('type mismatch: if without else must have matching param and result types');
          this.pushAll(s.results);
          pc += 1;
          break;
        }
        case 0x0c: {
          this.popVals(this.labelTypes(c[pc + 1]));
          this.setUnreachable();
          pc += 2;
          break;
        }
        case 0x0d: {
          this.popExpect(I32);
          const ts = this.labelTypes(c[pc + 1]);
          this.popVals(ts);
          this.pushAll(ts);
          pc += 2;
          break;
        }
        case 0x0e: {
          const n = c[pc + 1];
          this.popExpect(I32);
          const def = this.labelTypes(c[pc + 2 + n]);
          for (let i = 0; i < n; i++) {
            const ts = this.labelTypes(c[pc + 2 + i]);
            if (ts.length !== def.length) this.fail('type mismatch: br_table targets have different arities');
            // Check each target against the stack without consuming it (pops only move the height).
            const saved = this.vh;
            this.popVals(ts);
            this.vh = saved;
          }
          this.popVals(def);
          this.setUnreachable();
          pc += 3 + n;
          break;
        }
        case 0x0f:
          this.popVals(type.results);
          this.setUnreachable();
          pc += 1;
          break;
        case 0x10: {
          const t = sp.funcTypes[c[pc + 1]];
          if (!t) this.fail(`unknown function ${c[pc + 1]}`);
          this.popVals(t.params);
          this.pushAll(t.results);
          pc += 2;
          break;
        }
        case 0x11: {
          const t = m.types[c[pc + 1]];
          const tab = this.table(sp, c[pc + 2]);
          if (!t) this.fail(`unknown type ${c[pc + 1]}`);
          if (tab.elem !== FUNCREF) this.fail('type mismatch: call_indirect on a table that is not funcref');
          this.popExpect(I32);
          this.popVals(t.params);
          this.pushAll(t.results);
          pc += 3;
          break;
        }
        case 0x1a:
          this.pop();
          pc += 1;
          break;
        case 0x1b: {
          this.popExpect(I32);
          const a = this.pop();
          const b = this.pop();
          if (isRef(a) || isRef(b)) this.fail('type mismatch: untyped select needs numeric operands');
          if (a !== b && a !== UNKNOWN && b !== UNKNOWN) this.fail('type mismatch in select');
          this.push(a === UNKNOWN ? b : a);
          pc += 1;
          break;
        }
        case 0x20:
        case 0x21:
        case 0x22: {
          const li = c[pc + 1];
          const t = li < np ? params[li] : declared[li - np];
          if (t === undefined) this.fail(`unknown local ${li}`);
          if (op === 0x20) this.push(t);
          else if (op === 0x21) this.popExpect(t);
          else {
            this.popExpect(t);
            this.push(t);
          }
          pc += 2;
          break;
        }
        case 0x23:
        case 0x24: {
          const g = sp.globals[c[pc + 1]];
          if (!g) this.fail(`unknown global ${c[pc + 1]}`);
          if (op === 0x23) this.push(g.type);
          else {
            if (!g.mutable) this.fail('global is immutable');
            this.popExpect(g.type);
          }
          pc += 2;
          break;
        }
        default:
          pc = this.rare(m, sp, op, c, pc);
      }
      this.instr++;
      if (this.cn === 0) {
        if (pc !== len) this.fail('instructions after the final end');
        this.code = undefined;
        return;
      }
    }
    if (this.cn !== 0) this.fail('type mismatch: function body not terminated');
    this.code = undefined;
  }
}

const BODY = new BodyValidator();

/** Validates body `c` (its first `len` words) of code entry `codeIndex`. */
function validateFunction(
  m: ModuleIR,
  sp: Spaces,
  codeIndex: number,
  funcIndex: number,
  c: Int32Array,
  len: number,
): void {
  BODY.run(m, sp, codeIndex, funcIndex, c, len);
}

function sameTypes(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
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
