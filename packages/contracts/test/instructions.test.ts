import { Type } from 'typebox';
import { describe, expect, it } from 'vitest';
import {
  FaygerError,
  checkSchema,
  MAX_STRING,
  OP_CAPABILITY,
  OP_NAMES,
  validateEvent,
  validateInstruction,
  validateResult,
} from '../src/index.js';

const ins = (op: string, args: unknown, extra: Record<string, unknown> = {}) => ({
  v: 1,
  id: 'c1',
  op,
  args,
  ...extra,
});

function rejection(fn: () => unknown): FaygerError {
  try {
    fn();
  } catch (e) {
    if (FaygerError.is(e)) return e;
    throw new Error(`expected a FaygerError, got ${String(e)}`);
  }
  throw new Error('expected a rejection, but it was accepted');
}

describe('validateInstruction', () => {
  it('accepts a well-formed instruction of every shape family', () => {
    expect(validateInstruction(ins('log.write', { level: 'info', message: 'hi' })).op).toBe('log.write');
    validateInstruction(ins('fs.write', { path: '/data/a.txt', data: new Uint8Array([1, 2]), append: true }));
    validateInstruction(ins('net.http', { method: 'GET', url: 'https://example.test/', headers: { accept: '*/*' } }));
    validateInstruction(
      ins('ui.render', { tree: { type: 'column', children: [{ type: 'button', id: 'b', text: 'OK' }] } }),
    );
    validateInstruction(ins('clock.now', { clock: 'monotonic' }, { instanceId: 'i-1', timeoutMs: 100 }));
  });

  it('rejects an unknown op with INSTRUCTION_UNKNOWN_OP naming it', () => {
    const e = rejection(() => validateInstruction(ins('fs.format', {})));
    expect(e.code).toBe('INSTRUCTION_UNKNOWN_OP');
    expect(e.message).toContain('"fs.format"');
    expect(e.details.field).toBe('/op');
  });

  it('rejects a missing argument, naming the field', () => {
    const e = rejection(() => validateInstruction(ins('log.write', { level: 'info' })));
    expect(e.code).toBe('INSTRUCTION_INVALID');
    expect(e.details.field).toBe('/args/message');
    expect(e.message).toContain('/args/message');
  });

  it('rejects an extra argument, naming the field', () => {
    const e = rejection(() => validateInstruction(ins('clock.now', { clock: 'realtime', tz: 'UTC' })));
    expect(e.code).toBe('INSTRUCTION_INVALID');
    expect(e.details.field).toBe('/args/tz');
  });

  it('rejects a mistyped argument, saying what was found', () => {
    const e = rejection(() => validateInstruction(ins('random.bytes', { length: '12' })));
    expect(e.details.field).toBe('/args/length');
    expect(e.message).toContain('found "12"');
    const b = rejection(() => validateInstruction(ins('fs.write', { path: '/a', data: [1, 2, 3] })));
    expect(b.details.field).toBe('/args/data');
    expect(b.message).toContain('Uint8Array');
  });

  it('rejects oversized strings and out-of-range numbers', () => {
    const big = 'x'.repeat(MAX_STRING + 1);
    const e = rejection(() => validateInstruction(ins('log.write', { level: 'info', message: big })));
    expect(e.details.field).toBe('/args/message');
    expect(e.message).toContain(`a string of ${big.length} characters`);
    const r = rejection(() => validateInstruction(ins('random.bytes', { length: 1e9 })));
    expect(r.details.field).toBe('/args/length');
  });

  it('rejects a bad envelope: wrong version, missing id, non-object', () => {
    expect(
      rejection(() => validateInstruction({ v: 2, id: 'x', op: 'clock.now', args: { clock: 'realtime' } })).details
        .field,
    ).toBe('/v');
    expect(rejection(() => validateInstruction({ v: 1, op: 'clock.now', args: {} })).details.field).toBe('/id');
    expect(rejection(() => validateInstruction('log.write')).code).toBe('INSTRUCTION_INVALID');
    expect(rejection(() => validateInstruction(null)).code).toBe('INSTRUCTION_INVALID');
  });

  it('rejects a hostile, very deep UI tree without overflowing the stack', () => {
    let tree: Record<string, unknown> = { type: 'text', text: 'leaf' };
    for (let i = 0; i < 100_000; i++) tree = { type: 'column', children: [tree] };
    const e = rejection(() => validateInstruction(ins('ui.render', { tree })));
    expect(e.code).toBe('INSTRUCTION_INVALID');
    expect(e.details.field).toBe('/args/tree');
  });

  it('requires unique ids on interactive UI nodes', () => {
    const missing = rejection(() =>
      validateInstruction(ins('ui.render', { tree: { type: 'row', children: [{ type: 'input', value: 'x' }] } })),
    );
    expect(missing.details.field).toBe('/args/tree/children/0/id');
    const dup = rejection(() =>
      validateInstruction(
        ins('ui.render', {
          tree: {
            type: 'column',
            id: 'a',
            children: [
              { type: 'text', text: 't' },
              { type: 'button', id: 'a', text: 'b' },
            ],
          },
        }),
      ),
    );
    expect(dup.details.field).toBe('/args/tree/children/1/id');
    expect(dup.message).toContain('first at /args/tree');
  });

  it('rejects a UI node of an unknown type deep in the tree, naming its path', () => {
    const e = rejection(() =>
      validateInstruction(
        ins('ui.render', { tree: { type: 'column', children: [{ type: 'text' }, { type: 'iframe' }] } }),
      ),
    );
    expect(e.details.field).toBe('/args/tree/children/1/type');
  });
});

