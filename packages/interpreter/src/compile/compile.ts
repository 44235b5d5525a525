import { EXTERNREF, FUNCREF, V128 } from '@fayger/wasm';
import { SIMD_BASE } from '@fayger/wasm';
import type { FuncTypeIR, ModuleIR } from '@fayger/wasm';
import { SIMD_SIG, SIMPLE } from '@fayger/wasm';
import { blockSig } from '@fayger/wasm';
import { type FunctionSites, type SiteRecord, sigId } from '../execute/objects.js';
import { X } from './exec-ops.js';
import { IntBuf } from '@fayger/wasm';

/** Compiled form of one defined function. */
export interface CompiledFunction {
  readonly entry: number;
  readonly nParams: number;
  readonly nLocals: number;
  readonly frameSize: number;
  readonly hasRefLocals: boolean;
  /** End of the body in the code buffer (exclusive): the body is [entry, end). */
  readonly end: number;
  /**
   * Where a stopped call may stand in this body, as offsets from `entry` (ascending): the FUEL ops (where a
   * fuel slice ends) and the return points right after each CALL / CALL_INDIRECT (where a caller frame waits,
   * or a call waits on a host import). Snapshot restore accepts a program counter only at one of these.
   */
  readonly fuelPoints: Int32Array;
  readonly returnPoints: Int32Array;
}

/**
 * The compiled code of one module, shared by all its instances. Validation is eager (compileModule rejects
 * an invalid module), but each function body is compiled to bytecode on its first call and appended to the
 * module's buffer: a large module with few hot functions starts fast. An uncompiled function's entry is 0,
 * where a LAZY op compiles it on the way in. Growing the buffer replaces `code`, so holders re-read it after
 * anything that may compile (the LAZY op, a host call).
 */
export class CompiledCode {
  private readonly out: IntBuf;
  private readonly funcTypes: FuncTypeIR[] = [];
  /** Per defined function, once compiled. */
  readonly funcs: (CompiledFunction | undefined)[];

  constructor(private readonly m: ModuleIR) {
    for (const imp of m.imports) if (imp.kind === 0) this.funcTypes.push(m.types[imp.type]);
    for (const ti of m.funcs) this.funcTypes.push(m.types[ti]);
    this.funcs = new Array<CompiledFunction | undefined>(m.codes.length).fill(undefined);
    this.out = new IntBuf(1024);
    // Uncompiled functions enter here; compiled entries are therefore never 0.
    this.out.push(X.LAZY);
  }

  get code(): Int32Array {
    return this.out.a;
  }

  /** The compiled form of defined function `i`, compiling it now if needed. */
  func(i: number): CompiledFunction {
    let f = this.funcs[i];
    if (f === undefined) {
      const m = this.m;
      f = compileFunction(m, this.funcTypes, m.types[m.funcs[i]], i, this.out);
      this.funcs[i] = f;
    }
    return f;
  }

  private siteMaps: (FunctionSites | undefined)[] | undefined;

  /**
   * Where a stopped frame of defined function `i` may stand, in wasm terms (snapshot.ts): its fuel points and
   * call return points by compiled offset, each with its wasm position and the operand stack there. Built on
   * first use by compiling the body again into a scratch buffer with a recorder (the real code is untouched; the
   * offsets are the same, checked against the function's own points).
   */
  sites(i: number): FunctionSites {
    this.siteMaps ??= new Array<FunctionSites | undefined>(this.funcs.length).fill(undefined);
    let s = this.siteMaps[i];
    if (s === undefined) {
      const real = this.func(i);
      const m = this.m;
      const scratch = new IntBuf(256);
      scratch.push(X.LAZY);
      const records: SiteRecord[] = [];
      const again = compileFunction(m, this.funcTypes, m.types[m.funcs[i]], i, scratch, records);
      const same = (a: Int32Array, b: Int32Array) => a.length === b.length && a.every((x, k) => x === b[k]);
      if (!same(again.fuelPoints, real.fuelPoints) || !same(again.returnPoints, real.returnPoints)) {
        throw new Error(`interpreter: the site map of function ${i} does not match its compiled code`);
      }
      const byOffset = new Map<number, SiteRecord>();
      const byPos = new Map<number, SiteRecord>();
      for (const r of records) {
        const ok = r.kind === 0 ? isIn(real.fuelPoints, r.offset) : isIn(real.returnPoints, r.offset);
        if (!ok) continue;
        byOffset.set(r.offset, r);
        byPos.set(r.pos, r);
      }
      s = { byOffset, byPos };
      this.siteMaps[i] = s;
    }
    return s;
  }

  /** Compiles every function not compiled yet (eager mode, tests). */
  compileAll(): void {
    let bodyInts = 0;
    for (const code of this.m.codes) bodyInts += code.body.length;
    this.out.reserve(bodyInts + 1024);
    for (let i = 0; i < this.funcs.length; i++) this.func(i);
  }
}

function isIn(a: Int32Array, x: number): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] === x) return true;
  return false;
}

interface Ctrl {
  op: number;
  /** Operand height below the block's params. */
  height: number;
  params: readonly number[];
  results: readonly number[];
  /** Code positions waiting for the end address. */
  patches: number[];
  loopPc: number;
  elsePatch: number;
  /** False when the block starts in dead code: nothing is emitted for it. */
  live: boolean;
}

const isRef = (t: number) => t === FUNCREF || t === EXTERNREF;

/**
 * Compiles every function body to slot-addressed bytecode in one Int32Array. Values live in frame slots:
 * [params | locals | operand stack]; the operand at height h sits in slot nLocals + h. `local.get` is not
 * copied: consumers read the local's slot directly until something could change it (a set of that local or
 * a control-flow boundary), and an instruction followed by `local.set` writes straight into the local.
 */
/** Prepares a module's code; bodies compile on first call unless `eager`. */
export function compileModule(m: ModuleIR, eager = false): CompiledCode {
  const c = new CompiledCode(m);
  if (eager) c.compileAll();
  return c;
}

