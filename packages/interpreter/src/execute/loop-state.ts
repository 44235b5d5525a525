import type { FuelAccount, WasmFunction } from './objects.js';
import type { Machine } from './machine.js';

/** Resumable state of one guest call; the dispatch loop loads it into locals and saves it when it stops. */
export interface LoopState {
  machine: Machine;
  pc: number;
  /** Frame base as an Int32Array index (slot * 2). */
  b: number;
  depth: number;
  fn: WasmFunction;
  maxDepth: number;
  /** Fuel available to this run; what is left is written back. */
  fuel: number;
  /** Host function whose promise the call waits on, and where its results go. */
  pendingFn: WasmFunction | null;
  pendingBase: number;
  promise: PromiseLike<unknown> | null;
  maxDepthReached: number;
  /** Fuel account charged by this call; re-entrant guest calls made by host functions charge it too. */
  account: FuelAccount;
  /** Fuel those re-entrant calls already charged to `account` (excluded when this call settles its own). */
  nestedFuel: number;
}
