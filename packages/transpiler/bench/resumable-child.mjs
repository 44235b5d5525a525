/**
 * Run by run.mjs --resumable in a fresh process:
 *   node resumable-child.mjs <dist> <kernel.wasm> <arg> <runs>
 * The resumable path as the runtime drives it: the Runtime_Implementation API (`compile` / `instantiate` /
 * `call('run', [arg]).run({ fuel: 1e6 })` until it completes), i.e. the generator forms run in fuel slices.
 * Prints one JSON line: median CPU ms of `runs` calls (after 2 warm-up calls) and the result.
 */
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

const [dist, kernel, arg, runs] = process.argv.slice(2);
const tr = await import(pathToFileURL(`${dist}/index.js`).href);
const code = await tr.createTranspilerImplementation().compile(new Uint8Array(readFileSync(kernel)));
const times = [];
let result;
for (let r = 0; r < Number(runs) + 2; r++) {
  const inst = await code.instantiate({});
  const call = inst.call('run', [Number(arg)]);
  const c0 = process.cpuUsage();
  let o;
  do o = call.run({ fuel: 1_000_000 });
  while (o.status === 'suspended');
  const c = process.cpuUsage(c0);
  if (r >= 2) times.push((c.user + c.system) / 1000);
  result = o.status === 'completed' ? String(o.values[0]) : o.status;
}
times.sort((a, b) => a - b);
process.stdout.write(`${JSON.stringify({ cpuMs: times[times.length >> 1], result })}\n`);
