// file-tool: works inside its granted root (/data) — lists it, reads input.txt, writes a report and reads it
// back — then tries paths outside the root to show that the host answers with a typed denial
// (FAYGER_EDENIED + CAPABILITY_DENIED), which the app reports instead of failing.
import { exit, fs, hasCapability, log, EDENIED } from "@fayger/guest-as";

const ROOT = "/data";
const INPUT = ROOT + "/input.txt";
const REPORT = ROOT + "/report.txt";

function fail(message: string): void {
  log.error(message);
  // Without `app` there is no exit code to give: trap, so the instance still ends Failed.
  if (hasCapability("app")) exit(1);
  unreachable();
}

function countLines(s: string): i32 {
  if (s.length == 0) return 0;
  let n = 0;
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) == 10) n++;
  return s.charCodeAt(s.length - 1) == 10 ? n : n + 1;
}

log.info("file-tool: working in " + ROOT);

const listing = fs.list(ROOT);
if (!listing.ok) fail("listing " + ROOT + " failed: " + listing.describe());
for (let i = 0; i < listing.entries.length; i++) log.info("  " + listing.entries[i].type + " " + listing.entries[i].name);

let input = "";
const read = fs.readText(INPUT);
if (read.ok) {
  input = read.text;
  log.info("read " + INPUT + ": " + String.UTF8.byteLength(input).toString() + " bytes, " + countLines(input).toString() + " line(s)");
} else {
  // A missing input is fine (first run): the host reports it as FAYGER_EHOST with the FaygerError code.
  log.warn("could not read " + INPUT + " (" + read.describe() + "); continuing with empty input");
}

const report = "file-tool report\ninput bytes: " + String.UTF8.byteLength(input).toString() +
  "\ninput lines: " + countLines(input).toString() + "\nfirst line: " + input.split("\n")[0] + "\n";
const written = fs.writeText(REPORT, report);
if (!written.ok) fail("writing " + REPORT + " failed: " + written.describe());
log.info("wrote " + REPORT + " (" + written.json.get("bytesWritten").integer().toString() + " bytes)");

const back = fs.readText(REPORT);
if (!back.ok || back.text != report) fail("reading " + REPORT + " back gave something else: " + back.describe());
log.info("read the report back: identical");

// Outside the granted root: both must be refused by the host, never silently succeed.
const outsideRead = fs.readText("/etc/passwd");
const outsideWrite = fs.writeText("/tmp/fayger-file-tool.txt", "should never be written");
const escapeRead = fs.readText(ROOT + "/../etc/passwd");
if (outsideRead.ok || outsideWrite.ok || escapeRead.ok) fail("a path outside " + ROOT + " was allowed");
log.info("read /etc/passwd -> " + outsideRead.describe() + (outsideRead.status == EDENIED ? " (denied, as expected)" : ""));
log.info("write /tmp/fayger-file-tool.txt -> " + outsideWrite.describe() + (outsideWrite.denied ? " (denied, as expected)" : ""));
log.info("read " + ROOT + "/../etc/passwd -> " + escapeRead.describe());
log.info("file-tool: done");
