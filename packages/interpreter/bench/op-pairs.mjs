#!/usr/bin/env node
/**
 * Executed op and op-pair frequencies of the compiled code over the C kernels: the measurement fused ops are
 * chosen from. Copies dist/ to bench-results/op-pairs-dist with one counting call added at the top of the dispatch
 * loop (so it measures the current build, after `pnpm build`), runs each kernel once at a small size and prints
 * the top ops and pairs per kernel, then over all kernels weighted equally (each kernel's shares averaged).
 *
 *   node bench/op-pairs.mjs                      all C kernels
 *   node bench/op-pairs.mjs sha256:4,vm:500      kernel:argument pairs
 *   node bench/op-pairs.mjs --top 40 --op MOV    longer lists; pairs with MOV on either side
 */
import { cpSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { buildKernel } from './c-build.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const pkg = join(here, '..');
const { values: opts, positionals } = parseArgs({
  allowPositionals: true,
  options: { top: { type: 'string', default: '12' }, op: { type: 'string' } },
});
const TOP = Number(opts.top);
const kernels = (positionals[0] ?? 'fib:25,sieve:1,xorshift:200000,matmul:50,sha256:4,qsort:5000,vm:500,lz:16').split(
  ',',
);

// Op names: X's members from exec-ops.ts (internal numbers), else the WebAssembly opcode in hex.
const names = {};
let v = 0;
for (const line of readFileSync(join(pkg, 'src/compile/exec-ops.ts'), 'utf8').split('\n')) {
  const m = /^\s+([A-Z0-9_]+)(?: = (0x[0-9a-f]+))?,/.exec(line);
  if (m) {
    v = m[2] ? Number(m[2]) : v + 1;
    names[v] = m[1];
  }
}
const name = (o) => names[o] ?? `0x${o.toString(16)}`;

const out = join(pkg, 'bench-results/op-pairs-dist');
cpSync(join(pkg, 'dist'), out, { recursive: true });
const loopHead = '    for (; ; ) {\n      switch (code[pc]) {';
let patched = 0;
for (const f of readdirSync(out).filter((f) => f.endsWith('.js'))) {
  const s = readFileSync(join(out, f), 'utf8');
  if (!s.includes(loopHead)) continue;
  writeFileSync(
    join(out, f),
    s.replace(loopHead, '    for (; ; ) {\n      globalThis.__opPair(code[pc]);\n      switch (code[pc]) {'),
  );
  patched++;
}
if (patched === 0) throw new Error('dispatch loop not found in dist/*.js: run pnpm build (the loop head changed?)');

let prev = -1;
let cur;
globalThis.__opPair = (op) => {
  cur.ops.set(op, (cur.ops.get(op) ?? 0) + 1);
  const k = prev * 4096 + op;
  cur.pairs.set(k, (cur.pairs.get(k) ?? 0) + 1);
  prev = op;
  cur.n++;
};
const api = await import(pathToFileURL(join(out, 'index.js')).href);
const pct = (c, n) => `${((100 * c) / n).toFixed(1)}%`;
const pairName = (k) => `${name(Math.floor(k / 4096))} > ${name(k % 4096)}`;
const wanted = (k) => !opts.op || name(Math.floor(k / 4096)) === opts.op || name(k % 4096) === opts.op;
const allOps = new Map();
const allPairs = new Map();
for (const k of kernels) {
  const [kernel, arg] = k.split(':');
  const inst = api.instantiateModule(api.compileModule(buildKernel(kernel, join(pkg, 'bench-results/c-build')).bytes));
  cur = { ops: new Map(), pairs: new Map(), n: 0 };
  prev = -1;
  inst.invoke('run', [Number(arg)]);
  const ops = [...cur.ops].sort((a, b) => b[1] - a[1]).slice(0, TOP);
  const pairs = [...cur.pairs].filter(([p]) => wanted(p)).sort((a, b) => b[1] - a[1]);
  console.log(`${kernel}(${arg}): ${cur.n} ops executed`);
  console.log(`  ops:   ${ops.map(([o, c]) => `${name(o)} ${pct(c, cur.n)}`).join(', ')}`);
  console.log(
    `  pairs: ${pairs
      .slice(0, TOP)
      .map(([p, c]) => `${pairName(p)} ${pct(c, cur.n)}`)
      .join(', ')}`,
  );
  for (const [o, c] of cur.ops) allOps.set(o, (allOps.get(o) ?? 0) + c / cur.n / kernels.length);
  for (const [p, c] of cur.pairs) allPairs.set(p, (allPairs.get(p) ?? 0) + c / cur.n / kernels.length);
}
console.log('\nall kernels, each weighted equally');
const top = (m, f = () => true) =>
  [...m]
    .filter(([k]) => f(k))
    .sort((a, b) => b[1] - a[1])
    .slice(0, TOP * 2);
console.log(
  `  ops:   ${top(allOps)
    .map(([o, c]) => `${name(o)} ${pct(c, 1)}`)
    .join(', ')}`,
);
console.log('  pairs:');
for (const [p, c] of top(allPairs, wanted)) console.log(`    ${pairName(p).padEnd(40)} ${pct(c, 1)}`);