function compileFunction(
  m: ModuleIR,
  funcTypes: FuncTypeIR[],
  type: FuncTypeIR,
  codeIndex: number,
  out: IntBuf,
  rec?: SiteRecord[],
): CompiledFunction {
  const body = m.codes[codeIndex].body;
  const localTypes = [...type.params, ...m.codes[codeIndex].locals];
  // A v128 takes two 8-byte slots; every other value one. localSlot: first slot of each local.
  const localSlot: number[] = [];
  let nLocals = 0;
  let nParamSlots = 0;
  for (let i = 0; i < localTypes.length; i++) {
    localSlot.push(nLocals);
    nLocals += localTypes[i] === V128 ? 2 : 1;
    if (i === type.params.length - 1) nParamSlots = nLocals;
  }
  const vCanon: number[] = [];
  const entry = out.n;
  const vSlot: number[] = [];
  const vType: number[] = [];
  let maxH = 0;
  let lastDst = -1;
  // Start of the last two ops emitted (-1: unknown, or a label/fuel point between), for chained fusions.
  let lastOp = -1;
  let prevOp = -1;
  // Start of every op emitted through emit/emitDst, ascending (entries at or past out.n are dropped when code is
  // re-emitted there); FUEL ops are not in it. pairOps reads it once the body is done.
  const starts: number[] = [];
  const opStart = () => {
    // Re-emitting at lastOp means the last op was dropped (folded into this one): prevOp stays.
    if (out.n !== lastOp) prevOp = lastOp;
    lastOp = out.n;
    while (starts.length > 0 && starts[starts.length - 1] >= out.n) starts.pop();
    starts.push(out.n);
  };
  let dead = false;
  const ctrls: Ctrl[] = [];

  // Fuel: a FUEL op at function entry and at every loop header charges the number of instructions up to the
  // next such point, so metering is per instruction on straight-line code and deterministic.
  let fuelPos = -1;
  let fuelCount = 0;
  const fuelAt: number[] = [];
  const returnAt: number[] = [];
  let insAt = -1;
  const fuelPoint = () => {
    if (fuelPos >= 0) out.a[fuelPos] = Math.max(1, fuelCount);
    if (rec !== undefined) {
      const at = out.n - entry;
      rec.push({
        kind: 0,
        offset: at,
        pos: insAt + 1,
        callee: -1,
        typeIndex: -1,
        types: [...vType],
        slots: [...vSlot],
        arg: 0,
      });
    }
    fuelAt.push(out.n);
    while (starts.length > 0 && starts[starts.length - 1] >= out.n) starts.pop();
    out.push(X.FUEL);
    out.push(0);
    fuelPos = out.n - 1;
    fuelCount = 0;
    lastDst = -1;
    lastOp = prevOp = -1;
  };

  /** Canonical slot of the operand at height h (h <= current height): after the locals, by the widths below it. */
  const canon = (h: number): number => {
    if (h < vCanon.length) return vCanon[h];
    return h === 0 ? nLocals : vCanon[h - 1] + (vType[h - 1] === V128 ? 2 : 1);
  };
  const push = (t: number): number => {
    const s = canon(vSlot.length);
    vSlot.push(s);
    vType.push(t);
    vCanon.push(s);
    const top = s + (t === V128 ? 2 : 1) - nLocals;
    if (top > maxH) maxH = top;
    return s * 2;
  };
  const pushLocal = (idx: number) => {
    const s = canon(vSlot.length);
    const t = localTypes[idx];
    vSlot.push(localSlot[idx]);
    vType.push(t);
    vCanon.push(s);
    const top = s + (t === V128 ? 2 : 1) - nLocals;
    if (top > maxH) maxH = top;
  };
  const pop = (): number => {
    vType.pop();
    vCanon.pop();
    return vSlot.pop()! * 2;
  };
  // NaN marks an absent operand (operands are always integers); fixed arity avoids a rest array per call.
  const emit = (op: number, x1 = NaN, x2 = NaN, x3 = NaN, x4 = NaN, x5 = NaN) => {
    opStart();
    out.push(op);
    if (x1 === x1) {
      out.push(x1);
      if (x2 === x2) {
        out.push(x2);
        if (x3 === x3) {
          out.push(x3);
          if (x4 === x4) {
            out.push(x4);
            if (x5 === x5) out.push(x5);
          }
        }
      }
    }
    lastDst = -1;
  };
  /** Emits an op whose first operand is its destination; remembers it for local.set folding. */
  const emitDst = (op: number, dst: number, x1 = NaN, x2 = NaN, x3 = NaN, x4 = NaN, x5 = NaN) => {
    opStart();
    out.push(op);
    out.push(dst);
    const at = out.n - 1;
    if (x1 === x1) {
      out.push(x1);
      if (x2 === x2) {
        out.push(x2);
        if (x3 === x3) {
          out.push(x3);
          if (x4 === x4) {
            out.push(x4);
            if (x5 === x5) out.push(x5);
          }
        }
      }
    }
    lastDst = at;
  };
  const mov = (t: number, dst: number, src: number) => {
    if (dst !== src) emit(isRef(t) ? X.MOV_REF : t === V128 ? X.MOV_V128 : X.MOV, dst, src);
  };
  const materialize = (i: number) => {
    if (vSlot[i] !== canon(i)) {
      mov(vType[i], canon(i) * 2, vSlot[i] * 2);
      vSlot[i] = canon(i);
    }
  };
  const materializeAll = () => {
    for (let i = 0; i < vSlot.length; i++) materialize(i);
  };
  const materializeTop = (n: number) => {
    for (let i = vSlot.length - n; i < vSlot.length; i++) materialize(i);
  };
  const bind = () => {
    lastDst = -1;
    lastOp = prevOp = -1;
    return out.n;
  };
  const resetStack = (height: number, types: readonly number[]) => {
    vSlot.length = height;
    vType.length = height;
    vCanon.length = height;
    for (const t of types) push(t);
  };
  const labelArity = (c: Ctrl) => (c.op === 0x03 ? c.params : c.results);
  /** Moves the branch values of `c` into place; true when it emitted anything. */
  const branchMoves = (c: Ctrl, dry: boolean): boolean => {
    const ts = labelArity(c);
    const n = ts.length;
    const top = vSlot.length - n;
    let moved = false;
    let dst = canon(c.height);
    for (let i = 0; i < n; i++) {
      const src = vSlot[top + i];
      if (src !== dst) {
        moved = true;
        if (!dry) mov(ts[i], dst * 2, src * 2);
      }
      dst += ts[i] === V128 ? 2 : 1;
    }
    return moved;
  };
  /** Emits a jump operand to `c` (patched later for forward labels). */
  const target = (c: Ctrl, at: number) => {
    if (c.op === 0x03) out.a[at] = c.loopPc;
    else c.patches.push(at);
  };
  /** Targets the conditional branch just emitted at `opAt`; back to a loop, it charges the header fuel itself. */
  const condTarget = (c: Ctrl, opAt: number) => {
    const at = out.n - 1;
    if (c.op === 0x03) {
      out.a[opAt] = COND_LOOP[out.a[opAt]]!;
      out.a[at] = c.loopPc + 2;
      const step = ADD_IMM_COND_LOOP[out.a[opAt]];
      if (step !== undefined && prevOp >= 0 && prevOp + 4 === opAt && out.a[prevOp] === X.I32_ADD_IMM) {
        // The loop step just before the back edge joins it: drop the branch's opcode word.
        out.a[prevOp] = step;
        out.a.copyWithin(opAt, opAt + 1, out.n);
        out.n--;
        if (starts[starts.length - 1] === opAt) starts.pop();
        lastDst = -1;
        lastOp = prevOp = -1;
      }
    } else {
      c.patches.push(at);
    }
  };
  const jumpTo = (c: Ctrl) => {
    branchMoves(c, false);
    if (c.op === 0x03) {
      // Back edge: the loop header starts with FUEL (cost at loopPc + 1); charge it here and skip it. When the
      // header's first op is a test (the usual `br_if $exit` loop top), run that test here too: one dispatch.
      const t = c.loopPc + 2;
      const rot = t < out.n ? ROTATED[out.a[t]] : undefined;
      const inc =
        rot === X.BR_LOOP_GE_U ? X.I32_ADD_IMM_LOOP_GE_U : rot === X.BR_LOOP_GE_S ? X.I32_ADD_IMM_LOOP_GE_S : -1;
      if (inc >= 0 && lastOp >= 0 && lastOp + 4 === out.n && out.a[lastOp] === X.I32_ADD_IMM) {
        // The counter step just before the back edge (`i += k; br $loop` of a `for` loop) joins it.
        out.a[lastOp] = inc;
        out.push(t);
        lastDst = -1;
        lastOp = prevOp = -1;
      } else {
        emit(rot ?? X.BR_LOOP, t);
      }
    } else {
      emit(X.BR, 0);
      target(c, out.n - 1);
    }
  };

  fuelPoint();
  ctrls.push({
    op: 0x02,
    height: 0,
    params: [],
    results: type.results,
    patches: [],
    loopPc: 0,
    elsePatch: -1,
    live: true,
  });

  const c = body;
  let pc = 0;
  while (pc < c.length) {
    const op = c[pc];
    insAt++;
    fuelCount++;
    const sig = SIMPLE[op];
    if (sig !== undefined) {
      if (!dead) {
        if (op === 0xbc || op === 0xbd || op === 0xbe || op === 0xbf || op === 0xa7) {
          // Reinterpret and wrap change only the static type: the slot already holds the bits.
          vType[vType.length - 1] = sig.result;
        } else if (sig.params.length === 2) {
          const b = pop();
          const a = pop();
          const d = push(sig.result);
          // A constant operand emitted just before the op (i32.const k / i64.const k) folds into an immediate.
          const imm = lastDst >= 0 ? out.a[lastDst - 1] : -1;
          if (
            imm === X.CONST32 &&
            lastDst + 2 === out.n &&
            op >= 0x6a &&
            op <= 0x78 &&
            I32_IMM[op - 0x6a] !== undefined &&
            (out.a[lastDst] === b || (I32_COMMUTES[op - 0x6a] === 1 && out.a[lastDst] === a)) &&
            b !== a
          ) {
            const k = out.a[lastDst + 1];
            const x = out.a[lastDst] === b ? a : b;
            out.n = lastDst - 1;
            if (
              (op === 0x6a || op === 0x6b) &&
              prevOp >= 0 &&
              prevOp + 4 === out.n &&
              out.a[prevOp] === X.I32_MUL_IMM &&
              out.a[prevOp + 1] === x &&
              x === a &&
              a === d
            ) {
              // (y * k1) into a temp only this op reads, then + k2: one op.
              const y = out.a[prevOp + 2];
              const k1 = out.a[prevOp + 3];
              out.n = prevOp;
              lastOp = prevOp = -1;
              emitDst(X.I32_MUL_IMM_ADD_IMM, d, y, k1, op === 0x6a ? k : -k | 0);
            } else if (
              (op === 0x6a || op === 0x6b) &&
              prevOp >= 0 &&
              prevOp + 4 === out.n &&
              out.a[prevOp] === X.I32_SHL_IMM &&
              out.a[prevOp + 1] === x &&
              x === a &&
              a === d
            ) {
              // (y << k1) into a temp only this op reads, then + k2: one op (a static array's element address).
              const y = out.a[prevOp + 2];
              const k1 = out.a[prevOp + 3];
              out.n = prevOp;
              lastOp = prevOp = -1;
              emitDst(X.I32_SHL_ADD_IMM, d, y, k1, op === 0x6a ? k : -k | 0);
            } else if (op === 0x6a || op === 0x6b) emitDst(X.I32_ADD_IMM, d, x, op === 0x6a ? k : -k | 0);
            else if (op === 0x78) emitDst(X.I32_ROTL_IMM, d, x, (32 - (k & 31)) & 31);
            else emitDst(I32_IMM[op - 0x6a]!, d, x, op >= 0x74 ? k & 31 : k);
          } else if (
            imm === X.CONST32 &&
            lastDst + 2 === out.n &&
            op >= 0x46 &&
            op <= 0x4f &&
            (out.a[lastDst] === b || out.a[lastDst] === a) &&
            b !== a
          ) {
            // An i32 comparison with a constant: the constant goes right, the comparison mirrored if it was left.
            const k = out.a[lastDst + 1];
            const right = out.a[lastDst] === b;
            const x = right ? a : b;
            out.n = lastDst - 1;
            emitDst(X.I32_EQ_IMM + (right ? op : CMP_MIRROR[op - 0x46]) - 0x46, d, x, k);
          } else if (
            imm === X.CONST64 &&
            lastDst + 3 === out.n &&
            op >= 0x86 &&
            op <= 0x88 &&
            out.a[lastDst] === b &&
            b !== a
          ) {
            // i64 shift by a constant: the count masked here.
            const n = out.a[lastDst + 1] & 63;
            out.n = lastDst - 1;
            emitDst(X.I64_SHL_IMM + op - 0x86, d, a, n);
          } else if (
            imm === X.CONST64 &&
            lastDst + 3 === out.n &&
            op >= 0x7c &&
            op <= 0x85 &&
            I64_IMM[op - 0x7c] !== undefined &&
            (out.a[lastDst] === b || out.a[lastDst] === a) &&
            b !== a
          ) {
            // Every i64 op folded here commutes.
            const lo = out.a[lastDst + 1];
            const hi = out.a[lastDst + 2];
            const x = out.a[lastDst] === b ? a : b;
            out.n = lastDst - 1;
            emitDst(I64_IMM[op - 0x7c]!, d, x, lo, hi);
          } else if (
            (op === 0xa0 || op === 0x6a) &&
            lastDst >= 0 &&
            lastDst + 3 === out.n &&
            a !== b &&
            (imm === 0xa2 || imm === X.I32_SHL_IMM || imm === 0x6c)
          ) {
            // The other operand was computed by the op just before, into a temp only this op reads.
            const hb = canon(vSlot.length) * 2;
            const t = out.a[lastDst];
            const x = out.a[lastDst + 1];
            const y = out.a[lastDst + 2];
            if (op === 0xa0 && imm === 0xa2 && t === b && b === hb) {
              out.n = lastDst - 1;
              emitDst(X.F64_ADD_MUL, d, a, x, y);
            } else if (op === 0xa0 && imm === 0xa2 && t === a && a === d && b !== hb) {
              // The product is the left operand: x * y + b, in that order (same result bits as the two ops).
              out.n = lastDst - 1;
              emitDst(X.F64_MUL_ADD, d, x, y, b);
            } else if (op === 0x6a && imm === X.I32_SHL_IMM && t === b && b === hb) {
              out.n = lastDst - 1;
              emitDst(X.I32_ADD_SHL, d, a, x, y);
            } else if (op === 0x6a && imm === 0x6c && ((t === b && b === hb) || (t === a && a === d && b !== hb))) {
              out.n = lastDst - 1;
              emitDst(X.I32_MUL_ADD, d, x, y, t === b ? a : b);
            } else {
              emitDst(op, d, a, b);
            }
          } else if (
            lastDst >= 0 &&
            lastDst + 3 === out.n &&
            a !== b &&
            FUSED_SHIFT[op]?.[imm] !== undefined &&
            ((out.a[lastDst] === b && b === canon(vSlot.length) * 2) ||
              (out.a[lastDst] === a && a === d && b !== canon(vSlot.length) * 2))
          ) {
            // A commutative op whose operand is a shift/rotate by a constant computed just before into a temp
            // only this op reads: dst other x k.
            const t = out.a[lastDst];
            const x = out.a[lastDst + 1];
            const k = out.a[lastDst + 2];
            out.n = lastDst - 1;
            emitDst(FUSED_SHIFT[op]![imm]!, d, t === b ? a : b, x, k);
          } else {
            emitDst(op, d, a, b);
          }
        } else {
          const a = pop();
          const d = push(sig.result);
          emitDst(op, d, a);
        }
      }
      pc += 1;
      continue;
    }
    switch (op) {
      case 0x02:
      case 0x03:
      case 0x04: {
        const bt = blockSig(m, c[pc + 1]);
        pc += 2;
        if (dead) {
          ctrls.push({
            op,
            height: 0,
            params: bt.params,
            results: bt.results,
            patches: [],
            loopPc: 0,
            elsePatch: -1,
            live: false,
          });
          break;
        }
        let cond = 0;
        if (op === 0x04) cond = pop();
        materializeAll();
        const ctrl: Ctrl = {
          op,
          height: vSlot.length - bt.params.length,
          params: bt.params,
          results: bt.results,
          patches: [],
          loopPc: 0,
          elsePatch: -1,
          live: true,
        };
        if (op === 0x03) {
          ctrl.loopPc = bind();
          fuelPoint();
        } else if (op === 0x04) {
          if (
            lastDst >= 0 &&
            out.a[lastDst] === cond &&
            cond === canon(vSlot.length) * 2 &&
            IF_FUSED[out.a[lastDst - 1]] !== undefined &&
            lastDst + (out.a[lastDst - 1] === 0x45 ? 2 : 3) === out.n
          ) {
            // A comparison whose only use is this `if`: branch to the else arm on the inverse comparison.
            const cmp = out.a[lastDst - 1];
            const x = out.a[lastDst + 1];
            const y = out.a[lastDst + 2];
            out.n = lastDst - 1;
            if (cmp === 0x45) emit(X.BR_IF, x, 0);
            else emit(IF_FUSED[cmp]!, x, y, 0);
          } else {
            emit(X.BR_UNLESS, cond, 0);
          }
          ctrl.elsePatch = out.n - 1;
        }
        ctrls.push(ctrl);
        break;
      }
      case 0x05: {
        const ctrl = ctrls[ctrls.length - 1];
        pc += 1;
        if (!ctrl.live) break;
        if (!dead) {
          materializeTop(ctrl.results.length);
          emit(X.BR, 0);
          ctrl.patches.push(out.n - 1);
        }
        out.a[ctrl.elsePatch] = bind();
        ctrl.elsePatch = -1;
        ctrl.op = 0x05;
        dead = false;
        resetStack(ctrl.height, ctrl.params);
        break;
      }
      case 0x0b: {
        const ctrl = ctrls.pop()!;
        pc += 1;
        if (!ctrl.live) break;
        if (!dead) materializeTop(ctrl.results.length);
        const here = bind();
        for (const p of ctrl.patches) out.a[p] = here;
        if (ctrl.elsePatch >= 0) out.a[ctrl.elsePatch] = here;
        dead = false;
        resetStack(ctrl.height, ctrl.results);
        if (ctrls.length === 0) {
          // Function end: return the results.
          emitReturn();
        }
        break;
      }
      case 0x0c: {
        if (!dead) {
          jumpTo(ctrls[ctrls.length - 1 - c[pc + 1]]);
          dead = true;
        }
        pc += 2;
        break;
      }
      case 0x0d: {
        if (!dead) {
          const ctrl = ctrls[ctrls.length - 1 - c[pc + 1]];
          const cond = pop();
          if (branchMoves(ctrl, true)) {
            emit(X.BR_UNLESS, cond, 0);
            const skip = out.n - 1;
            jumpTo(ctrl);
            out.a[skip] = bind();
          } else if (
            lastDst >= 0 &&
            out.a[lastDst] === cond &&
            lastDst + 1 < out.n &&
            FUSED_BR[out.a[lastDst - 1]] !== undefined &&
            cond === canon(vSlot.length) * 2
          ) {
            // A comparison whose only use is this br_if: branch on the operands directly.
            const cmp = out.a[lastDst - 1];
            const at = lastDst - 1;
            const a = out.a[lastDst + 1];
            if (cmp === 0x45) {
              out.n = at;
              emit(X.BR_IF_EQZ, a, 0);
            } else {
              const b = out.a[lastDst + 2];
              out.n = at;
              emit(FUSED_BR[cmp]!, a, b, 0);
            }
            condTarget(ctrl, at);
          } else {
            const opAt = out.n;
            emit(X.BR_IF, cond, 0);
            condTarget(ctrl, opAt);
          }
        }
        pc += 2;
        break;
      }
      case 0x0e: {
        const n = c[pc + 1];
        if (!dead) {
          const idx = pop();
          emit(X.BR_TABLE, idx, n);
          const tableAt = out.n;
          for (let i = 0; i <= n; i++) out.push(0);
          const tramps: [number, Ctrl][] = [];
          for (let i = 0; i <= n; i++) {
            const ctrl = ctrls[ctrls.length - 1 - c[pc + 2 + i]];
            if (branchMoves(ctrl, true)) tramps.push([tableAt + i, ctrl]);
            else target(ctrl, tableAt + i);
          }
          for (const [at, ctrl] of tramps) {
            out.a[at] = bind();
            jumpTo(ctrl);
          }
          dead = true;
        }
        pc += 3 + n;
        break;
      }
      case 0x0f:
        if (!dead) {
          emitReturn();
          dead = true;
        }
        pc += 1;
        break;
      case 0x10: {
        if (!dead) {
          const t = funcTypes[c[pc + 1]];
          const n = t.params.length;
          materializeTop(n);
          const arg = canon(vSlot.length - n) * 2;
          for (let i = 0; i < n; i++) pop();
          emit(X.CALL, c[pc + 1], arg);
          returnAt.push(out.n);
          if (rec !== undefined)
            rec.push({
              kind: 2,
              offset: out.n - entry,
              pos: insAt + 1,
              callee: c[pc + 1],
              typeIndex: -1,
              types: [...vType],
              slots: [...vSlot],
              arg,
            });
          for (const r of t.results) push(r);
        }
        pc += 2;
        break;
      }
      case 0x11: {
        if (!dead) {
          const t = m.types[c[pc + 1]];
          const idx = pop();
          const n = t.params.length;
          materializeTop(n);
          const arg = canon(vSlot.length - n) * 2;
          for (let i = 0; i < n; i++) pop();
          emit(X.CALL_INDIRECT, sigId(t), c[pc + 2], idx, arg);
          returnAt.push(out.n);
          if (rec !== undefined)
            rec.push({
              kind: 3,
              offset: out.n - entry,
              pos: insAt + 1,
              callee: -1,
              typeIndex: c[pc + 1],
              types: [...vType],
              slots: [...vSlot],
              arg,
            });
          for (const r of t.results) push(r);
        }
        pc += 3;
        break;
      }
      case 0x1a:
        if (!dead) pop();
        pc += 1;
        break;
      case 0x1b:
      case 0x1c: {
        if (!dead) {
          const cond = pop();
          const t = vType[vType.length - 1];
          const b = pop();
          const a = pop();
          const d = push(t);
          emitDst(isRef(t) ? X.SELECT_REF : t === V128 ? X.SELECT_V128 : X.SELECT, d, a, b, cond);
        }
        pc += op === 0x1b ? 1 : 2 + c[pc + 1];
        break;
      }
      case 0x20:
        if (!dead) pushLocal(c[pc + 1]);
        pc += 2;
        break;
      case 0x21:
      case 0x22: {
        if (!dead) {
          const x = c[pc + 1];
          const xs = localSlot[x];
          const top = vSlot.length - 1;
          // Any pending read of local x must see the old value.
          let conflict = false;
          for (let i = 0; i < top; i++) {
            if (vSlot[i] === xs) {
              conflict = true;
              materialize(i);
            }
          }
          if (vSlot[top] === xs) {
            // local.set x of local.get x: nothing to do.
          } else if (!conflict && lastDst >= 0 && vSlot[top] === canon(top) && out.a[lastDst] === canon(top) * 2) {
            out.a[lastDst] = xs * 2;
          } else {
            mov(localTypes[x], xs * 2, vSlot[top] * 2);
          }
          lastDst = -1;
          pop();
          if (op === 0x22) pushLocal(x);
        }
        pc += 2;
        break;
      }
      case 0x23: {
        if (!dead) {
          const g = c[pc + 1];
          const t = globalType(m, g);
          const d = push(t);
          emitDst(isRef(t) ? X.GLOBAL_GET_REF : t === V128 ? X.GLOBAL_GET_V128 : X.GLOBAL_GET, d, g);
        }
        pc += 2;
        break;
      }
      case 0x24: {
        if (!dead) {
          const g = c[pc + 1];
          const t = globalType(m, g);
          emit(isRef(t) ? X.GLOBAL_SET_REF : t === V128 ? X.GLOBAL_SET_V128 : X.GLOBAL_SET, g, pop());
        }
        pc += 2;
        break;
      }
      case 0x25: {
        if (!dead) {
          const idx = pop();
          const d = push(tableElem(m, c[pc + 1]));
          emitDst(X.TABLE_GET, d, c[pc + 1], idx);
        }
        pc += 2;
        break;
      }
      case 0x26: {
        if (!dead) {
          const v = pop();
          const idx = pop();
          emit(X.TABLE_SET, c[pc + 1], idx, v);
        }
        pc += 2;
        break;
      }
      case 0x3f:
        if (!dead) emitDst(X.MEMORY_SIZE, push(0x7f));
        pc += 1;
        break;
      case 0x40:
        if (!dead) {
          const a = pop();
          emitDst(X.MEMORY_GROW, push(0x7f), a);
        }
        pc += 1;
        break;
      case 0x41:
        if (!dead) emitDst(X.CONST32, push(0x7f), c[pc + 1]);
        pc += 2;
        break;
      case 0x42:
        if (!dead) emitDst(X.CONST64, push(0x7e), c[pc + 1], c[pc + 2]);
        pc += 3;
        break;
      case 0x43:
        if (!dead) emitDst(X.CONST32, push(0x7d), c[pc + 1]);
        pc += 2;
        break;
      case 0x44:
        if (!dead) emitDst(X.CONST64, push(0x7c), c[pc + 1], c[pc + 2]);
        pc += 3;
        break;
      case 0x00:
        if (!dead) {
          emit(X.UNREACHABLE);
          dead = true;
        }
        pc += 1;
        break;
      case 0x01:
        pc += 1;
        break;
      case 0xd0:
        if (!dead) emitDst(X.REF_NULL, push(c[pc + 1]));
        pc += 2;
        break;
      case 0xd1:
        if (!dead) {
          const a = pop();
          emitDst(X.REF_IS_NULL, push(0x7f), a);
        }
        pc += 1;
        break;
      case 0xd2:
        if (!dead) emitDst(X.REF_FUNC, push(FUNCREF), c[pc + 1]);
        pc += 2;
        break;
      case 0x108:
      case 0x10a:
      case 0x10b: {
        if (!dead) {
          const n = pop();
          const s = pop();
          const d = pop();
          if (op === 0x108) emit(X.MEMORY_INIT, c[pc + 1], d, s, n);
          else emit(op === 0x10a ? X.MEMORY_COPY : X.MEMORY_FILL, d, s, n);
        }
        pc += op === 0x108 ? 2 : 1;
        break;
      }
      case 0x109:
        if (!dead) emit(X.DATA_DROP, c[pc + 1]);
        pc += 2;
        break;
      case 0x10c:
      case 0x10e: {
        if (!dead) {
          const n = pop();
          const s = pop();
          const d = pop();
          emit(op === 0x10c ? X.TABLE_INIT : X.TABLE_COPY, c[pc + 1], c[pc + 2], d, s, n);
        }
        pc += 3;
        break;
      }
      case 0x10d:
        if (!dead) emit(X.ELEM_DROP, c[pc + 1]);
        pc += 2;
        break;
      case 0x10f: {
        if (!dead) {
          const n = pop();
          const init = pop();
          emitDst(X.TABLE_GROW, push(0x7f), c[pc + 1], init, n);
        }
        pc += 2;
        break;
      }
      case 0x110:
        if (!dead) emitDst(X.TABLE_SIZE, push(0x7f), c[pc + 1]);
        pc += 2;
        break;
      case 0x111: {
        if (!dead) {
          const n = pop();
          const v = pop();
          const i = pop();
          emit(X.TABLE_FILL, c[pc + 1], i, v, n);
        }
        pc += 2;
        break;
      }
      default: {
        if (op >= SIMD_BASE) {
          pc += compileSimd(op, pc);
          break;
        }
        // Loads 0x28..0x35 and stores 0x36..0x3e.
        if (!dead) {
          const offset = c[pc + 2];
          if (op <= 0x35) {
            const a = pop();
            const t = LOAD_TYPES[op - 0x28];
            if (
              (op === 0x28 || op === 0x2b) &&
              lastDst >= 0 &&
              out.a[lastDst - 1] === X.I32_SHL_IMM &&
              out.a[lastDst] === a &&
              lastDst + 3 === out.n &&
              a === canon(vSlot.length) * 2
            ) {
              // i32.shl x k feeding only this load: one op computing (x << k) + offset.
              const x = out.a[lastDst + 1];
              const k = out.a[lastDst + 2];
              if (
                prevOp >= 0 &&
                prevOp + 5 === lastDst - 1 &&
                out.a[prevOp] === X.I32_MUL_ADD &&
                out.a[prevOp + 1] === x &&
                x === a
              ) {
                // ... and x = p * q + r, into the same temp: a 2-D index (row * n + col) << k, one op.
                const p = out.a[prevOp + 2];
                const q = out.a[prevOp + 3];
                const r = out.a[prevOp + 4];
                out.n = prevOp;
                lastOp = prevOp = -1;
                emitDst(op === 0x28 ? X.I32_LOAD_MAD_SHL : X.F64_LOAD_MAD_SHL, push(t), p, q, r, k, offset);
              } else {
                out.n = lastDst - 1;
                emitDst(op === 0x28 ? X.I32_LOAD_SHL : X.F64_LOAD_SHL, push(t), x, k, offset);
              }
            } else if (
              (op === 0x28 || op === 0x2b) &&
              lastDst >= 0 &&
              out.a[lastDst - 1] === X.I32_ADD_SHL &&
              out.a[lastDst] === a &&
              lastDst + 4 === out.n &&
              a === canon(vSlot.length) * 2
            ) {
              // base + (x << k) feeding only this load.
              const base = out.a[lastDst + 1];
              const x = out.a[lastDst + 2];
              const k = out.a[lastDst + 3];
              out.n = lastDst - 1;
              emitDst(op === 0x28 ? X.I32_LOAD_ADD_SHL : X.F64_LOAD_ADD_SHL, push(t), base, x, k, offset);
            } else if (
              (op === 0x28 || op === 0x2b || op === 0x2c || op === 0x2d) &&
              lastDst >= 0 &&
              (out.a[lastDst - 1] === X.I32_ADD_IMM || out.a[lastDst - 1] === 0x6a) &&
              out.a[lastDst] === a &&
              lastDst + 3 === out.n &&
              a === canon(vSlot.length) * 2
            ) {
              // base + k or base + index feeding only this load: the add done by the load (wrapping as i32.add).
              const x = out.a[lastDst + 1];
              const y = out.a[lastDst + 2];
              const kind = op === 0x28 ? 0 : op === 0x2b ? 1 : op === 0x2c ? 2 : 3;
              const base = out.a[lastDst - 1] === X.I32_ADD_IMM ? X.I32_LOAD_ADD_IMM : X.I32_LOAD_ADD;
              out.n = lastDst - 1;
              emitDst(base + kind, push(t), x, y, offset);
            } else {
              emitDst(op, push(t), a, offset);
            }
          } else {
            const v = pop();
            const vc = canon(vSlot.length) * 2;
            const a = pop();
            if (
              (op === 0x36 || op === 0x3a || op === 0x3b) &&
              lastDst >= 0 &&
              out.a[lastDst - 1] === X.CONST32 &&
              lastDst + 2 === out.n &&
              out.a[lastDst] === v &&
              v === vc &&
              a !== v
            ) {
              // An i32.const stored right away (into a temp only this store reads): the value as an immediate.
              const k = out.a[lastDst + 1];
              out.n = lastDst - 1;
              emit(op === 0x36 ? X.I32_STORE_IMM : op === 0x3a ? X.I32_STORE8_IMM : X.I32_STORE16_IMM, a, k, offset);
            } else {
              emit(op, a, v, offset);
            }
          }
        }
        pc += 3;
      }
    }
  }
  if (fuelPos >= 0) out.a[fuelPos] = Math.max(1, fuelCount);
  pairOps(out.a, starts);
  let hasRefLocals = false;
  for (let i = type.params.length; i < localTypes.length; i++) if (isRef(localTypes[i])) hasRefLocals = true;
  // Keep only the points that still stand at an op of their kind (a later peephole may have rewritten one).
  const end = out.n;
  const code = out.a;
  const fuelPoints = Int32Array.from(fuelAt.filter((p) => p < end && code[p] === X.FUEL).map((p) => p - entry));
  const returnPoints = Int32Array.from(
    returnAt
      .filter((p) => p <= end && (code[p - 3] === X.CALL || (p - 5 >= entry && code[p - 5] === X.CALL_INDIRECT)))
      .map((p) => p - entry),
  );
  return {
    entry,
    nParams: nParamSlots,
    nLocals,
    frameSize: nLocals + maxH + 1,
    hasRefLocals,
    end,
    fuelPoints,
    returnPoints,
  };

  /** Compiles the SIMD instruction at `at`; returns its length in the decoded stream. */
  function compileSimd(op: number, at: number): number {
    const sub = op - SIMD_BASE;
    const sig = SIMD_SIG[sub]!;
    if (sub === 0x0c) {
      if (!dead) emitDst(X.V128_CONST, push(V128), c[at + 1], c[at + 2], c[at + 3], c[at + 4]);
      return 5;
    }
    if (sub === 0x0d) {
      if (!dead) {
        const y = pop();
        const x = pop();
        emitDst(op, push(V128), x, y);
        // Each lane as the byte offset of its source from the frame base (x, y are int32 offsets).
        for (let i = 1; i <= 16; i++) {
          const l = c[at + i];
          out.push(l < 16 ? 4 * x + l : 4 * y + l - 16);
        }
      }
      return 17;
    }
    let len = 1;
    let offset = NaN;
    let lane = NaN;
    if (sig.align >= 0) {
      offset = c[at + 2];
      len = 3;
    }
    if (sig.lanes > 0) lane = c[at + len++];
    if (dead) return len;
    const n = sig.params.length;
    const z = pop();
    const y = n >= 2 ? pop() : NaN;
    const x = n >= 3 ? pop() : NaN;
    // Operands in order, then the memory offset, then the lane.
    const ops = n === 1 ? [z] : n === 2 ? [y, z] : [x, y, z];
    if (offset === offset) ops.push(offset);
    if (lane === lane) ops.push(lane);
    if (sig.result !== 0) emitDst(op, push(sig.result), ops[0], ops[1], ops[2], ops[3], ops[4]);
    else emit(op, ops[0], ops[1], ops[2], ops[3], ops[4]);
    return len;
  }

  function emitReturn() {
    const n = type.results.length;
    if (n === 0) {
      emit(X.RET0);
      return;
    }
    materializeTop(n);
    const src = canon(vSlot.length - n) * 2;
    let slots = 0;
    for (const t of type.results) slots += t === V128 ? 2 : 1;
    if (n === 1 && !isRef(type.results[0]) && slots === 1) emit(X.RET1, src);
    else emit(X.RET, src, slots);
  }
}

