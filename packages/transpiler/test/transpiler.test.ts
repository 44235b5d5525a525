import { FaygerError } from '@fayger/contracts';
import * as interp from '@fayger/interpreter';
import { afterEach, describe, expect, it } from 'vitest';
import { HELPER_NAMES, emitModule } from '../src/emit.js';
import { codeWithVariants } from '../src/runtime.js';
import * as tr from '../src/index.js';
import {
  canGenerateCode,
  compileModule,
  hostFunction,
  instantiateModule,
  type TranspiledModule,
} from '../src/index.js';
import { drive, wat } from './support.js';

/** A custom section appended to a module (its bytes are arbitrary, here JavaScript). */
function withCustom(bytes: Uint8Array, name: string, content: string): Uint8Array {
  const n = new TextEncoder().encode(name);
  const c = new TextEncoder().encode(content);
  const body = [n.length, ...n, ...c];
  const len: number[] = [];
  let x = body.length;
  do {
    let b = x & 0x7f;
    x >>>= 7;
    if (x) b |= 0x80;
    len.push(b);
  } while (x);
  return Uint8Array.from([...bytes, 0, ...len, ...body]);
}

const HOSTILE = [
  '"); globalThis.pwned = 1; ("',
  "'); globalThis.pwned = 1; ('",
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a hostile name that would run if it reached a template literal
  '`${globalThis.pwned = 1}`',
  '*/ globalThis.pwned = 1; /*',
  '\u2028globalThis.pwned = 1',
  '__proto__',
  'constructor',
  'f0',
  'rt',
];

/** Every identifier the emitter may write: its own index-based names, JS keywords it uses, and the helpers. */
const ALLOWED = new Set<string>([
  ...HELPER_NAMES,
  'use',
  'strict',
  'const',
  'let',
  'function',
  'return',
  'if',
  'else',
  'for',
  'break',
  'continue',
  'switch',
  'case',
  'default',
  'while',
  'yield',
  'null',
  'true',
  'false',
  'M',
  'T',
  'GC',
  'GV',
  'FN',
  'IMP',
  'DS',
  'ES',
  'MAXD',
  'K',
  'DV',
  'LEN',
  'RF',
  'F',
  'FX',
  'FQ',
  'FG',
  'c',
  'k',
  'D',
  'rt',
  'H',
  'dv',
  'byteLength',
  'ea',
  'fn',
  'R',
  'js',
  'gen',
  'sig',
  'elements',
  'grow',
  'lo',
  'hi',
  'ref',
  'f',
  'g',
  'getF',
  'setF',
  'getD',
  'setD',
  'getG',
  'i',
  'v',
  'length',
  'n',
  'maxDepth',
  'getInt32',
  'getBigInt64',
  'getFloat64',
  'getInt8',
  'getUint8',
  'getInt16',
  'getUint16',
  'getUint32',
  'setInt32',
  'setBigInt64',
  'setFloat64',
  'setInt8',
  'setInt16',
  'setUint8',
  'setUint16',
  'setUint32',
  // Snapshots: the capture (the signal KP, the block X a capturing frame leaves with its record in R, CF) and
  // the re-entry variants r<f>_<pos>(NX, V) with their guard RS.
  'X',
  'RS',
  'NX',
  'V',
  'setG',
  'r',
  // Resumable plain forms p<f> (u<f>_<pos> their re-entry variants, evaluated in the code's closure by X with
  // eval), the callee entry pr, and RP, through which a generator continues plain frames stopped by a slice.
  'p',
  'pr',
  'RP',
  'eval',
]);
const GENERATED = /^(s\d+[ijfdrv]|l\d+|f\d+|g\d+|p\d+|r\d+_\d+|u\d+_\d+|q\d+|G\d+|T\d+|I\d+|IG\d+|L\d+|KV\d+)$/;

function identifiersOf(source: string): string[] {
  // Numeric literals (1e+21, 0x.., 12n) are not identifiers.
  return source.replace(/\b\d[\w.+]*\b/g, ' ').match(/[A-Za-z_$][\w$]*/g) ?? [];
}

/** A WAT string literal (JSON's escapes are WAT's, but for U+2028, which JSON leaves raw). */
const str = (s: string) => JSON.stringify(s).replace(/\u2028/g, '\\u{2028}');

