import { describe, expect, it } from 'vitest';
import { expectedTrapCode, matches, parseArg, parseExpectation } from '../src/index.js';

describe('NaN expectations', () => {
  const canonical = parseExpectation({ type: 'f32', value: 'nan:canonical' });
  const arithmetic = parseExpectation({ type: 'f32', value: 'nan:arithmetic' });
  const f32 = (bits: number) => ({ type: 'f32' as const, bits: BigInt(bits) });

  it('accepts either sign of the canonical NaN and nothing else as canonical', () => {
    expect(matches(canonical, f32(0x7fc0_0000))).toBe(true);
    expect(matches(canonical, f32(0xffc0_0000))).toBe(true);
    expect(matches(canonical, f32(0x7fc0_0001))).toBe(false);
    expect(matches(canonical, f32(0x7f80_0000))).toBe(false);
  });

  it('requires the quiet bit for arithmetic NaNs', () => {
    expect(matches(arithmetic, f32(0x7fc0_0001))).toBe(true);
    expect(matches(arithmetic, f32(0xffc1_0000))).toBe(true);
    expect(matches(arithmetic, f32(0x7fa0_0000))).toBe(false);
    expect(matches(arithmetic, { type: 'f64', bits: 0x7ff8_0000_0000_0000n })).toBe(false);
  });

  it('compares exact floats by bits, so -0 is not 0', () => {
    const zero = parseExpectation({ type: 'f64', value: '0' });
    expect(matches(zero, { type: 'f64', bits: 0n })).toBe(true);
    expect(matches(zero, { type: 'f64', bits: 0x8000_0000_0000_0000n })).toBe(false);
  });
});

describe('trap texts', () => {
  it('maps every reference text the 2.0 suite uses', () => {
    expect(expectedTrapCode('undefined element')).toBe('TRAP_TABLE_OUT_OF_BOUNDS');
    expect(expectedTrapCode('uninitialized element 2')).toBe('TRAP_UNINITIALIZED_ELEMENT');
    expect(expectedTrapCode('call stack exhausted')).toBe('TRAP_CALL_STACK_EXHAUSTED');
    expect(expectedTrapCode('something else')).toBeUndefined();
  });
});

describe('v128 values', () => {
  it('packs lanes (lane 0 lowest) for arguments and exact expectations', () => {
    const arg = parseArg({ type: 'v128', lane_type: 'i16', value: ['1', '65535', '0', '0', '0', '0', '0', '2'] });
    expect(arg).toEqual({ type: 'v128', bits: 1n | (0xffffn << 16n) | (2n << 112n) });
    const e = parseExpectation({ type: 'v128', lane_type: 'i64', value: ['1', '18446744073709551615'] });
    expect(matches(e, { type: 'v128', bits: 1n | (0xffff_ffff_ffff_ffffn << 64n) })).toBe(true);
    expect(matches(e, { type: 'v128', bits: 1n })).toBe(false);
  });

  it('checks nan:canonical / nan:arithmetic lane by lane', () => {
    const e = parseExpectation({
      type: 'v128',
      lane_type: 'f32',
      value: ['nan:canonical', 'nan:arithmetic', '0', '1065353216'],
    });
    const v = (l: bigint[]) => ({ type: 'v128' as const, bits: l.reduceRight((acc, x) => (acc << 32n) | x, 0n) });
    expect(matches(e, v([0x7fc0_0000n, 0xffc0_0001n, 0n, 0x3f80_0000n]))).toBe(true);
    // lane 0 not canonical, lane 1 not quiet, lane 3 wrong
    expect(matches(e, v([0x7fc0_0001n, 0xffc0_0001n, 0n, 0x3f80_0000n]))).toBe(false);
    expect(matches(e, v([0x7fc0_0000n, 0x7fa0_0000n, 0n, 0x3f80_0000n]))).toBe(false);
    expect(matches(e, v([0x7fc0_0000n, 0xffc0_0001n, 0n, 0x3f80_0001n]))).toBe(false);
    expect(matches(e, { type: 'f32', bits: 0x7fc0_0000n })).toBe(false);
  });
});
