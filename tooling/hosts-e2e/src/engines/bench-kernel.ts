// `pnpm bench` (bench/engines.mjs): one of the interpreter's bench workloads (packages/interpreter/bench/c,
// built with clang) run by @fayger/interpreter inside an engine. The same bundle runs under Hermes, QuickJS
// and `node --jitless`; the host installs `__faygerBench` (kernel bytes, argument, runs, a clock, done).
import './polyfills.js';
import { base64ToBytes } from '@fayger/adapter-in-app';
import { compileModule, instantiateModule } from '@fayger/interpreter';

interface BenchHost {
  kernel: string;
  arg: number;
  runs: number;
  now(): number;
  done(json: string): void;
}
const host = (globalThis as unknown as { __faygerBench: BenchHost }).__faygerBench;
const bytes = base64ToBytes(host.kernel);
if (!bytes) throw new Error('__faygerBench.kernel is not base64');
const inst = instantiateModule(compileModule(bytes), {});
const times: number[] = [];
let result: unknown;
for (let i = 0; i < host.runs; i++) {
  const t = host.now();
  result = inst.invoke('run', [host.arg])[0];
  times.push(host.now() - t);
}
times.sort((a, b) => a - b);
host.done(JSON.stringify({ ms: times[times.length >> 1], times, result: String(result) }));
