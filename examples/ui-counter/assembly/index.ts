// ui-counter: a counter with a greeting text, a name input and buttons. Main loop: render → app.poll →
// update. Where `ui` is absent (a server: hasCapability("ui") is 0) the same binary logs its state and
// exits normally — an absent optional capability changes behaviour, it is not an error.
import { app, hasCapability, log, quote, ui } from "@fayger/guest-as";

const IDLE_MS: i64 = 300000;

class State {
  count: i32 = 0;
  name: string = "";
  done: bool = false;

  describe(): string {
    return "count=" + this.count.toString() + " name=" + quote(this.name);
  }
}

function view(s: State): string {
  const who = s.name.length > 0 ? s.name : "stranger";
  return ui.column([
    ui.text("Hello, " + who + "!", "greeting"),
    ui.text("Count: " + s.count.toString(), "count"),
    ui.input("name", s.name, "Your name"),
    ui.row([
      ui.button("dec", "-1", s.count <= 0),
      ui.button("inc", "+1"),
      ui.button("reset", "Reset", s.count == 0),
      ui.button("quit", "Quit"),
    ]),
  ]);
}

function update(s: State, nodeId: string, kind: string, value: string): void {
  if (kind == "input" || kind == "submit") {
    if (nodeId == "name") s.name = value;
    return;
  }
  if (kind != "click") return;
  if (nodeId == "inc") s.count++;
  else if (nodeId == "dec" && s.count > 0) s.count--;
  else if (nodeId == "reset") s.count = 0;
  else if (nodeId == "quit") s.done = true;
}

const state = new State();

if (!hasCapability("ui")) {
  log.info("ui-counter: no ui on this host; state " + state.describe());
} else if (!hasCapability("app")) {
  // Can render but not receive events: show the initial state once.
  const r = ui.render(view(state));
  log.info("ui-counter: rendered once without app.poll (" + r.statusName + "); state " + state.describe());
} else {
  log.info("ui-counter: interactive");
  while (!state.done) {
    const r = ui.render(view(state));
    if (!r.ok) { log.error("ui.render failed: " + r.describe()); break; }
    const p = app.poll(IDLE_MS);
    if (!p.ok) { log.error("app.poll failed: " + p.describe()); break; }
    const e = p.event;
    if (e === null) { log.info("ui-counter: idle, stopping"); break; }
    if (e.type == "app.lifecycle" && e.str("state") == "terminating") break;
    if (e.type != "ui.event") continue;
    update(state, e.str("nodeId"), e.str("kind"), e.str("value"));
    log.debug("event " + e.str("kind") + " " + e.str("nodeId") + " -> " + state.describe());
  }
  ui.clear();
  log.info("ui-counter: final state " + state.describe());
}
