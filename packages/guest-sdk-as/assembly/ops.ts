// Typed helpers for the ops the examples use. Each is exactly one `call`; failures come back as a status
// plus the error JSON (never swallowed, never a trap).

import { JsonObject, JsonValue, quote } from "./json";
import { BytesReply, Reply, TextReply, call, memRef, text, toBytesReply, toTextReply, utf8 } from "./host";

export namespace fs {
  /** fs.read of a whole file, decoded as UTF-8. */
  export function readText(path: string): TextReply {
    return toTextReply(call("fs.read", new JsonObject().str("path", path).toString()), "data");
  }

  /** fs.read of a file (or `length` bytes from `offset`; length -1 means to the end). */
  export function read(path: string, offset: i64 = 0, length: i64 = -1): BytesReply {
    const a = new JsonObject().str("path", path);
    if (offset > 0) a.int("offset", offset);
    if (length >= 0) a.int("length", length);
    return toBytesReply(call("fs.read", a.toString()), "data");
  }

  /** fs.write of bytes (create + truncate unless `append`). `reply.json.get("bytesWritten")` says how many. */
  export function write(path: string, data: ArrayBuffer, append: bool = false): Reply {
    const a = new JsonObject().str("path", path).raw("data", memRef(data));
    if (append) a.bool("append", true);
    return call("fs.write", a.toString(), [data]);
  }

  /** fs.write of UTF-8 text. */
  export function writeText(path: string, content: string, append: bool = false): Reply {
    return write(path, utf8(content), append);
  }

  /** One directory entry of fs.list. */
  export class Entry {
    constructor(public name: string, public type: string) {}
  }

  export class ListReply extends Reply {
    entries: Array<Entry> = [];
  }

  /** fs.list of a directory. */
  export function list(path: string): ListReply {
    const r = call("fs.list", new JsonObject().str("path", path).toString());
    const out = new ListReply(r.status);
    out.raw = r.raw;
    if (r.ok) {
      const items = r.json.get("entries");
      for (let i = 0; i < items.length; i++) {
        const e = items.at(i);
        out.entries.push(new Entry(e.get("name").str(), e.get("type").str()));
      }
    }
    return out;
  }
}

export namespace env {
  /** env.get: a granted environment variable; `found` is false when it is unset or not granted. */
  export function get(name: string): TextReply {
    const r = call("env.get", new JsonObject().str("name", name).toString());
    const t = new TextReply(r.status);
    t.raw = r.raw;
    const v = r.json.get("value");
    if (r.ok && v.isString) { t.text = v.s; t.found = true; }
    return t;
  }
}

export namespace kv {
  function keyArgs(key: string, namespace: string): JsonObject {
    const a = new JsonObject();
    if (namespace.length > 0) a.str("namespace", namespace);
    return a.str("key", key);
  }

  /** kv.get; `found` is false when the key is absent. */
  export function get(key: string, namespace: string = ""): BytesReply {
    return toBytesReply(call("kv.get", keyArgs(key, namespace).toString()), "value");
  }

  export function getText(key: string, namespace: string = ""): TextReply {
    return toTextReply(call("kv.get", keyArgs(key, namespace).toString()), "value");
  }

  export function set(key: string, value: ArrayBuffer, namespace: string = ""): Reply {
    return call("kv.set", keyArgs(key, namespace).raw("value", memRef(value)).toString(), [value]);
  }

  export function setText(key: string, value: string, namespace: string = ""): Reply {
    return set(key, utf8(value), namespace);
  }
}

export namespace net {
  export class ListenReply extends Reply {
    listenerId: string = "";
    port: i32 = 0;
  }

  /** net.listen.start: serve HTTP on `port` (0 = any free port); requests arrive as net.request events. */
  export function listen(port: i32, host: string = ""): ListenReply {
    const a = new JsonObject().int("port", port);
    if (host.length > 0) a.str("host", host);
    const r = call("net.listen.start", a.toString());
    const out = new ListenReply(r.status);
    out.raw = r.raw;
    if (r.ok) {
      out.listenerId = r.json.get("listenerId").str();
      out.port = <i32>r.json.get("port").integer();
    }
    return out;
  }

