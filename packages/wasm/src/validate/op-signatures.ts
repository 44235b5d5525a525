import { F32, F64, I32, I64, V128 } from '../decode/module-ir.js';

/**
 * Operand and result types of the "simple" instructions (no immediates, fixed types): numeric ops and the
 * non-trapping conversions. Indexed by instruction-stream opcode; `undefined` means not a simple op.
 */
export interface SimpleSig {
  readonly params: readonly number[];
  readonly result: number;
}

export const SIMPLE: (SimpleSig | undefined)[] = [];

function def(from: number, to: number, params: readonly number[], result: number): void {
  for (let op = from; op <= to; op++) SIMPLE[op] = { params, result };
}

def(0x45, 0x45, [I32], I32);
def(0x46, 0x4f, [I32, I32], I32);
def(0x50, 0x50, [I64], I32);
def(0x51, 0x5a, [I64, I64], I32);
def(0x5b, 0x60, [F32, F32], I32);
def(0x61, 0x66, [F64, F64], I32);
def(0x67, 0x69, [I32], I32);
def(0x6a, 0x78, [I32, I32], I32);
def(0x79, 0x7b, [I64], I64);
def(0x7c, 0x8a, [I64, I64], I64);
def(0x8b, 0x91, [F32], F32);
def(0x92, 0x98, [F32, F32], F32);
def(0x99, 0x9f, [F64], F64);
def(0xa0, 0xa6, [F64, F64], F64);
def(0xa7, 0xa7, [I64], I32);
def(0xa8, 0xa9, [F32], I32);
def(0xaa, 0xab, [F64], I32);
def(0xac, 0xad, [I32], I64);
def(0xae, 0xaf, [F32], I64);
def(0xb0, 0xb1, [F64], I64);
def(0xb2, 0xb3, [I32], F32);
def(0xb4, 0xb5, [I64], F32);
def(0xb6, 0xb6, [F64], F32);
def(0xb7, 0xb8, [I32], F64);
def(0xb9, 0xba, [I64], F64);
def(0xbb, 0xbb, [F32], F64);
def(0xbc, 0xbc, [F32], I32);
def(0xbd, 0xbd, [F64], I64);
def(0xbe, 0xbe, [I32], F32);
def(0xbf, 0xbf, [I64], F64);
def(0xc0, 0xc1, [I32], I32);
def(0xc2, 0xc4, [I64], I64);
def(0x100, 0x101, [F32], I32);
def(0x102, 0x103, [F64], I32);
def(0x104, 0x105, [F32], I64);
def(0x106, 0x107, [F64], I64);

/** Value type loaded by 0x28..0x35 and stored by 0x36..0x3e. */
export const MEM_TYPE: readonly number[] = [
  I32,
  I64,
  F32,
  F64,
  I32,
  I32,
  I32,
  I32,
  I64,
  I64,
  I64,
  I64,
  I64,
  I64,
  I32,
  I64,
  F32,
  F64,
  I32,
  I32,
  I64,
  I64,
  I64,
];

/**
 * SIMD instructions by sub-opcode: operand types, result type (0: none) and, for memory and lane instructions,
 * the natural alignment (log2 bytes) and the number of lanes the lane immediate must stay below.
 */
export interface SimdSig {
  readonly params: readonly number[];
  readonly result: number;
  readonly align: number;
  readonly lanes: number;
}

export const SIMD_SIG: (SimdSig | undefined)[] = [];

function simd(subs: readonly number[], params: readonly number[], result: number, align = -1, lanes = 0): void {
  for (const s of subs) SIMD_SIG[s] = { params, result, align, lanes };
}
function range(a: number, b: number): number[] {
  const r: number[] = [];
  for (let i = a; i <= b; i++) r.push(i);
  return r;
}

{
  const V = V128;
  // Everything not listed below is a binary v128 op.
  simd(range(0, 0xff), [V, V], V);
  simd([0x00], [I32], V, 4);
  simd(range(0x01, 0x06), [I32], V, 3);
  simd([0x07], [I32], V, 0);
  simd([0x08], [I32], V, 1);
  simd([0x09], [I32], V, 2);
  simd([0x0a], [I32], V, 3);
  simd([0x0b], [I32, V], 0, 4);
  simd([0x0c], [], V);
  simd([0x0f, 0x10, 0x11], [I32], V);
  simd([0x12], [I64], V);
  simd([0x13], [F32], V);
  simd([0x14], [F64], V);
  simd([0x15, 0x16], [V], I32, -1, 16);
  simd([0x17], [V, I32], V, -1, 16);
  simd([0x18, 0x19], [V], I32, -1, 8);
  simd([0x1a], [V, I32], V, -1, 8);
  simd([0x1b], [V], I32, -1, 4);
  simd([0x1c], [V, I32], V, -1, 4);
  simd([0x1d], [V], I64, -1, 2);
  simd([0x1e], [V, I64], V, -1, 2);
  simd([0x1f], [V], F32, -1, 4);
  simd([0x20], [V, F32], V, -1, 4);
  simd([0x21], [V], F64, -1, 2);
  simd([0x22], [V, F64], V, -1, 2);
  simd([0x52], [V, V, V], V);
  simd([0x53, 0x63, 0x64, 0x83, 0x84, 0xa3, 0xa4, 0xc3, 0xc4], [V], I32);
  simd([0x54], [I32, V], V, 0, 16);
  simd([0x55], [I32, V], V, 1, 8);
  simd([0x56], [I32, V], V, 2, 4);
  simd([0x57], [I32, V], V, 3, 2);
  simd([0x58], [I32, V], 0, 0, 16);
  simd([0x59], [I32, V], 0, 1, 8);
  simd([0x5a], [I32, V], 0, 2, 4);
  simd([0x5b], [I32, V], 0, 3, 2);
  simd([0x5c], [I32], V, 2);
  simd([0x5d], [I32], V, 3);
  simd([0x6b, 0x6c, 0x6d, 0x8b, 0x8c, 0x8d, 0xab, 0xac, 0xad, 0xcb, 0xcc, 0xcd], [V, I32], V);
  simd(
    [
      0x4d, 0x5e, 0x5f, 0x60, 0x61, 0x62, 0x67, 0x68, 0x69, 0x6a, 0x74, 0x75, 0x7a, 0x7c, 0x7d, 0x7e, 0x7f, 0x80, 0x81,
      0x87, 0x88, 0x89, 0x8a, 0x94, 0xa0, 0xa1, 0xa7, 0xa8, 0xa9, 0xaa, 0xc0, 0xc1, 0xc7, 0xc8, 0xc9, 0xca, 0xe0, 0xe1,
      0xe3, 0xec, 0xed, 0xef, 0xf8, 0xf9, 0xfa, 0xfb, 0xfc, 0xfd, 0xfe, 0xff,
    ],
    [V],
    V,
  );
}
