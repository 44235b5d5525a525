/**
 * A growable Int32Array: decode and compile append millions of small integers, and a plain number[] costs
 * element-kind transitions, repeated copying on growth and a final conversion.
 */
export class IntBuf {
  a: Int32Array;
  n = 0;
  constructor(capacity = 1024) {
    this.a = new Int32Array(capacity);
  }

  /** Makes room for `k` more values. */
  reserve(k: number): void {
    if (this.n + k > this.a.length) this.grow(k);
  }

  private grow(k: number): void {
    const next = new Int32Array(Math.max(this.a.length * 2, this.n + k + 16));
    next.set(this.a.subarray(0, this.n));
    this.a = next;
  }

  push(x: number): void {
    if (this.n === this.a.length) this.grow(1);
    this.a[this.n++] = x;
  }

  /** A copy of the contents, exactly sized. */
  take(): Int32Array {
    return this.a.slice(0, this.n);
  }
}
