// Minimal, correct JSON for the guest: a string escaper and builder for arguments, and a small reader
// (full RFC 8259 syntax, values kept as a tree) for results and events.

/** `s` as a JSON string literal, quotes included. Escapes quotes, backslashes and every control character. */
export function quote(s: string): string {
  let out = "\"";
  let start = 0;
  const n = s.length;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    let esc: string | null = null;
    if (c == 0x22) esc = "\\\"";
    else if (c == 0x5c) esc = "\\\\";
    else if (c < 0x20) {
      if (c == 0x0a) esc = "\\n";
      else if (c == 0x0d) esc = "\\r";
      else if (c == 0x09) esc = "\\t";
      else if (c == 0x08) esc = "\\b";
      else if (c == 0x0c) esc = "\\f";
      else esc = "\\u00" + hex2(c);
    } else if (c >= 0xd800 && c <= 0xdfff) {
      // A lone surrogate cannot be encoded as UTF-8; keep it representable as an escape.
      const pairOk = c <= 0xdbff && i + 1 < n && s.charCodeAt(i + 1) >= 0xdc00 && s.charCodeAt(i + 1) <= 0xdfff;
      if (pairOk) { i++; continue; }
      esc = "\\u" + hex2(c >> 8) + hex2(c & 0xff);
    }
    if (esc !== null) {
      out += s.substring(start, i) + esc;
      start = i + 1;
    }
  }
  return out + s.substring(start, n) + "\"";
}

function hex2(v: i32): string {
  const digits = "0123456789abcdef";
  return digits.charAt((v >> 4) & 15) + digits.charAt(v & 15);
}

/** A JSON number for an integer; JSON has no other integer spelling. */
export function int(v: i64): string {
  return v.toString();
}

/** A JSON number for a finite float (NaN and infinities are not JSON: they become null). */
export function num(v: f64): string {
  if (!isFinite(v)) return "null";
  if (v == Math.floor(v) && Math.abs(v) < 9007199254740992.0) return (<i64>v).toString();
  return v.toString();
}

/** Builds a JSON object field by field: `new JsonObject().str("path", p).int("offset", 0).toString()`. */
export class JsonObject {
  private body: string = "";

  /** Adds a field whose value is already JSON text (an object, array, number…). */
  raw(key: string, json: string): JsonObject {
    if (this.body.length > 0) this.body += ",";
    this.body += quote(key) + ":" + json;
    return this;
  }
  str(key: string, value: string): JsonObject { return this.raw(key, quote(value)); }
  int(key: string, value: i64): JsonObject { return this.raw(key, int(value)); }
  num(key: string, value: f64): JsonObject { return this.raw(key, num(value)); }
  bool(key: string, value: bool): JsonObject { return this.raw(key, value ? "true" : "false"); }
  nul(key: string): JsonObject { return this.raw(key, "null"); }
  toString(): string { return "{" + this.body + "}"; }
}

/** A JSON array of already-encoded JSON values. */
export function array(items: Array<string>): string {
  return "[" + items.join(",") + "]";
}

/** A JSON array of strings. */
export function stringArray(items: Array<string>): string {
  const parts = new Array<string>(items.length);
  for (let i = 0; i < items.length; i++) parts[i] = quote(items[i]);
  return "[" + parts.join(",") + "]";
}

export const enum Kind { Null, Bool, Number, String, Array, Object }

/** A parsed JSON value. Accessors never trap: asking the wrong kind gives a neutral value. */
export class JsonValue {
  kind: Kind = Kind.Null;
  b: bool = false;
  n: f64 = 0;
  s: string = "";
  items: Array<JsonValue> = [];
  keys: Array<string> = [];

  static nul(): JsonValue { return new JsonValue(); }

  get isNull(): bool { return this.kind == Kind.Null; }
  get isObject(): bool { return this.kind == Kind.Object; }
  get isArray(): bool { return this.kind == Kind.Array; }
  get isString(): bool { return this.kind == Kind.String; }
  get isNumber(): bool { return this.kind == Kind.Number; }
  get isBool(): bool { return this.kind == Kind.Bool; }

