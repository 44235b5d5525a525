import { FaygerError } from '@fayger/contracts';

/**
 * Stacks start small and double on demand (an idle or parked call holds only what it used); 512 slots of 8
 * bytes = 4 KiB, enough for most calls that do not recurse deeply.
 */
export const INITIAL_SLOTS = 1 << 9;
/** Hard cap on the value stack (slots of 8 bytes): 64 MiB. */
export const MAX_SLOTS = 1 << 23;

/**
 * The guest's stacks: one value stack of 8-byte slots viewed as Int32/Float32/Float64 arrays plus a parallel
 * array for references, and the call-frame stack. Guest calls push frames here, never onto the JS stack.
 */
export class Machine {
  buf!: ArrayBuffer;
  I32!: Int32Array;
  F32!: Float32Array;
  F64!: Float64Array;
  /** Narrow views for SIMD lanes (a v128 at int32 index i starts at I16 index 2i, U8 index 4i). */
  I16!: Int16Array;
  U16!: Uint16Array;
  I8!: Int8Array;
  U8!: Uint8Array;
  refs!: unknown[];
  /** Capacity in slots. */
  cap = 0;
  /**
   * High-water mark in slots: no frame of the current use reached beyond it, so refs past it are still null.
   * The dispatch loop raises it when a call's frame ends beyond it; clearRefs clears only up to it.
   */
  hw = 0;
  /** Frame stack: return pc, caller base, caller function. */
  readonly fpc: number[] = [];
  readonly fb: number[] = [];
  readonly ffn: unknown[] = [];
  inUse = false;

  constructor(slots = INITIAL_SLOTS) {
    this.alloc(slots);
  }

  private alloc(slots: number): void {
    const buf = new ArrayBuffer(slots * 8);
    const I32 = new Int32Array(buf);
    if (this.I32) I32.set(this.I32);
    const refs = new Array<unknown>(slots).fill(null);
    if (this.refs) for (let i = 0; i < this.refs.length; i++) refs[i] = this.refs[i];
    this.buf = buf;
    this.I32 = I32;
    this.F32 = new Float32Array(buf);
    this.F64 = new Float64Array(buf);
    this.I16 = new Int16Array(buf);
    this.U16 = new Uint16Array(buf);
    this.I8 = new Int8Array(buf);
    this.U8 = new Uint8Array(buf);
    this.refs = refs;
    this.cap = slots;
  }

  /** Makes room for at least `slots` slots; false when the hard cap would be exceeded. */
  ensure(slots: number): boolean {
    if (slots <= this.cap) return true;
    if (slots > MAX_SLOTS) return false;
    let n = this.cap * 2;
    while (n < slots) n *= 2;
    this.alloc(Math.min(n, MAX_SLOTS));
    return true;
  }

  /**
   * Records that a frame reaches slot `top` (exclusive), growing the stacks if needed; false when the hard cap
   * would be exceeded.
   */
  reach(top: number): boolean {
    if (top > this.cap && !this.ensure(top)) return false;
    if (top > this.hw) this.hw = top;
    return true;
  }

  /** Drops references so a pooled machine does not keep guest objects alive (only the part used is dirty). */
  clearRefs(): void {
    this.refs.fill(null, 0, Math.min(this.hw, this.cap));
    this.hw = 0;
    this.ffn.length = 0;
  }
}

const pool: Machine[] = [];

export function acquireMachine(): Machine {
  const m = pool.pop() ?? new Machine();
  m.inUse = true;
  return m;
}

export function releaseMachine(m: Machine): void {
  m.inUse = false;
  if (m.cap > 1 << 18) return; // let big stacks go
  m.clearRefs();
  if (pool.length < 4) pool.push(m);
}

export function stackOverflow(): FaygerError {
  return new FaygerError({
    code: 'TRAP_CALL_STACK_EXHAUSTED',
    phase: 'execute',
    message: 'the guest trapped: call stack exhausted (value stack limit reached)',
  });
}
