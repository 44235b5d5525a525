import { describe, expect, it } from 'vitest';
import { FaygerError } from '@fayger/contracts';
import { compileModule, instantiateModule } from '../../src/index.js';
import { fixture } from '../helpers.js';

const inst = instantiateModule(compileModule(fixture('bits')));
const SNAN32 = 0x7fa00001;
const SNAN64 = 0x7ff4000000000001n;

describe('exact bits', () => {
  it('preserves f32 NaN payloads through reinterpret, neg, copysign and memory', () => {
    expect(inst.invoke('f32_roundtrip', [SNAN32])).toEqual([SNAN32]);
    expect(inst.invoke('f32_neg', [SNAN32])).toEqual([(SNAN32 | 0x80000000) >>> 0]);
    expect(inst.invoke('f32_copysign', [SNAN32, 0x80000000])).toEqual([(SNAN32 | 0x80000000) >>> 0]);
    expect(inst.invoke('f32_store_load', [SNAN32])).toEqual([SNAN32]);
  });

  it('preserves f64 NaN payloads through abs and unaligned memory', () => {
    expect(inst.invoke('f64_abs', [SNAN64 | (1n << 63n)])).toEqual([SNAN64]);
    expect(inst.invoke('f64_store_load', [SNAN64])).toEqual([SNAN64]);
  });

  it('computes effective addresses without 32-bit wrap-around', () => {
    // address 1 + offset 0xffffffff wraps to 0 in 32 bits, but must trap.
    try {
      inst.invoke('load_at', [1]);
      expect.unreachable();
    } catch (e) {
      expect(FaygerError.is(e, 'TRAP_MEMORY_OUT_OF_BOUNDS')).toBe(true);
      expect((e as FaygerError).phase).toBe('execute');
    }
  });

  it('does exact i64 arithmetic on two 32-bit halves', () => {
    const M = (1n << 64n) - 1n;
    const a = 0x123456789abcdef1n,
      b = 0xfedcba9876543211n;
    expect(inst.invoke('i64_mul', [a, b])).toEqual([(a * b) & M]);
    expect(inst.invoke('i64_div_s', [-7n & M, 2n])).toEqual([-3n & M]);
    expect(inst.invoke('i64_shr_s', [1n << 63n, 33n])).toEqual([(-(1n << 63n) >> 33n) & M]);
  });

  it('traps integer division by zero with its own code and the function index', () => {
    try {
      inst.invoke('div0', [0]);
      expect.unreachable();
    } catch (e) {
      expect(FaygerError.is(e, 'TRAP_INTEGER_DIVIDE_BY_ZERO')).toBe(true);
      expect((e as FaygerError).details.func).toBe(10);
    }
  });
});
