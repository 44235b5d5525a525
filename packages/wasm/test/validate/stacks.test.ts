import { describe, expect, it } from 'vitest';
import { FaygerError } from '@fayger/contracts';
import { compileModule, moduleBytes, validateModule } from '../helpers.js';

// The body validator keeps its operand and control stacks in typed arrays that start at 1024 values and 256
// blocks and grow on demand; these bodies go past both, and check that a failed body leaves no state behind.

const leb = (n: number): number[] => {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
};
const sec = (id: number, body: number[]) => [id, ...leb(body.length), ...body];
/** One function of type [] -> results with no locals and the given body (without its final end). */
const fn = (results: number[], body: number[]) => {
  const f = [0, ...body, 0x0b];
  return moduleBytes(
    sec(1, [1, 0x60, 0, results.length, ...results]),
    sec(3, [1, 0]),
    sec(10, [1, ...leb(f.length), ...f]),
  );
};
const repeat = (n: number, xs: number[]) => Array.from({ length: n }, () => xs).flat();

function error(bytes: Uint8Array): FaygerError {
  try {
    compileModule(bytes);
  } catch (e) {
    if (FaygerError.is(e)) return e;
    throw e;
  }
  throw new Error('expected a FaygerError');
}

describe('validator stacks beyond their initial size', () => {
  const DEPTH = 700;
  const nested = (inner: number[]) => [...repeat(DEPTH, [0x02, 0x40]), ...inner, ...repeat(DEPTH, [0x0b])];

  it('validates blocks nested deeper than the initial control stack, labels counted from the innermost', () => {
    expect(validateModule(fn([], nested([])))).toBe(true);
    // br DEPTH targets the function's own label (the outermost).
    expect(validateModule(fn([], nested([0x0c, ...leb(DEPTH)])))).toBe(true);
    const e = error(fn([], nested([0x0c, ...leb(DEPTH + 1)])));
    expect(e.code).toBe('WASM_INVALID');
    expect(e.message).toMatch(new RegExp(`unknown label ${DEPTH + 1}`));
  });

  it('validates an operand stack higher than its initial size and types its bottom correctly', () => {
    const WIDTH = 3000;
    const wide = (bottom: number[]) => [...bottom, ...repeat(WIDTH, [0x41, 0]), ...repeat(WIDTH, [0x1a])];
    expect(validateModule(fn([0x7f], wide([0x41, 7])))).toBe(true);
    const e = error(fn([0x7f], wide([0x42, 7])));
    expect(e.code).toBe('WASM_INVALID');
    expect(e.message).toMatch(/expected i32, found i64/);
    expect(e.details.func).toBe(0);
    // The failing body's stacks do not leak into the next module's.
    expect(validateModule(fn([0x7f], [0x41, 1]))).toBe(true);
    expect(error(fn([0x7f], [])).message).toMatch(/operand stack underflow/);
  });

  it('reports a body that fails deep inside nested blocks, then validates the next module from a clean state', () => {
    const bytes = fn([], nested([0x41, 0, 0x42, 0, 0x6a, 0x1a]));
    const e = error(bytes);
    expect(e.message).toMatch(/type mismatch: expected i32, found i64/);
    // The reported offset is the i32.add's byte in the module.
    const add = bytes.findIndex((_, i) => bytes[i] === 0x42 && bytes[i + 1] === 0 && bytes[i + 2] === 0x6a) + 2;
    expect(e.details.offset).toBe(add);
    expect(validateModule(fn([], [0x41, 0, 0x1a]))).toBe(true);
  });
});
