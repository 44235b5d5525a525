import { FaygerError, type EventError } from '@fayger/contracts';

/** Turns any thrown value into the plain error data events carry (serialisable, no stack). */
export function toEventError(error: unknown): EventError {
  if (FaygerError.is(error)) return error.toJSON();
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return typeof code === 'string'
      ? { name: error.name, message: error.message, code }
      : { name: error.name, message: error.message };
  }
  let message: string;
  try {
    message = typeof error === 'string' ? error : (JSON.stringify(error) ?? String(error));
  } catch {
    message = String(error);
  }
  return { name: 'NonError', message };
}
