import type { FailureCode } from './types.js';

/**
 * The reference interpreter's trap texts mapped to the codes an engine must report. A text not listed here is a
 * runner bug (reported as such), not a pass.
 */
const TRAP_TEXTS: ReadonlyArray<readonly [prefix: string, code: FailureCode]> = [
  ['unreachable', 'TRAP_UNREACHABLE'],
  ['integer divide by zero', 'TRAP_INTEGER_DIVIDE_BY_ZERO'],
  ['integer overflow', 'TRAP_INTEGER_OVERFLOW'],
  ['invalid conversion to integer', 'TRAP_INVALID_CONVERSION'],
  ['out of bounds memory access', 'TRAP_MEMORY_OUT_OF_BOUNDS'],
  ['out of bounds table access', 'TRAP_TABLE_OUT_OF_BOUNDS'],
  // call_indirect with an index past the table's end: the spec names it apart, but it is a table bounds fault.
  ['undefined element', 'TRAP_TABLE_OUT_OF_BOUNDS'],
  ['uninitialized element', 'TRAP_UNINITIALIZED_ELEMENT'],
  ['indirect call type mismatch', 'TRAP_INDIRECT_CALL_TYPE_MISMATCH'],
  ['call stack exhausted', 'TRAP_CALL_STACK_EXHAUSTED'],
];

export function expectedTrapCode(text: string): FailureCode | undefined {
  for (const [prefix, code] of TRAP_TEXTS) if (text.startsWith(prefix)) return code;
  return undefined;
}

export type ModuleAssertion = 'assert_invalid' | 'assert_malformed' | 'assert_unlinkable';

export function expectedModuleCode(type: ModuleAssertion): FailureCode {
  switch (type) {
    case 'assert_invalid':
      return 'WASM_INVALID';
    case 'assert_malformed':
      return 'WASM_MALFORMED';
    case 'assert_unlinkable':
      return 'WASM_LINK_ERROR';
  }
}
