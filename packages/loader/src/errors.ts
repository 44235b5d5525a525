import { FaygerError, type ErrorCode, type LoaderPhaseName } from '@fayger/contracts';

export interface FailInit {
  what: string;
  expected?: string;
  found?: string;
  hint?: string;
  details?: Record<string, unknown>;
  cause?: unknown;
}

export function loaderError(code: ErrorCode, phase: LoaderPhaseName | string, init: FailInit): FaygerError {
  return new FaygerError({ code, phase, ...init });
}

export function abortError(phase: string, signal: AbortSignal, what: string): FaygerError {
  return new FaygerError({ code: 'ABORTED', phase, what, found: 'the AbortSignal fired', cause: signal.reason });
}

export function throwIfAborted(signal: AbortSignal | undefined, phase: string, what: string): void {
  if (signal?.aborted) throw abortError(phase, signal, what);
}

export const hex = (b: Uint8Array): string => {
  let s = '';
  for (let i = 0; i < b.length; i++) s += b[i]!.toString(16).padStart(2, '0');
  return s;
};

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let d = 0;
  for (let i = 0; i < a.length; i++) d |= a[i]! ^ b[i]!;
  return d === 0;
}