  /** Field of an object (null value when absent or not an object). Last duplicate wins, as in JavaScript. */
  get(key: string): JsonValue {
    if (this.kind != Kind.Object) return JsonValue.nul();
    for (let i = this.keys.length - 1; i >= 0; i--) if (this.keys[i] == key) return this.items[i];
    return JsonValue.nul();
  }
  has(key: string): bool {
    if (this.kind != Kind.Object) return false;
    for (let i = 0; i < this.keys.length; i++) if (this.keys[i] == key) return true;
    return false;
  }
  /** Element of an array (null value when out of range or not an array). */
  at(index: i32): JsonValue {
    if (this.kind != Kind.Array || index < 0 || index >= this.items.length) return JsonValue.nul();
    return this.items[index];
  }
  get length(): i32 {
    return this.kind == Kind.Array || this.kind == Kind.Object ? this.items.length : 0;
  }
  str(fallback: string = ""): string { return this.kind == Kind.String ? this.s : fallback; }
  number(fallback: f64 = 0): f64 { return this.kind == Kind.Number ? this.n : fallback; }
  integer(fallback: i64 = 0): i64 { return this.kind == Kind.Number ? <i64>this.n : fallback; }
  boolean(fallback: bool = false): bool { return this.kind == Kind.Bool ? this.b : fallback; }

  /** The blob index when this value is a `{"$blob":N}` reference, else -1. */
  get blobIndex(): i32 {
    if (this.kind != Kind.Object || this.keys.length != 1 || this.keys[0] != "$blob") return -1;
    const v = this.items[0];
    return v.kind == Kind.Number ? <i32>v.n : -1;
  }

  /** Re-encodes the value as compact JSON. */
  toString(): string {
    switch (this.kind) {
      case Kind.Null: return "null";
      case Kind.Bool: return this.b ? "true" : "false";
      case Kind.Number: return num(this.n);
      case Kind.String: return quote(this.s);
      case Kind.Array: {
        const parts = new Array<string>(this.items.length);
        for (let i = 0; i < this.items.length; i++) parts[i] = this.items[i].toString();
        return "[" + parts.join(",") + "]";
      }
    }
    const parts = new Array<string>(this.items.length);
    for (let i = 0; i < this.items.length; i++) parts[i] = quote(this.keys[i]) + ":" + this.items[i].toString();
    return "{" + parts.join(",") + "}";
  }
}

/** Parses JSON text. Returns null when the text is not exactly one JSON value (or nests deeper than 256). */
export function parse(text: string): JsonValue | null {
  const p = new Parser(text);
  p.ws();
  const v = p.value(0);
  if (v === null) return null;
  p.ws();
  return p.pos == text.length ? v : null;
}

class Parser {
  pos: i32 = 0;
  constructor(public text: string) {}

  ws(): void {
    const t = this.text;
    while (this.pos < t.length) {
      const c = t.charCodeAt(this.pos);
      if (c != 0x20 && c != 0x0a && c != 0x0d && c != 0x09) break;
      this.pos++;
    }
  }

  value(depth: i32): JsonValue | null {
    if (depth > 256 || this.pos >= this.text.length) return null;
    const c = this.text.charCodeAt(this.pos);
    if (c == 0x7b) return this.object(depth);
    if (c == 0x5b) return this.array(depth);
    if (c == 0x22) {
      const s = this.string();
      if (s === null) return null;
      const v = new JsonValue();
      v.kind = Kind.String;
      v.s = s;
      return v;
    }
    if (this.literal("true")) { const v = new JsonValue(); v.kind = Kind.Bool; v.b = true; return v; }
    if (this.literal("false")) { const v = new JsonValue(); v.kind = Kind.Bool; return v; }
    if (this.literal("null")) return new JsonValue();
    return this.number();
  }

  literal(word: string): bool {
    if (this.text.substr(this.pos, word.length) != word) return false;
    this.pos += word.length;
    return true;
  }