  /** net.listen.respond with a body and a content type. */
  export function respond(requestId: string, status: i32, body: ArrayBuffer, contentType: string = "text/plain; charset=utf-8"): Reply {
    const a = new JsonObject()
      .str("requestId", requestId)
      .int("status", status)
      .raw("headers", new JsonObject().str("content-type", contentType).toString())
      .raw("body", memRef(body));
    return call("net.listen.respond", a.toString(), [body]);
  }

  export function respondText(requestId: string, status: i32, body: string, contentType: string = "text/plain; charset=utf-8"): Reply {
    return respond(requestId, status, utf8(body), contentType);
  }

  /** net.listen.stop. */
  export function stop(listenerId: string): Reply {
    return call("net.listen.stop", new JsonObject().str("listenerId", listenerId).toString());
  }
}

/** A Universal_Event delivered by app.poll. */
export class Event {
  constructor(
    /** "timer.fired", "net.request", "ui.event" or "app.lifecycle". */
    public type: string,
    /** Host time (ms since the Unix epoch) the event was observed. */
    public time: f64,
    /** The event's data object; bytes fields are {"$blob":N} — read them with `bytes`. */
    public data: JsonValue,
    private reply: Reply,
  ) {}

  /** The bytes of a data field (e.g. a net.request body); null when the field holds no blob. */
  bytes(field: string): ArrayBuffer | null {
    return this.reply.bytes(this.data.get(field));
  }

  /** A data field as text: string fields as they are, blob fields decoded as UTF-8. */
  str(field: string): string {
    const v = this.data.get(field);
    if (v.isString) return v.s;
    const b = this.reply.bytes(v);
    return b !== null ? text(b) : "";
  }
}

export class PollReply extends Reply {
  /** The event, or null when the wait timed out (or the call failed: check `ok`). */
  event: Event | null = null;
}

export namespace app {
  /** app.poll: waits up to `timeoutMs` (negative: no timeout) for the next event of this instance. */
  export function poll(timeoutMs: i64 = -1): PollReply {
    const a = new JsonObject();
    if (timeoutMs >= 0) a.int("timeoutMs", timeoutMs);
    const r = call("app.poll", a.toString());
    const out = new PollReply(r.status);
    out.raw = r.raw;
    out.blobs = r.blobs;
    if (r.ok) {
      const e = r.json.get("event");
      if (e.isObject) out.event = new Event(e.get("type").str(), e.get("time").number(), e.get("data"), out);
    }
    return out;
  }

  /** app.info: id, version, host and granted capabilities (capability `app`). */
  export function info(): Reply {
    return call("app.info", "{}");
  }
}

export namespace ui {
  /** ui.render: replaces the rendered tree (capability `ui`). `tree` is a node built with the helpers below. */
  export function render(tree: string): Reply {
    return call("ui.render", "{\"tree\":" + tree + "}");
  }

  export function clear(): Reply {
    return call("ui.clear", "{}");
  }

  function container(type: string, children: Array<string>): string {
    return "{\"type\":" + quote(type) + ",\"children\":[" + children.join(",") + "]}";
  }
  export function column(children: Array<string>): string { return container("column", children); }
  export function row(children: Array<string>): string { return container("row", children); }
  export function list(children: Array<string>): string { return container("list", children); }

  export function text(content: string, id: string = ""): string {
    const o = new JsonObject().str("type", "text");
    if (id.length > 0) o.str("id", id);
    return o.str("text", content).toString();
  }

  export function button(id: string, label: string, disabled: bool = false): string {
    const o = new JsonObject().str("type", "button").str("id", id).str("text", label);
    if (disabled) o.bool("disabled", true);
    return o.toString();
  }

  export function input(id: string, value: string, placeholder: string = ""): string {
    const o = new JsonObject().str("type", "input").str("id", id).str("value", value);
    if (placeholder.length > 0) o.str("placeholder", placeholder);
    return o.toString();
  }
}
