// hello: greets through the log, reads both clocks, and reports which optional capabilities this host
// granted (an absent optional capability is not an error: the app says so and carries on).
import { clock, hasCapability, log, random, sleep, OK } from "@fayger/guest-as";

const started = clock.monotonic();
log.info("hello from a Fayger guest (AssemblyScript)");
const now = clock.now();
log.info("realtime clock: " + now.toString() + " ms since the Unix epoch");

const optional = ["random", "timer"];
for (let i = 0; i < optional.length; i++) {
  log.info("optional capability " + optional[i] + ": " + (hasCapability(optional[i]) ? "present" : "absent"));
}

if (hasCapability("random")) {
  const b = new ArrayBuffer(4);
  if (random.fill(b) == OK) log.info("a random number: " + load<u32>(changetype<usize>(b)).toString());
}

if (hasCapability("timer")) {
  const status = sleep(5);
  log.info("slept 5 ms (status " + status.toString() + "), " + (clock.monotonic() - started).toString() + " ms since start");
}

log.info("goodbye");
