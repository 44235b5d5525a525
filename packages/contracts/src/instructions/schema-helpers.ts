import { Type, type TLiteral, type TSchema, type TUnion } from 'typebox';

/** Largest string a v1 instruction may carry in any one field (messages, paths, URLs…). */
export const MAX_STRING = 64 * 1024;
/** Largest byte payload a v1 instruction may carry in one field. Bigger transfers are chunked by the guest. */
export const MAX_BYTES = 16 * 1024 * 1024;

/** Closed object: extra properties are an error, so a typo in an argument name is never silently ignored. */
export const Obj = <P extends Record<string, TSchema>>(props: P, description?: string) =>
  Type.Object(props, { additionalProperties: false, ...(description ? { description } : {}) });

export const Str = (max = MAX_STRING, min = 0) => Type.String({ minLength: min, maxLength: max });

/** Raw bytes. Data crosses the bus as Uint8Array; bridges that only carry text encode it themselves. */
export const Bytes = (max = MAX_BYTES) =>
  Type.Refine(
    Type.Unsafe<Uint8Array>({ description: 'bytes (Uint8Array)' }),
    (v: unknown) => v instanceof Uint8Array && v.byteLength <= max,
    (v: unknown) =>
      v instanceof Uint8Array ? `must be at most ${max} bytes (was ${v.byteLength})` : 'must be a Uint8Array',
  );

export const Headers = Type.Record(Type.String({ maxLength: 256 }), Type.String({ maxLength: 8192 }), {
  maxProperties: 128,
});

export const Empty = Obj({});

/**
 * A union of string literals that keeps each literal in the static type (mapping an array through
 * `Type.Literal` erases them to `never`).
 */
export function Literals<const T extends readonly [string, ...string[]]>(
  values: T,
): TUnion<{ -readonly [K in keyof T]: TLiteral<T[K]> }> {
  return Type.Union(values.map((v) => Type.Literal(v))) as never;
}