/** Length in words of the ops that may start a pair (see PAIRS). */
const PAIR_LEN: Record<number, number | undefined> = {
  [X.MOV]: 3,
  0x6a: 4,
  [X.I32_ADD_IMM]: 4,
  [X.I32_SHL_IMM]: 4,
  0x3a: 4,
  0x2d: 4,
  [X.I32_LOAD_ADD_IMM]: 5,
  [X.I32_LOAD8_U_ADD_IMM]: 5,
  [X.I32_SHL_ADD_IMM]: 5,
  [X.F64_LOAD_ADD_IMM]: 5,
  0xa2: 4,
  0x2b: 4,
  0xa0: 4,
  [X.I32_ROTL_IMM]: 4,
  0x71: 4,
  [X.I32_LOAD8_U_ADD]: 5,
  0x73: 4,
  [X.I32_LOAD_ADD]: 5,
  [X.I32_AND_IMM]: 4,
};
/**
 * Adjacent ops run by one dispatch, by [first op][second op]: the most frequent executed pairs over the bench's
 * C kernels (bench/op-pairs.mjs) whose two ops stay separate after the fusions above (the first one's result
 * goes to a local, or the two are independent). The pair op runs the first op, then the second, as if
 * dispatched one after the other.
 */
const PAIRS: Record<number, Record<number, number | undefined> | undefined> = {
  [X.MOV]: { [X.MOV]: X.MOV_MOV, [X.ADD_IMM_BR_IF_LOOP_LT_U]: X.MOV_ADD_IMM_BR_IF_LOOP_LT_U },
  0x6a: {
    0x6a: X.ADD_ADD,
    [X.I32_ADD_IMM]: X.ADD_ADD_IMM,
    [X.I32_STORE8_IMM]: X.ADD_STORE8_IMM,
    [X.BR_IF_LOOP_LT_U_IMM]: X.ADD_BR_IF_LOOP_LT_U_IMM,
    [X.I32_LOAD_ADD_IMM]: X.ADD_LOAD_ADD_IMM,
    [X.BR_IF_EQ_IMM]: X.ADD_BR_IF_EQ_IMM,
  },
  [X.I32_ADD_IMM]: {
    [X.BR_IF_GT_U_IMM]: X.ADD_IMM_BR_IF_GT_U_IMM,
    [X.BR_IF_NE_IMM]: X.ADD_IMM_BR_IF_NE_IMM,
    [X.BR_LOOP]: X.ADD_IMM_BR_LOOP,
    [X.I32_LOAD_ADD_IMM]: X.ADD_IMM_LOAD_ADD_IMM,
    [X.ADD_IMM_BR_IF_LOOP_NE]: X.ADD_IMM_ADD_IMM_BR_IF_LOOP_NE,
  },
  [X.I32_SHL_IMM]: { [X.I32_ADD_IMM]: X.SHL_IMM_ADD_IMM },
  0x3a: { [X.I32_ADD_IMM]: X.STORE8_ADD_IMM },
  0x2d: { 0x3a: X.LOAD8_U_STORE8 },
  [X.I32_LOAD_ADD_IMM]: { [X.I32_LOAD8_U_ADD_IMM]: X.LOAD_ADD_IMM_LOAD8_U_ADD_IMM },
  [X.I32_LOAD8_U_ADD_IMM]: { [X.BR_TABLE]: X.LOAD8_U_ADD_IMM_BR_TABLE, [X.BR_IF_EQ]: X.LOAD8_U_ADD_IMM_BR_IF_EQ },
  [X.I32_SHL_ADD_IMM]: { 0x28: X.SHL_ADD_IMM_LOAD },
  [X.F64_LOAD_ADD_IMM]: { [X.F64_LOAD_ADD]: X.F64_LOAD_ADD_IMM_F64_LOAD_ADD },
  0xa2: { 0x2b: X.F64_MUL_F64_LOAD },
  0x2b: { [X.F64_MUL_ADD]: X.F64_LOAD_F64_MUL_ADD },
  0xa0: { 0x6a: X.F64_ADD_ADD },
  [X.I32_ROTL_IMM]: { [X.I32_XOR_ROTL]: X.ROTL_XOR_ROTL },
  0x71: { 0x6a: X.AND_ADD, 0x73: X.AND_XOR },
  [X.I32_LOAD8_U_ADD]: { 0x6a: X.LOAD8_U_ADD_ADD, [X.BR_LOOP]: X.LOAD8_U_ADD_BR_LOOP },
  0x73: { 0x71: X.XOR_AND },
  [X.I32_LOAD_ADD]: { [X.I32_ADD_IMM]: X.LOAD_ADD_ADD_IMM },
  [X.I32_AND_IMM]: { [X.BR_IF_EQZ]: X.AND_IMM_BR_IF_EQZ },
};
/** Length in words of the pair ops that may start a pair of pairs (see PAIRS2). */
const PAIR2_LEN: Record<number, number | undefined> = {
  [X.MOV_MOV]: 6,
  [X.ROTL_XOR_ROTL]: 9,
  [X.ADD_STORE8_IMM]: 8,
};
/**
 * The second pass: a pair op (or a lone op) followed by another, run by one dispatch, by [first][second] as
 * they stand after the first pass (a rotation of four locals; the three rotates or shifts xored together of
 * SHA-2's sigma functions and of other hashes).
 */
