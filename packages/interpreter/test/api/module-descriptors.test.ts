import { describe, expect, it } from 'vitest';
import { compileModule } from '../../src/index.js';
import { fixture, moduleBytes, section } from '../helpers.js';

// The decoder itself is tested in @fayger/wasm; these check what the interpreter's WasmModule makes of it.
describe('WasmModule descriptors', () => {
  it('keeps custom sections (and reads function names from the name section)', () => {
    const name = [...'note'].map((c) => c.charCodeAt(0));
    const mod = compileModule(moduleBytes(section(0, [4, ...name, 1, 2, 3])));
    expect(mod.customSections('note').map((b) => [...b])).toEqual([[1, 2, 3]]);
    const withNames = compileModule(fixture('facade'));
    expect(withNames.customSections('name').length).toBe(1);
    expect(withNames.functionName(1)).toBe('add');
  });

  it('describes imports and exports', () => {
    const mod = compileModule(fixture('facade'));
    expect(mod.imports).toEqual([
      { module: 'env', name: 'log', kind: 'function', type: { params: ['i32', 'f64'], results: [] } },
      { module: 'env', name: 'base', kind: 'global', type: { value: 'i32', mutable: false } },
    ]);
    expect(mod.exports.find((e) => e.name === 'swap')).toEqual({
      name: 'swap',
      kind: 'function',
      type: { params: ['i32', 'f64'], results: ['f64', 'i32'] },
    });
    expect(mod.exports.find((e) => e.name === 'memory')).toEqual({
      name: 'memory',
      kind: 'memory',
      type: { initial: 1, maximum: 10 },
    });
  });
});
