// Status codes returned by fallible `fayger` imports (docs/abi.md, "Status codes").

export const OK: i32 = 0;
/** The op's capability is not granted to this instance (CAPABILITY_DENIED). */
export const EDENIED: i32 = 1;
/** The instruction failed validation: unknown op, bad JSON, bad arguments, bad pointer. */
export const EINVAL: i32 = 2;
/** A capability quota is exhausted (CAPABILITY_QUOTA_EXCEEDED). */
export const EQUOTA: i32 = 3;
/** The host failed the op (not found, I/O error, network error, timeout…). */
export const EHOST: i32 = 4;
/** The result does not fit in the buffer offered. */
export const ETOOBIG: i32 = 5;

/** `FAYGER_OK`, `FAYGER_EDENIED`, … for a status value; `FAYGER_E?<n>` for values this SDK does not know. */
export function statusName(status: i32): string {
  switch (status) {
    case OK: return "FAYGER_OK";
    case EDENIED: return "FAYGER_EDENIED";
    case EINVAL: return "FAYGER_EINVAL";
    case EQUOTA: return "FAYGER_EQUOTA";
    case EHOST: return "FAYGER_EHOST";
    case ETOOBIG: return "FAYGER_ETOOBIG";
  }
  return "FAYGER_E?" + status.toString();
}
