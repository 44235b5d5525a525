// The generic call and the typed fast paths of the `fayger` import module (docs/abi.md).

import {
  fayger_blob_len, fayger_blob_read, fayger_call, fayger_clock_now, fayger_exit, fayger_has_capability,
  fayger_log, fayger_random_fill, fayger_result_len, fayger_result_read, fayger_sleep_ms,
} from "./bindings";
import { JsonObject, JsonValue, int, parse } from "./json";
import { EDENIED, EHOST, EINVAL, OK, ETOOBIG, statusName as nameOfStatus } from "./status";

/**
 * The outcome of one host call: its status, the pending-result JSON (the op's result on success, the error
 * object `{"code","message","phase"}` otherwise) and copies of its blobs. Everything is copied out of the
 * host right after the call, so a Reply stays valid after later calls.
 */
export class Reply {
  /** Pending result as JSON text ("" when the host had none). */
  raw: string = "";
  /** Blobs referenced as {"$blob":N}, copied in index order. */
  blobs: Array<ArrayBuffer> = [];
  private parsed: JsonValue | null = null;

  constructor(public status: i32) {}

  get ok(): bool { return this.status == OK; }
  /** The op's capability is not granted (or an optional capability is absent). */
  get denied(): bool { return this.status == EDENIED; }
  get statusName(): string { return nameOfStatus(this.status); }

  /** The pending result parsed (a null value when it was empty or not JSON). */
  get json(): JsonValue {
    const cached = this.parsed;
    if (cached !== null) return cached;
    const v = parse(this.raw);
    const p = v !== null ? v : JsonValue.nul();
    this.parsed = p;
    return p;
  }

  /** FaygerError code of a failed call (e.g. "CAPABILITY_DENIED"); "" on success. */
  get errorCode(): string { return this.ok ? "" : this.json.get("code").str(); }
  get errorMessage(): string { return this.ok ? "" : this.json.get("message").str(); }
  get errorPhase(): string { return this.ok ? "" : this.json.get("phase").str(); }

  /** The bytes a `{"$blob":N}` value refers to; null when `ref` is not a blob reference. */
  bytes(ref: JsonValue): ArrayBuffer | null {
    const i = ref.blobIndex;
    return i >= 0 && i < this.blobs.length ? this.blobs[i] : null;
  }

  /** `FAYGER_EDENIED CAPABILITY_DENIED: …` — for logs. */
  describe(): string {
    if (this.ok) return "FAYGER_OK";
    return this.statusName + " " + this.errorCode + ": " + this.errorMessage;
  }
}

/** UTF-8 bytes of a string (no terminator). */
export function utf8(s: string): ArrayBuffer {
  return String.UTF8.encode(s, false);
}

/** Text of UTF-8 bytes (invalid sequences become U+FFFD). */
export function text(bytes: ArrayBuffer): string {
  return String.UTF8.decode(bytes, false);
}

/**
 * `{"$mem":[ptr,len]}` for bytes argument fields: the runtime copies the bytes when it builds the
 * instruction. `buf` must stay alive until the call returns — pass it as `keep` to `call`.
 */
export function memRef(buf: ArrayBuffer): string {
  return "{\"$mem\":[" + int(<i64>changetype<usize>(buf)) + "," + int(buf.byteLength) + "]}";
}

/**
 * Calls op `op` (an op of the v1 catalogue, e.g. "fs.read") with `argsJson`, a JSON object. `keep` lists
 * buffers referenced with `memRef`: they are pinned until the call returns so the collector cannot free
 * them. Never traps on a host failure: a denied, invalid, quota or host error comes back as the status.
 */
export function call(op: string, argsJson: string, keep: Array<ArrayBuffer> | null = null): Reply {
  const opBytes = utf8(op);
  const argBytes = utf8(argsJson);
  if (keep !== null) for (let i = 0; i < keep.length; i++) __pin(changetype<usize>(keep[i]));
  const status = fayger_call(changetype<usize>(opBytes), opBytes.byteLength, changetype<usize>(argBytes), argBytes.byteLength);
  if (keep !== null) for (let i = 0; i < keep.length; i++) __unpin(changetype<usize>(keep[i]));
  const reply = new Reply(status);
  reply.raw = readPending();
  collectBlobs(reply);
  return reply;
}