const PAIRS2: Record<number, Record<number, number | undefined> | undefined> = {
  [X.MOV_MOV]: { [X.MOV_MOV]: X.MOV4 },
  [X.ROTL_XOR_ROTL]: { [X.I32_XOR_ROTL]: X.ROTL_XOR_ROTL_XOR_ROTL, [X.I32_XOR_SHR_U]: X.ROTL_XOR_ROTL_XOR_SHR_U },
  [X.ADD_STORE8_IMM]: { [X.ADD_BR_IF_LOOP_LT_U_IMM]: X.ADD_STORE8_IMM_ADD_BR_IF_LOOP_LT_U_IMM },
};

/**
 * Rewrites the first op of each adjacent pair in PAIRS (left to right, an op in at most one pair) to the pair
 * op. Nothing moves: the second op keeps its opcode word, so a branch to it still runs it alone, and every
 * label, fuel point and return point stays where it is. `starts` are the body's op starts, ascending.
 */
function pairOps(code: Int32Array, starts: readonly number[]): void {
  // The op starts after the first pass (a pair counts as one op), for the second.
  const merged: number[] = [];
  for (let i = 0; i < starts.length; i++) {
    const s = starts[i];
    merged.push(s);
    const len = PAIR_LEN[code[s]];
    if (len === undefined || i + 1 >= starts.length || starts[i + 1] !== s + len) continue;
    const p = PAIRS[code[s]]?.[code[s + len]];
    if (p !== undefined) {
      code[s] = p;
      i++;
    }
  }
  for (let i = 0; i + 1 < merged.length; i++) {
    const s = merged[i];
    const len = PAIR2_LEN[code[s]];
    if (len === undefined || merged[i + 1] !== s + len) continue;
    const p = PAIRS2[code[s]]?.[code[s + len]];
    if (p !== undefined) {
      code[s] = p;
      i++;
    }
  }
}

