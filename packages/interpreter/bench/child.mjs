/**
 * Measurements that need a fresh process, run by run.mjs as a child:
 *   node child.mjs cold <dist> <big.wasm> <kernel.wasm> <arg> <runs>
 *     first compileModule of a big module in this process (MB/s of wall and of CPU time), then the kernel's first run against its
 *     steady state (median of the last runs).
 *   node child.mjs first <dist> <kernel.wasm> <arg> <runs>
 *     a kernel alone in a fresh process: CPU ms of its first run (compile on first call, the interpreter's own JIT
 *     warm-up included) against its steady state (median of the later half of the runs).
 *   node --jitless child.mjs jitless <dist>[,<dist>...] <kernel.wasm> <arg> <runs>
 *     median wall and CPU ms of each dist's interpreter on the kernel, the dists alternating run by run (no
 *     WebAssembly here: --jitless disables it).
 * Prints one JSON line.
 */
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

const [mode, ...rest] = process.argv.slice(2);
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const load = (dir) => import(pathToFileURL(`${dir}/index.js`).href);

if (mode === 'cold') {
  const [dist, big, kernel, arg, runs] = rest;
  const t0 = performance.now();
  const api = await load(dist);
  const loadMs = performance.now() - t0;
  const bigBytes = new Uint8Array(readFileSync(big));
  const t1 = performance.now();
  const c1 = process.cpuUsage();
  api.compileModule(bigBytes);
  const compileMs = performance.now() - t1;
  // CPU time of the compile too: steadier than wall time on a loaded machine.
  const cu = process.cpuUsage(c1);
  const compileCpuMs = (cu.user + cu.system) / 1000;
  const kbytes = new Uint8Array(readFileSync(kernel));
  const inst = api.instantiateModule(api.compileModule(kbytes), {});
  const times = [];
  const cpu = [];
  for (let i = 0; i < Number(runs); i++) {
    const c = process.cpuUsage();
    const t = performance.now();
    inst.invoke('run', [Number(arg)]);
    times.push(performance.now() - t);
    const d = process.cpuUsage(c);
    cpu.push((d.user + d.system) / 1000);
  }
  const steady = median(times.slice(Math.floor(times.length / 2)));
  const steadyCpu = median(cpu.slice(Math.floor(cpu.length / 2)));
  process.stdout.write(
    `${JSON.stringify({ loadMs, bigBytes: bigBytes.length, compileMs, compileMBps: bigBytes.length / 1e6 / (compileMs / 1000), compileCpuMs, compileCpuMBps: bigBytes.length / 1e3 / compileCpuMs, firstMs: times[0], secondMs: times[1], steadyMs: steady, firstRatio: times[0] / steady, firstCpuMs: cpu[0], steadyCpuMs: steadyCpu, firstCpuRatio: cpu[0] / steadyCpu })}\n`,
  );
} else if (mode === 'first') {
  const [dist, kernel, arg, runs] = rest;
  const api = await load(dist);
  const bytes = new Uint8Array(readFileSync(kernel));
  const c0 = process.cpuUsage();
  const inst = api.instantiateModule(api.compileModule(bytes), {});
  const cu = process.cpuUsage(c0);
  const cpu = [];
  let result;
  for (let i = 0; i < Number(runs); i++) {
    const c = process.cpuUsage();
    result = String(inst.invoke('run', [Number(arg)])[0]);
    const d = process.cpuUsage(c);
    cpu.push((d.user + d.system) / 1000);
  }
  const steady = median(cpu.slice(Math.floor(cpu.length / 2)));
  process.stdout.write(
    `${JSON.stringify({ compileCpuMs: (cu.user + cu.system) / 1000, firstCpuMs: cpu[0], secondCpuMs: cpu[1], steadyCpuMs: steady, firstRatio: cpu[0] / steady, result })}\n`,
  );
} else if (mode === 'jitless') {
  // Each dist's interpreter runs the kernel once to warm up, then the dists take turns run by run (so a load
  // change on the machine hits them alike); ms is the median wall time, cpuMs the median CPU time.
  const [dists, kernel, arg, runs] = rest;
  const bytes = new Uint8Array(readFileSync(kernel));
  const entries = [];
  for (const dist of dists.split(',')) {
    const api = await load(dist);
    const inst = api.instantiateModule(api.compileModule(bytes), {});
    entries.push({ dist, inst, result: String(inst.invoke('run', [Number(arg)])[0]), times: [], cpu: [] });
  }
  for (let i = 0; i < Number(runs); i++) {
    for (const e of i % 2 ? [...entries].reverse() : entries) {
      const c = process.cpuUsage();
      const t = performance.now();
      e.result = String(e.inst.invoke('run', [Number(arg)])[0]);
      e.times.push(performance.now() - t);
      const d = process.cpuUsage(c);
      e.cpu.push((d.user + d.system) / 1000);
    }
  }
  const out = entries.map((e) => ({ dist: e.dist, ms: median(e.times), cpuMs: median(e.cpu), result: e.result }));
  process.stdout.write(`${JSON.stringify(out)}\n`);
} else {
  throw new Error(`unknown mode ${mode}`);
}
