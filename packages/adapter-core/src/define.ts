import {
  FaygerError,
  type AdapterCallContext,
  type OpArgs,
  type OpName,
  type OpResult,
  type PlatformAdapter,
  type UniversalInstruction,
} from '@fayger/contracts';

/** Identity helper that types an adapter object literal against the contract. */
export function defineAdapter<A extends PlatformAdapter>(adapter: A): A {
  return adapter;
}

/** A typed handler for one op. Return the result directly when the host answers at once, or a Promise. */
export type OpHandler<O extends OpName> = (
  args: OpArgs<O>,
  ctx: AdapterCallContext,
) => OpResult<O> | Promise<OpResult<O>>;
export type OpHandlers = { [O in OpName]?: OpHandler<O> };

/**
 * Builds a `handle` function from per-op handlers. Ops without a handler fail with ADAPTER_UNSUPPORTED_OP,
 * never a silent no-op.
 */
export function createOpRouter(handlers: OpHandlers, adapterId = 'adapter'): PlatformAdapter['handle'] {
  return (ins: UniversalInstruction, ctx: AdapterCallContext) => {
    const h = (handlers as Record<string, OpHandler<OpName> | undefined>)[ins.op];
    if (!h) {
      throw new FaygerError({
        code: 'ADAPTER_UNSUPPORTED_OP',
        phase: ins.op,
        what: `the ${adapterId} adapter handling ${ins.op}`,
        expected: `one of ${Object.keys(handlers).join(', ')}`,
        found: ins.op,
        details: { op: ins.op, adapter: adapterId },
      });
    }
    return h(ins.args as never, ctx);
  };
}
