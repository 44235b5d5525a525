import { describe, expect, it } from 'vitest';
import { FaygerError } from '@fayger/contracts';
import { compileModule } from '../../src/index.js';
import { fixture, moduleBytes, section } from '../helpers.js';

function decodeError(bytes: Uint8Array): FaygerError {
  try {
    compileModule(bytes);
  } catch (e) {
    if (FaygerError.is(e)) return e;
    throw e;
  }
  throw new Error('expected a decode error');
}

describe('decode', () => {
  it('rejects a bad magic number and version with WASM_MALFORMED in the decode phase', () => {
    const e = decodeError(Uint8Array.from([0, 0x61, 0x73, 0x6e, 1, 0, 0, 0]));
    expect(e.code).toBe('WASM_MALFORMED');
    expect(e.phase).toBe('decode');
    expect(e.details.offset).toBe(0);
    expect(decodeError(Uint8Array.from([0, 0x61, 0x73, 0x6d, 2, 0, 0, 0])).code).toBe('WASM_MALFORMED');
  });

  it('rejects truncated input, over-long LEB128 and section size mismatches', () => {
    expect(decodeError(moduleBytes([1, 5, 1, 0x60])).code).toBe('WASM_MALFORMED');
    expect(decodeError(moduleBytes(section(5, [1, 0, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00]))).message).toMatch(/too long|too large|size mismatch/);
    expect(decodeError(moduleBytes([1, 2, 0, 0, 0])).code).toBe('WASM_MALFORMED');
  });

  it('rejects sections out of order and unknown section ids', () => {
    expect(decodeError(moduleBytes(section(3, [0]), section(1, [0]))).message).toMatch(/unexpected content/);
    expect(decodeError(moduleBytes(section(14, []))).message).toMatch(/malformed section id/);
  });

  it('keeps custom sections (and parses the name section)', () => {
    const name = [...'note'].map((c) => c.charCodeAt(0));
    const mod = compileModule(moduleBytes(section(0, [4, ...name, 1, 2, 3])));
    expect(mod.customSections('note').map((b) => [...b])).toEqual([[1, 2, 3]]);
    const withNames = compileModule(fixture('facade'));
    expect(withNames.customSections('name').length).toBe(1);
    expect(withNames.functionName(1)).toBe('$add'.slice(1));
  });

  it('rejects invalid UTF-8 in names', () => {
    expect(decodeError(moduleBytes(section(0, [2, 0xc3, 0x28]))).message).toMatch(/UTF-8/);
  });

  it('describes imports and exports', () => {
    const mod = compileModule(fixture('facade'));
    expect(mod.imports).toEqual([
      { module: 'env', name: 'log', kind: 'function', type: { params: ['i32', 'f64'], results: [] } },
      { module: 'env', name: 'base', kind: 'global', type: { value: 'i32', mutable: false } },
    ]);
    expect(mod.exports.find((e) => e.name === 'swap')).toEqual({ name: 'swap', kind: 'function', type: { params: ['i32', 'f64'], results: ['f64', 'i32'] } });
    expect(mod.exports.find((e) => e.name === 'memory')).toEqual({ name: 'memory', kind: 'memory', type: { initial: 1, maximum: 10 } });
  });
});
