import { FaygerError, type ErrorCode } from '@fayger/contracts';

type BrowserCode = Extract<ErrorCode, `BROWSER_${string}`>;

export function browserError(
  code: BrowserCode,
  phase: string,
  what: string,
  found: string,
  extra: {
    expected?: string;
    hint?: string;
    cause?: unknown;
    details?: Record<string, unknown>;
    retryable?: boolean;
  } = {},
): FaygerError {
  return new FaygerError({ code, phase, what, found, ...extra, details: extra.details ?? {} });
}

/** A short, printable description of a thrown value (DOMException names matter: NotAllowedError, QuotaExceededError). */
export function describeThrown(e: unknown): string {
  if (e instanceof Error || (typeof DOMException !== 'undefined' && e instanceof DOMException)) {
    const err = e as Error;
    return err.message ? `${err.name}: ${err.message}` : err.name;
  }
  return String(e);
}
