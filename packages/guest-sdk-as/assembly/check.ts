// Compiles every export of the SDK once (the package `build`/`typecheck`): AssemblyScript only checks code
// that is reachable, so this touches each public function.
import * as sdk from "./index";

export function check(): void {
  if (!sdk.hasCapability("log")) sdk.exit(1);
  sdk.log.info("check " + sdk.statusName(sdk.OK));
  sdk.clock.now();
  sdk.clock.monotonic();
  sdk.random.fill(new ArrayBuffer(4));
  sdk.sleep(0);
  sdk.fs.readText("/x"); sdk.fs.read("/x", 1, 2); sdk.fs.writeText("/x", "y"); sdk.fs.list("/");
  sdk.kv.getText("k"); sdk.kv.setText("k", "v", "ns");
  const l = sdk.net.listen(0); sdk.net.respondText("r", 200, "ok"); sdk.net.stop(l.listenerId);
  const p = sdk.app.poll(10); if (p.event !== null) p.event!.str("body");
  sdk.app.info();
  sdk.ui.render(sdk.ui.column([sdk.ui.text("t"), sdk.ui.row([sdk.ui.button("b", "B"), sdk.ui.input("i", "v", "p")])]));
  sdk.ui.clear();
  const v = sdk.parse("{\"a\":[1,2,{\"b\":null}]}");
  if (v !== null) sdk.log.debug(v.toString() + sdk.array(["1"]) + sdk.stringArray(["x"]) + sdk.num(1.5));
  sdk.call("log.write", sdk.args().str("level", "info").str("message", sdk.quote("q")).toString());
}
