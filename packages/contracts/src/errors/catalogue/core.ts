import type { ErrorCodeInfo } from '../types.js';

/** Codes raised by contracts itself (validation at boundaries) and generic codes any layer may use. */
export const coreCodes = {
  INTERNAL: {
    layer: 'contracts',
    title: 'An invariant inside Fayger was broken (a bug).',
    remedy: 'Report it with the error details and the artifact that triggered it.',
  },
  INVALID_ARGUMENT: {
    layer: 'contracts',
    title: 'An API was called with an argument outside its contract.',
    remedy: 'Check the argument named in the message against the API documentation.',
  },
  INSTRUCTION_INVALID: {
    layer: 'contracts',
    title: 'A Universal_Instruction failed schema validation at the bus boundary.',
    remedy: 'Send an instruction whose op is in the v1 catalogue and whose args match that op schema (docs/abi.md).',
  },
  INSTRUCTION_UNKNOWN_OP: {
    layer: 'contracts',
    title: 'A Universal_Instruction named an op that is not in the catalogue.',
    remedy: 'Use one of the ops listed in docs/abi.md; check the spelling and the contracts version.',
  },
  RESULT_INVALID: {
    layer: 'contracts',
    title: 'A Universal_Result failed schema validation.',
    remedy: 'The adapter returned a result that does not match the op result schema; fix the adapter.',
  },
  EVENT_INVALID: {
    layer: 'contracts',
    title: 'A Universal_Event failed schema validation.',
    remedy: 'The host event does not match its schema; fix the adapter that produced it.',
  },
  LIFECYCLE_ILLEGAL_TRANSITION: {
    layer: 'contracts',
    title: 'An instance was asked to move between two lifecycle states that are not connected.',
    remedy: 'Check the instance state first; the legal transitions are listed in docs/architecture.md.',
  },
  ABORTED: {
    layer: 'contracts',
    title: 'The operation was cancelled through its AbortSignal.',
    remedy: 'Nothing to fix if the cancellation was intended; otherwise raise the timeout.',
  },
} as const satisfies Record<string, ErrorCodeInfo>;