function readPending(): string {
  const len = fayger_result_len();
  if (len <= 0) return "";
  const buf = new ArrayBuffer(len);
  const n = fayger_result_read(changetype<usize>(buf), len);
  if (n < 0) return "";
  return String.UTF8.decode(n == len ? buf : buf.slice(0, n), false);
}

/** Copies every blob the result refers to: blobs only live until the next call. */
function collectBlobs(reply: Reply): void {
  if (!reply.raw.includes("\"$blob\"")) return;
  let max = -1;
  max = maxBlob(reply.json, max);
  for (let i = 0; i <= max; i++) {
    const len = fayger_blob_len(i);
    if (len < 0) { reply.blobs.push(new ArrayBuffer(0)); continue; }
    const buf = new ArrayBuffer(len);
    const n = fayger_blob_read(i, changetype<usize>(buf), len);
    reply.blobs.push(n == len ? buf : buf.slice(0, n < 0 ? 0 : n));
  }
}

function maxBlob(v: JsonValue, max: i32): i32 {
  const b = v.blobIndex;
  if (b >= 0) return b > max ? b : max;
  for (let i = 0; i < v.items.length; i++) max = maxBlob(v.items[i], max);
  return max;
}

/** Is the capability granted to this instance? Optional capabilities that were not granted are absent. */
export function hasCapability(name: string): bool {
  const b = utf8(name);
  return fayger_has_capability(changetype<usize>(b), b.byteLength) == 1;
}

/** Ends the instance with `code` (0–255). Does not return. */
export function exit(code: i32): void {
  fayger_exit(code);
  unreachable();
}

/** Suspends the guest for `ms` milliseconds (capability `timer`). Returns a status. */
export function sleep(ms: f64): i32 {
  return fayger_sleep_ms(ms);
}

export namespace log {
  export const TRACE: i32 = 0;
  export const DEBUG: i32 = 1;
  export const INFO: i32 = 2;
  export const WARN: i32 = 3;
  export const ERROR: i32 = 4;

  /** Writes one log record (capability `log`). Returns a status. */
  export function write(level: i32, message: string): i32 {
    const b = utf8(message);
    return fayger_log(level, changetype<usize>(b), b.byteLength);
  }
  export function trace(message: string): i32 { return write(TRACE, message); }
  export function debug(message: string): i32 { return write(DEBUG, message); }
  export function info(message: string): i32 { return write(INFO, message); }
  export function warn(message: string): i32 { return write(WARN, message); }
  export function error(message: string): i32 { return write(ERROR, message); }
}

export namespace clock {
  /** Milliseconds since the Unix epoch; -1 when `clock` is not granted. */
  export function now(): f64 { return fayger_clock_now(0); }
  /** Monotonic milliseconds from an arbitrary origin; -1 when `clock` is not granted. */
  export function monotonic(): f64 { return fayger_clock_now(1); }
}

export namespace random {
  /** Fills `buf` with secure random bytes (capability `random`). Returns a status. */
  export function fill(buf: ArrayBuffer): i32 {
    return fayger_random_fill(changetype<usize>(buf), buf.byteLength);
  }
}

/** Reply of an op whose only interesting result is text (e.g. fs.readText, kv.getText). */
export class TextReply extends Reply {
  text: string = "";
  /** false when the value was absent (kv.get on a missing key). */
  found: bool = false;
}

/** Reply carrying bytes (fs.read, kv.get). */
export class BytesReply extends Reply {
  data: ArrayBuffer = new ArrayBuffer(0);
  found: bool = false;
}

export function toTextReply(r: Reply, field: string): TextReply {
  const t = new TextReply(r.status);
  t.raw = r.raw;
  t.blobs = r.blobs;
  if (r.ok) {
    const b = r.bytes(r.json.get(field));
    if (b !== null) { t.text = text(b); t.found = true; }
  }
  return t;
}

export function toBytesReply(r: Reply, field: string): BytesReply {
  const t = new BytesReply(r.status);
  t.raw = r.raw;
  t.blobs = r.blobs;
  if (r.ok) {
    const b = r.bytes(r.json.get(field));
    if (b !== null) { t.data = b; t.found = true; }
  }
  return t;
}

/** The argument-builder used by the typed helpers, re-exported for apps calling other ops. */
export function args(): JsonObject { return new JsonObject(); }

// Re-exported so `import { status } …` users can compare without a second import.
export { OK, EDENIED, EINVAL, EHOST, ETOOBIG };
