// Quick developer loop: runs spec scripts against the built interpreter (pnpm build first).
// usage: node scripts/run-spec.mjs [name,...] [--verbose]
// The full runner with reports lives in tooling/conformance.
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as W from '../dist/index.js';

const here = dirname(fileURLToPath(import.meta.url));
const corpus = process.env.FAYGER_CONFORMANCE_DIR ?? join(here, '../../../../shared/conformance');
const dir = join(corpus, 'wasm-spec-2.0');
const verbose = process.argv.includes('--verbose');
const only = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const names = only.length ? only.flatMap((s) => s.split(',')) : readdirSync(dir).filter((n) => !n.startsWith('simd'));

const TRAPS = [
  ['unreachable', 'TRAP_UNREACHABLE'],
  ['integer divide by zero', 'TRAP_INTEGER_DIVIDE_BY_ZERO'],
  ['integer overflow', 'TRAP_INTEGER_OVERFLOW'],
  ['invalid conversion', 'TRAP_INVALID_CONVERSION'],
  ['out of bounds memory', 'TRAP_MEMORY_OUT_OF_BOUNDS'],
  ['out of bounds table', 'TRAP_TABLE_OUT_OF_BOUNDS'],
  ['undefined element', 'TRAP_TABLE_OUT_OF_BOUNDS'],
  ['uninitialized element', 'TRAP_UNINITIALIZED_ELEMENT'],
  ['indirect call type mismatch', 'TRAP_INDIRECT_CALL_TYPE_MISMATCH'],
  ['call stack exhausted', 'TRAP_CALL_STACK_EXHAUSTED'],
];

function spectest() {
  const print = (params) => W.hostFunction({ params, results: [] }, () => {});
  const f32 = new Float32Array([666.6]);
  const f64 = new Float64Array([666.6]);
  return {
    print: print([]),
    print_i32: print(['i32']),
    print_i64: print(['i64']),
    print_f32: print(['f32']),
    print_f64: print(['f64']),
    print_i32_f32: print(['i32', 'f32']),
    print_f64_f64: print(['f64', 'f64']),
    global_i32: W.createGlobal({ value: 'i32', mutable: false }, 666),
    global_i64: W.createGlobal({ value: 'i64', mutable: false }, 666n),
    global_f32: W.createGlobal({ value: 'f32', mutable: false }, new Uint32Array(f32.buffer)[0]),
    global_f64: W.createGlobal({ value: 'f64', mutable: false }, new BigUint64Array(f64.buffer)[0]),
    table: W.createTable({ element: 'funcref', initial: 10, maximum: 20 }),
    memory: W.createMemory({ initial: 1, maximum: 2 }),
  };
}

function toRaw(v) {
  if (v.type === 'i32' || v.type === 'f32') return Number(BigInt(v.value));
  if (v.type === 'i64' || v.type === 'f64') return BigInt(v.value);
  if (v.value === 'null') return null;
  return v.type === 'externref' ? { extern: Number(v.value) } : v.value;
}
const externs = new Map();
function ext(n) {
  if (!externs.has(n)) externs.set(n, { extern: n });
  return externs.get(n);
}
function toArg(v) {
  if (v.type === 'externref' && v.value !== 'null') return ext(Number(v.value));
  return toRaw(v);
}
function matches(exp, got) {
  const t = exp.type;
  if (t === 'f32' || t === 'f64') {
    if (exp.value === 'nan:canonical' || exp.value === 'nan:arithmetic') {
      const bits = BigInt(got);
      const [expMask, quiet, mant] =
        t === 'f32' ? [0x7f800000n, 0x400000n, 0x7fffffn] : [0x7ff0000000000000n, 0x8000000000000n, 0xfffffffffffffn];
      if ((bits & expMask) !== expMask) return false;
      if (exp.value === 'nan:canonical') return (bits & mant) === quiet;
      return (bits & quiet) === quiet;
    }
  }
  if (t === 'i32' || t === 'f32') return Number(BigInt(exp.value)) === got;
  if (t === 'i64' || t === 'f64') return BigInt(exp.value) === got;
  if (exp.value === 'null') return got === null;
  if (t === 'externref') return got === ext(Number(exp.value));
  if (t === 'funcref') return got !== null;
  return false;
}

