// Snapshot size and capture / restore time of a few workloads, stopped at about half their fuel (#18).
// Usage: pnpm build && node bench/snapshot.mjs   (reports, never asserts; run on a quiet machine for times)
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createInterpreterImplementation } from '../dist/index.js';
import { buildKernel, clangVersion } from './c-build.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const wabt = await createRequire(import.meta.url)('wabt')();
const wat = (f) => {
  const m = wabt.parseWat(f, readFileSync(join(here, 'workloads', `${f}.wat`), 'utf8'));
  const b = new Uint8Array(m.toBinary({}).buffer);
  m.destroy();
  return b;
};
const guests = [
  ['wat fib(22)', wat('fib'), 22],
  ['wat matmul(40)', wat('matmul'), 40],
  ['wat sort(20000)', wat('sort'), 20000],
  ['wat hash64(2)', wat('hash64'), 2],
];
if (clangVersion()) {
  const out = join(here, '..', 'bench-results', 'c-build');
  for (const [k, a] of [
    ['sha256', 2],
    ['lz', 4],
    ['vm', 2],
  ])
    guests.push([`c ${k}(${a})`, buildKernel(k, out).bytes, a]);
}
const impl = createInterpreterImplementation();
const imports = { env: { h: ([x]) => x } };
const median = (xs) => xs.sort((a, b) => a - b)[xs.length >> 1];
console.log(
  'workload | total fuel | stopped at | memory pages | non-zero pages | state bytes | capture ms | restore ms',
);
for (const [name, bytes, arg] of guests) {
  const code = await impl.compile(bytes);
  const ref = await code.instantiate(imports);
  const r = ref.call('run', [arg]).run();
  const total = r.fuelUsed;
  const captures = [];
  const restores = [];
  let snap;
  for (let k = 0; k < 5; k++) {
    const inst = await code.instantiate(imports);
    const call = inst.call('run', [arg]);
    call.run({ fuel: Math.floor(total / 2) });
    let t = performance.now();
    snap = inst.snapshot([call]);
    captures.push(performance.now() - t);
    const fresh = await impl.compile(bytes);
    t = performance.now();
    const { calls } = await fresh.restore(imports, snap);
    restores.push(performance.now() - t);
    const end = calls[0].run();
    if (end.status !== 'completed' || String(end.values[0]) !== String(r.values[0]))
      throw new Error(`${name}: mismatch`);
  }
  const mem = snap.memories[0];
  let nonZero = 0;
  if (mem)
    for (let p = 0; p < mem.pages; p++)
      if (mem.bytes.subarray(p * 65536, (p + 1) * 65536).some((b) => b !== 0)) nonZero++;
  console.log(
    `${name} | ${total} | ${Math.floor(total / 2)} | ${mem?.pages ?? 0} | ${nonZero} | ${snap.state.length} | ${median(captures).toFixed(2)} | ${median(restores).toFixed(2)}`,
  );
}
