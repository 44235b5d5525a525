/**
 * Uniform bench adapters over V8's WebAssembly, the interpreter's native API (from the built dist) and, for
 * reference, the `webassemblyjs` interpreter.
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** Results compared by bit pattern: native i32 comes back signed, the interpreter's unsigned. */
export function unsigned(v) {
  if (typeof v === 'bigint') return BigInt.asUintN(64, v);
  if (typeof v === 'number') return v >>> 0;
  return v;
}

/**
 * Host imports are given engine-neutrally as `{ module: { name: { params, results, fn } } }`; each adapter
 * turns them into what its engine takes.
 */
function mapImports(imports, wrap) {
  return Object.fromEntries(
    Object.entries(imports).map(([m, fields]) => [
      m,
      Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, wrap(v)])),
    ]),
  );
}

export const nativeEngine = {
  name: 'native',
  compile: (bytes) => new WebAssembly.Module(bytes),
  instantiateModule: (module, imports) =>
    new WebAssembly.Instance(
      module,
      mapImports(imports, (h) => h.fn),
    ),
  instantiate(bytes, imports) {
    const instance = nativeEngine.instantiateModule(new WebAssembly.Module(bytes), imports);
    return { call: (name, args) => instance.exports[name](...args) };
  },
};

/** The interpreter's native API from `../dist`; `available: false` with a reason when it is not built. */
export async function loadInterpreter() {
  let api;
  try {
    api = await import('../dist/index.js');
  } catch (e) {
    return { available: false, reason: `cannot load ../dist/index.js (run pnpm build): ${e.message.split('\n')[0]}` };
  }
  return interpreterAdapter(api);
}

function interpreterAdapter(api) {
  const { compileModule, instantiateModule, hostFunction } = api;
  if (
    typeof compileModule !== 'function' ||
    typeof instantiateModule !== 'function' ||
    typeof hostFunction !== 'function'
  ) {
    return {
      available: false,
      reason: `dist lacks compileModule/instantiateModule/hostFunction (has ${Object.keys(api).join(', ')})`,
    };
  }
  const engine = {
    available: true,
    name: '@fayger/interpreter (dist, native API)',
    api,
    compile: (bytes) => compileModule(bytes),
    // decode + validate only, when the API offers it: splits compile throughput into its stages.
    validate: typeof api.validateModule === 'function' ? (bytes) => api.validateModule(bytes) : undefined,
    instantiateModule: (module, imports) =>
      instantiateModule(
        module,
        mapImports(imports, (h) => hostFunction({ params: h.params, results: h.results }, h.fn)),
      ),
    instantiate(bytes, imports) {
      const instance = engine.instantiateModule(compileModule(bytes), imports);
      // The native API returns every result in an array, as raw bits.
      return { call: (name, args) => instance.invoke(name, args)[0] };
    },
  };
  return engine;
}

/**
 * webassemblyjs on small sizes of each workload: its result is checked against native; it is known to fail on
 * several 2.0 features, which is reported as the reason it did not run.
 */
export async function runWebassemblyjs(wat, native, interp, measure) {
  const sizes = { fib: 15, alu: 20_000, hash64: 1, matmul: 12, sort: 1_000, dispatch: 20_000 };
  const out = { package: 'webassemblyjs', workloads: [] };
  let wajs;
  try {
    wajs = require('webassemblyjs');
    out.version = require('webassemblyjs/package.json').version;
  } catch (e) {
    out.error = `not installed: ${e.message}`;
    return out;
  }
  for (const [name, arg] of Object.entries(sizes)) {
    const bytes = wat(name);
    const entry = { name, arg };
    try {
      const { instance } = await wajs.instantiate(bytes, {});
      const run = () => instance.exports.run(arg);
      // Correctness first: a wrong answer is reported as not running, not timed.
      const first = run();
      const n = measure(() => native.instantiate(bytes, {}).call('run', [arg]), 3, 2);
      if (unsigned(first) !== unsigned(n.result)) {
        entry.ran = false;
        entry.reason = `wrong result ${String(first)} (native ${String(n.result)})`;
      } else {
        const w = measure(run, 3, 0);
        entry.ran = true;
        entry.ms = w.medianMs;
        entry.ratioVsNative = w.medianMs / n.medianMs;
        if (interp.available) {
          const inst = interp.instantiate(bytes, {});
          const i = measure(() => inst.call('run', [arg]), 3, 1);
          entry.ratioVsInterpreter = w.medianMs / i.medianMs;
        }
      }
    } catch (e) {
      entry.ran = false;
      entry.reason = (e instanceof Error ? e.message : String(e)).split('\n')[0].slice(0, 160);
    }
    out.workloads.push(entry);
  }
  return out;
}
