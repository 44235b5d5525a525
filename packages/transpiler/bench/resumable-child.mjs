/**
 * Run by run.mjs --resumable in a fresh process:
 *   node resumable-child.mjs <dist>[,<dist>...] <kernel.wasm> <arg> <runs>
 * The resumable path as the runtime drives it: the Runtime_Implementation API (`compile` / `instantiate` /
 * `call('run', [arg]).run({ fuel: 1e6 })` until it completes), i.e. the generator forms run in fuel slices.
 * With several dists (--in-process), their calls alternate in this one process.
 * With a 5th argument `invoke`, the plain path instead: the native instance's `invoke('run', [arg])`.
 * Prints one JSON line per dist: median CPU ms of `runs` calls (after 2 warm-up calls) and the result.
 */
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

const [dists, kernel, arg, runs, mode] = process.argv.slice(2);
const bytes = new Uint8Array(readFileSync(kernel));
const codes = [];
for (const dist of dists.split(',')) {
  const tr = await import(pathToFileURL(`${dist}/index.js`).href);
  codes.push(await tr.createTranspilerImplementation().compile(bytes));
}
const times = codes.map(() => []);
const results = [];
for (let r = 0; r < Number(runs) + 2; r++) {
  for (let i = 0; i < codes.length; i++) {
    const inst = await codes[i].instantiate({});
    let o;
    let c0;
    if (mode === 'invoke') {
      // The plain path (`invoke`: the `f<i>` forms), with the same instance setup.
      const native = inst.inst; // the implementation's native instance (a private field)
      c0 = process.cpuUsage();
      o = { status: 'completed', values: native.invoke('run', [Number(arg)]) };
    } else {
      const call = inst.call('run', [Number(arg)]);
      c0 = process.cpuUsage();
      do o = call.run({ fuel: 1_000_000 });
      while (o.status === 'suspended');
    }
    const c = process.cpuUsage(c0);
    if (r >= 2) times[i].push((c.user + c.system) / 1000);
    results[i] = o.status === 'completed' ? String(o.values[0]) : o.status;
  }
}
for (let i = 0; i < codes.length; i++) {
  const t = times[i].sort((a, b) => a - b);
  process.stdout.write(`${JSON.stringify({ cpuMs: t[t.length >> 1], result: results[i] })}\n`);
}
