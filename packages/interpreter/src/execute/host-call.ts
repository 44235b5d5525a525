import type { InstanceCtx, WasmFunction } from './objects.js';
import type { LoopState } from './loop-state.js';
import { readRaw, writeRaw } from './values.js';
import { Trap } from '@fayger/wasm';
import type { RawValue } from '../api/types.js';
import { V128 } from '@fayger/wasm';

export interface PendingHost {
  promise: PromiseLike<unknown> | null;
}

/**
 * Calls a host function with arguments read from slot `base`; writes its results back there. Returns true when
 * the host returned a promise: the caller suspends and `st.pending*` says where the results go.
 */
export function callHost(st: LoopState & PendingHost, f: WasmFunction, base: number, _caller: InstanceCtx): boolean {
  const m = st.machine;
  const I32 = m.I32;
  const host = f.host!;
  let r: unknown;
  const usedBefore = st.account.used;
  try {
    if (f.allI32) {
      const n = f.irType.params.length;
      r =
        n === 0
          ? host()
          : n === 1
            ? host(I32[base] >>> 0)
            : n === 2
              ? host(I32[base] >>> 0, I32[base + 2] >>> 0)
              : n === 3
                ? host(I32[base] >>> 0, I32[base + 2] >>> 0, I32[base + 4] >>> 0)
                : host(...readArgs(m.I32, m.refs, base, f.irType.params));
    } else {
      r = host(...readArgs(m.I32, m.refs, base, f.irType.params));
    }
  } catch (e) {
    throw new Trap('TRAP_HOST_ERROR', { import: f.index }, e);
  }
  const nested = st.account.used - usedBefore;
  if (nested !== 0) {
    // The host re-entered the guest and that call charged the shared account: spend it from this slice too.
    st.fuel -= nested;
    st.nestedFuel += nested;
  }
  if (r !== null && typeof r === 'object' && typeof (r as PromiseLike<unknown>).then === 'function') {
    st.pendingFn = f;
    st.pendingBase = base;
    st.promise = r as PromiseLike<unknown>;
    return true;
  }
  writeHostResults(st.machine.I32, st.machine.refs, base, f, r);
  return false;
}

export function readArgs(I32: Int32Array, refs: unknown[], base: number, types: readonly number[]): RawValue[] {
  const args: RawValue[] = new Array(types.length);
  for (let i = 0, s = base; i < types.length; i++) {
    args[i] = readRaw(I32, refs, s, types[i]);
    s += types[i] === V128 ? 4 : 2;
  }
  return args;
}

export function writeHostResults(I32: Int32Array, refs: unknown[], base: number, f: WasmFunction, r: unknown): void {
  const rs = f.irType.results;
  if (rs.length === 0) return;
  try {
    if (rs.length === 1) {
      writeRaw(I32, refs, base, rs[0], r);
      return;
    }
    const arr = r as RawValue[];
    if (!Array.isArray(arr) || arr.length !== rs.length)
      throw new TypeError(`host function must return an array of ${rs.length} values`);
    for (let i = 0, s = base; i < rs.length; i++) {
      writeRaw(I32, refs, s, rs[i], arr[i]);
      s += rs[i] === V128 ? 4 : 2;
    }
  } catch (e) {
    throw new Trap('TRAP_HOST_ERROR', { import: f.index }, e);
  }
}