describe('safe by construction: no module bytes reach the generated source', () => {
  it('runs a module full of hostile names and custom sections, whose source names nothing but indices', () => {
    const exports = HOSTILE.map((n, i) => `(func (export ${str(n)}) (result i32) (call $imp (i32.const ${i})))`).join(
      '\n',
    );
    let bytes = wat(`(module
      (import ${str(HOSTILE[0])} ${str(HOSTILE[1])} (func $imp (param i32) (result i32)))
      (memory (export ${str(`${HOSTILE[2]} memory`)}) 1)
      (global $g${HOSTILE.length} (export ${str(`${HOSTILE[3]} global`)}) (mut i32) (i32.const 7))
      (data (i32.const 0) ${str(HOSTILE.join(''))})
      (func (export ${str(`${HOSTILE[4]} simd`)}) (param $v v128) (result i32)
        (i32x4.extract_lane 1 (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23
          (v128.const i32x4 1 -2 3 0x80000000) (i32x4.add (local.get $v) (v128.load (i32.const 0))))))
      ${exports})`);
    bytes = withCustom(bytes, 'name', 'globalThis.pwned = 1');
    bytes = withCustom(bytes, HOSTILE[0], HOSTILE[0]);
    const mod = compileModule(bytes);
    const inst = instantiateModule(mod, {
      [HOSTILE[0]]: { [HOSTILE[1]]: hostFunction({ params: ['i32'], results: ['i32'] }, (x) => (x as number) * 10) },
    });
    HOSTILE.forEach((name, i) => expect(inst.invoke(name)).toEqual([i * 10]));
    expect(inst.getGlobal(`${HOSTILE[3]} global`)).toBe(7);
    const v = new Uint8Array(16).fill(1);
    const dataWord = new DataView(new TextEncoder().encode(HOSTILE.join('')).buffer).getInt32(0, true);
    expect(inst.invoke(`${HOSTILE[4]} simd`, [v])).toEqual([(dataWord + 0x01010101) >>> 0]);
    expect((globalThis as { pwned?: number }).pwned).toBeUndefined();
    for (const h of HOSTILE) if (h.length > 3) expect(mod.source).not.toContain(h);
    const strange = identifiersOf(mod.source).filter((id) => !ALLOWED.has(id) && !GENERATED.test(id));
    expect(strange).toEqual([]);
    // Only ASCII, no string literals but the "use strict" directive.
    expect(/^[\x20-\x7e\n]*$/.test(mod.source)).toBe(true);
    expect(mod.source.match(/["'`]/g)?.length).toBe(2);
    // The re-entry variants a snapshot restore compiles (here for every suspension site): the same alphabet.
    const c = mod.compiled;
    const requests = c.emitted.frames.flatMap((f, i) =>
      [...f.sites.keys()].filter((pos) => pos > 0).map((pos) => ({ func: c.layout.nImportedFuncs + i, pos })),
    );
    expect(requests.length).toBe(HOSTILE.length); // one call site per export calling $imp
    const variants = emitModule(c.ir, requests).source;
    expect(variants.match(/function\* r\d+_\d+\(NX, V\)/g)?.length).toBe(requests.length);
    expect(identifiersOf(variants).filter((id) => !ALLOWED.has(id) && !GENERATED.test(id))).toEqual([]);
    expect(/^[\x20-\x7e\n]*$/.test(variants)).toBe(true);
    expect(variants.match(/["'`]/g)?.length).toBe(2);
    expect(codeWithVariants(c, requests).factory).toBeTypeOf('function');
    // The code for the import declared synchronous: no generator body, only resumable plain forms.
    const sync = emitModule(c.ir, [], { awaits: [false] });
    expect(sync.awaits.some((a) => a)).toBe(false);
    expect(sync.source).toMatch(/function p\d+\(\)/);
    expect(identifiersOf(sync.source).filter((id) => !ALLOWED.has(id) && !GENERATED.test(id))).toEqual([]);
    expect(sync.source.match(/["'`]/g)?.length).toBe(2);
  });
});

describe('host without code generation', () => {
  const real = globalThis.Function;
  afterEach(() => {
    globalThis.Function = real;
  });

  it('refuses with a typed error the router can fall back on', () => {
    const bytes = wat('(module (func (export "f") (result i32) (i32.const 1)))');
    expect(canGenerateCode()).toBe(true);
    globalThis.Function = function refuse() {
      throw new EvalError('Refused to evaluate a string as JavaScript because unsafe-eval is not allowed');
    } as unknown as FunctionConstructor;
    expect(canGenerateCode()).toBe(false);
    let err: unknown;
    try {
      compileModule(bytes);
    } catch (e) {
      err = e;
    }
    expect(FaygerError.is(err)).toBe(true);
    expect((err as FaygerError).code).toBe('WASM_UNSUPPORTED_FEATURE');
    expect((err as FaygerError).details).toMatchObject({ refused: true });
  });
});

describe('suspension at async host calls', () => {
  const asyncWat = `(module
    (import "host" "fetch" (func $fetch (param i32) (result i32)))
    (memory (export "memory") 1)
    (func $step (param $i i32) (param $acc i32) (result i32)
      (i32.add (local.get $acc) (i32.mul (call $fetch (local.get $i)) (i32.add (local.get $i) (i32.const 1)))))
    (func $pure (export "pure") (param $n i32) (result i32) (i32.mul (local.get $n) (i32.const 3)))
    (func (export "run") (param $n i32) (result i32)
      (local $i i32) (local $acc i32)
      (block $done
        (loop $l
          (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
          (local.set $acc (call $step (local.get $i) (local.get $acc)))
          (i32.store (i32.const 16) (local.get $acc))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br $l)))
      (local.get $acc)))`;

  it("suspends mid-loop (two frames deep) at each host promise and resumes to the interpreter's result and fuel", async () => {
    const bytes = wat(asyncWat);
    const fetchImpl = (i: unknown) => new Promise((res) => setTimeout(() => res(((i as number) * 7 + 1) | 0), 1));
    const t = instantiateModule(compileModule(bytes), {
      host: { fetch: hostFunction({ params: ['i32'], results: ['i32'] }, fetchImpl) },
    });
    const i = interp.instantiateModule(interp.compileModule(bytes), {
      host: { fetch: interp.hostFunction({ params: ['i32'], results: ['i32'] }, fetchImpl) },
    });
    const got = await drive(t.call('run', [20]));
    const want = await drive(i.call('run', [20]));
    expect(got.values).toEqual(want.values);
    expect(got.waits).toBe(20);
    expect(t.usage().fuelUsed).toBe(i.usage().fuelUsed);
    // In small fuel slices as well: suspended both at slice ends and at promises.
    const sliced = await drive(t.call('run', [20]), 7);
    expect(sliced.values).toEqual(want.values);
    expect(sliced.suspensions).toBeGreaterThan(10);
    // A synchronous invoke cannot wait: a typed error, not a hang.
    expect(() => t.invoke('run', [2])).toThrow(expect.objectContaining({ code: 'WASM_EXECUTION_STATE' }));
    expect(t.invoke('pure', [5])).toEqual([15]);
  });
});

describe('traps', () => {
  it('deep recursion traps with TRAP_CALL_STACK_EXHAUSTED; moderate recursion completes', () => {
    const mod: TranspiledModule = compileModule(
      wat(`(module
      (func $down (export "down") (param $n i32) (result i32)
        (if (result i32) (i32.eqz (local.get $n)) (then (i32.const 0))
          (else (i32.add (call $down (i32.sub (local.get $n) (i32.const 1))) (i32.const 1)))))
      (func $forever (export "forever") (call $forever)))`),
    );
    const inst = instantiateModule(mod);
    expect(inst.invoke('down', [2000])).toEqual([2000]);
    expect(() => inst.invoke('forever')).toThrow(expect.objectContaining({ code: 'TRAP_CALL_STACK_EXHAUSTED' }));
    expect(inst.invoke('down', [10])).toEqual([10]);
  });

  it("fuel exhaustion traps at the interpreter's count", () => {
    const bytes = wat(`(module (func (export "spin") (param $n i32) (result i32)
      (loop $l (local.set $n (i32.sub (local.get $n) (i32.const 1))) (br_if $l (local.get $n))) (local.get $n)))`);
    for (const fuel of [1, 5, 17, 100, 1000]) {
      const t = instantiateModule(compileModule(bytes), {}, { fuel });
      const i = interp.instantiateModule(interp.compileModule(bytes), {}, { fuel });
      const codeOf = (f: () => unknown) => {
        try {
          return f();
        } catch (e) {
          return (e as FaygerError).code;
        }
      };
      expect(codeOf(() => t.invoke('spin', [50]))).toEqual(codeOf(() => i.invoke('spin', [50])));
      expect(t.usage().fuelUsed).toBe(i.usage().fuelUsed);
    }
  });
});

describe('out-of-bounds loads and stores (checked by the DataView access itself)', () => {
  const bytes = wat(`(module (import "host" "reenter" (func $reenter (param i32) (result i32)))
    (memory (export "memory") 1)
    (func (export "load64") (param $a i32) (result i64) (i64.load offset=4 (local.get $a)))
    (func (export "store64") (param $a i32) (i64.store (local.get $a) (i64.const -1)))
    (func (export "store8") (param $a i32) (i32.store8 offset=0xffffffff (local.get $a) (i32.const 7)))
    (func (export "outer") (param $a i32) (result i32) (call $reenter (local.get $a)))
    (func (export "spin_then_store") (param $n i32)
      (loop $l (local.set $n (i32.sub (local.get $n) (i32.const 1))) (br_if $l (local.get $n)))
      (i32.store (i32.const 65535) (i32.const 1))))`);
  let seen: unknown;
  const run = (api: typeof interp | typeof tr) => {
    let inst: any; // the two APIs' instances, driven alike
    const host = (api.hostFunction as typeof interp.hostFunction)({ params: ['i32'], results: ['i32'] }, (a) => {
      try {
        inst.invoke('store64', [a]);
      } catch (e) {
        seen = [(e as FaygerError).code, FaygerError.is(e)];
      }
      return 0;
    });
    inst = (api.instantiateModule as typeof interp.instantiateModule)(
      (api.compileModule as typeof interp.compileModule)(bytes),
      { host: { reenter: host } },
      { fuel: 100_000 },
    );
    const codeOf = (name: string, args: unknown[]) => {
      try {
        return inst.invoke(name, args);
      } catch (e) {
        return (e as FaygerError).code;
      }
    };
    const mem = (inst.exports.memory as { u8: Uint8Array }).u8;
    const out = [
      codeOf('load64', [65528 - 4]),
      codeOf('load64', [65528 - 3]),
      codeOf('load64', [-1]),
      codeOf('store64', [65530]), // straddles the end: nothing is written
      mem.slice(65528).join(','),
      codeOf('store8', [1]),
      codeOf('store8', [0]),
      mem[65535],
      codeOf('outer', [65535]),
      seen,
      codeOf('spin_then_store', [50]),
      inst.usage().fuelUsed,
    ];
    seen = undefined;
    // In a resumable call too.
    const r = inst.call('store64', [65536]).run({ fuel: 1000 });
    out.push(r.status, r.error?.code);
    return out;
  };

  it("trap with the interpreter's code, write nothing when straddling the end, and reach a re-entering host as traps", () => {
    const got = run(tr);
    expect(got).toEqual(run(interp));
    expect(got[1]).toBe('TRAP_MEMORY_OUT_OF_BOUNDS');
    expect(got[3]).toBe('TRAP_MEMORY_OUT_OF_BOUNDS');
    expect(got[4]).toBe('0,0,0,0,0,0,0,0');
    expect(got[9]).toEqual(['TRAP_MEMORY_OUT_OF_BOUNDS', true]);
    expect(got.slice(-2)).toEqual(['trapped', 'TRAP_MEMORY_OUT_OF_BOUNDS']);
  });
});

describe('memory grown while a call is suspended', () => {
  // Loads and stores use a local copy of the memory's DataView: it must be renewed after a suspension (the host
  // grew the memory meanwhile) and after calls, or the access would hit the old, shorter view.
  const bytes = wat(`(module (import "host" "grow" (func $grow (result i32)))
    (memory (export "memory") 1)
    (func (export "run") (param $n i32) (result i32) (local $acc i32) (local $top i32)
      (loop $l
        (local.set $top (i32.sub (i32.mul (memory.size) (i32.const 65536)) (i32.const 4)))
        (i32.store (local.get $top) (i32.add (i32.load (local.get $top)) (local.get $n)))
        (local.set $acc (i32.add (local.get $acc) (i32.load (local.get $top))))
        (if (i32.eq (local.get $n) (i32.const 20)) (then (drop (call $grow))))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br_if $l (local.get $n)))
      (local.get $acc)))`);
  const run = async (api: typeof interp | typeof tr, slice?: number) => {
    let inst: any; // the two APIs' instances, driven alike
    const grow = (api.hostFunction as typeof interp.hostFunction)({ params: [], results: ['i32'] }, () =>
      Promise.resolve(inst.exports.memory.grow(1)),
    );
    inst = (api.instantiateModule as typeof interp.instantiateModule)(
      (api.compileModule as typeof interp.compileModule)(bytes),
      { host: { grow } },
    );
    const ex = inst.call('run', [40]);
    const seen: unknown[] = [];
    for (let k = 0; ; k++) {
      const r = ex.run(slice === undefined ? {} : { fuel: slice });
      if (r.status === 'waiting') await r.settled;
      else if (r.status === 'suspended') {
        if (k === 5) seen.push('grown by the host', inst.exports.memory.grow(1));
      } else {
        seen.push(r.status, r.values ?? r.error?.code);
        break;
      }
    }
    seen.push(inst.exports.memory.u8.length, inst.usage().fuelUsed);
    return seen;
  };

  it('renews the view after a fuel-slice suspension and after a host call, like the interpreter', async () => {
    const got = await run(tr, 30);
    expect(got).toEqual(await run(interp, 30));
    expect(got.slice(0, 3)).toEqual(['grown by the host', 1, 'completed']);
    expect(got[4]).toBe(3 * 65536);
    // Without fuel slices: the only suspension is the host call, which grows the memory.
    const once = await run(tr);
    expect(once).toEqual(await run(interp));
    expect(once.slice(0, 1)).toEqual(['completed']);
    expect(once[2]).toBe(2 * 65536);
  });
});

describe("budgets above the generated code's small-integer fuel counter (2^29)", () => {
  // The code charges a counter kept below 2^29 (so V8 keeps it a small integer) and refills it from the rest of
  // the budget when a charge does not fit. A loop that burns more than 2^29 units crosses a refill; it must stop
  // where one counter of the whole budget would. fuel(n) = a + b·n is taken from the interpreter at small n.
  const bytes = wat(`(module (func (export "spin") (param $n i32) (result i32)
    (loop $l (local.set $n (i32.sub (local.get $n) (i32.const 1))) (br_if $l (local.get $n))) (local.get $n)))`);
  const interpFuel = (n: number, fuel?: number): [unknown, number] => {
    const i = interp.instantiateModule(interp.compileModule(bytes), {}, fuel === undefined ? {} : { fuel });
    try {
      return [i.invoke('spin', [n]), i.usage().fuelUsed];
    } catch (e) {
      return [(e as FaygerError).code, i.usage().fuelUsed];
    }
  };
  const b = interpFuel(2)[1] - interpFuel(1)[1];
  const a = interpFuel(1)[1] - b;
  const n = Math.ceil(2 ** 29 / b) + 1000;
  const total = a + b * n;

  it('the linear fuel model holds and the loop crosses the refill', () => {
    expect(interpFuel(7)[1]).toBe(a + 7 * b);
    expect(total).toBeGreaterThan(2 ** 29 + 1000);
  });

  it.each([
    ['the exact budget (completes)', 0],
    ['one unit short (runs out in the last segment)', 1],
    ['a budget ending mid-loop', b * 500 + 3],
  ])(
    'plain calls stop at the same count: %s',
    (_, short) => {
      // The interpreter on a small n with the same shortfall stops the same distance from the end.
      const m = 2000;
      const [want, usedSmall] = interpFuel(m, a + b * m - short);
      const t = instantiateModule(compileModule(bytes), {}, { fuel: total - short });
      let got: unknown;
      try {
        got = t.invoke('spin', [n]);
      } catch (e) {
        got = (e as FaygerError).code;
      }
      expect(got).toEqual(want);
      expect(total - t.usage().fuelUsed).toBe(a + b * m - usedSmall);
    },
    120_000,
  );

  it('a resumable call in slices larger than 2^29 suspends and completes at the same count', async () => {
    const t = instantiateModule(compileModule(bytes));
    const ex = t.call('spin', [n]);
    let suspensions = 0;
    let r = ex.run({ fuel: 2 ** 29 + 12345 });
    while (r.status === 'suspended') {
      suspensions++;
      r = ex.run({ fuel: 2 ** 29 + 12345 });
    }
    expect(r.status).toBe('completed');
    expect(suspensions).toBe(Math.ceil(total / (2 ** 29 + 12345)) - 1);
    expect(t.usage().fuelUsed).toBe(total);
  }, 120_000);
});

describe('calls across instances', () => {
  it('share one fuel budget and suspend inside the other instance, like the interpreter', async () => {
    const lib = wat(`(module (func (export "work") (param $n i32) (result i32) (local $a i32)
      (loop $l (local.set $a (i32.add (local.get $a) (local.get $n)))
        (local.set $n (i32.sub (local.get $n) (i32.const 1))) (br_if $l (local.get $n))) (local.get $a)))`);
    const app = wat(`(module (import "lib" "work" (func $work (param i32) (result i32)))
      (func (export "main") (param $k i32) (result i32) (local $s i32)
        (loop $l (local.set $s (i32.add (local.get $s) (call $work (local.get $k))))
          (local.set $k (i32.sub (local.get $k) (i32.const 1))) (br_if $l (local.get $k))) (local.get $s)))`);
    const t = instantiateModule(
      compileModule(app),
      { lib: instantiateModule(compileModule(lib)).exports },
      { fuel: 1_000_000 },
    );
    const i = interp.instantiateModule(
      interp.compileModule(app),
      { lib: interp.instantiateModule(interp.compileModule(lib)).exports },
      { fuel: 1_000_000 },
    );
    const want = i.invoke('main', [30]);
    const ex = t.call('main', [30]);
    let suspensions = 0;
    for (;;) {
      const r = ex.run({ fuel: 13 });
      if (r.status === 'completed') {
        expect(r.values).toEqual(want);
        break;
      }
      expect(r.status).toBe('suspended');
      suspensions++;
    }
    expect(suspensions).toBeGreaterThan(100);
    expect(t.usage().fuelUsed).toBe(i.usage().fuelUsed);
    // Plain calls too, and a budget that runs out inside the other instance stops at the same count.
    expect(t.invoke('main', [30])).toEqual(want);
    const small = (api: typeof interp | typeof tr) => {
      const a = (api.instantiateModule as typeof interp.instantiateModule)(
        (api.compileModule as typeof interp.compileModule)(app),
        {
          lib: (api.instantiateModule as typeof interp.instantiateModule)(
            (api.compileModule as typeof interp.compileModule)(lib),
          ).exports,
        },
        { fuel: 777 },
      );
      let code = '';
      try {
        a.invoke('main', [30]);
      } catch (e) {
        code = (e as FaygerError).code;
      }
      return [code, a.usage().fuelUsed];
    };
    expect(small(tr)).toEqual(small(interp));
  });
});

describe('i64 shifts and rotations by a constant count (folded into the source)', () => {
  it('agree with V8 for every count form: 0, 1, 31, 32, 33, 63, 64, 65, negative', () => {
    const ops = ['shl', 'shr_s', 'shr_u', 'rotl', 'rotr'];
    const counts = ['0', '1', '31', '32', '33', '63', '64', '65', '-1', '-64', '0x7fffffffffffffff'];
    const funcs = ops.flatMap((op) =>
      counts.map((k, i) => `(func (export "${op}${i}") (param i64) (result i64) local.get 0 i64.const ${k} i64.${op})`),
    );
    const bytes = wat(`(module ${funcs.join('\n')})`);
    const native = new WebAssembly.Instance(new WebAssembly.Module(bytes as Uint8Array<ArrayBuffer>), {})
      .exports as Record<string, (x: bigint) => bigint>;
    const t = instantiateModule(compileModule(bytes));
    expect(t.module.source).not.toMatch(/& 63n/);
    const inputs = [0n, 1n, -1n, 0x0123456789abcdefn, -0x7edcba9876543210n, -(2n ** 63n), 2n ** 63n - 1n, 0x80000000n];
    let checked = 0;
    for (const op of ops)
      for (let i = 0; i < counts.length; i++)
        for (const x of inputs) {
          expect([op, counts[i], x, t.invoke(`${op}${i}`, [x])[0]]).toEqual([
            op,
            counts[i],
            x,
            BigInt.asUintN(64, native[`${op}${i}`](x)), // the native API returns raw (unsigned) bits
          ]);
          checked++;
        }
    expect(checked).toBe(ops.length * counts.length * inputs.length);
  });
});

describe('leaf functions (no loop, no call) have no generator body', () => {
  const leafWat = `(module
    (memory 1)
    (func $leaf (param $x i32) (result i32)
      (i32.store (i32.const 8) (local.get $x))
      (if (result i32) (i32.and (local.get $x) (i32.const 1))
        (then (i32.add (i32.mul (local.get $x) (i32.const 3)) (i32.const 1)))
        (else (i32.shr_u (local.get $x) (i32.const 1)))))
    (func $pair (param i32) (result i32 i32) (local.get 0) (i32.const 1))
    (func (export "leaf") (param i32) (result i32) (call $leaf (local.get 0)))
    (func (export "run") (param $n i32) (result i32)
      (local $x i32) (local $steps i32)
      (local.set $x (local.get $n))
      (block $done
        (loop $l
          (br_if $done (i32.le_u (local.get $x) (i32.const 1)))
          (local.set $x (call $leaf (local.get $x)))
          (local.set $steps (i32.add (call $pair (local.get $steps)) (i32.const 0) (drop)))
          (br $l)))
      (i32.add (local.get $steps) (i32.load (i32.const 8)))))`;

  it("are paid for at the call site and suspend at the interpreter's points in every slice size", async () => {
    const bytes = wat(leafWat);
    const mod = compileModule(bytes);
    // f0 ($leaf) and f1 ($pair) are leaves: one-line wrappers, called plainly (entry paid before) from generators.
    expect(mod.source).toMatch(
      /function\* g0\(l0\) \{\nwhile \(D < MAXD && F < (\d+) && !FQ\(\1\)\) \{ if \(\(yield \1\) === KP\) \{ CF\(0, \[0, EMPTY\], \[l0\], null\); return KP; \} \}\nreturn f0\(l0\);\n\}/,
    );
    expect(mod.source).toMatch(/function\* g1\(l0\) \{\nwhile/);
    expect(mod.source).not.toMatch(/yield\* g[01]\(/);
    // run: a loop, but no async import to reach: a resumable plain form, its generator entry a wrapper.
    expect(mod.source).toMatch(/function p3\(l0\) \{\nlet /);
    expect(mod.source).toMatch(/function\* g3\(l0\) \{\nconst R = p3\(l0\);/);
    for (const slice of [1, 2, 3, 5, 8, 13, 21, 1000]) {
      for (const [name, arg] of [
        ['run', 27],
        ['leaf', 7],
      ] as const) {
        const t = instantiateModule(mod);
        const i = interp.instantiateModule(interp.compileModule(bytes));
        const got = await drive(t.call(name, [arg]), slice);
        const want = await drive(i.call(name, [arg]), slice);
        expect([name, slice, got]).toEqual([name, slice, want]);
        expect([name, slice, t.usage().fuelUsed]).toEqual([name, slice, i.usage().fuelUsed]);
      }
    }
    // Under a total budget that runs out at a leaf's entry, both stop at the same count.
    for (const fuel of [5, 17, 40, 111]) {
      const stop = async (api: typeof interp | typeof tr) => {
        const inst = (api.instantiateModule as typeof interp.instantiateModule)(
          (api.compileModule as typeof interp.compileModule)(bytes),
          {},
          { fuel },
        );
        const r = inst.call('run', [27]).run({ fuel: 3 });
        let s = r;
        const ex = inst.call('run', [27]);
        for (s = ex.run({ fuel: 3 }); s.status === 'suspended'; s = ex.run({ fuel: 3 }));
        return [r.status, s.status, (s as { error?: { code?: string } }).error?.code, inst.usage().fuelUsed];
      };
      expect([fuel, await stop(tr)]).toEqual([fuel, await stop(interp)]);
    }
  });
});
