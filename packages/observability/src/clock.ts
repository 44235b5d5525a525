/** A monotonic millisecond clock. `performance.now()` exists in browsers, workers and Node ≥ 16. */
export type Clock = () => number;

export const monotonicNow: Clock =
  typeof globalThis.performance?.now === 'function' ? () => globalThis.performance.now() : () => Date.now();