/** i32.xor / i32.add of a constant shift or rotate: the fused op, by [binary op][shift op]. */
const FUSED_SHIFT: Record<number, Record<number, number | undefined> | undefined> = {
  0x73: { [X.I32_SHR_U_IMM]: X.I32_XOR_SHR_U, [X.I32_SHL_IMM]: X.I32_XOR_SHL, [X.I32_ROTL_IMM]: X.I32_XOR_ROTL },
  0x6a: { [X.I32_ROTL_IMM]: X.I32_ADD_ROTL },
  0x85: { [X.I64_SHR_U_IMM]: X.I64_XOR_SHR_U_IMM, [X.I64_SHL_IMM]: X.I64_XOR_SHL_IMM },
};

/** A `br` back to a loop whose header op (right after its FUEL) is one of these runs that test itself. */
const ROTATED: Record<number, number | undefined> = {
  [X.BR_IF]: X.BR_LOOP_IF,
  [X.BR_UNLESS]: X.BR_LOOP_UNLESS,
  [X.BR_IF_EQZ]: X.BR_LOOP_EQZ,
  [X.BR_IF_EQ]: X.BR_LOOP_EQ,
  [X.BR_IF_NE]: X.BR_LOOP_NE,
  [X.BR_IF_LT_S]: X.BR_LOOP_LT_S,
  [X.BR_IF_LT_U]: X.BR_LOOP_LT_U,
  [X.BR_IF_GT_S]: X.BR_LOOP_GT_S,
  [X.BR_IF_GT_U]: X.BR_LOOP_GT_U,
  [X.BR_IF_LE_S]: X.BR_LOOP_LE_S,
  [X.BR_IF_LE_U]: X.BR_LOOP_LE_U,
  [X.BR_IF_GE_S]: X.BR_LOOP_GE_S,
  [X.BR_IF_GE_U]: X.BR_LOOP_GE_U,
};

