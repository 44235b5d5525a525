import { errorCodeInfo, isErrorCode, type ErrorCode } from './registry.js';
import type { Layer } from './types.js';

// Brand shared by every copy of @fayger/contracts in one realm, so `FaygerError.is` works even when two
// bundles each carry their own class (where `instanceof` fails).
const BRAND: unique symbol = Symbol.for('@fayger/contracts.FaygerError.v1');

export interface FaygerErrorInit {
  code: ErrorCode;
  /** Full message. Prefer `expected`/`found`/`hint`, which compose a message in the house style. */
  message?: string;
  /** What was being attempted, e.g. "reading the BuF header". Used to compose the message. */
  what?: string;
  expected?: string;
  found?: string;
  /** What to do; defaults to the catalogue remedy. */
  hint?: string;
  /** The named phase that failed (a loader phase, an interpreter stage, an op name...). */
  phase?: string;
  /** Overrides the catalogue layer (rarely needed). */
  layer?: Layer;
  cause?: unknown;
  details?: Record<string, unknown>;
  retryable?: boolean;
}

/** Plain-data form of a FaygerError, safe to serialise (JSON, postMessage). */
export interface FaygerErrorData {
  name: 'FaygerError';
  code: string;
  layer: Layer;
  phase: string;
  message: string;
  details: Record<string, unknown>;
  retryable: boolean;
  cause?: FaygerErrorData | { name: string; message: string };
}

function compose(init: FaygerErrorInit): string {
  if (init.message !== undefined) return init.message;
  const info = errorCodeInfo(init.code)!;
  const parts: string[] = [];
  parts.push(init.what ? `${init.what} failed` : info.title.replace(/\.$/, ''));
  if (init.expected !== undefined) parts.push(`expected ${init.expected}`);
  if (init.found !== undefined) parts.push(`found ${init.found}`);
  let msg = parts.join(': ');
  if (init.expected !== undefined && init.found !== undefined) {
    msg = `${parts[0]}: expected ${init.expected}, found ${init.found}`;
  }
  return `${msg}. ${init.hint ?? info.remedy}`;
}

/** The one error type Fayger throws. `code` is stable (see docs/errors.md); `phase` says where it failed. */
export class FaygerError extends Error {
  override readonly name = 'FaygerError';
  readonly code: ErrorCode;
  readonly layer: Layer;
  readonly phase: string;
  readonly details: Record<string, unknown>;
  readonly retryable: boolean;
  declare readonly cause?: unknown;
  readonly [BRAND] = true;

  constructor(init: FaygerErrorInit) {
    if (!isErrorCode(init.code)) {
      // A typo in a code must not escape as a different, undocumented code.
      throw new TypeError(
        `FaygerError: unknown error code ${JSON.stringify(init.code)}; add it to the catalogue, or register your package's codes with registerErrorCodes`,
      );
    }
    super(compose(init), init.cause === undefined ? undefined : { cause: init.cause });
    const info = errorCodeInfo(init.code)!;
    this.code = init.code;
    this.layer = init.layer ?? info.layer;
    this.phase = init.phase ?? 'unknown';
    this.details = init.details ?? {};
    this.retryable = init.retryable ?? info.retryable ?? false;
  }

  /**
   * True when `err` is a FaygerError from any copy of this package (optionally with the given code).
   * Works across separately bundled copies and across realms that share the global symbol registry.
   */
  static is<C extends ErrorCode>(err: unknown, code?: C): err is FaygerError & { code: C } {
    if (typeof err !== 'object' || err === null) return false;
    if ((err as Record<symbol, unknown>)[BRAND] !== true) return false;
    return code === undefined || (err as { code?: unknown }).code === code;
  }

  toJSON(): FaygerErrorData {
    const data: FaygerErrorData = {
      name: 'FaygerError',
      code: this.code,
      layer: this.layer,
      phase: this.phase,
      message: this.message,
      details: this.details,
      retryable: this.retryable,
    };
    const c = this.cause;
    if (FaygerError.is(c)) data.cause = c.toJSON();
    else if (c instanceof Error) data.cause = { name: c.name, message: c.message };
    return data;
  }

  /** Rebuilds an error serialised with `toJSON` (e.g. across an in-app bridge). */
  static fromJSON(data: FaygerErrorData): FaygerError {
    const code = isErrorCode(data.code) ? data.code : 'INTERNAL';
    return new FaygerError({
      code,
      message: data.message,
      phase: data.phase,
      layer: data.layer,
      details: isErrorCode(data.code) ? data.details : { ...data.details, originalCode: data.code },
      retryable: data.retryable,
    });
  }
}

/** Wraps any thrown value: FaygerErrors pass through, anything else becomes `code` with it as the cause. */
export function toFaygerError(err: unknown, fallback: Omit<FaygerErrorInit, 'cause'>): FaygerError {
  if (FaygerError.is(err)) return err;
  const found = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  return new FaygerError({ ...fallback, found: fallback.found ?? found, cause: err });
}
