import { describe, expect, it } from 'vitest';
import { FaygerError, errorCatalogue, toFaygerError } from '../src/index.js';

describe('FaygerError', () => {
  it('composes expected/found/remedy into the message and keeps code, phase, layer', () => {
    const e = new FaygerError({
      code: 'INVALID_ARGUMENT',
      what: 'parsing x',
      expected: 'a number',
      found: '"a"',
      phase: 'parse',
    });
    expect(e.message).toBe(`parsing x failed: expected a number, found "a". ${errorCatalogue.INVALID_ARGUMENT.remedy}`);
    expect(e.code).toBe('INVALID_ARGUMENT');
    expect(e.phase).toBe('parse');
    expect(e.layer).toBe('contracts');
    expect(e).toBeInstanceOf(Error);
  });

  it('is() recognises errors by brand, not by class identity', () => {
    const e = new FaygerError({ code: 'ABORTED' });
    // A structurally identical object from "another bundle": same global symbol brand.
    const foreign = Object.assign(Object.create(Error.prototype), {
      code: 'ABORTED',
      [Symbol.for('@fayger/contracts.FaygerError.v1')]: true,
    });
    expect(FaygerError.is(e)).toBe(true);
    expect(FaygerError.is(e, 'ABORTED')).toBe(true);
    expect(FaygerError.is(e, 'INTERNAL')).toBe(false);
    expect(FaygerError.is(foreign, 'ABORTED')).toBe(true);
    expect(FaygerError.is(new Error('x'))).toBe(false);
    expect(FaygerError.is({ code: 'ABORTED' })).toBe(false);
    expect(FaygerError.is(null)).toBe(false);
  });

  it('refuses an unknown code instead of inventing one', () => {
    expect(() => new FaygerError({ code: 'NOPE' as never })).toThrow(TypeError);
  });

  it('round-trips through JSON with its cause', () => {
    const inner = new FaygerError({ code: 'ABORTED', phase: 'read' });
    const e = new FaygerError({ code: 'INTERNAL', phase: 'x', cause: inner, details: { a: 1 } });
    const data = JSON.parse(JSON.stringify(e));
    expect(data.cause.code).toBe('ABORTED');
    const back = FaygerError.fromJSON(data);
    expect(back.code).toBe('INTERNAL');
    expect(back.details).toEqual({ a: 1 });
    expect(back.message).toBe(e.message);
  });

  it('toFaygerError wraps foreign throws and passes FaygerErrors through', () => {
    const f = new FaygerError({ code: 'ABORTED' });
    expect(toFaygerError(f, { code: 'INTERNAL' })).toBe(f);
    const w = toFaygerError(new RangeError('boom'), { code: 'INTERNAL', what: 'doing y', phase: 'p' });
    expect(w.code).toBe('INTERNAL');
    expect(w.message).toContain('RangeError: boom');
    expect(w.cause).toBeInstanceOf(RangeError);
  });
});
