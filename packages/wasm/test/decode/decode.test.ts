import { describe, expect, it } from 'vitest';
import { FaygerError } from '@fayger/contracts';
import { F64, I32, KIND_FUNC, KIND_GLOBAL, KIND_MEMORY, decode } from '../../src/index.js';
import { compileModule, fixture, moduleBytes, section } from '../helpers.js';

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
    expect(decodeError(moduleBytes(section(5, [1, 0, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00]))).message).toMatch(
      /too long|too large|size mismatch/,
    );
    expect(decodeError(moduleBytes([1, 2, 0, 0, 0])).code).toBe('WASM_MALFORMED');
  });

  it('rejects sections out of order and unknown section ids', () => {
    expect(decodeError(moduleBytes(section(3, [0]), section(1, [0]))).message).toMatch(/unexpected content/);
    expect(decodeError(moduleBytes(section(14, []))).message).toMatch(/malformed section id/);
  });

  it('keeps custom sections (and parses the name section)', () => {
    const name = [...'note'].map((c) => c.charCodeAt(0));
    const mod = compileModule(moduleBytes(section(0, [4, ...name, 1, 2, 3])));
    expect(mod.customs.filter((c) => c.name === 'note').map((c) => [...c.bytes])).toEqual([[1, 2, 3]]);
    const withNames = compileModule(fixture('facade'));
    expect(withNames.customs.filter((c) => c.name === 'name').length).toBe(1);
    expect(withNames.names?.functionNames.get(1)).toBe('add');
  });

  it('rejects invalid UTF-8 in names', () => {
    expect(decodeError(moduleBytes(section(0, [2, 0xc3, 0x28]))).message).toMatch(/UTF-8/);
  });

  it('describes imports and exports', () => {
    const mod = compileModule(fixture('facade'));
    expect(mod.imports).toEqual([
      { module: 'env', name: 'log', kind: KIND_FUNC, type: expect.any(Number) },
      { module: 'env', name: 'base', kind: KIND_GLOBAL, global: { type: I32, mutable: false } },
    ]);
    const log = mod.imports[0];
    expect(log.kind === KIND_FUNC && mod.types[log.type]).toEqual({ params: [I32, F64], results: [] });
    const swap = mod.exports.find((e) => e.name === 'swap');
    expect(swap?.kind).toBe(KIND_FUNC);
    // function indices count the imported function first
    expect(mod.types[mod.funcs[swap!.index - 1]]).toEqual({ params: [I32, F64], results: [F64, I32] });
    expect(mod.exports.find((e) => e.name === 'memory')).toEqual({ name: 'memory', kind: KIND_MEMORY, index: 0 });
    expect(mod.memories[0]).toEqual({ min: 1, max: 10 });
  });
});

describe('decode: implementation limits (checked when a count is read, before anything is expanded)', () => {
  const leb = (n: number): number[] => {
    const out: number[] = [];
    do {
      let b = n & 0x7f;
      n = Math.floor(n / 128);
      if (n) b |= 0x80;
      out.push(b);
    } while (n);
    return out;
  };
  const sec = (id: number, body: number[]): number[] => [id, ...leb(body.length), ...body];
  const TYPE = sec(1, [1, 0x60, 0, 0]);
  const limitError = (bytes: Uint8Array, limit: string): FaygerError => {
    const e = decodeError(bytes);
    expect(e.code, e.message).toBe('WASM_LIMIT_EXCEEDED');
    expect(e.phase).toBe('decode');
    expect(e.details.limit).toBe(limit);
    return e;
  };

  it('refuses a count declared past its limit with only the count present (a tiny module declaring 2³²−1 entries)', () => {
    const max = [0xff, 0xff, 0xff, 0xff, 0x0f];
    limitError(moduleBytes(sec(1, max)), 'types');
    limitError(moduleBytes(TYPE, sec(2, max)), 'imports');
    const e = limitError(moduleBytes(TYPE, sec(3, max)), 'functions');
    expect(e.details).toMatchObject({ max: 250_000, found: 2 ** 32 - 1 });
    expect(e.message).toContain('at most 250000');
    limitError(moduleBytes(sec(4, max)), 'tables');
    limitError(moduleBytes(sec(5, max)), 'memories');
    limitError(moduleBytes(sec(6, max)), 'globals');
    limitError(moduleBytes(sec(7, max)), 'exports');
    limitError(moduleBytes(sec(9, max)), 'element segments');
    limitError(moduleBytes(sec(12, max)), 'data segments');
    limitError(moduleBytes(sec(11, max)), 'data segments');
    limitError(moduleBytes(sec(1, [1, 0x60, ...leb(1001)])), 'parameters of one type');
  });

  it('refuses a body or code section size past its limit before reading it', () => {
    limitError(moduleBytes(TYPE, sec(3, [1, 0]), sec(10, [1, ...leb(7_654_322), 0])), 'function body size in bytes');
    limitError(moduleBytes(TYPE, sec(3, [1, 0]), [10, ...leb(64 * 1024 * 1024 + 1), 1]), 'code section size in bytes');
  });

  it('refuses locals past 50,000 in one function, and past 4,000,000 over all functions (7 bytes each, never expanded)', () => {
    limitError(
      moduleBytes(TYPE, sec(3, [1, 0]), sec(10, [1, 6, 1, ...leb(50_001), 0x7f, 0x0b])),
      'locals of one function',
    );
    const n = 81; // 81 × 50,000 > 4,000,000
    const body = [1, ...leb(50_000), 0x7f, 0x0b];
    const code = [...leb(n), ...Array.from({ length: n }, () => [body.length, ...body]).flat()];
    const e = limitError(
      moduleBytes(TYPE, sec(3, [...leb(n), ...new Array<number>(n).fill(0)]), sec(10, code)),
      'locals of all functions together',
    );
    expect(e.details.found).toBe(4_050_000);
  }, 60_000);

  it('refuses more than 10,000 custom sections', () => {
    const custom = sec(0, [1, 0x61]);
    const bytes = moduleBytes(...Array.from({ length: 10_001 }, () => custom));
    limitError(bytes, 'custom sections');
  });

  it('accepts a module at the counts real toolchains produce', () => {
    const n = 1000;
    const body = [1, ...leb(100), 0x7f, 0x0b];
    const code = [...leb(n), ...Array.from({ length: n }, () => [body.length, ...body]).flat()];
    expect(() =>
      compileModule(moduleBytes(TYPE, sec(3, [...leb(n), ...new Array<number>(n).fill(0)]), sec(10, code))),
    ).not.toThrow();
  });
});

describe('decode: keepBodies', () => {
  it('keeps the same instruction streams a body decodes to on first use', () => {
    const bytes = fixture('facade');
    const lazy = decode(bytes);
    const kept = decode(bytes, { keepBodies: true });
    expect(kept.codes.length).toBe(lazy.codes.length);
    expect(kept.codes.length).toBeGreaterThan(0);
    for (let i = 0; i < lazy.codes.length; i++) {
      expect(Array.from(kept.codes[i].body)).toEqual(Array.from(lazy.codes[i].body));
      expect(kept.codes[i].locals).toEqual(lazy.codes[i].locals);
    }
  });
});
