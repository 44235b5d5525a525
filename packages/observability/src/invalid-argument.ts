import { FaygerError } from '@fayger/contracts';

/** API misuse: an INVALID_ARGUMENT FaygerError attributed to observability. */
export function invalidArgument(what: string, expected: string, found: unknown): FaygerError {
  let shown: string;
  try {
    shown =
      typeof found === 'string'
        ? JSON.stringify(found)
        : typeof found === 'function'
          ? 'a function'
          : String(JSON.stringify(found) ?? found);
  } catch {
    shown = String(found);
  }
  return new FaygerError({
    code: 'INVALID_ARGUMENT',
    layer: 'observability',
    phase: 'configure',
    what,
    expected,
    found: shown,
  });
}
