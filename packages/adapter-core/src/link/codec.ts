import { base64ToBytes, bytesToBase64 } from '../bytes/base64.js';

/**
 * Bytes on string-only transports. A Uint8Array becomes `{"$b64": "<base64>"}`; a plain object that itself has
 * exactly one key named `$b64` or `$obj` is wrapped as `{"$obj": {...}}` so it cannot be mistaken for bytes.
 * MessagePort transports skip this: structured clone carries Uint8Array as it is.
 */

/** Deepest nesting accepted when decoding, so a hostile message cannot exhaust the stack. */
export const MAX_WIRE_DEPTH = 64;

export class CodecError extends Error {
  constructor(
    message: string,
    readonly path: string,
  ) {
    super(message);
  }
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== 'object') return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
}

function isTagged(o: Record<string, unknown>): boolean {
  const keys = Object.keys(o);
  return keys.length === 1 && (keys[0] === '$b64' || keys[0] === '$obj');
}

/** Makes `value` JSON-safe: bytes as base64, everything else unchanged. Throws CodecError for non-data. */
export function encodeValue(value: unknown): unknown {
  return walk(value, '', 0, true);
}

/** Checks that a value can cross a structured-clone transport as Fayger data (bounded depth, no functions). */
export function checkCloneable(value: unknown): void {
  walk(value, '', 0, false);
}

// One walk for both: `encode` builds the JSON-safe copy, otherwise the value is only checked.
function walk(value: unknown, path: string, depth: number, encode: boolean): unknown {
  if (depth > MAX_WIRE_DEPTH) throw new CodecError(`nesting deeper than ${MAX_WIRE_DEPTH}`, path);
  if (value instanceof Uint8Array) return encode ? { $b64: bytesToBase64(value) } : value;
  if (value === null || value === undefined || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') {
    if (encode && !Number.isFinite(value)) throw new CodecError(`non-finite number ${String(value)}`, path);
    return value;
  }
  if (Array.isArray(value)) return value.map((v, i) => walk(v, `${path}/${i}`, depth + 1, encode) ?? null);
  if (isPlainObject(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const e = walk(v, `${path}/${k}`, depth + 1, encode);
      // defineProperty: a key "__proto__" stays data (assignment would set the prototype and drop it).
      if (e !== undefined)
        Object.defineProperty(out, k, { value: e, enumerable: true, writable: true, configurable: true });
    }
    return encode && isTagged(value) ? { $obj: out } : out;
  }
  const t = typeof value;
  throw new CodecError(
    `a ${t === 'object' ? ((value as object).constructor?.name ?? 'object') : t} is not link data`,
    path,
  );
}

/** Reverses `encodeValue` on parsed JSON. Throws CodecError for bad base64 or too-deep nesting. */
export function decodeValue(value: unknown, path = '', depth = 0): unknown {
  if (depth > MAX_WIRE_DEPTH) throw new CodecError(`nesting deeper than ${MAX_WIRE_DEPTH}`, path);
  if (Array.isArray(value)) return value.map((v, i) => decodeValue(v, `${path}/${i}`, depth + 1));
  if (value === null || typeof value !== 'object') return value;
  const o = value as Record<string, unknown>;
  if (isTagged(o)) {
    if ('$b64' in o) {
      const b = typeof o.$b64 === 'string' ? base64ToBytes(o.$b64) : undefined;
      if (!b) throw new CodecError('"$b64" is not canonical padded base64', path);
      return b;
    }
    const inner = o.$obj;
    if (inner === null || typeof inner !== 'object' || Array.isArray(inner))
      throw new CodecError('"$obj" must wrap an object', path);
    return decodeFields(inner as Record<string, unknown>, path, depth);
  }
  return decodeFields(o, path, depth);
}

function decodeFields(o: Record<string, unknown>, path: string, depth: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) {
    // A JSON key "__proto__" must stay data, never become the prototype.
    Object.defineProperty(out, k, {
      value: decodeValue(v, `${path}/${k}`, depth + 1),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return out;
}