/** Conditional branches back to a loop header: the taken edge charges the header's FUEL and skips it. */
const COND_LOOP: Record<number, number | undefined> = {
  [X.BR_IF]: X.BR_IF_LOOP,
  [X.BR_IF_EQZ]: X.BR_IF_LOOP_EQZ,
  [X.BR_IF_EQ]: X.BR_IF_LOOP_EQ,
  [X.BR_IF_NE]: X.BR_IF_LOOP_NE,
  [X.BR_IF_LT_S]: X.BR_IF_LOOP_LT_S,
  [X.BR_IF_LT_U]: X.BR_IF_LOOP_LT_U,
  [X.BR_IF_GT_S]: X.BR_IF_LOOP_GT_S,
  [X.BR_IF_GT_U]: X.BR_IF_LOOP_GT_U,
  [X.BR_IF_LE_S]: X.BR_IF_LOOP_LE_S,
  [X.BR_IF_LE_U]: X.BR_IF_LOOP_LE_U,
  [X.BR_IF_GE_S]: X.BR_IF_LOOP_GE_S,
  [X.BR_IF_GE_U]: X.BR_IF_LOOP_GE_U,
};

/** Conditional back edges that an i32.add of a constant just before joins (the most frequent in compiled C). */
const ADD_IMM_COND_LOOP: Record<number, number | undefined> = {
  [X.BR_IF_LOOP]: X.ADD_IMM_BR_IF_LOOP,
  [X.BR_IF_LOOP_NE]: X.ADD_IMM_BR_IF_LOOP_NE,
  [X.BR_IF_LOOP_LT_U]: X.ADD_IMM_BR_IF_LOOP_LT_U,
  [X.BR_IF_LOOP_LT_S]: X.ADD_IMM_BR_IF_LOOP_LT_S,
  [X.BR_IF_LOOP_NE_IMM]: X.ADD_IMM_BR_IF_LOOP_NE_IMM,
  [X.BR_IF_LOOP_LT_U_IMM]: X.ADD_IMM_BR_IF_LOOP_LT_U_IMM,
  [X.BR_IF_LOOP_LT_S_IMM]: X.ADD_IMM_BR_IF_LOOP_LT_S_IMM,
};

