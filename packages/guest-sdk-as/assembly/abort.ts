import { fayger_log } from "./bindings";

/**
 * Replaces AssemblyScript's `env.abort` import (not part of the ABI): logs the failed assertion at error
 * level, then traps, so the instance ends Failed rather than with a made-up exit code. Wired in by
 * asconfig.json (`use: abort=…`).
 */
export function faygerAbort(message: string | null, fileName: string | null, line: u32, column: u32): void {
  let m = "abort: " + (message !== null ? message : "(no message)");
  if (fileName !== null) m += " at " + fileName + ":" + line.toString() + ":" + column.toString();
  const b = String.UTF8.encode(m, false);
  fayger_log(4, changetype<usize>(b), b.byteLength);
  unreachable();
}
