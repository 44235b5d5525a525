import { FaygerError, type ErrorCode } from '@fayger/contracts';

const TRAP_TEXT: Record<string, string> = {
  TRAP_UNREACHABLE: 'unreachable executed',
  TRAP_INTEGER_DIVIDE_BY_ZERO: 'integer divide by zero',
  TRAP_INTEGER_OVERFLOW: 'integer overflow',
  TRAP_INVALID_CONVERSION: 'invalid conversion to integer',
  TRAP_MEMORY_OUT_OF_BOUNDS: 'out of bounds memory access',
  TRAP_TABLE_OUT_OF_BOUNDS: 'out of bounds table access',
  TRAP_INDIRECT_CALL_TYPE_MISMATCH: 'indirect call type mismatch',
  TRAP_UNINITIALIZED_ELEMENT: 'uninitialized element',
  TRAP_CALL_STACK_EXHAUSTED: 'call stack exhausted',
  TRAP_FUEL_EXHAUSTED: 'fuel exhausted',
  TRAP_HOST_ERROR: 'host function failed',
  TRAP_NULL_REFERENCE: 'null reference',
};

/** Creates a trap error. `details` usually carries the function index. */
export function trap(code: ErrorCode, details: Record<string, unknown> = {}, cause?: unknown): FaygerError {
  const text = TRAP_TEXT[code] ?? code;
  const where = details.func !== undefined ? ` in function ${String(details.func)}` : '';
  return new FaygerError({
    code,
    phase: 'execute',
    message: `the guest trapped${where}: ${text}${cause instanceof Error ? ` (${cause.message})` : ''}`,
    details: { ...details, trap: text },
    cause,
  });
}

/**
 * Internal lightweight trap thrown inside the dispatch loop; converted to a FaygerError (with the function
 * index) by the run loop. Keeps trap paths out of the hot code.
 */
export class Trap {
  constructor(
    readonly code: ErrorCode,
    readonly details: Record<string, unknown> = {},
    readonly cause?: unknown,
  ) {}
}
