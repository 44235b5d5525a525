/**
 * Run by run.mjs in a fresh process, usually under `node --jitless`:
 *   node --jitless child.mjs <dist>[,<dist>...] <kernel.wasm> <arg> <runs>
 * Median ms of `run(arg)` for each engine's dist (native API: compileModule / instantiateModule / invoke).
 * Prints one JSON line.
 */
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

const [dists, kernel, arg, runs] = process.argv.slice(2);
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const bytes = new Uint8Array(readFileSync(kernel));
const out = [];
for (const dist of dists.split(',')) {
  const api = await import(pathToFileURL(`${dist}/index.js`).href);
  const inst = api.instantiateModule(api.compileModule(bytes), {});
  let result;
  const times = [];
  for (let i = 0; i < Number(runs); i++) {
    const t = performance.now();
    result = inst.invoke('run', [Number(arg)])[0];
    times.push(performance.now() - t);
  }
  out.push({ dist, ms: median(times), result: String(result) });
}
process.stdout.write(`${JSON.stringify(out)}\n`);
