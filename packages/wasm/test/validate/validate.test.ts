import { describe, expect, it } from 'vitest';
import { FaygerError } from '@fayger/contracts';
import { compileModule, moduleBytes, section, validateModule } from '../helpers.js';

const typeSec = (params: number[], results: number[]) =>
  section(1, [1, 0x60, params.length, ...params, results.length, ...results]);
const funcSec = section(3, [1, 0]);
const code = (body: number[], locals: number[] = [0]) => {
  const fn = [...locals, ...body];
  return section(10, [1, fn.length, ...fn]);
};

function invalid(bytes: Uint8Array): FaygerError {
  try {
    compileModule(bytes);
  } catch (e) {
    if (FaygerError.is(e)) return e;
    throw e;
  }
  throw new Error('expected WASM_INVALID');
}

describe('validate', () => {
  it('accepts a well-typed function', () => {
    expect(validateModule(moduleBytes(typeSec([0x7f], [0x7f]), funcSec, code([0x20, 0, 0x41, 1, 0x6a, 0x0b])))).toBe(
      true,
    );
  });

  it('rejects operand type mismatches with WASM_INVALID naming the function', () => {
    // i32.add on an i64 constant
    const e = invalid(moduleBytes(typeSec([], [0x7f]), funcSec, code([0x42, 1, 0x41, 1, 0x6a, 0x0b])));
    expect(e.code).toBe('WASM_INVALID');
    expect(e.phase).toBe('validate');
    expect(e.details.func).toBe(0);
    expect(e.message).toMatch(/type mismatch/);
  });

  it('rejects unknown locals, labels and functions', () => {
    expect(invalid(moduleBytes(typeSec([], []), funcSec, code([0x20, 3, 0x1a, 0x0b]))).message).toMatch(
      /unknown local/,
    );
    expect(invalid(moduleBytes(typeSec([], []), funcSec, code([0x0c, 2, 0x0b]))).message).toMatch(/unknown label/);
    expect(invalid(moduleBytes(typeSec([], []), funcSec, code([0x10, 9, 0x0b]))).message).toMatch(/unknown function/);
  });

  it('rejects a memory instruction without a memory and over-aligned accesses', () => {
    expect(invalid(moduleBytes(typeSec([], []), funcSec, code([0x41, 0, 0x28, 2, 0, 0x1a, 0x0b]))).message).toMatch(
      /unknown memory/,
    );
    const mem = section(5, [1, 0, 1]);
    expect(
      invalid(moduleBytes(typeSec([], []), funcSec, mem, code([0x41, 0, 0x28, 3, 0, 0x1a, 0x0b]))).message,
    ).toMatch(/alignment/);
  });

  it('accepts anything in unreachable code that type-checks polymorphically', () => {
    expect(validateModule(moduleBytes(typeSec([], [0x7f]), funcSec, code([0x00, 0x6a, 0x0b])))).toBe(true);
  });

  it('rejects duplicate export names and a start function with parameters', () => {
    const exp = section(7, [2, 1, 0x61, 0, 0, 1, 0x61, 0, 0]);
    expect(invalid(moduleBytes(typeSec([], []), funcSec, exp, code([0x0b]))).message).toMatch(/duplicate export/);
    expect(invalid(moduleBytes(typeSec([0x7f], []), funcSec, section(8, [0]), code([0x0b]))).message).toMatch(
      /start function/,
    );
  });
});