/** i32 comparison opcodes 0x46..0x4f with their operands swapped (a < b is b > a). */
const CMP_MIRROR = [0x46, 0x47, 0x4a, 0x4b, 0x48, 0x49, 0x4e, 0x4f, 0x4c, 0x4d];
/** ... and negated (the else arm of an `if`): not (a < b) is a >= b. */
const CMP_NEGATE = [0x47, 0x46, 0x4e, 0x4f, 0x4c, 0x4d, 0x4a, 0x4b, 0x48, 0x49];
const FUSED_BR: Record<number, number | undefined> = {
  0x45: X.BR_IF_EQZ,
  0x46: X.BR_IF_EQ,
  0x47: X.BR_IF_NE,
  0x48: X.BR_IF_LT_S,
  0x49: X.BR_IF_LT_U,
  0x4a: X.BR_IF_GT_S,
  0x4b: X.BR_IF_GT_U,
  0x4c: X.BR_IF_LE_S,
  0x4d: X.BR_IF_LE_U,
  0x4e: X.BR_IF_GE_S,
  0x4f: X.BR_IF_GE_U,
};

/** Immediate forms of i32 ops 0x6a..0x78 (add/sub handled as I32_ADD_IMM, rotr as rotl). */
const I32_IMM: (number | undefined)[] = [
  X.I32_ADD_IMM,
  X.I32_ADD_IMM,
  X.I32_MUL_IMM,
  undefined,
  undefined,
  undefined,
  undefined,
  X.I32_AND_IMM,
  X.I32_OR_IMM,
  X.I32_XOR_IMM,
  X.I32_SHL_IMM,
  X.I32_SHR_S_IMM,
  X.I32_SHR_U_IMM,
  X.I32_ROTL_IMM,
  X.I32_ROTL_IMM,
];
const I32_COMMUTES = [1, 0, 1, 0, 0, 0, 0, 1, 1, 1, 0, 0, 0, 0, 0];
/** Immediate forms of i64 ops 0x7c..0x85 (commutative ones only). */
const I64_IMM: (number | undefined)[] = [
  X.I64_ADD_IMM,
  undefined,
  X.I64_MUL_IMM,
  undefined,
  undefined,
  undefined,
  undefined,
  X.I64_AND_IMM,
  X.I64_OR_IMM,
  X.I64_XOR_IMM,
];

