import type { FaygerError } from '@fayger/contracts';
import { trap } from '../execute/trap.js';

/** What a resumable start-function execution looks like to `runStartFunction` (the interpreter's and the transpiler's). */
export interface StartExecution {
  run(options: {
    fuel?: number;
  }):
    | { readonly status: 'completed' }
    | { readonly status: 'suspended' }
    | { readonly status: 'waiting'; readonly settled: Promise<void> }
    | { readonly status: 'trapped'; readonly error: FaygerError };
  abort(): void;
  readonly fuelUsed: number;
}

export interface StartOptions {
  /** Fuel the start function may use; beyond it TRAP_FUEL_EXHAUSTED. */
  readonly startFuel?: number;
  /** Run in slices of `fuel` units and await `between()` after each; its error abandons the start function. */
  readonly startSlices?: { readonly fuel: number; readonly between: () => void | Promise<void> };
}

/**
 * Runs a module's start function to completion, waiting on host promises, bounded by `startFuel` and, with
 * `startSlices`, yielding to the host after every slice (which checks wall time and termination there).
 */
export async function runStartFunction(ex: StartExecution, options: StartOptions): Promise<void> {
  const limit = options.startFuel ?? Infinity;
  const slice = options.startSlices && options.startSlices.fuel > 0 ? options.startSlices.fuel : Infinity;
  for (;;) {
    const budget = Math.min(slice, limit - ex.fuelUsed);
    const r = ex.run(Number.isFinite(budget) ? { fuel: Math.max(1, budget) } : {});
    if (r.status === 'completed') return;
    if (r.status === 'trapped') throw r.error;
    if (r.status === 'waiting') await r.settled;
    if (r.status === 'suspended' && ex.fuelUsed >= limit) {
      ex.abort();
      throw trap('TRAP_FUEL_EXHAUSTED', { fuelUsed: ex.fuelUsed, startFuel: limit });
    }
    if (options.startSlices) {
      try {
        const wait = options.startSlices.between();
        if (wait) await wait;
      } catch (err) {
        ex.abort();
        throw err;
      }
    }
  }
}