describe('op catalogue', () => {
  it('maps every op to a capability', () => {
    for (const op of OP_NAMES) expect(OP_CAPABILITY[op]).toBeTypeOf('string');
    expect(OP_CAPABILITY['fs.write']).toBe('fs.write');
    expect(OP_CAPABILITY['fs.stat']).toBe('fs.read');
  });
});

describe('validateResult / validateEvent', () => {
  it('checks an adapter result against the op result schema', () => {
    expect(validateResult('clock.now', { timeMs: 5 })).toEqual({ timeMs: 5 });
    const e = rejection(() => validateResult('fs.read', { data: 'abc', eof: true }));
    expect(e.code).toBe('RESULT_INVALID');
    expect(e.details.field).toBe('/value/data');
  });

  it('checks host events', () => {
    validateEvent({ v: 1, type: 'ui.event', time: 1, data: { nodeId: 'b', kind: 'click' } });
    const e = rejection(() => validateEvent({ v: 1, type: 'ui.event', time: 1, data: { nodeId: 'b', kind: 'hover' } }));
    expect(e.code).toBe('EVENT_INVALID');
    expect(e.details.field).toBe('/data/kind');
    expect(rejection(() => validateEvent({ v: 1, type: 'nope', time: 1, data: {} })).details.field).toBe('/type');
  });
});

describe('checkSchema (for adapters checking what their host sends)', () => {
  const Reply = Type.Object({
    answers: Type.Array(Type.Object({ name: Type.String(), granted: Type.Boolean() })),
    mode: Type.Optional(Type.Union([Type.Literal('a'), Type.Literal('b')])),
  });
  const fail = (value: unknown) => {
    try {
      checkSchema(Reply, value, {
        code: 'ADAPTER_NET_FAILED',
        phase: 'permission',
        what: 'reading the host reply',
        prefix: '/value',
        hint: 'Fix the host.',
      });
    } catch (e) {
      return e as FaygerError;
    }
    return undefined;
  };

  it('passes a matching value and names the most specific failing field otherwise', () => {
    expect(fail({ answers: [{ name: 'kv', granted: true }], mode: 'a' })).toBeUndefined();
    const e = fail({ answers: [{ name: 'kv', granted: 'yes' }] })!;
    expect([e.code, e.phase, e.details.field]).toEqual([
      'ADAPTER_NET_FAILED',
      'permission',
      '/value/answers/0/granted',
    ]);
    expect(e.message).toBe(
      'reading the host reply: field /value/answers/0/granted: expected a value that is boolean, found "yes". Fix the host.',
    );
    expect(fail({ answers: [{ granted: true }] })!.details.field).toBe('/value/answers/0/name');
    expect(fail({ answers: [], mode: 'c' })!.message).toContain('expected one of "a", "b"');
    expect(fail('nope')!.details.field).toBe('/value');
  });
});
