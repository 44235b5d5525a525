import { describe, expect, it } from 'vitest';
import { FaygerError } from '@fayger/contracts';
import { type ModuleIR, decode, validate } from '../../src/index.js';
import { moduleBytes, section } from '../helpers.js';

// decode() validates each function body in the pass that decodes it and validate() reuses that verdict; these
// check that the outcome is the one of a separate walk: same errors in the same order, bodies intact.

const typeSec = section(1, [1, 0x60, 0, 1, 0x7f]); // () -> i32
const funcs = (n: number) => section(3, [n, ...new Array<number>(n).fill(0)]);
const codeSec = (...bodies: number[][]) =>
  section(10, [bodies.length, ...bodies.flatMap((b) => [b.length + 1, 0, ...b])]);
const GOOD = [0x41, 7, 0x0b]; // i32.const 7
const BAD = [0x42, 1, 0x0b]; // i64.const 1 where an i32 is due

function error(f: () => unknown): FaygerError {
  try {
    f();
  } catch (e) {
    if (FaygerError.is(e)) return e;
    throw e;
  }
  throw new Error('expected a FaygerError');
}

/** The IR with each body's stream materialised: validate() must then walk the bodies itself. */
function fresh(ir: ModuleIR): ModuleIR {
  return {
    ...ir,
    codes: ir.codes.map((c) => ({ locals: c.locals, body: c.body, offset: c.offset, end: c.end, bytes: c.bytes })),
  };
}

describe('one-pass body validation', () => {
  it('reports the first invalid body with its function index and offset, as a separate walk does', () => {
    const bytes = moduleBytes(typeSec, funcs(3), codeSec(GOOD, BAD, BAD));
    const ir = decode(bytes); // decoding alone does not throw validation errors
    const once = error(() => validate(ir));
    const walked = error(() => validate(fresh(decode(bytes))));
    expect(once.code).toBe('WASM_INVALID');
    expect(once.phase).toBe('validate');
    expect(once.details.func).toBe(1);
    expect(once.message).toBe(walked.message);
    expect(once.details).toEqual(walked.details);
  });

  it('still reports a malformed section after an invalid body as malformed (decode first)', () => {
    const data = [11, 3, 1, 9, 0]; // data section: one segment of an unknown kind
    const e = error(() => decode(moduleBytes(typeSec, funcs(1), codeSec(BAD), data)));
    expect(e.code).toBe('WASM_MALFORMED');
  });

  it('reports a module-level error before an invalid body, as before', () => {
    // an export of function 5 (unknown) and an invalid body: the export is checked first
    const exp = section(7, [1, 1, 0x61, 0, 5]);
    const e = error(() => validate(decode(moduleBytes(typeSec, funcs(1), exp, codeSec(BAD)))));
    expect(e.message).toMatch(/unknown function 5/);
  });

  it('decodes each body on first use, to the same stream as before', () => {
    const ir = decode(moduleBytes(typeSec, funcs(2), codeSec(GOOD, [0x41, 1, 0x41, 2, 0x6a, 0x0b])));
    validate(ir);
    expect([...ir.codes[1].body]).toEqual([0x41, 1, 0x41, 2, 0x6a, 0x0b]);
    expect(ir.codes[1].body).toBe(ir.codes[1].body); // decoded once, then kept
    expect([...ir.codes[0].body]).toEqual([0x41, 7, 0x0b]);
  });

  it('validates an IR whose bodies it has not seen by walking them', () => {
    const ir = fresh(decode(moduleBytes(typeSec, funcs(1), codeSec(GOOD))));
    expect(() => validate(ir)).not.toThrow();
    const bad = fresh(decode(moduleBytes(typeSec, funcs(1), codeSec(GOOD))));
    (bad.codes as { body: Int32Array }[])[0] = { ...bad.codes[0], body: Int32Array.of(0x42, 1, 0, 0x0b) };
    expect(error(() => validate(bad)).code).toBe('WASM_INVALID');
  });
});