  number(): JsonValue | null {
    const t = this.text;
    const start = this.pos;
    if (this.pos < t.length && t.charCodeAt(this.pos) == 0x2d) this.pos++;
    if (this.pos >= t.length) return null;
    if (t.charCodeAt(this.pos) == 0x30) this.pos++;
    else if (!this.digits()) return null;
    if (this.pos < t.length && t.charCodeAt(this.pos) == 0x2e) {
      this.pos++;
      if (!this.digits()) return null;
    }
    if (this.pos < t.length && (t.charCodeAt(this.pos) | 0x20) == 0x65) {
      this.pos++;
      if (this.pos < t.length && (t.charCodeAt(this.pos) == 0x2b || t.charCodeAt(this.pos) == 0x2d)) this.pos++;
      if (!this.digits()) return null;
    }
    const v = new JsonValue();
    v.kind = Kind.Number;
    v.n = parseFloat(t.substring(start, this.pos));
    return v;
  }

  digits(): bool {
    const start = this.pos;
    const t = this.text;
    while (this.pos < t.length) {
      const c = t.charCodeAt(this.pos);
      if (c < 0x30 || c > 0x39) break;
      this.pos++;
    }
    return this.pos > start;
  }

  string(): string | null {
    const t = this.text;
    this.pos++; // opening quote
    let out = "";
    let start = this.pos;
    while (this.pos < t.length) {
      const c = t.charCodeAt(this.pos);
      if (c == 0x22) {
        out += t.substring(start, this.pos);
        this.pos++;
        return out;
      }
      if (c < 0x20) return null;
      if (c == 0x5c) {
        out += t.substring(start, this.pos);
        this.pos++;
        if (this.pos >= t.length) return null;
        const e = t.charCodeAt(this.pos);
        this.pos++;
        if (e == 0x22) out += "\"";
        else if (e == 0x5c) out += "\\";
        else if (e == 0x2f) out += "/";
        else if (e == 0x62) out += "\b";
        else if (e == 0x66) out += "\f";
        else if (e == 0x6e) out += "\n";
        else if (e == 0x72) out += "\r";
        else if (e == 0x74) out += "\t";
        else if (e == 0x75) {
          if (this.pos + 4 > t.length) return null;
          let code = 0;
          for (let k = 0; k < 4; k++) {
            const h = t.charCodeAt(this.pos + k);
            let d = -1;
            if (h >= 0x30 && h <= 0x39) d = h - 0x30;
            else if ((h | 0x20) >= 0x61 && (h | 0x20) <= 0x66) d = (h | 0x20) - 0x61 + 10;
            if (d < 0) return null;
            code = (code << 4) | d;
          }
          this.pos += 4;
          // Surrogate pairs arrive as two escapes; UTF-16 strings hold them as two code units anyway.
          out += String.fromCharCode(code);
        } else return null;
        start = this.pos;
        continue;
      }
      this.pos++;
    }
    return null;
  }

  array(depth: i32): JsonValue | null {
    this.pos++;
    const v = new JsonValue();
    v.kind = Kind.Array;
    this.ws();
    if (this.pos < this.text.length && this.text.charCodeAt(this.pos) == 0x5d) { this.pos++; return v; }
    while (true) {
      this.ws();
      const item = this.value(depth + 1);
      if (item === null) return null;
      v.items.push(item);
      this.ws();
      if (this.pos >= this.text.length) return null;
      const c = this.text.charCodeAt(this.pos++);
      if (c == 0x5d) return v;
      if (c != 0x2c) return null;
    }
  }

  object(depth: i32): JsonValue | null {
    this.pos++;
    const v = new JsonValue();
    v.kind = Kind.Object;
    this.ws();
    if (this.pos < this.text.length && this.text.charCodeAt(this.pos) == 0x7d) { this.pos++; return v; }
    while (true) {
      this.ws();
      if (this.pos >= this.text.length || this.text.charCodeAt(this.pos) != 0x22) return null;
      const key = this.string();
      if (key === null) return null;
      this.ws();
      if (this.pos >= this.text.length || this.text.charCodeAt(this.pos) != 0x3a) return null;
      this.pos++;
      this.ws();
      const item = this.value(depth + 1);
      if (item === null) return null;
      v.keys.push(key);
      v.items.push(item);
      this.ws();
      if (this.pos >= this.text.length) return null;
      const c = this.text.charCodeAt(this.pos++);
      if (c == 0x7d) return v;
      if (c != 0x2c) return null;
    }
  }
}
