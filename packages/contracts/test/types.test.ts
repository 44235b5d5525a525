import { describe, expectTypeOf, it } from 'vitest';
import type { OpArgs, OpResult, UiNode, UiNodeStatic } from '../src/index.js';

describe('op argument types keep their literals', () => {
  it('derives literal unions, not never', () => {
    expectTypeOf<OpArgs<'log.write'>['level']>().toEqualTypeOf<'trace' | 'debug' | 'info' | 'warn' | 'error'>();
    expectTypeOf<OpArgs<'net.http'>['method']>().toEqualTypeOf<
      'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'OPTIONS'
    >();
    expectTypeOf<OpResult<'fs.stat'>['type']>().toEqualTypeOf<'file' | 'directory' | 'symlink' | 'other'>();
    expectTypeOf<OpArgs<'fs.write'>['data']>().toEqualTypeOf<Uint8Array>();
    expectTypeOf<UiNodeStatic['type']>().toEqualTypeOf<'column' | 'row' | 'list' | 'text' | 'button' | 'input'>();
  });

  it('accepts a UiNode where ui.render wants its tree', () => {
    const tree: UiNode = { type: 'column', children: [{ type: 'button', id: 'ok', text: 'OK' }] };
    const args: OpArgs<'ui.render'> = { tree };
    expectTypeOf(args.tree.type).toEqualTypeOf<UiNode['type']>();
  });
});
