import type { ErrorCodeInfo } from '../types.js';

/** Codes raised by @fayger/interpreter: module loading (decode, validate, link) and guest traps. */
export const interpreterCodes = {
  WASM_MALFORMED: {
    layer: 'interpreter',
    title: 'The WebAssembly binary could not be decoded.',
    remedy: 'Rebuild the module with a conforming toolchain; the byte offset in the details points at the bad byte.',
  },
  WASM_INVALID: {
    layer: 'interpreter',
    title: 'The WebAssembly module decoded but failed validation.',
    remedy: 'Rebuild the module; the details name the function and instruction that failed type checking.',
  },
  WASM_UNSUPPORTED_FEATURE: {
    layer: 'interpreter',
    title: 'The WebAssembly module uses a feature this interpreter does not implement.',
    remedy:
      'Build the module for WebAssembly 2.0 without the named post-2.0 feature (e.g. tail calls, exceptions, threads, relaxed SIMD), or pick another runtime implementation.',
  },
  WASM_LIMIT_EXCEEDED: {
    layer: 'interpreter',
    title:
      'The WebAssembly module exceeds an implementation limit (a count of types, imports, functions, globals, exports, segments or locals, or a body size); it was refused before those parts were expanded in memory.',
    remedy:
      'Split the module or reduce the named count; the details give the limit, what was declared and its byte offset (docs/limits.md lists every limit).',
  },
  WASM_LINK_ERROR: {
    layer: 'interpreter',
    title: 'The module imports could not be satisfied.',
    remedy: 'Provide every import the module declares, with a matching kind and type.',
  },
  WASM_BAD_VALUE: {
    layer: 'interpreter',
    title: 'A value passed to or returned from the guest does not fit its WebAssembly type.',
    remedy: 'Pass numbers for i32/f32/f64, bigints for i64, and function references for funcref.',
  },
  WASM_INSTANCE_TERMINATED: {
    layer: 'interpreter',
    title: 'The guest instance was terminated and can no longer run.',
    remedy: 'Instantiate the module again.',
  },
  WASM_EXECUTION_STATE: {
    layer: 'interpreter',
    title: 'An execution was resumed or run in a state that does not allow it.',
    remedy: 'Run an execution only while it is suspended; wait for a pending host promise before resuming.',
  },
  TRAP_UNREACHABLE: {
    layer: 'interpreter',
    title: 'The guest executed an unreachable instruction.',
    remedy: 'This is a guest bug (often a panic or abort); check the guest logs and the function index in the details.',
  },
  TRAP_INTEGER_DIVIDE_BY_ZERO: {
    layer: 'interpreter',
    title: 'The guest divided an integer by zero.',
    remedy: 'Fix the guest code that divides by zero.',
  },
  TRAP_INTEGER_OVERFLOW: {
    layer: 'interpreter',
    title:
      'An integer operation in the guest overflowed (signed division of the minimum value by -1, or a float too large to truncate).',
    remedy: 'Fix the guest arithmetic, or use the saturating conversion instructions.',
  },
  TRAP_INVALID_CONVERSION: {
    layer: 'interpreter',
    title: 'The guest converted NaN to an integer.',
    remedy: 'Fix the guest code, or use the saturating conversion instructions.',
  },
  TRAP_MEMORY_OUT_OF_BOUNDS: {
    layer: 'interpreter',
    title: 'The guest accessed linear memory outside its bounds.',
    remedy: 'This is a guest bug, or the guest needs more memory than the page quota allows.',
  },
  TRAP_TABLE_OUT_OF_BOUNDS: {
    layer: 'interpreter',
    title: 'The guest accessed a table outside its bounds.',
    remedy: 'Fix the guest code; the details carry the index and the table size.',
  },
  TRAP_INDIRECT_CALL_TYPE_MISMATCH: {
    layer: 'interpreter',
    title: 'An indirect call found a function of the wrong type in the table.',
    remedy: 'Fix the guest code or the table contents so the signatures match.',
  },
  TRAP_UNINITIALIZED_ELEMENT: {
    layer: 'interpreter',
    title: 'An indirect call hit a null table element.',
    remedy: 'Fix the guest code or initialise the table element before calling it.',
  },
  TRAP_CALL_STACK_EXHAUSTED: {
    layer: 'interpreter',
    title: 'The guest call stack exceeded its configured depth.',
    remedy: 'Fix unbounded recursion in the guest, or raise the maximum call depth.',
  },
  TRAP_FUEL_EXHAUSTED: {
    layer: 'interpreter',
    title: 'The guest used up its whole fuel budget.',
    remedy: 'Raise the fuel budget, or fix a guest that loops forever.',
  },
  TRAP_HOST_ERROR: {
    layer: 'interpreter',
    title: 'A host function called by the guest threw or its promise rejected.',
    remedy: 'See the cause for the host error.',
  },
  TRAP_NULL_REFERENCE: {
    layer: 'interpreter',
    title: 'The guest used a null reference where a value was required.',
    remedy: 'Fix the guest code.',
  },
} as const satisfies Record<string, ErrorCodeInfo>;
