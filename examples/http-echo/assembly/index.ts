// http-echo: serves HTTP on its granted port through net.listen and answers every request with what it
// received (method, URL, headers, body). Stops after MAX requests, on `GET /quit`, or when no request
// arrives for IDLE_MS. Limits come from the env capability when granted (ECHO_MAX_REQUESTS, ECHO_IDLE_MS).
import { JsonObject, app, env, exit, hasCapability, log, net } from "@fayger/guest-as";

const PORT = 8787;

function envInt(name: string, fallback: i32): i32 {
  if (!hasCapability("env")) return fallback;
  const v = env.get(name);
  if (!v.found) return fallback;
  const n = I32.parseInt(v.text);
  return n > 0 ? n : fallback;
}

const maxRequests = envInt("ECHO_MAX_REQUESTS", 5);
const idleMs = envInt("ECHO_IDLE_MS", 30000);

const listener = net.listen(PORT, "127.0.0.1");
if (!listener.ok) {
  log.error("net.listen on port " + PORT.toString() + " failed: " + listener.describe());
  exit(listener.denied ? 77 : 1);
}
log.info("http-echo listening on 127.0.0.1:" + listener.port.toString() + " (" + maxRequests.toString() + " request(s), idle timeout " + idleMs.toString() + " ms)");

let served = 0;
let reason = "served " + maxRequests.toString() + " request(s)";
while (served < maxRequests) {
  const p = app.poll(idleMs);
  if (!p.ok) {
    reason = "app.poll failed: " + p.describe();
    break;
  }
  const e = p.event;
  if (e === null) {
    reason = "idle for " + idleMs.toString() + " ms";
    break;
  }
  if (e.type != "net.request") {
    if (e.type == "app.lifecycle" && e.str("state") == "terminating") { reason = "host is terminating"; break; }
    continue;
  }
  served++;
  const method = e.str("method");
  const url = e.str("url");
  const body = e.bytes("body");
  const reply = new JsonObject()
    .str("method", method)
    .str("url", url)
    .raw("headers", e.data.get("headers").toString())
    .str("body", body !== null ? String.UTF8.decode(body, false) : "")
    .int("request", served);
  const r = net.respondText(e.str("requestId"), 200, reply.toString() + "\n", "application/json");
  log.info(method + " " + url + " -> 200 (" + served.toString() + "/" + maxRequests.toString() + ")" + (r.ok ? "" : " respond failed: " + r.describe()));
  if (method == "GET" && url.startsWith("/quit")) { reason = "asked to quit"; break; }
}

net.stop(listener.listenerId);
log.info("http-echo stopped: " + reason);
