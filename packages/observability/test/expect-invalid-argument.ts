import { FaygerError } from '@fayger/contracts';
import { expect } from 'vitest';

/** Asserts `fn` throws an INVALID_ARGUMENT FaygerError from observability whose message mentions `found`. */
export function expectInvalidArgument(fn: () => unknown, found: string): void {
  let thrown: unknown;
  try {
    fn();
  } catch (error) {
    thrown = error;
  }
  expect(FaygerError.is(thrown, 'INVALID_ARGUMENT')).toBe(true);
  const e = thrown as FaygerError;
  expect(e.layer).toBe('observability');
  expect(e.message).toContain(`found ${found}`);
}
