import { WasmFunction, type FuelAccount } from './objects.js';
import { Machine } from './machine.js';

/**
 * Resumable state of one guest call; the dispatch loop loads it into locals and saves it when it stops.
 *
 * GC stability: the optimized dispatch loop embeds the maps of the objects it reads (this one, the Machine,
 * ...), and V8 holds those maps weakly. A map with no live object dies at the next major GC, taking the
 * optimized loop with it ("dependent code ... weak objects") and clearing the feedback it was built from, so
 * the loop ran slowly and re-optimized after every collection. These objects are therefore pooled (a few
 * always stay alive, keeping their maps) and every field starts with the representation it keeps (the fuel
 * counters start as a heap number, since budgets go past the small-integer range).
 */
export class LoopState {
  pc: number;
  /** Frame base as an Int32Array index (slot * 2). */
  b = 0;
  depth = 0;
  /** Fuel available to this run; what is left is written back. */
  fuel = -0;
  /** Host function whose promise the call waits on, and where its results go. */
  pendingFn: WasmFunction | null = null;
  pendingBase = 0;
  promise: PromiseLike<unknown> | null = null;
  maxDepthReached = 0;
  /** Fuel those re-entrant calls already charged to `account` (excluded when this call settles its own). */
  nestedFuel = -0;

  constructor(
    public machine: Machine,
    public fn: WasmFunction,
    public maxDepth: number,
    /** Fuel account charged by this call; re-entrant guest calls made by host functions charge it too. */
    public account: FuelAccount,
  ) {
    this.pc = fn.entry;
  }
}

const free: LoopState[] = [];

/** A LoopState for a new call (from the pool when one is free). */
export function acquireState(machine: Machine, fn: WasmFunction, maxDepth: number, account: FuelAccount): LoopState {
  const st = free.pop();
  if (st === undefined) return new LoopState(machine, fn, maxDepth, account);
  st.machine = machine;
  st.fn = fn;
  st.maxDepth = maxDepth;
  st.account = account;
  st.pc = fn.entry;
  st.b = 0;
  st.depth = 0;
  st.fuel = 0;
  st.pendingFn = null;
  st.pendingBase = 0;
  st.promise = null;
  st.maxDepthReached = 0;
  st.nestedFuel = 0;
  return st;
}

let idle: { machine: Machine; fn: WasmFunction; account: FuelAccount } | null = null;

/**
 * Returns a finished call's state to the pool, pointing at idle placeholders meanwhile so it keeps no guest
 * instance, stack or promise alive.
 */
export function releaseState(st: LoopState): void {
  if (idle === null) {
    idle = {
      machine: new Machine(0),
      fn: new WasmFunction({ params: [], results: [] }),
      account: { remaining: 0, used: 0, debt: 0, callDepth: 0, maxCallDepthReached: 0 },
    };
  }
  st.machine = idle.machine;
  st.fn = idle.fn;
  st.account = idle.account;
  st.pendingFn = null;
  st.promise = null;
  if (free.length < 8) free.push(st);
}
