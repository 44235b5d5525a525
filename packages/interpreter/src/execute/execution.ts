import { FaygerError } from '@fayger/contracts';
import type { ExecutionResult, RawValue } from '../api/types.js';
import { prepareFunction, type FuelAccount, type WasmFunction } from './objects.js';
import { acquireMachine, releaseMachine, stackOverflow } from './machine.js';
import { DONE, OUT_OF_FUEL, run } from './interpreter.js';
import { acquireState, releaseState, type LoopState } from './loop-state.js';
import { readRaw, writeRaw } from './values.js';
import { callHost, writeHostResults } from './host-call.js';
import { Trap, trap } from '@fayger/wasm';
import { X } from '../compile/exec-ops.js';
import { V128 } from '@fayger/wasm';

/** Fuel "unlimited" is a large finite number so fuel used stays measurable. */
export const UNLIMITED_FUEL = Number.MAX_SAFE_INTEGER;

export type ExecutionState = 'ready' | 'running' | 'suspended' | 'waiting' | 'completed' | 'trapped';

/**
 * One call of a guest function that can stop and resume: at the end of a fuel slice, or while a host promise
 * is pending. All guest frames stay on the execution's own stacks in between.
 */
export class Execution {
  state: ExecutionState = 'ready';
  private st: LoopState | null = null;
  private settled: { ok: true; value: unknown } | { ok: false; error: unknown } | null = null;
  private waitPromise: Promise<void> | null = null;
  private readonly args: readonly RawValue[];
  /** Fuel used by this execution so far. */
  fuelUsed = 0;
  /** Restored from a snapshot while waiting on a host import: the first run invokes it again (at-least-once). */
  private replay = false;

  constructor(
    readonly fn: WasmFunction,
    args: readonly RawValue[],
    private readonly account: FuelAccount,
    private readonly maxDepth: number,
  ) {
    if (args.length !== fn.irType.params.length) {
      throw new FaygerError({
        code: 'WASM_BAD_VALUE',
        phase: 'execute',
        what: 'calling a guest function',
        expected: `${fn.irType.params.length} arguments`,
        found: `${args.length}`,
      });
    }
    this.args = args;
  }

  run(options: { fuel?: number } = {}): ExecutionResult {
    if (this.state === 'completed' || this.state === 'trapped' || this.state === 'running') {
      throw new FaygerError({
        code: 'WASM_EXECUTION_STATE',
        phase: 'execute',
        what: 'resuming a guest call',
        expected: 'a ready, suspended or settled waiting call',
        found: this.state,
      });
    }
    if (this.state === 'waiting' && this.settled === null) {
      throw new FaygerError({
        code: 'WASM_EXECUTION_STATE',
        phase: 'execute',
        what: 'resuming a guest call',
        expected: 'the pending host promise to have settled',
        found: 'it is still pending',
        hint: 'Await the `settled` promise of the waiting result before calling run again.',
      });
    }
    const f = this.fn;
    if (f.inst?.terminated) {
      return this.fail(new FaygerError({ code: 'WASM_INSTANCE_TERMINATED', phase: 'execute' }));
    }
    if (f.host !== null) return this.runHost();

    let st = this.st;
    if (st === null) {
      if (f.entry === 0) prepareFunction(f);
      const machine = acquireMachine();
      st = acquireState(machine, f, this.maxDepth, this.account);
      this.st = st;
      try {
        if (!machine.reach(f.frameSize)) throw stackOverflow();
        const params = f.irType.params;
        for (let i = 0, s = 0; i < params.length; i++) {
          writeRaw(machine.I32, machine.refs, s, params[i], this.args[i]);
          s += params[i] === V128 ? 4 : 2;
        }
        machine.I32.fill(0, 2 * f.nParams, 2 * f.nLocals);
        for (let i = f.nParams; i < f.nLocals; i++) machine.refs[i] = null;
      } catch (e) {
        return this.fail(e);
      }
    }
    if (this.replay) {
      this.replay = false;
      const pf = st.pendingFn!;
      st.fuel = 0;
      st.nestedFuel = 0;
      this.account.callDepth = st.depth + 1;
      let waits: boolean;
      try {
        waits = callHost(st, pf, st.pendingBase, f.inst!);
      } catch (e) {
        return this.fail(e);
      }
      if (waits) {
        this.state = 'waiting';
        return { status: 'waiting', settled: this.watch(st.promise!) };
      }
      st.pendingFn = null;
    }
    if (this.state === 'waiting') {
      const s = this.settled!;
      this.settled = null;
      this.waitPromise = null;
      if (!s.ok) return this.fail(new Trap('TRAP_HOST_ERROR', { import: st.pendingFn?.index }, s.error));
      try {
        writeHostResults(st.machine.I32, st.machine.refs, st.pendingBase, st.pendingFn!, s.value);
      } catch (e) {
        return this.fail(e);
      }
      st.pendingFn = null;
    }
    const slice = options.fuel ?? UNLIMITED_FUEL;
    const budget = this.account.remaining;
    // A slice always covers at least the block it starts on, so a slice smaller than one block's cost still
    // makes progress (the slice may then overshoot by less than one block).
    const code = st.fn.inst!.compiled.code;
    const startCost = code[st.pc] === X.FUEL ? code[st.pc + 1] : 0;
    const avail = Math.min(Math.max(slice, startCost), budget);
    st.fuel = avail;
    st.nestedFuel = 0;
    this.state = 'running';
    this.account.callDepth = 1;
    let status: number;
    try {
      status = run(st);
    } catch (e) {
      this.charge(avail - st.fuel - st.nestedFuel);
      return this.fail(e);
    }
    this.charge(avail - st.fuel - st.nestedFuel);
    if (status === DONE) {
      const rs = f.irType.results;
      const values: RawValue[] = [];
      for (let i = 0, s = 0; i < rs.length; i++) {
        values.push(readRaw(st.machine.I32, st.machine.refs, s, rs[i]));
        s += rs[i] === V128 ? 4 : 2;
      }
      this.finish('completed');
      return { status: 'completed', values };
    }
    if (status === OUT_OF_FUEL) {
      if (avail < budget) {
        this.state = 'suspended';
        this.account.callDepth = st.depth + 1;
        return { status: 'suspended' };
      }
      return this.fail(new Trap('TRAP_FUEL_EXHAUSTED', { fuelUsed: this.account.used }));
    }
    this.state = 'waiting';
    this.account.callDepth = st.depth + 1;
    return { status: 'waiting', settled: this.watch(st.promise!) };
  }

