import { HOST_IMPORTS } from './generate-module.js';

/**
 * The same host functions for both engines. Inputs are normalised to bit patterns first (V8 passes i32 signed,
 * the interpreter's raw values are unsigned); outputs are signed i32 numbers and signed i64 bigints, which both
 * APIs accept. `memory` is read at each call, so the host always sees the current (possibly grown) buffer.
 */
export function hostImplementations(memory: () => ArrayBuffer): Record<string, (...args: never[]) => unknown> {
  const impls: Record<string, (...args: never[]) => unknown> = {
    mix: (a: number, b: bigint) =>
      BigInt.asIntN(64, (BigInt(a >>> 0) * 0x9e37_79b9_7f4a_7c15n) ^ BigInt.asUintN(64, b)),
    split: (x: bigint) => {
      const u = BigInt.asUintN(64, x);
      return [Number(u & 0xffff_ffffn) | 0, BigInt.asIntN(64, u >> 7n)];
    },
    peek: (addr: number) => new DataView(memory()).getInt32((addr >>> 0) & 0x7fff, true),
    poke: (addr: number, value: number) => {
      new Uint8Array(memory())[(addr >>> 0) & 0x7fff] = value & 0xff;
    },
  };
  for (const h of HOST_IMPORTS) if (!(h.name in impls)) throw new Error(`no host implementation for ${h.name}`);
  return impls;
}
