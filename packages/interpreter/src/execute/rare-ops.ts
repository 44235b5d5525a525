import { FaygerError } from '@fayger/contracts';
import { X } from '../compile/exec-ops.js';
import { bulkFuel, type InstanceCtx, type WasmTable } from './objects.js';
import type { Machine } from './machine.js';
import { Trap } from '@fayger/wasm';

const EMPTY: unknown[] = [];

/** Reference, table and bulk-memory instructions: executed outside the hot loop. Returns the next pc. */
export function rareOp(inst: InstanceCtx, m: Machine, code: Int32Array, pc: number, b: number): number {
  const I32 = m.I32;
  const refs = m.refs;
  const r = (o: number) => (b + code[pc + o]) >> 1;
  const u = (o: number) => I32[b + code[pc + o]] >>> 0;
  switch (code[pc]) {
    case X.REF_NULL:
      refs[r(1)] = null;
      return pc + 2;
    case X.REF_IS_NULL:
      I32[b + code[pc + 1]] = refs[r(2)] === null ? 1 : 0;
      return pc + 3;
    case X.REF_FUNC:
      refs[r(1)] = inst.funcs[code[pc + 2]];
      return pc + 3;
    case X.GLOBAL_GET_REF:
      refs[r(1)] = inst.globals[code[pc + 2]].ref;
      return pc + 3;
    case X.GLOBAL_SET_REF:
      inst.globals[code[pc + 1]].ref = refs[r(2)];
      return pc + 3;
    case X.TABLE_GET: {
      const t = inst.tables[code[pc + 2]];
      const i = u(3);
      if (i >= t.elements.length) throw new Trap('TRAP_TABLE_OUT_OF_BOUNDS', { index: i, size: t.elements.length });
      refs[r(1)] = t.elements[i];
      return pc + 4;
    }
    case X.TABLE_SET: {
      const t = inst.tables[code[pc + 1]];
      const i = u(2);
      if (i >= t.elements.length) throw new Trap('TRAP_TABLE_OUT_OF_BOUNDS', { index: i, size: t.elements.length });
      t.elements[i] = refs[r(3)];
      return pc + 4;
    }
    case X.TABLE_SIZE:
      I32[b + code[pc + 1]] = inst.tables[code[pc + 2]].elements.length;
      return pc + 3;
    case X.TABLE_GROW: {
      const t = inst.tables[code[pc + 2]];
      const n = u(4);
      const old = t.grow(n, refs[r(3)]);
      I32[b + code[pc + 1]] = old;
      if (old >= 0) inst.fuel.debt += bulkFuel(8 * n);
      return pc + 5;
    }
    case X.TABLE_FILL: {
      const t = inst.tables[code[pc + 1]];
      const i = u(2),
        v = refs[r(3)],
        n = u(4);
      if (i + n > t.elements.length) throw new Trap('TRAP_TABLE_OUT_OF_BOUNDS', { index: i, length: n });
      for (let k = 0; k < n; k++) t.elements[i + k] = v;
      inst.fuel.debt += bulkFuel(8 * n);
      return pc + 5;
    }
    case X.TABLE_INIT: {
      const seg = inst.elems[code[pc + 1]] ?? EMPTY;
      tableInit(inst.tables[code[pc + 2]], seg, u(3), u(4), u(5));
      inst.fuel.debt += bulkFuel(8 * u(5));
      return pc + 6;
    }
    case X.ELEM_DROP:
      inst.elems[code[pc + 1]] = EMPTY;
      return pc + 2;
    case X.TABLE_COPY: {
      const dt = inst.tables[code[pc + 1]],
        srcT = inst.tables[code[pc + 2]];
      const d = u(3),
        s = u(4),
        n = u(5);
      if (s + n > srcT.elements.length || d + n > dt.elements.length)
        throw new Trap('TRAP_TABLE_OUT_OF_BOUNDS', { length: n });
      if (d <= s) for (let k = 0; k < n; k++) dt.elements[d + k] = srcT.elements[s + k];
      else for (let k = n - 1; k >= 0; k--) dt.elements[d + k] = srcT.elements[s + k];
      inst.fuel.debt += bulkFuel(8 * n);
      return pc + 6;
    }
    case X.MEMORY_INIT: {
      const seg = inst.datas[code[pc + 1]] ?? new Uint8Array(0);
      memoryInit(inst, seg, u(2), u(3), u(4));
      inst.fuel.debt += bulkFuel(u(4));
      return pc + 5;
    }
    case X.DATA_DROP:
      inst.datas[code[pc + 1]] = null;
      return pc + 2;
    case X.MEMORY_COPY: {
      const mem = inst.memory!;
      const d = u(1),
        s = u(2),
        n = u(3);
      if (s + n > mem.u8.length || d + n > mem.u8.length) throw new Trap('TRAP_MEMORY_OUT_OF_BOUNDS', { length: n });
      mem.u8.copyWithin(d, s, s + n);
      inst.fuel.debt += bulkFuel(n);
      return pc + 4;
    }
    case X.MEMORY_FILL: {
      const mem = inst.memory!;
      const d = u(1),
        v = I32[b + code[pc + 2]] & 0xff,
        n = u(3);
      if (d + n > mem.u8.length) throw new Trap('TRAP_MEMORY_OUT_OF_BOUNDS', { length: n });
      mem.u8.fill(v, d, d + n);
      inst.fuel.debt += bulkFuel(n);
      return pc + 4;
    }
    default:
      throw new FaygerError({
        code: 'INTERNAL',
        phase: 'execute',
        message: `unknown compiled opcode ${code[pc]} at ${pc}`,
      });
  }
}

export function tableInit(t: WasmTable, seg: readonly unknown[], d: number, s: number, n: number): void {
  if (s + n > seg.length || d + n > t.elements.length)
    throw new Trap('TRAP_TABLE_OUT_OF_BOUNDS', { offset: d, length: n });
  for (let k = 0; k < n; k++) t.elements[d + k] = seg[s + k];
}

export function memoryInit(inst: InstanceCtx, seg: Uint8Array, d: number, s: number, n: number): void {
  const mem = inst.memory!;
  if (s + n > seg.length || d + n > mem.u8.length)
    throw new Trap('TRAP_MEMORY_OUT_OF_BOUNDS', { offset: d, length: n });
  mem.u8.set(seg.subarray(s, s + n), d);
}