/** `if` on an i32 comparison: jump to the else arm when the inverse comparison holds. */
const IF_FUSED: Record<number, number | undefined> = {
  0x45: X.BR_IF,
  0x46: X.BR_IF_NE,
  0x47: X.BR_IF_EQ,
  0x48: X.BR_IF_GE_S,
  0x49: X.BR_IF_GE_U,
  0x4a: X.BR_IF_LE_S,
  0x4b: X.BR_IF_LE_U,
  0x4c: X.BR_IF_GT_S,
  0x4d: X.BR_IF_GT_U,
  0x4e: X.BR_IF_LT_S,
  0x4f: X.BR_IF_LT_U,
};
for (let i = 0; i < 10; i++) {
  // Comparisons with a constant: br_if on one, an `if` on one (branch to else on the negation), br_if to a loop.
  FUSED_BR[X.I32_EQ_IMM + i] = X.BR_IF_EQ_IMM + i;
  IF_FUSED[X.I32_EQ_IMM + i] = X.BR_IF_EQ_IMM + CMP_NEGATE[i] - 0x46;
  COND_LOOP[X.BR_IF_EQ_IMM + i] = X.BR_IF_LOOP_EQ_IMM + i;
}

const LOAD_TYPES = [0x7f, 0x7e, 0x7d, 0x7c, 0x7f, 0x7f, 0x7f, 0x7f, 0x7e, 0x7e, 0x7e, 0x7e, 0x7e, 0x7e];

function globalType(m: ModuleIR, g: number): number {
  let i = 0;
  for (const imp of m.imports) {
    if (imp.kind === 3) {
      if (i === g) return imp.global.type;
      i++;
    }
  }
  return m.globals[g - i].type.type;
}

function tableElem(m: ModuleIR, t: number): number {
  let i = 0;
  for (const imp of m.imports) {
    if (imp.kind === 1) {
      if (i === t) return imp.table.elem;
      i++;
    }
  }
  return m.tables[t - i].elem;
}