  private runHost(): ExecutionResult {
    if (this.state === 'waiting') {
      const s = this.settled!;
      if (!s.ok) return this.fail(new Trap('TRAP_HOST_ERROR', { import: this.fn.index }, s.error));
      return this.completeHost(s.value);
    }
    let r: unknown;
    try {
      r = this.fn.host!(...this.args);
    } catch (e) {
      return this.fail(new Trap('TRAP_HOST_ERROR', { import: this.fn.index }, e));
    }
    if (r !== null && typeof r === 'object' && typeof (r as PromiseLike<unknown>).then === 'function') {
      this.state = 'waiting';
      return { status: 'waiting', settled: this.watch(r as PromiseLike<unknown>) };
    }
    return this.completeHost(r);
  }

  private completeHost(r: unknown): ExecutionResult {
    const rs = this.fn.irType.results;
    const I32 = new Int32Array(4 * Math.max(1, rs.length));
    const refs: unknown[] = new Array(2 * rs.length).fill(null);
    try {
      writeHostResults(I32, refs, 0, this.fn, r);
    } catch (e) {
      return this.fail(e);
    }
    const values: RawValue[] = [];
    for (let i = 0, s = 0; i < rs.length; i++) {
      values.push(readRaw(I32, refs, s, rs[i]));
      s += rs[i] === V128 ? 4 : 2;
    }
    this.state = 'completed';
    return { status: 'completed', values };
  }

  private watch(p: PromiseLike<unknown>): Promise<void> {
    this.waitPromise = Promise.resolve(p).then(
      (value) => {
        this.settled = { ok: true, value };
      },
      (error) => {
        this.settled = { ok: false, error };
      },
    );
    return this.waitPromise;
  }

  private charge(used: number): void {
    this.fuelUsed += used;
    this.account.used += used;
    if (this.account.remaining !== UNLIMITED_FUEL) this.account.remaining -= used;
    if (this.st && this.st.maxDepthReached > this.account.maxCallDepthReached)
      this.account.maxCallDepthReached = this.st.maxDepthReached;
    this.account.callDepth = 0;
  }

  private finish(state: ExecutionState): void {
    this.state = state;
    if (this.st) {
      releaseMachine(this.st.machine);
      releaseState(this.st);
      this.st = null;
    }
  }

  private fail(e: unknown): ExecutionResult {
    const fnIndex = this.st?.fn.index ?? this.fn.index;
    this.finish('trapped');
    return { status: 'trapped', error: toTrapError(e, fnIndex) };
  }

  /**
   * What a snapshot records of this call: its loop state (frames, stacks) and whether it waits on a host import.
   * Only a suspended or waiting call has one; anything else is SNAPSHOT_NOT_SUSPENDED.
   */
  snapshotView(): { st: LoopState; waiting: boolean } {
    const st = this.st;
    if ((this.state !== 'suspended' && this.state !== 'waiting') || st === null) {
      throw new FaygerError({
        code: 'SNAPSHOT_NOT_SUSPENDED',
        phase: 'execute',
        what: 'snapshotting a guest call',
        expected: 'a call stopped at the end of a fuel slice or waiting on a host call',
        found: `a ${this.state} call`,
      });
    }
    return { st, waiting: this.state === 'waiting' || this.replay };
  }

  /** A call rebuilt from a snapshot (snapshot.ts applyState): suspended, or about to re-invoke its host import. */
  static restored(
    fn: WasmFunction,
    account: FuelAccount,
    maxDepth: number,
    st: LoopState,
    fuelUsed: number,
    replay: boolean,
  ): Execution {
    const ex = new Execution(fn, new Array(fn.irType.params.length).fill(0), account, maxDepth);
    ex.st = st;
    ex.state = 'suspended';
    ex.fuelUsed = fuelUsed;
    ex.replay = replay;
    return ex;
  }

  /** Abandons a suspended or waiting call (instance termination). */
  abort(): void {
    if (this.state === 'suspended' || this.state === 'waiting' || this.state === 'ready') this.finish('trapped');
  }
}

export function toTrapError(e: unknown, func: number): FaygerError {
  if (e instanceof Trap) return trap(e.code, { func, ...e.details }, e.cause);
  if (FaygerError.is(e)) return e;
  if (e instanceof RangeError && /call stack/i.test(e.message)) return trap('TRAP_CALL_STACK_EXHAUSTED', { func }, e);
  return new FaygerError({
    code: 'INTERNAL',
    phase: 'execute',
    what: 'running the guest',
    found: String(e),
    cause: e,
    details: { func },
  });
}
