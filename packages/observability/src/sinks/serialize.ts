import type { AnyFaygerEvent } from '@fayger/contracts';
import { toEventError } from '../event-error.js';

// Payloads are meant to be plain data, but a careless emitter may put an Error, a bigint or bytes in one;
// those must still produce a useful line rather than `{}` or a thrown TypeError.
function replacer(_key: string, value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Error) return toEventError(value);
  if (value instanceof Uint8Array) return { bytes: value.byteLength };
  return value;
}

// True when plain JSON.stringify renders `value` faithfully: primitives, arrays and plain objects only.
// Checked two levels deep, which covers every payload shape in the event model (fields, `error`,
// `attributes`, `detail`); a replacer costs about as much again as the stringify itself on every event.
function isPlain(value: unknown, depth: number): boolean {
  if (typeof value !== 'object' || value === null) return typeof value !== 'bigint';
  if (depth === 0) return false;
  if (Array.isArray(value)) {
    for (const item of value) if (!isPlain(item, depth - 1)) return false;
    return true;
  }
  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto !== Object.prototype && proto !== null) return false;
  for (const key in value) if (!isPlain((value as Record<string, unknown>)[key], depth - 1)) return false;
  return true;
}

/**
 * One event as a single JSON line (no trailing newline). Never throws: Error, bigint and byte values are
 * rendered usefully and cycles become "[Circular]".
 */
export function serializeEvent(event: AnyFaygerEvent): string {
  if (isPlain(event.data, 3)) {
    try {
      return JSON.stringify(event);
    } catch {
      // A throwing getter or toJSON: fall through to the careful path.
    }
  }
  return safeStringify(event);
}

/** JSON.stringify that handles Error, bigint, bytes and cycles instead of throwing or printing `{}`. */
export function safeStringify(value: unknown): string {
  try {
    return JSON.stringify(value, replacer) ?? String(value);
  } catch {
    // Slow path, only after a failure: a cycle (any repeated object is cut), or a throwing toJSON/getter.
    try {
      const seen = new WeakSet<object>();
      return JSON.stringify(value, (key, inner: unknown) => {
        const v = replacer(key, inner);
        if (typeof v === 'object' && v !== null) {
          if (seen.has(v)) return '[Circular]';
          seen.add(v);
        }
        return v;
      });
    } catch (error) {
      return JSON.stringify({ unserializable: error instanceof Error ? error.message : String(error) });
    }
  }
}
