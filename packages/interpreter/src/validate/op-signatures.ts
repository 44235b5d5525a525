import { F32, F64, I32, I64 } from '../decode/module-ir.js';

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
  I32, I64, F32, F64, I32, I32, I32, I32, I64, I64, I64, I64, I64, I64,
  I32, I64, F32, F64, I32, I32, I64, I64, I64,
];