let pass = 0,
  fail = 0;
for (const name of names) {
  const jp = join(dir, name, `${name}.json`);
  if (!existsSync(jp)) continue;
  const script = JSON.parse(readFileSync(jp, 'utf8'));
  const registry = { spectest: spectest() };
  const named = new Map();
  let cur;
  let fp = 0,
    pp = 0;
  const load = (f) => W.compileModule(new Uint8Array(readFileSync(join(dir, name, f))));
  const inst = (m) => W.instantiateModule(m, registry);
  const action = (a) => {
    const i = a.module ? named.get(a.module) : cur;
    if (a.type === 'invoke') return i.invoke(a.field, a.args.map(toArg));
    return [i.getGlobal(a.field)];
  };
  const report = (c, msg) => {
    fp++;
    if (verbose || fp <= 5) console.log(`  FAIL ${name}:${c.line} ${c.type} ${msg}`);
  };
  for (const c of script.commands) {
    try {
      switch (c.type) {
        case 'module':
          cur = inst(load(c.filename));
          if (c.name) named.set(c.name, cur);
          pp++;
          break;
        case 'register': {
          const i = c.name ? named.get(c.name) : cur;
          registry[c.as] = i.exports;
          pp++;
          break;
        }
        case 'action':
          action(c.action);
          pp++;
          break;
        case 'assert_return': {
          const got = action(c.action);
          const ok = got.length === c.expected.length && c.expected.every((e, k) => matches(e, got[k]));
          if (ok) pp++;
          else
            report(
              c,
              `${c.action.field}(${JSON.stringify(c.action.args?.map((a) => a.value))}) expected ${JSON.stringify(c.expected.map((e) => e.value))} got ${got.map(String)}`,
            );
          break;
        }
        case 'assert_trap':
        case 'assert_exhaustion': {
          try {
            action(c.action);
            report(c, `${c.action.field} expected trap ${c.text}, returned`);
          } catch (e) {
            const want = TRAPS.find(([p]) => c.text.startsWith(p))?.[1];
            if (e.code === want) pp++;
            else report(c, `${c.action.field} expected ${want} got ${e.code} ${e.message}`);
          }
          break;
        }
        case 'assert_uninstantiable': {
          try {
            inst(load(c.filename));
            report(c, 'instantiated');
          } catch (e) {
            const want = TRAPS.find(([p]) => c.text.startsWith(p))?.[1];
            if (e.code === want) pp++;
            else report(c, `expected ${want} got ${e.code} ${e.message}`);
          }
          break;
        }
        case 'assert_invalid':
        case 'assert_malformed':
        case 'assert_unlinkable': {
          if (c.module_type === 'text') break;
          const want =
            c.type === 'assert_invalid'
              ? 'WASM_INVALID'
              : c.type === 'assert_malformed'
                ? 'WASM_MALFORMED'
                : 'WASM_LINK_ERROR';
          try {
            const m = load(c.filename);
            if (c.type === 'assert_unlinkable') inst(m);
            report(c, `expected ${want} (${c.text}), succeeded`);
          } catch (e) {
            if (e.code === want) pp++;
            else report(c, `expected ${want} (${c.text}) got ${e.code}: ${e.message}`);
          }
          break;
        }
        default:
          break;
      }
    } catch (e) {
      report(c, `threw ${e.code ?? ''} ${e.message}\n${e.stack?.split('\n').slice(1, 4).join('\n')}`);
    }
  }
  pass += pp;
  fail += fp;
  if (fp || verbose) console.log(`${name}: ${pp} pass, ${fp} fail`);
}
console.log(`TOTAL ${pass} pass, ${fail} fail`);
