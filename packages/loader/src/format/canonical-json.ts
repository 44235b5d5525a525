/**
 * Canonical JSON (RFC 8785 style): object keys sorted by UTF-16 code units, no insignificant whitespace,
 * ECMAScript number formatting, minimal string escaping. Values limited to what JSON.parse produces.
 * `undefined` members are omitted (as JSON.stringify does) so optional fields can be left unset.
 */
export function canonicalJson(value: unknown): string {
  const out: string[] = [];
  write(value, out, 0);
  return out.join('');
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function write(v: unknown, out: string[], depth: number): void {
  if (depth > 64) throw new TypeError('canonical JSON: nesting deeper than 64 levels');
  if (v === null) return void out.push('null');
  switch (typeof v) {
    case 'boolean':
      out.push(v ? 'true' : 'false');
      return;
    case 'number':
      if (!Number.isFinite(v)) throw new TypeError('canonical JSON: non-finite number');
      out.push(JSON.stringify(v));
      return;
    case 'string':
      if (LONE_SURROGATE.test(v)) throw new TypeError('canonical JSON: lone surrogate in string');
      out.push(JSON.stringify(v));
      return;
    case 'object': {
      if (Array.isArray(v)) {
        out.push('[');
        for (let i = 0; i < v.length; i++) {
          if (i) out.push(',');
          write(v[i] === undefined ? null : v[i], out, depth + 1);
        }
        out.push(']');
        return;
      }
      const proto = Object.getPrototypeOf(v);
      if (proto !== Object.prototype && proto !== null) throw new TypeError('canonical JSON: not a plain object');
      const keys = Object.keys(v).filter((k) => (v as Record<string, unknown>)[k] !== undefined);
      keys.sort();
      out.push('{');
      keys.forEach((k, i) => {
        if (i) out.push(',');
        if (LONE_SURROGATE.test(k)) throw new TypeError('canonical JSON: lone surrogate in key');
        out.push(JSON.stringify(k), ':');
        write((v as Record<string, unknown>)[k], out, depth + 1);
      });
      out.push('}');
      return;
    }
    default:
      throw new TypeError(`canonical JSON: cannot encode ${typeof v}`);
  }
}
