import {
  EXTERNREF,
  F32,
  F64,
  FUNCREF,
  I32,
  I64,
  SIMD_BASE,
  SIMD_LOAD_BYTES,
  SIMD_SIG,
  SIMPLE,
  V128,
  blockSig,
  sigId,
} from '@fayger/wasm';
import type { FuncTypeIR, ModuleIR } from '@fayger/wasm';

/**
 * The emitter: a validated ModuleIR → the JavaScript source of a module factory, `(rt) => exports of the
 * instance's code`. Safe by construction: the only things written into the source are identifiers the emitter
 * makes up from integers (s3i, l0, f12, L4, G2 …), numeric literals it formats itself and the fixed helper names
 * below. No name, export string, custom section or data byte of the module ever reaches the source; functions,
 * globals, tables and imports are referred to by index, and everything they touch comes from `rt`.
 *
 * Each wasm function becomes two JS functions: a plain one (`f<i>`) for synchronous calls and a generator
 * (`g<i>`) for resumable calls, which yields at fuel-slice ends and at host promises. Both charge fuel exactly
 * like @fayger/interpreter: one unit per wasm instruction, in segments that start at function entry and at each
 * (live) loop header and extend textually to the next such header, each segment charged on entry.
 */

/** Helper functions the generated code may call (bound from rt.H by these exact names). */
export const HELPER_NAMES = [
  'SN',
  'UN',
  'FR',
  'IMUL',
  'CLZ',
  'BIG',
  'NUM',
  'CEIL',
  'FLOOR',
  'TRUNC',
  'SQRT',
  'MIN',
  'MAX',
  'h_unr',
  'h_oob',
  'h_toob',
  'h_uninit',
  'h_sigmis',
  'h_fuel',
  'h_depth',
  'h_dz',
  'h_ovf',
  'h_ctz',
  'h_pop',
  'h_divs',
  'h_divu',
  'h_rems',
  'h_remu',
  'h_clz64',
  'h_ctz64',
  'h_pop64',
  'h_divs64',
  'h_divu64',
  'h_rems64',
  'h_remu64',
  'h_rotl64',
  'h_rotr64',
  'h_fabs32',
  'h_fneg32',
  'h_copysign32',
  'h_fabs64',
  'h_fneg64',
  'h_copysign64',
  'h_promote',
  'h_nearest',
  'h_nearest32',
  'h_tr_s32',
  'h_tr_u32',
  'h_tr_s64',
  'h_tr_u64',
  'h_ts_s32',
  'h_ts_u32',
  'h_ts_s64',
  'h_ts_u64',
  'h_i64f32',
  'h_u64f32',
  'h_i32f',
  'h_fi32',
  'h_i64d',
  'h_di64',
  'h_gi64',
  'h_si64',
  'h_gf64',
  'h_sf64',
  'h_mfill',
  'h_mcopy',
  'h_minit',
  'h_tget',
  'h_tset',
  'h_tfill',
  'h_tcopy',
  'h_tinit',
  'EMPTY',
  'VZ',
  'h_vop',
  'h_vop1',
  'h_vsh',
  'h_vtest',
  'h_vbsel',
  'h_vspl',
  'h_vsplj',
  'h_vspld',
  'h_vrep',
  'h_vrepj',
  'h_vrepd',
  'h_w2j',
  'h_w2d',
  'h_vldl',
  'h_vstl',
  'h_gv',
  'h_sv',
  'KP',
  'CF',
] as const;

export interface EmittedModule {
  /** Body of `new Function('rt', source)`. */
  readonly source: string;
  /** Fuel charged at entry of each defined function (the interpreter's startCost for a fresh call). */
  readonly entryCosts: readonly number[];
  /** Float constants JS literals cannot spell (NaNs with payloads), as triples [isF64, lo, hi]; `K[i]` in the source. */
  readonly consts: readonly number[];
  /**
   * Per defined function: true when it has no resumable body of its own (a "leaf": no loop and no call, so its
   * only fuel point is its entry); its generator `g<i>` is a two-line wrapper over the plain `f<i>`.
   */
  readonly leaves: readonly boolean[];
  /**
   * Per defined function: its suspension sites (see {@link SiteMeta}), by position, and the value types of its
   * locals (params first). Snapshots name frames by these positions.
   */
  readonly frames: readonly FrameMeta[];
  /**
   * Per function index (imports first): true when it can reach an async import, so it has a generator body
   * (`g<i>`); false for the rest, which run as plain functions on the resumable path too (their `p<i>`).
   */
  readonly awaits: readonly boolean[];
  /** @internal For emitting re-entry variants later (see {@link emitPlainVariants}). */
  readonly ctx: EmitContext;
}

/**
 * Where a generator frame can be stopped, by position `pos` in the function body: 0 is the function entry (its
 * first fuel point), k + 1 is the body's k-th instruction (counting every opcode, `else` and `end` included, from
 * 0) — a `loop` (its header's fuel point) or a `call` / `call_indirect` (the frame waits in its callee). Positions
 * are engine-neutral: they depend only on the wasm code.
 */
export interface SiteMeta {
  readonly pos: number;
  /** 0 fuel point (entry or loop header), 1 call of a leaf (stopped before entering it), 2 call, 3 call_indirect. */
  readonly kind: 0 | 1 | 2 | 3;
  /** Callee function index (kinds 1, 2), else -1. */
  readonly callee: number;
  /** Type index of a call_indirect, else -1. */
  readonly typeIndex: number;
  /** Types of the operand stack at the site, below a call's operands (its arguments and table index). */
  readonly stack: readonly number[];
  /** Per stack entry: true when the generated code holds it in a slot variable (restored on re-entry). */
  readonly slots: readonly boolean[];
  /** Fuel the site's segment charges when resumed (fuel points; the leaf's entry cost for kind 1). */
  readonly cost: number;
}

export interface FrameMeta {
  readonly locals: readonly number[];
  readonly nParams: number;
  readonly sites: ReadonlyMap<number, SiteMeta>;
  /** Instruction index of each block/loop/if → its `else` (or -1) and `end` (for re-entry variants). */
  readonly spans: ReadonlyMap<number, readonly [number, number]>;
}

/** A re-entry variant to emit: function index (imports counted) and the site position it resumes at. */
export interface ReentryRequest {
  readonly func: number;
  readonly pos: number;
}

export interface ModuleLayout {
  /** Per global index: true when the generated code keeps it in a closure variable (defined, not exported). */
  readonly closureGlobals: readonly boolean[];
  readonly globalTypes: readonly number[];
  readonly funcTypes: readonly FuncTypeIR[];
  readonly nImportedFuncs: number;
  readonly tableElems: readonly number[];
}

export function layoutOf(m: ModuleIR): ModuleLayout {
  const funcTypes: FuncTypeIR[] = [];
  const globalTypes: number[] = [];
  const closureGlobals: boolean[] = [];
  const tableElems: number[] = [];
  for (const imp of m.imports) {
    if (imp.kind === 0) funcTypes.push(m.types[imp.type]);
    else if (imp.kind === 1) tableElems.push(imp.table.elem);
    else if (imp.kind === 3) {
      globalTypes.push(imp.global.type);
      closureGlobals.push(false);
    }
  }
  const nImportedFuncs = funcTypes.length;
  for (const t of m.funcs) funcTypes.push(m.types[t]);
  for (const t of m.tables) tableElems.push(t.elem);
  const exported = new Set(m.exports.filter((e) => e.kind === 3).map((e) => e.index));
  for (const g of m.globals) {
    closureGlobals.push(!exported.has(globalTypes.length));
    globalTypes.push(g.type.type);
  }
  return { closureGlobals, globalTypes, funcTypes, nImportedFuncs, tableElems };
}

const SUFFIX: Record<number, string> = {
  [I32]: 'i',
  [I64]: 'j',
  [F32]: 'f',
  [F64]: 'd',
  [V128]: 'v',
  [FUNCREF]: 'r',
  [EXTERNREF]: 'r',
};
const ZERO: Record<string, string> = { i: '0', j: '0n', f: '0', d: '0', v: 'VZ', r: 'null' };

/** Numeric literal for a JS number (exact: String round-trips doubles). NaNs never come here. */
function numLit(x: number): string {
  if (Object.is(x, -0)) return '(-0)';
  if (x === Infinity) return '(1/0)';
  if (x === -Infinity) return '(-1/0)';
  return x < 0 ? `(${String(x)})` : String(x);
}

const cvt = new DataView(new ArrayBuffer(8));

export interface EmitOptions {
  /**
   * Per imported function: may it await (return a Promise)? Default: every import may. A function that cannot
   * reach one is compiled without a generator body.
   */
  readonly awaits?: readonly boolean[];
}

export function emitModule(
  m: ModuleIR,
  reentry: readonly ReentryRequest[] = [],
  options: EmitOptions = {},
): EmittedModule {
  const L = layoutOf(m);
  const out: string[] = [];
  out.push('"use strict";');
  out.push(`const {${HELPER_NAMES.join(', ')}} = rt.H;`);
  out.push(
    'const M = rt.M, T = rt.T, GC = rt.GC, GV = rt.GV, FN = rt.FN, IMP = rt.IMP, DS = rt.DS, ES = rt.ES, MAXD = rt.maxDepth, K = rt.K, RP = rt.RP;',
  );
  out.push('let DV = M === null ? null : M.dv, LEN = M === null ? 0 : DV.byteLength;');
  out.push('function RF() { DV = M.dv; LEN = DV.byteLength; }');
  // Fuel: the remaining budget is F + FX. F, the part the code charges, stays within V8's small-integer range
  // (≤ 2^29): a budget above it (the unlimited one is 2^53 − 1) kept whole in F would be a heap number, and every
  // charge `F -= k` would allocate a new one (fib: 3× slower). FX holds the rest; a charge F cannot pay moves
  // FX into F (FQ) before deciding, so a call stops exactly where it would with one counter.
  out.push('let F = 0, FX = 0, D = 0;');
  out.push('function FQ(c) { if (FX > 0) { const k = MIN(FX, 536870912 - F); F += k; FX -= k; } return F >= c; }');
  out.push('function FG(c) { F += c; if (FQ(c)) { F -= c; return true; } return false; }');
  for (let i = 0; i < L.tableElems.length; i++) out.push(`const T${i} = T[${i}];`);
  for (let g = 0; g < L.globalTypes.length; g++) {
    out.push(L.closureGlobals[g] ? `let q${g} = GV[${g}];` : `const G${g} = GC[${g}];`);
  }
  for (let j = 0; j < L.nImportedFuncs; j++) out.push(`const I${j} = IMP[${j}].js, IG${j} = IMP[${j}].gen;`);
  const consts: number[] = [];
  const pool: ConstPool = { consts, decls: [], names: new Map() };
  const entryCosts: number[] = [];
  // Suspension needs the resumable (generator) form of every function that can be on the stack when a fuel
  // slice ends or a host promise is awaited. A function with no loop and no call ("leaf") has one fuel point, its
  // entry, and nothing to wait on: a resumable caller pays that entry for it before the call (yielding there while
  // the slice cannot pay it — the point where the leaf's own generator would yield) and then runs the plain form.
  // So a leaf gets no generator body: its `g<i>` (for exports, tables and other instances) is a wrapper doing the
  // same. Every other function is emitted twice. First pass: plain forms, which tell leaves and entry costs.
  const leaves: boolean[] = [];
  const callees: (readonly number[])[] = [];
  const indirect: (readonly number[])[] = [];
  for (let i = 0; i < m.codes.length; i++) {
    const a = emitFunction(m, L, i, 'f', pool, null, null);
    out.push(a.src);
    entryCosts.push(a.entryCost);
    leaves.push(a.leaf);
    callees.push(a.callees);
    indirect.push(a.indirect);
  }
  // Which functions can reach an async import (call graph; call_indirect by type, conservatively): only those
  // get a generator body. The others get a resumable plain form `p<i>` (see emitFunction's 'p' mode).
  const { awaits, indirectAwaits } = awaitSets(m, L, callees, indirect, options.awaits);
  const info: ResumableInfo = { leaves, entryCosts, awaits, indirectAwaits };
  const frames: FrameMeta[] = [];
  const variants: string[] = [];
  const pForms: string[] = [];
  for (let i = 0; i < m.codes.length; i++) {
    const fIndex = L.nImportedFuncs + i;
    if (leaves[i]) {
      const type = L.funcTypes[fIndex];
      const locals = [...type.params, ...m.codes[i].locals];
      const params = type.params.map((_, k) => `l${k}`).join(', ');
      const all = locals.map((t, k) => (k < type.params.length ? `l${k}` : ZERO[SUFFIX[t]])).join(', ');
      const cost = entryCosts[i];
      // A capture (see KP) stops it at its entry: the frame's record is its arguments. Its resumable plain form
      // (for call_indirect from plain code) stops there the same way, returning KP.
      const cap = `{ CF(${fIndex}, [0, EMPTY], [${all}], null); return KP; }`;
      out.push(
        `function* g${fIndex}(${params}) {\nwhile (D < MAXD && F < ${cost} && !FQ(${cost})) { if ((yield ${cost}) === KP) ${cap} }\nreturn f${fIndex}(${params});\n}`,
      );
      out.push(
        `function p${fIndex}(${params}) {\nif (D < MAXD && F < ${cost} && !FQ(${cost})) ${cap}\nreturn f${fIndex}(${params});\n}`,
      );
      pForms.push(`p${fIndex}`);
      const entry: SiteMeta = { pos: 0, kind: 0, callee: -1, typeIndex: -1, stack: [], slots: [], cost };
      frames.push({ locals, nParams: type.params.length, sites: new Map([[0, entry]]), spans: new Map() });
    } else if (awaits[fIndex]) {
      const g = emitFunction(m, L, i, 'g', pool, info, null);
      out.push(g.src);
      frames.push(g.frame);
      pForms.push('null');
      for (const r of reentry) {
        if (r.func !== fIndex) continue;
        out.push(emitFunction(m, L, i, 'g', pool, info, { pos: r.pos, spans: g.frame.spans }).src);
        variants.push(`[${fIndex}, ${r.pos}, r${fIndex}_${r.pos}]`);
      }
    } else {
      const type = L.funcTypes[fIndex];
      const params = type.params.map((_, k) => `l${k}`).join(', ');
      const p = emitFunction(m, L, i, 'p', pool, info, null);
      out.push(p.src);
      // Its generator entry (exports, call_indirect from generators, other instances): the plain form, and when
      // a slice ends inside it, RP (yields the stop's cost; re-enters the recorded plain frames on the next run).
      out.push(
        `function* g${fIndex}(${params}) {\nconst R = p${fIndex}(${params});\nreturn R === KP ? yield* RP() : R;\n}`,
      );
      frames.push(p.frame);
      pForms.push(`p${fIndex}`);
      for (const r of reentry) {
        if (r.func !== fIndex) continue;
        out.push(emitFunction(m, L, i, 'p', pool, info, { pos: r.pos, spans: p.frame.spans }).src);
        variants.push(`[${fIndex}, ${r.pos}, u${fIndex}_${r.pos}]`);
      }
    }
  }
  // v128 constants, made once per instance (function bodies only run after this).
  out.push(...pool.decls);
  const fns = m.codes.map((_, i) => `f${L.nImportedFuncs + i}`);
  const gens = m.codes.map((_, i) => `g${L.nImportedFuncs + i}`);
  out.push(
    `return { f: [${fns.join(', ')}], g: [${gens.join(', ')}], p: [${pForms.join(', ')}], r: [${variants.join(', ')}],`,
  );
  // More re-entry variants of the resumable plain forms, compiled in this closure when a slice first stops at
  // their sites (the source is the emitter's, see emitPlainVariants): the module is not compiled again.
  out.push('  X(V) { return eval(V); },');
  out.push('  RF: M === null ? function () {} : RF,');
  out.push(
    '  getF() { return F + FX; }, setF(v) { F = v > 536870912 ? 536870912 : v; FX = v - F; }, getD() { return D; }, setD(v) { D = v; },',
  );
  const cg = L.closureGlobals.map((c, g) => (c ? g : -1)).filter((g) => g >= 0);
  out.push(`  getG(i) { switch (i) { ${cg.map((g) => `case ${g}: return q${g};`).join(' ')} } },`);
  out.push(`  setG(i, v) { switch (i) { ${cg.map((g) => `case ${g}: q${g} = v; break;`).join(' ')} } }, };`);
  const ctx: EmitContext = { m, L, pool, info, frames, sources: new Map() };
  return { source: out.join('\n'), entryCosts, consts, leaves, frames, awaits, ctx };
}

/** What emitting more variants of a module's code later needs (see {@link emitPlainVariants}). */
export interface EmitContext {
  readonly m: ModuleIR;
  readonly L: ModuleLayout;
  readonly pool: ConstPool;
  readonly info: ResumableInfo;
  readonly frames: readonly FrameMeta[];
  /** Emitted variant sources by `func:pos` (shared by every instance of this code). */
  readonly sources: Map<string, string>;
}

/** Per function (imports counted): which functions may await; per type index: may a call_indirect of it await. */
export interface ResumableInfo {
  readonly leaves: readonly boolean[];
  readonly entryCosts: readonly number[];
  readonly awaits: readonly boolean[];
  readonly indirectAwaits: readonly boolean[];
}

/**
 * The source of re-entry variants `u<f>_<pos>(NX, V)` of resumable plain forms (`gen`: the generator variants
 * `r<f>_<pos>`, also of functions whose body is plain, for frames re-entered as generators), evaluated by the code's `X` in
 * its own closure (it names the closure's functions, counters and constants): an array of
 * `[function index, position, variant]`. Each (function, position) is emitted once per code and cached.
 */
export function emitPlainVariants(ctx: EmitContext, requests: readonly ReentryRequest[], gen = false): string {
  const parts: string[] = [];
  const list: string[] = [];
  const nConsts = ctx.pool.consts.length;
  const nDecls = ctx.pool.decls.length;
  for (const r of requests) {
    const key = `${gen ? 'r' : 'u'}${r.func}_${r.pos}`;
    let src = ctx.sources.get(key);
    if (src === undefined) {
      const i = r.func - ctx.L.nImportedFuncs;
      const fm = ctx.frames[i];
      src = emitFunction(ctx.m, ctx.L, i, gen ? 'g' : 'p', ctx.pool, ctx.info, { pos: r.pos, spans: fm.spans }).src;
      ctx.sources.set(key, src);
    }
    parts.push(src);
    list.push(`[${r.func}, ${r.pos}, ${key}]`);
  }
  // The same bodies as the module's: every constant they use is already declared there.
  if (ctx.pool.consts.length !== nConsts || ctx.pool.decls.length !== nDecls)
    throw new Error('transpiler: a re-entry variant needed a new constant');
  return `"use strict";\n${parts.join('\n')}\n[${list.join(', ')}];`;
}

/** Could a function reference of another instance or of the host reach this module's tables or code? */
function foreignRefs(m: ModuleIR): boolean {
  const hasFuncref = (ts: readonly number[]) => ts.includes(FUNCREF);
  for (const imp of m.imports) {
    if (imp.kind === 1) return true;
    if (imp.kind === 3 && imp.global.type === FUNCREF) return true;
    if (imp.kind === 0 && hasFuncref(m.types[imp.type].results)) return true;
  }
  const L = layoutOf(m);
  const nImpGlobals = L.globalTypes.length - m.globals.length;
  for (const ex of m.exports) {
    if (ex.kind === 1) return true;
    if (ex.kind === 0 && hasFuncref(L.funcTypes[ex.index].params)) return true;
    if (ex.kind === 3 && L.globalTypes[ex.index] === FUNCREF) {
      const mutable =
        ex.index < nImpGlobals
          ? m.imports.filter((i) => i.kind === 3)[ex.index].global.mutable
          : m.globals[ex.index - nImpGlobals].type.mutable;
      if (mutable) return true;
    }
  }
  return false;
}

/**
 * The functions that can reach an async import: an import that may await (every one unless declared
 * synchronous), a caller of one, a function with a call_indirect of a type some function that may await has.
 * call_indirect is conservative: every function of the type an element segment names counts (a function can
 * become a reference only through one), and every type when references of other instances or the host may reach the module (imported or exported
 * tables, funcref coming in through imports or exports), since those functions may await.
 */
function awaitSets(
  m: ModuleIR,
  L: ModuleLayout,
  callees: readonly (readonly number[])[],
  indirect: readonly (readonly number[])[],
  importAwaits: readonly boolean[] | undefined,
): { awaits: boolean[]; indirectAwaits: boolean[] } {
  const n = L.funcTypes.length;
  const awaits = new Array<boolean>(n).fill(false);
  for (let j = 0; j < L.nImportedFuncs; j++) awaits[j] = importAwaits?.[j] ?? true;
  const foreign = foreignRefs(m);
  const sigs = L.funcTypes.map(sigId);
  const typeSig = m.types.map(sigId);
  const indirectAwaits = m.types.map(() => foreign);
  // The functions a table can hold (without foreign references): those an element segment names — a function
  // can only become a reference (ref.func) if one declares it.
  const inTables = new Set<number>();
  for (const e of m.elems) for (const x of e.init) if (x.code[0] === 0xd2) inTables.add(x.code[1]);
  for (;;) {
    let changed = false;
    const sigAwaits = new Set<number>();
    for (const f of inTables) if (awaits[f]) sigAwaits.add(sigs[f]);
    for (let t = 0; t < m.types.length; t++) {
      if (!indirectAwaits[t] && sigAwaits.has(typeSig[t])) {
        indirectAwaits[t] = true;
        changed = true;
      }
    }
    for (let i = 0; i < callees.length; i++) {
      const f = L.nImportedFuncs + i;
      if (awaits[f]) continue;
      if (callees[i].some((j) => awaits[j]) || indirect[i].some((t) => indirectAwaits[t])) {
        awaits[f] = true;
        changed = true;
      }
    }
    if (!changed) return { awaits, indirectAwaits };
  }
}

/** Constants of the module: NaN floats (K) and v128 constants (KV<i>, deduplicated). */
interface ConstPool {
  readonly consts: number[];
  readonly decls: string[];
  readonly names: Map<string, string>;
}

/** A module-level constant declared once: `prefix<i> = value` where value is text the emitter formatted. */
function pooled(pool: ConstPool, prefix: string, value: string): string {
  const key = `${prefix} ${value}`;
  let name = pool.names.get(key);
  if (name === undefined) {
    name = `${prefix}${pool.decls.length}`;
    pool.decls.push(`const ${name} = ${value};`);
    pool.names.set(key, name);
  }
  return name;
}

interface Ctrl {
  kind: 0 | 1 | 2 | 3; // 0 block, 1 loop, 2 if, 3 function
  label: number;
  height: number;
  params: readonly number[];
  results: readonly number[];
  live: boolean;
  /** Instruction index of the opening instruction (-1 for the function). */
  start: number;
  /** Re-entry variant: 1 when the resumed site is in this construct's body (or then-branch), 2 in its else-branch. */
  path: 0 | 1 | 2;
}

function emitFunction(
  m: ModuleIR,
  L: ModuleLayout,
  codeIndex: number,
  /**
   * 'f': the plain form (`invoke`: a fuel stop traps). 'g': the generator form (resumable, for functions that can
   * reach an async import). 'p': the resumable plain form of the others: at a fuel-slice end it leaves its body
   * with its frame record (the capture protocol) and returns KP, and each caller does the same after one compare.
   */
  mode: 'f' | 'g' | 'p',
  pool: ConstPool,
  /** For a resumable form: leaves, entry costs and which functions may await (from the plain pass). */
  leafInfo: ResumableInfo | null,
  /**
   * Emit the re-entry variant `r<f>_<pos>(NX, V)` of the generator form: it starts with its locals and the
   * site's operand values from V, skips to the site through the enclosing blocks (guards on RS: the code before
   * the site at each level of nesting is skipped while RS is set; a loop or if on the way is entered directly),
   * continues a call there with the callee's generator NX, and from then on runs as the plain generator form.
   */
  reentry: { readonly pos: number; readonly spans: ReadonlyMap<number, readonly [number, number]> } | null,
): {
  src: string;
  entryCost: number;
  leaf: boolean;
  frame: FrameMeta;
  callees: readonly number[];
  indirect: readonly number[];
} {
  const gen = mode === 'g';
  /** A resumable form (g or p): suspension sites, capture records, re-entry. */
  const res = mode !== 'f';
  const callees: number[] = [];
  const indirect: number[] = [];
  const consts = pool.consts;
  const fIndex = L.nImportedFuncs + codeIndex;
  const type = L.funcTypes[fIndex];
  const code = m.codes[codeIndex];
  const localTypes = [...type.params, ...code.locals];
  const b: string[] = [];
  const vars = new Set<string>();
  const st: number[] = [];
  const ctrls: Ctrl[] = [];
  let dead = false;
  let labels = 0;
  // Fuel segments: index into b of each charge's cost placeholder.
  const segAt: number[] = [];
  const segCost: number[] = [];
  let fuelCount = 0;
  const hasMem = m.memories.length > 0 || m.imports.some((i) => i.kind === 2);
  // Suspension sites (generator forms): their metadata, and the capture statement of each (see KP/CF).
  const sites = new Map<number, SiteMeta>();
  const spans = new Map<number, readonly [number, number]>();
  const segPos: number[] = [];
  const segCap: string[] = [];
  /** The record builder of each site (generator forms), in the switch after block X. */
  const records = new Map<number, string>();
  /** The capture statement of the call being emitted (generator forms), checked after it returns. */
  let capCheck: string | null = null;
  let ins = 0;
  let insAt = -1;
  const ctrlElse = new Map<number, number>();
  // Re-entry variant state: the target instruction, whether a guard `if (!RS) {` is open, and whether the site
  // has been emitted (everything after it is the ordinary code).
  const target = reentry === null ? -2 : reentry.pos - 1;
  let guard = false;
  let reached = reentry === null;
  const openGuard = () => {
    if (!reached) {
      b.push('if (!RS) {');
      guard = true;
    }
  };
  const closeGuard = () => {
    if (guard) {
      b.push('}');
      guard = false;
    }
  };
  const localNames = localTypes.map((_, i) => `l${i}`).join(', ');

  const v = (h: number, t: number): string => {
    const n = `s${h}${SUFFIX[t]}`;
    vars.add(n);
    return n;
  };
  // `local.get x` is not copied: the slot stays "pending" (reads use l<x> directly) until local x is written
  // or control flow needs every value in its slot variable. Fewer moves for the host's bytecode interpreter.
  const pend: (string | null)[] = [];
  const top = (k = 0) => {
    const i = st.length - 1 - k;
    return pend[i] ?? v(i, st[i]);
  };
  const pop = (): string => {
    const n = top();
    st.pop();
    pend.pop();
    return n;
  };
  const push = (t: number): string => {
    st.push(t);
    pend.push(null);
    return v(st.length - 1, t);
  };
  /** Pushes a constant (a literal the emitter formatted): used in place, like a pending local read. */
  const pushConst = (t: number, literal: string) => {
    st.push(t);
    pend.push(literal);
  };
  const materialize = (i: number) => {
    const p = pend[i];
    if (p != null) {
      b.push(`${v(i, st[i])} = ${p};`);
      pend[i] = null;
    }
  };
  const materializeAll = () => {
    for (let i = 0; i < st.length; i++) materialize(i);
  };
  const materializeLocal = (x: number) => {
    for (let i = 0; i < st.length; i++) if (pend[i] === `l${x}`) materialize(i);
  };
  /** Registers a suspension site (generator forms) with the operand stack as it is now (call operands popped). */
  const site = (pos: number, kind: SiteMeta['kind'], callee: number, typeIndex: number, args: string) => {
    const exprs = st.map((t, i) => pend[i] ?? v(i, t));
    sites.set(pos, {
      pos,
      kind,
      callee,
      typeIndex,
      stack: st.slice(),
      slots: pend.map((p) => p == null),
      cost: 0,
    });
    // The frame's record: its site, (before entering a leaf) the call's arguments and its operand values. The
    // capture path at the site only sets R to the site's position and leaves block X; the record is built after
    // the block, in one `switch` on R shared by all sites (out of the hot body: a generator's bytecode grows with
    // every array literal and the resumable path measured slower for it). Nothing runs between the site and the
    // switch, so the operand variables and locals still hold the site's values. No variable of its own: every
    // variable of a generator is saved in each generator object.
    const rest = exprs.length > 0 ? `, ${exprs.join(', ')}` : '';
    records.set(pos, `case ${pos}: R = [${pos}, ${kind === 1 ? `[${args}]` : 'EMPTY'}${rest}]; break;`);
    return `{ R = ${pos}; break X; }`;
  };
  const resetStack = (height: number, types: readonly number[]) => {
    st.length = height;
    pend.length = height;
    for (const t of types) push(t);
  };
  const emit = (s: string) => b.push(s);
  const fuelPoint = (pos: number) => {
    if (segCost.length > 0) segCost[segCost.length - 1] = Math.max(1, fuelCount);
    fuelCount = 0;
    if (res) {
      segCap.push(site(pos, 0, -1, -1, ''));
      if (pos - 1 === target) {
        // The re-entry variant's site: charge this segment afresh, as the stopped yield would on resumption.
        b.push('RS = false;');
        reached = true;
      }
    }
    segPos.push(pos);
    segAt.push(b.length);
    segCost.push(0);
    b.push(''); // placeholder
  };
  const arity = (c: Ctrl) => (c.kind === 1 ? c.params : c.results);
  const moves = (c: Ctrl): string => {
    const ts = arity(c);
    const n = ts.length;
    let s = '';
    for (let i = 0; i < n; i++) {
      const src = v(st.length - n + i, ts[i]);
      const dst = v(c.height + i, ts[i]);
      if (src !== dst) s += `${dst} = ${src}; `;
    }
    return s;
  };
  const ret = (): string => {
    const n = type.results.length;
    const vals = type.results.map((t, i) => v(st.length - n + i, t));
    if (n === 0) return 'D--; return;';
    if (n === 1) return `D--; return ${vals[0]};`;
    // The trailing null keeps the array's elements generic: V8 quiets signalling NaNs in arrays of doubles.
    return `D--; return [${vals.join(', ')}, null];`;
  };
  const jump = (c: Ctrl): string => {
    if (c.kind === 3) return ret();
    return `${moves(c)}${c.kind === 1 ? 'continue' : 'break'} L${c.label};`;
  };
  let calls = false;
  /** At a call site of a re-entry variant: true when this is the site it resumes at (then NX is its callee). */
  const callSite = (): boolean => {
    if (insAt !== target) return false;
    closeGuard();
    reached = true;
    return true;
  };
  const callExpr = (j: number, args: string[]): string => {
    calls = true;
    callees.push(j);
    const imported = j < L.nImportedFuncs;
    const pos = insAt + 1;
    if (res && !imported && leafInfo?.leaves[j - L.nImportedFuncs]) {
      // A leaf: its entry is paid here, at the point its own generator would yield (see emitModule).
      const cost = leafInfo.entryCosts[j - L.nImportedFuncs];
      const cap = site(pos, 1, j, -1, args.join(', '));
      (sites.get(pos) as { cost: number }).cost = cost;
      const wait = gen
        ? `while (D < MAXD && F < ${cost} && !FQ(${cost})) { if ((yield ${cost}) === KP) ${cap} }`
        : `if (D < MAXD && F < ${cost} && !FQ(${cost})) ${cap}`;
      if (callSite()) {
        emit(
          `if (RS) { RS = false; R = ${gen ? '(yield* NX)' : 'NX[0](NX[1], NX[2])'}; if (R === KP) ${cap} } else { ${wait} R = f${j}(${args.join(', ')}); }`,
        );
        return 'R';
      }
      emit(wait);
      return `f${j}(${args.join(', ')})`;
    }
    if (res && imported && !leafInfo!.awaits[j]) {
      // A host import declared synchronous: a plain call, no suspension site.
      return `I${j}(${args.join(', ')})`;
    }
    if (res && !imported && !leafInfo!.awaits[j]) {
      // A callee that cannot reach an async import: its resumable plain form, which returns KP when a slice ends
      // inside it (its frames recorded). A generator caller then yields through RP, which re-enters those plain
      // frames on the next run; a plain caller records its own frame and returns KP too.
      capCheck = site(pos, 2, j, -1, args.join(', '));
      const re = callSite();
      const call = `p${j}(${args.join(', ')})`;
      if (!gen) return re ? `(RS ? (RS = false, NX[0](NX[1], NX[2])) : ${call})` : call;
      emit(
        re
          ? `if (RS) { RS = false; R = (yield* NX); } else { R = ${call}; if (R === KP) R = yield* RP(); }`
          : `R = ${call}; if (R === KP) R = yield* RP();`,
      );
      return 'R';
    }
    if (res) {
      if (!gen) throw new Error(`transpiler: f${fIndex} is plain but calls f${j}, which may await`);
      capCheck = site(pos, 2, j, -1, args.join(', '));
      const call = imported ? `IG${j}(${args.join(', ')})` : `g${j}(${args.join(', ')})`;
      const re = callSite();
      return re ? `(yield* (RS ? (RS = false, NX) : ${call}))` : `(yield* ${call})`;
    }
    return imported ? `I${j}(${args.join(', ')})` : `f${j}(${args.join(', ')})`;
  };
  const assignResults = (t: FuncTypeIR, expr: string, after: string) => {
    const n = t.results.length;
    // A resumable call returns KP when a capture passes through it (see KP): the caller records its frame too.
    const cap = capCheck;
    capCheck = null;
    const check = (x: string) => (cap === null ? '' : ` if (${x} === KP) ${cap}`);
    if (n === 0) emit(cap === null ? `${expr};${after}` : `if (${expr} === KP) ${cap}${after}`);
    else if (n === 1) {
      const x = push(t.results[0]);
      emit(`${x} = ${expr};${check(x)}${after}`);
    } else {
      emit(`R = ${expr};${check('R')}${after}`);
      t.results.forEach((r, i) => emit(`${push(r)} = R[${i}];`));
    }
  };
  const globalGet = (g: number): string => {
    if (L.closureGlobals[g]) return `q${g}`;
    switch (L.globalTypes[g]) {
      case I32:
        return `G${g}.lo`;
      case F32:
        return `h_fi32(G${g}.lo)`;
      case I64:
        return `h_gi64(G${g})`;
      case F64:
        return `h_gf64(G${g})`;
      case V128:
        return `h_gv(G${g})`;
      default:
        return `G${g}.ref`;
    }
  };
  const globalSet = (g: number, x: string): string => {
    if (L.closureGlobals[g]) return `q${g} = ${x};`;
    switch (L.globalTypes[g]) {
      case I32:
        return `G${g}.lo = ${x};`;
      case F32:
        return `G${g}.lo = h_i32f(${x});`;
      case I64:
        return `h_si64(G${g}, ${x});`;
      case F64:
        return `h_sf64(G${g}, ${x});`;
      case V128:
        return `h_sv(G${g}, ${x});`;
      default:
        return `G${g}.ref = ${x};`;
    }
  };

  /** Emits the SIMD instruction at pc (sub-opcode `sub`); returns its length in the decoded stream. */
  function simd(sub: number): number {
    if (sub === 0x0c) {
      if (!dead) pushConst(V128, pooled(pool, 'KV', `[${[1, 2, 3, 4].map((k) => numLit(c[pc + k] | 0)).join(', ')}]`));
      return 5;
    }
    if (sub === 0x0d) {
      if (!dead) {
        const y = pop();
        const x = pop();
        const lanes = Array.from({ length: 16 }, (_, k) => c[pc + 1 + k] & 31);
        emit(`${push(V128)} = ${shuffle(x, y, lanes)};`);
      }
      return 17;
    }
    const sig = SIMD_SIG[sub]!;
    let len = 1;
    let off = 0;
    let lane = 0;
    if (sig.align >= 0) {
      off = c[pc + 2] >>> 0;
      len = 3;
    }
    if (sig.lanes > 0) lane = c[pc + len++];
    if (dead) return len;
    const addr = (a: string, n: number) => `ea = (${a} >>> 0)${off ? ` + ${off}` : ''}; if (ea > LEN - ${n}) h_oob();`;
    if (sub <= 0x0a || sub === 0x5c || sub === 0x5d) {
      const a = pop();
      const d = push(V128);
      emit(`${addr(a, SIMD_LOAD_BYTES[sub])} ${d} = ${vload(sub)};`);
      return len;
    }
    if (sub === 0x0b) {
      const x = pop();
      const a = pop();
      emit(
        `${addr(a, 16)} ${[0, 1, 2, 3].map((k) => `DV.setInt32(ea${k ? ` + ${4 * k}` : ''}, ${x}[${k}], true);`).join(' ')}`,
      );
      return len;
    }
    if (sub >= 0x54 && sub <= 0x5b) {
      const v = pop();
      const a = pop();
      if (sub <= 0x57) {
        const d = push(V128);
        emit(`${addr(a, 1 << (sub - 0x54))} ${d} = h_vldl(${sub}, M, ea, ${v}, ${lane});`);
      } else {
        emit(`${addr(a, 1 << (sub - 0x58))} h_vstl(${sub}, M, ea, ${v}, ${lane});`);
      }
      return len;
    }
    let expr: string;
    if (sub >= 0x0f && sub <= 0x14) {
      const x = pop();
      const word = sub === 0x0f ? `IMUL(${x} & 255, 16843009)` : sub === 0x10 ? `IMUL(${x} & 65535, 65537)` : x;
      expr =
        sub <= 0x11
          ? `[${word}, ${word}, ${word}, ${word}]`
          : sub === 0x12
            ? `h_vsplj(${x})`
            : sub === 0x13
              ? `h_vspl(h_i32f(${x}))`
              : `h_vspld(${x})`;
    } else if (sub >= 0x15 && sub <= 0x22 && sig.params.length === 1) {
      const v = pop();
      switch (sub) {
        case 0x15:
          expr = `(${v}[${lane >> 2}] << ${24 - 8 * (lane & 3)}) >> 24`;
          break;
        case 0x16:
          expr = `(${v}[${lane >> 2}] >>> ${8 * (lane & 3)}) & 255`;
          break;
        case 0x18:
          expr = `(${v}[${lane >> 1}] << ${16 - 16 * (lane & 1)}) >> 16`;
          break;
        case 0x19:
          expr = `(${v}[${lane >> 1}] >>> ${16 * (lane & 1)}) & 65535`;
          break;
        case 0x1b:
          expr = `${v}[${lane}]`;
          break;
        case 0x1d:
          expr = `h_w2j(${v}[${2 * lane}], ${v}[${2 * lane + 1}])`;
          break;
        case 0x1f:
          expr = `h_fi32(${v}[${lane}])`;
          break;
        default:
          expr = `h_w2d(${v}[${2 * lane}], ${v}[${2 * lane + 1}])`;
      }
    } else if (sub >= 0x17 && sub <= 0x22) {
      const x = pop();
      const v = pop();
      expr =
        sub === 0x1e
          ? `h_vrepj(${v}, ${lane}, ${x})`
          : sub === 0x22
            ? `h_vrepd(${v}, ${lane}, ${x})`
            : `h_vrep(${sub}, ${v}, ${lane}, ${sub === 0x20 ? `h_i32f(${x})` : x})`;
    } else if (sub === 0x52) {
      const z = pop();
      const y = pop();
      const x = pop();
      expr = `h_vbsel(${x}, ${y}, ${z})`;
    } else if (sig.result === I32) {
      expr = `h_vtest(${sub}, ${pop()})`;
    } else if (sig.params.length === 2 && sig.params[1] === I32) {
      const n = pop();
      const x = pop();
      expr = vshift(sub, x, n);
    } else if (sig.params.length === 1) {
      const x = pop();
      const w = (f: (x: string) => string) => `[${[0, 1, 2, 3].map((k) => f(`${x}[${k}]`)).join(', ')}]`;
      expr =
        sub === 0x4d
          ? w((a) => `~${a}`)
          : sub === 0xa1
            ? w((a) => `-${a} | 0`)
            : sub === 0xa0
              ? w((a) => `${a} < 0 ? -${a} | 0 : ${a}`)
              : `h_vop1(${sub}, ${x})`;
    } else {
      const y = pop();
      const x = pop();
      expr = vbinary(sub, x, y);
    }
    emit(`${push(sig.result)} = ${expr};`);
    return len;
  }

  emit('if (++D > MAXD) h_depth();');
  openGuard();
  fuelPoint(0);
  ctrls.push({ kind: 3, label: -1, height: 0, params: [], results: type.results, live: true, start: -1, path: 0 });

  const c = code.body;
  let pc = 0;
  while (pc < c.length) {
    const op = c[pc];
    insAt = ins++;
    fuelCount++;
    const sig = SIMPLE[op];
    if (sig !== undefined) {
      if (!dead) {
        if (sig.params.length === 2) {
          const y = pop();
          const x = pop();
          emit(`${push(sig.result)} = ${binary(op, x, y)};`);
        } else {
          const x = pop();
          emit(`${push(sig.result)} = ${unary(op, x)};`);
        }
      }
      pc += 1;
      continue;
    }
    switch (op) {
      case 0x02:
      case 0x03:
      case 0x04: {
        const bt = blockSig(m, c[pc + 1]);
        pc += 2;
        if (dead) {
          ctrls.push({
            kind: 0,
            label: -1,
            height: 0,
            params: bt.params,
            results: bt.results,
            live: false,
            start: -1,
            path: 0,
          });
          break;
        }
        const label = labels++;
        // Re-entry variant: is the resumed site inside this construct (a loop's own header included)?
        const span = reentry?.spans.get(insAt);
        const onPath =
          !reached && span !== undefined && ((insAt < target && target < span[1]) || (op === 0x03 && insAt === target));
        const inElse = onPath && op === 0x04 && span![0] >= 0 && target > span![0];
        let path: Ctrl['path'] = 0;
        if (op === 0x04) {
          const cond = pop();
          materializeAll();
          if (onPath) closeGuard();
          const test = onPath ? (inElse ? `!RS && ${cond} !== 0` : `RS || ${cond} !== 0`) : `${cond} !== 0`;
          emit(`L${label}: if (${test}) {`);
          if (onPath && !inElse) openGuard();
          path = onPath ? (inElse ? 2 : 1) : 0;
        } else if (op === 0x03) {
          materializeAll();
          if (onPath) closeGuard();
          emit(`L${label}: for (;;) {`);
          if (onPath && insAt !== target) openGuard();
          path = onPath ? 1 : 0;
          fuelPoint(insAt + 1);
        } else {
          materializeAll();
          if (onPath) closeGuard();
          emit(`L${label}: {`);
          if (onPath) openGuard();
          path = onPath ? 1 : 0;
        }
        ctrls.push({
          kind: op === 0x02 ? 0 : op === 0x03 ? 1 : 2,
          label,
          height: st.length - bt.params.length,
          params: bt.params,
          results: bt.results,
          live: true,
          start: insAt,
          path,
        });
        break;
      }
      case 0x05: {
        const ctrl = ctrls[ctrls.length - 1];
        pc += 1;
        if (!ctrl.live) break;
        if (!dead) materializeAll();
        emit('} else {');
        if (ctrl.path === 2) openGuard();
        ctrlElse.set(ctrl.start, insAt);
        dead = false;
        resetStack(ctrl.height, ctrl.params);
        break;
      }
      case 0x0b: {
        const ctrl = ctrls.pop()!;
        pc += 1;
        if (!ctrl.live) break;
        if (ctrl.start >= 0) spans.set(ctrl.start, [ctrlElse.get(ctrl.start) ?? -1, insAt]);
        if (!dead) materializeAll();
        dead = false;
        resetStack(ctrl.height, ctrl.results);
        if (ctrl.kind === 3) {
          emit(ret());
        } else {
          if (ctrl.kind === 1) emit(`break L${ctrl.label};`);
          emit('}');
        }
        break;
      }
      case 0x0c:
        if (!dead) {
          materializeAll();
          emit(jump(ctrls[ctrls.length - 1 - c[pc + 1]]));
          dead = true;
        }
        pc += 2;
        break;
      case 0x0d:
        if (!dead) {
          const cond = pop();
          materializeAll();
          emit(`if (${cond} !== 0) { ${jump(ctrls[ctrls.length - 1 - c[pc + 1]])} }`);
        }
        pc += 2;
        break;
      case 0x0e: {
        const n = c[pc + 1];
        if (!dead) {
          const idx = pop();
          materializeAll();
          const cases: string[] = [];
          for (let i = 0; i < n; i++) cases.push(`case ${i}: { ${jump(ctrls[ctrls.length - 1 - c[pc + 2 + i]])} }`);
          cases.push(`default: { ${jump(ctrls[ctrls.length - 1 - c[pc + 2 + n]])} }`);
          emit(`switch (${idx}) { ${cases.join(' ')} }`);
          dead = true;
        }
        pc += 3 + n;
        break;
      }
      case 0x0f:
        if (!dead) {
          materializeAll();
          emit(ret());
          dead = true;
        }
        pc += 1;
        break;
      case 0x10: {
        if (!dead) {
          const j = c[pc + 1];
          const t = L.funcTypes[j];
          const args: string[] = [];
          for (let i = t.params.length - 1; i >= 0; i--) args[i] = pop();
          assignResults(t, callExpr(j, args), hasMem ? (j < L.nImportedFuncs ? ' RF(); dv = DV;' : ' dv = DV;') : '');
        }
        pc += 2;
        break;
      }
      case 0x11: {
        if (!dead) {
          const t = m.types[c[pc + 1]];
          const tab = c[pc + 2];
          const idx = pop();
          const args: string[] = [];
          for (let i = t.params.length - 1; i >= 0; i--) args[i] = pop();
          emit(
            `fn = T${tab}.elements[${idx} >>> 0]; if (fn === undefined) h_toob(); if (fn === null) h_uninit(); if (fn.sig !== ${sigId(t)}) h_sigmis();`,
          );
          calls = true;
          indirect.push(c[pc + 1]);
          let expr = `fn.js(${args.join(', ')})`;
          if (res) {
            const pos = insAt + 1;
            capCheck = site(pos, 3, -1, c[pc + 1], args.join(', '));
            const re = callSite();
            const a = args.join(', ');
            if (leafInfo!.indirectAwaits[c[pc + 1]]) {
              if (!gen) throw new Error(`transpiler: f${fIndex} is plain but has a call_indirect that may await`);
              expr = re ? `(yield* (RS ? (RS = false, NX) : fn.gen(${a})))` : `(yield* fn.gen(${a}))`;
            } else if (gen) {
              // No function of this type may await: the callee's resumable plain entry (see callExpr).
              emit(
                re
                  ? `if (RS) { RS = false; R = (yield* NX); } else { R = fn.pr(${a}); if (R === KP) R = yield* RP(); }`
                  : `R = fn.pr(${a}); if (R === KP) R = yield* RP();`,
              );
              expr = 'R';
            } else {
              expr = re ? `(RS ? (RS = false, NX[0](NX[1], NX[2])) : fn.pr(${a}))` : `fn.pr(${a})`;
            }
          }
          assignResults(t, expr, hasMem ? ' RF(); dv = DV;' : '');
        }
        pc += 3;
        break;
      }
      case 0x1a:
        if (!dead) pop();
        pc += 1;
        break;
      case 0x1b:
      case 0x1c: {
        if (!dead) {
          const cond = pop();
          const t = st[st.length - 1];
          const y = pop();
          const x = pop();
          emit(`${push(t)} = ${cond} !== 0 ? ${x} : ${y};`);
        }
        pc += op === 0x1b ? 1 : 2 + c[pc + 1];
        break;
      }
      case 0x20:
        if (!dead) {
          st.push(localTypes[c[pc + 1]]);
          pend.push(`l${c[pc + 1]}`);
        }
        pc += 2;
        break;
      case 0x21:
        if (!dead) {
          materializeLocal(c[pc + 1]);
          emit(`l${c[pc + 1]} = ${pop()};`);
        }
        pc += 2;
        break;
      case 0x22:
        if (!dead) {
          materializeLocal(c[pc + 1]);
          emit(`l${c[pc + 1]} = ${top()};`);
        }
        pc += 2;
        break;
      case 0x23:
        if (!dead) emit(`${push(L.globalTypes[c[pc + 1]])} = ${globalGet(c[pc + 1])};`);
        pc += 2;
        break;
      case 0x24:
        if (!dead) emit(globalSet(c[pc + 1], pop()));
        pc += 2;
        break;
      case 0x25:
        if (!dead) {
          const i = pop();
          emit(`${push(L.tableElems[c[pc + 1]])} = h_tget(T${c[pc + 1]}, ${i});`);
        }
        pc += 2;
        break;
      case 0x26:
        if (!dead) {
          const x = pop();
          const i = pop();
          emit(`h_tset(T${c[pc + 1]}, ${i}, ${x});`);
        }
        pc += 2;
        break;
      case 0x3f:
        if (!dead) emit(`${push(I32)} = (LEN / 65536) | 0;`);
        pc += 1;
        break;
      case 0x40:
        if (!dead) {
          const x = pop();
          const d = push(I32);
          emit(`ea = ${x} >>> 0; ${d} = M.grow(ea); if (${d} >= 0) { F -= ea * 1024; RF(); dv = DV; }`);
        }
        pc += 1;
        break;
      case 0x41:
        if (!dead) pushConst(I32, numLit(c[pc + 1]));
        pc += 2;
        break;
      case 0x42:
        if (!dead) {
          const x = BigInt.asIntN(64, (BigInt(c[pc + 2]) << 32n) | BigInt(c[pc + 1] >>> 0));
          pushConst(I64, x < 0n ? `(${x}n)` : `${x}n`);
        }
        pc += 3;
        break;
      case 0x43:
        if (!dead) {
          cvt.setInt32(0, c[pc + 1]);
          const x = cvt.getFloat32(0);
          pushConst(F32, x === x ? numLit(x) : constRef(consts, c[pc + 1], 0, false));
        }
        pc += 2;
        break;
      case 0x44:
        if (!dead) {
          cvt.setInt32(0, c[pc + 2]);
          cvt.setInt32(4, c[pc + 1]);
          const x = cvt.getFloat64(0);
          pushConst(F64, x === x ? numLit(x) : constRef(consts, c[pc + 1], c[pc + 2], true));
        }
        pc += 3;
        break;
      case 0x00:
        if (!dead) {
          emit('h_unr();');
          dead = true;
        }
        pc += 1;
        break;
      case 0x01:
        pc += 1;
        break;
      case 0xd0:
        if (!dead) emit(`${push(c[pc + 1])} = null;`);
        pc += 2;
        break;
      case 0xd1:
        if (!dead) {
          const x = pop();
          emit(`${push(I32)} = ${x} === null ? 1 : 0;`);
        }
        pc += 1;
        break;
      case 0xd2:
        if (!dead) emit(`${push(FUNCREF)} = FN[${c[pc + 1]}];`);
        pc += 2;
        break;
      case 0x108:
      case 0x10a:
      case 0x10b: {
        if (!dead) {
          const n = pop();
          const s = pop();
          const d = pop();
          if (op === 0x108) emit(`F -= h_minit(M, DS, ${c[pc + 1]}, ${d}, ${s}, ${n});`);
          else if (op === 0x10a) emit(`F -= h_mcopy(M, ${d}, ${s}, ${n});`);
          else emit(`F -= h_mfill(M, ${d}, ${s}, ${n});`);
        }
        pc += op === 0x108 ? 2 : 1;
        break;
      }
      case 0x109:
        if (!dead) emit(`DS[${c[pc + 1]}] = null;`);
        pc += 2;
        break;
      case 0x10c:
      case 0x10e: {
        if (!dead) {
          const n = pop();
          const s = pop();
          const d = pop();
          if (op === 0x10c) emit(`F -= h_tinit(T${c[pc + 2]}, ES, ${c[pc + 1]}, ${d}, ${s}, ${n});`);
          else emit(`F -= h_tcopy(T${c[pc + 1]}, T${c[pc + 2]}, ${d}, ${s}, ${n});`);
        }
        pc += 3;
        break;
      }
      case 0x10d:
        if (!dead) emit(`ES[${c[pc + 1]}] = EMPTY;`);
        pc += 2;
        break;
      case 0x10f:
        if (!dead) {
          const n = pop();
          const init = pop();
          const d = push(I32);
          emit(`ea = ${n} >>> 0; ${d} = T${c[pc + 1]}.grow(ea, ${init}); if (${d} >= 0) F -= FLOOR(ea / 8);`);
        }
        pc += 2;
        break;
      case 0x110:
        if (!dead) emit(`${push(I32)} = T${c[pc + 1]}.elements.length;`);
        pc += 2;
        break;
      case 0x111:
        if (!dead) {
          const n = pop();
          const x = pop();
          const i = pop();
          emit(`F -= h_tfill(T${c[pc + 1]}, ${i}, ${x}, ${n});`);
        }
        pc += 2;
        break;
      default: {
        if (op >= SIMD_BASE) {
          pc += simd(op - SIMD_BASE);
          break;
        }
        if (op < 0x28 || op > 0x3e) throw new Error(`transpiler: unexpected opcode 0x${op.toString(16)}`);
        if (!dead) {
          // No bounds check of its own: a scalar access is one DataView call, which checks the whole access
          // against the memory's length before touching it and throws a RangeError (turned into
          // TRAP_MEMORY_OUT_OF_BOUNDS by the runtime, see oobTrap) — no partial store. Checking here too cost
          // 20–30% in memory-bound loops. (v128 stores are four DataView calls: they keep the explicit check.)
          const off = c[pc + 2] >>> 0;
          if (op <= 0x35) {
            const a = pop();
            const [get, n, wrap] = LOADS[op - 0x28];
            const d = push(LOAD_TYPES[op - 0x28]);
            const acc = `dv.${get}(ea${n > 1 ? ', true' : ''})`;
            const val = wrap ? `BIG(${acc})` : op === 0x2a ? `h_fi32(${acc})` : acc;
            emit(`ea = (${a} >>> 0)${off ? ` + ${off}` : ''}; ${d} = ${val};`);
          } else {
            const x = pop();
            const a = pop();
            const [set, n, conv] = STORES[op - 0x36];
            emit(
              `ea = (${a} >>> 0)${off ? ` + ${off}` : ''}; dv.${set}(ea, ${conv.replace('$', x)}${n > 1 ? ', true' : ''});`,
            );
          }
        }
        pc += 3;
      }
    }
  }
  segCost[segCost.length - 1] = Math.max(1, fuelCount);
  for (let k = 0; k < segAt.length; k++) {
    const cost = segCost[k];
    if (res) (sites.get(segPos[k]) as { cost: number }).cost = cost;
    // The capture path (after a yield resumed with KP) only names the site: R = its position, then break X.
    // A resumable plain form takes it directly at a slice end (FG restored F: the segment is not charged).
    b[segAt[k]] = gen
      ? `while ((F -= ${cost}) < 0 && !FG(${cost})) { if ((yield ${cost}) === KP) ${segCap[k]}${hasMem ? ' dv = DV;' : ''} }`
      : res
        ? `if ((F -= ${cost}) < 0 && !FG(${cost})) ${segCap[k]}`
        : `if ((F -= ${cost}) < 0 && !FG(${cost})) h_fuel();`;
  }
  if (reentry !== null && !reached) throw new Error(`transpiler: no re-entry site at ${reentry.pos} in f${fIndex}`);
  const params = type.params.map((_, i) => `l${i}`);
  const decls: string[] = ['ea = 0', 'fn = null', 'R = null'];
  // Scalar loads and stores go through a local copy of the memory's DataView (V8 keeps it in a register; the
  // closure's DV is reloaded at every access), refreshed wherever DV can change: after calls, memory.grow and
  // a generator's resumption.
  if (hasMem) decls.push('dv = DV');
  let head: string;
  let body = b.join('\n');
  if (res) {
    // A capture resumes the innermost yield with KP: from there each frame leaves block X with its site and
    // operand values, records them with its locals (CF) and returns KP to its caller, innermost first. Only
    // cold paths (after a yield) and one compare after each resumable call are added to the code. A plain
    // frame leaving this way also undoes its depth count (it is re-entered later, counting again).
    const cases = [...records.values()].join('\n');
    body = `X: {\n${body}\n}\nswitch (R) {\n${cases}\n}\nCF(${fIndex}, R, [${localNames}], fn);\n${gen ? '' : 'D--; '}return KP;`;
  }
  if (reentry === null) {
    for (let i = type.params.length; i < localTypes.length; i++) decls.push(`l${i} = ${ZERO[SUFFIX[localTypes[i]]]}`);
    for (const n of vars) decls.push(`${n} = ${ZERO[n[n.length - 1]]}`);
    head = `function${gen ? '*' : ''} ${mode}${fIndex}(${params.join(', ')}) {\nlet ${decls.join(', ')};`;
  } else {
    const at = sites.get(reentry.pos)!;
    const sets = at.stack
      .map((t, i) => (at.slots[i] ? `${v(i, t)} = V[${localTypes.length + i}];` : ''))
      .filter((x) => x !== '');
    decls.push('RS = true');
    for (let i = 0; i < localTypes.length; i++) decls.push(`l${i} = V[${i}]`);
    for (const n of vars) decls.push(`${n} = ${ZERO[n[n.length - 1]]}`);
    head = `function${gen ? '* r' : ' u'}${fIndex}_${reentry.pos}(NX, V) {\nlet ${decls.join(', ')};\n${sets.join(' ')}`;
  }
  const frame: FrameMeta = { locals: localTypes, nParams: type.params.length, sites, spans };
  return {
    src: `${head}\n${body}\n}`,
    entryCost: segCost[0],
    leaf: segAt.length === 1 && !calls,
    frame,
    callees,
    indirect,
  };
}

/**
 * A binary v128 op: the frequent bitwise, i32x4 and 8/16-bit add/sub/mul ones inline on the four words (8- and
 * 16-bit lanes as SWAR: lane carries are cut with masks), the rest through the interpreter's lane code.
 */
function vbinary(sub: number, a: string, b: string): string {
  const lanes = (f: (x: string, y: string) => string) =>
    `[${[0, 1, 2, 3].map((k) => f(`${a}[${k}]`, `${b}[${k}]`)).join(', ')}]`;
  switch (sub) {
    case 0x6e:
      return lanes((x, y) => `((${x} & 0x7f7f7f7f) + (${y} & 0x7f7f7f7f)) ^ ((${x} ^ ${y}) & 0x80808080)`);
    case 0x71:
      return lanes((x, y) => `((${x} | 0x80808080) - (${y} & 0x7f7f7f7f)) ^ ((${x} ^ ~${y}) & 0x80808080)`);
    case 0x8e:
      return lanes((x, y) => `((${x} & 0x7fff7fff) + (${y} & 0x7fff7fff)) ^ ((${x} ^ ${y}) & 0x80008000)`);
    case 0x91:
      return lanes((x, y) => `((${x} | 0x80008000) - (${y} & 0x7fff7fff)) ^ ((${x} ^ ~${y}) & 0x80008000)`);
    case 0x95:
      return lanes((x, y) => `(IMUL(${x}, ${y}) & 65535) | (IMUL(${x} >>> 16, ${y} >>> 16) << 16)`);
    case 0x4e:
      return lanes((x, y) => `${x} & ${y}`);
    case 0x4f:
      return lanes((x, y) => `${x} & ~${y}`);
    case 0x50:
      return lanes((x, y) => `${x} | ${y}`);
    case 0x51:
      return lanes((x, y) => `${x} ^ ${y}`);
    case 0xae:
      return lanes((x, y) => `(${x} + ${y}) | 0`);
    case 0xb1:
      return lanes((x, y) => `(${x} - ${y}) | 0`);
    case 0xb5:
      return lanes((x, y) => `IMUL(${x}, ${y})`);
  }
  return `h_vop(${sub}, ${a}, ${b})`;
}

/** The v128 load `sub` from the bounds-checked address `ea`, as DataView reads (lanes little-endian). */
function vload(sub: number): string {
  const at = (k: number) => (k ? `ea + ${k}` : 'ea');
  const i32 = (k: number) => `DV.getInt32(${at(k)}, true)`;
  const w = (f: (k: number) => string) => `[${[0, 1, 2, 3].map(f).join(', ')}]`;
  switch (sub) {
    case 0x00:
      return w((k) => i32(4 * k));
    // 8x8 extends: word k holds 16-bit lanes 2k and 2k + 1.
    case 0x01:
      return w((k) => `(DV.getInt8(${at(2 * k)}) & 65535) | (DV.getInt8(${at(2 * k + 1)}) << 16)`);
    case 0x02:
      return w((k) => `DV.getUint8(${at(2 * k)}) | (DV.getUint8(${at(2 * k + 1)}) << 16)`);
    case 0x03:
      return w((k) => `DV.getInt16(${at(2 * k)}, true)`);
    case 0x04:
      return w((k) => `DV.getUint16(${at(2 * k)}, true)`);
    case 0x05:
      return w((k) => (k & 1 ? `${i32(2 * (k - 1))} >> 31` : i32(2 * k)));
    case 0x06:
      return w((k) => (k & 1 ? '0' : i32(2 * k)));
    case 0x07:
      return w(() => 'IMUL(DV.getUint8(ea), 16843009)');
    case 0x08:
      return w(() => 'IMUL(DV.getUint16(ea, true), 65537)');
    case 0x09:
      return w(() => i32(0));
    case 0x0a:
      return w((k) => i32(4 * (k & 1)));
    case 0x5c:
      return w((k) => (k ? '0' : i32(0)));
    default:
      return w((k) => (k < 2 ? i32(4 * k) : '0')); // 0x5d
  }
}

/** Lane shifts by an i32 (taken modulo the lane width): i16x8 and i32x4 inline, the rest through the interpreter's. */
function vshift(sub: number, a: string, n: string): string {
  const lanes = (f: (x: string) => string) => `[${[0, 1, 2, 3].map((k) => f(`${a}[${k}]`)).join(', ')}]`;
  const k = `(${n} & 15)`;
  switch (sub) {
    case 0x8b:
      return lanes((x) => `((${x} & -65536) << ${k}) | ((${x} << ${k}) & 65535)`);
    case 0x8c:
      return lanes((x) => `(((${x} >> 16) >> ${k}) << 16) | ((((${x} << 16) >> 16) >> ${k}) & 65535)`);
    case 0x8d:
      return lanes((x) => `(((${x} >>> 16) >>> ${k}) << 16) | ((${x} & 65535) >>> ${k})`);
    // JS shifts take the count modulo 32, as i32x4 shifts do.
    case 0xab:
      return lanes((x) => `${x} << ${n}`);
    case 0xac:
      return lanes((x) => `${x} >> ${n}`);
    case 0xad:
      return lanes((x) => `(${x} >>> ${n}) | 0`);
  }
  return `h_vsh(${sub}, ${a}, ${n})`;
}

/**
 * i8x16.shuffle inline: each result word is ORed from runs of source bytes that stay together (same source word,
 * same byte distance), so a word-aligned or byte-rotating shuffle is one or two terms per word.
 */
function shuffle(a: string, b: string, lanes: readonly number[]): string {
  const words: string[] = [];
  for (let w = 0; w < 4; w++) {
    const terms: string[] = [];
    let j = 0;
    while (j < 4) {
      const s0 = lanes[4 * w + j];
      let n = 1;
      while (j + n < 4 && lanes[4 * w + j + n] === s0 + n && ((s0 + n) & ~3) === (s0 & ~3)) n++;
      const src = `${s0 < 16 ? a : b}[${(s0 & 15) >> 2}]`;
      const from = 8 * (s0 & 3);
      const to = 8 * j;
      const width = 8 * n;
      let t = from === 0 ? src : `(${src} >>> ${from})`;
      if (from + width < 32) t = `(${t} & ${2 ** width - 1})`;
      if (to > 0) t = `(${t} << ${to})`;
      terms.push(t);
      j += n;
    }
    words.push(
      terms.length === 1 && terms[0].startsWith('(') && terms[0].includes('>>>') && !terms[0].includes('<<')
        ? `${terms[0]} | 0`
        : terms.join(' | '),
    );
  }
  return `[${words.join(', ')}]`;
}

/** Index of each NaN constant already in a pool (deduplicated: a variant emitted later finds the same `K[i]`). */
const constIndex = new WeakMap<number[], Map<string, number>>();

function constRef(consts: number[], lo: number, hi: number, f64: boolean): string {
  let idx = constIndex.get(consts);
  if (idx === undefined) {
    idx = new Map();
    constIndex.set(consts, idx);
  }
  const key = `${f64 ? 1 : 0} ${lo} ${hi}`;
  let i = idx.get(key);
  if (i === undefined) {
    consts.push(f64 ? 1 : 0, lo, hi);
    i = consts.length / 3 - 1;
    idx.set(key, i);
  }
  return `K[${i}]`;
}

// [DataView getter, bytes, widen to BigInt]
const LOADS: readonly (readonly [string, number, boolean])[] = [
  ['getInt32', 4, false],
  ['getBigInt64', 8, false],
  ['getInt32', 4, false],
  ['getFloat64', 8, false],
  ['getInt8', 1, false],
  ['getUint8', 1, false],
  ['getInt16', 2, false],
  ['getUint16', 2, false],
  ['getInt8', 1, true],
  ['getUint8', 1, true],
  ['getInt16', 2, true],
  ['getUint16', 2, true],
  ['getInt32', 4, true],
  ['getUint32', 4, true],
];
const LOAD_TYPES = [I32, I64, F32, F64, I32, I32, I32, I32, I64, I64, I64, I64, I64, I64];
const STORES: readonly (readonly [string, number, string])[] = [
  ['setInt32', 4, '$'],
  ['setBigInt64', 8, '$'],
  ['setInt32', 4, 'h_i32f($)'],
  ['setFloat64', 8, '$'],
  ['setInt8', 1, '$'],
  ['setInt16', 2, '$'],
  ['setUint8', 1, 'NUM($ & 0xffn)'],
  ['setUint16', 2, 'NUM($ & 0xffffn)'],
  ['setUint32', 4, 'NUM($ & 0xffffffffn)'],
];

/** The value of an i64 operand that is a literal the emitter formatted (`25n`, `(-3n)`), else undefined. */
function i64Literal(x: string): bigint | undefined {
  const m = /^\(?(-?\d+)n\)?$/.exec(x);
  return m === null ? undefined : BigInt.asUintN(6, BigInt(m[1]));
}

function binary(op: number, a: string, b: string): string {
  switch (op) {
    case 0x46:
    case 0x51:
    case 0x5b:
    case 0x61:
      return `${a} === ${b} ? 1 : 0`;
    case 0x47:
    case 0x52:
    case 0x5c:
    case 0x62:
      return `${a} !== ${b} ? 1 : 0`;
    case 0x48:
    case 0x53:
    case 0x5d:
    case 0x63:
      return `${a} < ${b} ? 1 : 0`;
    case 0x4a:
    case 0x55:
    case 0x5e:
    case 0x64:
      return `${a} > ${b} ? 1 : 0`;
    case 0x4c:
    case 0x57:
    case 0x5f:
    case 0x65:
      return `${a} <= ${b} ? 1 : 0`;
    case 0x4e:
    case 0x59:
    case 0x60:
    case 0x66:
      return `${a} >= ${b} ? 1 : 0`;
    case 0x49:
      return `(${a} >>> 0) < (${b} >>> 0) ? 1 : 0`;
    case 0x4b:
      return `(${a} >>> 0) > (${b} >>> 0) ? 1 : 0`;
    case 0x4d:
      return `(${a} >>> 0) <= (${b} >>> 0) ? 1 : 0`;
    case 0x4f:
      return `(${a} >>> 0) >= (${b} >>> 0) ? 1 : 0`;
    case 0x54:
      return `UN(64, ${a}) < UN(64, ${b}) ? 1 : 0`;
    case 0x56:
      return `UN(64, ${a}) > UN(64, ${b}) ? 1 : 0`;
    case 0x58:
      return `UN(64, ${a}) <= UN(64, ${b}) ? 1 : 0`;
    case 0x5a:
      return `UN(64, ${a}) >= UN(64, ${b}) ? 1 : 0`;
    case 0x6a:
      return `(${a} + ${b}) | 0`;
    case 0x6b:
      return `(${a} - ${b}) | 0`;
    case 0x6c:
      return `IMUL(${a}, ${b})`;
    case 0x6d:
      return `h_divs(${a}, ${b})`;
    case 0x6e:
      return `h_divu(${a}, ${b})`;
    case 0x6f:
      return `h_rems(${a}, ${b})`;
    case 0x70:
      return `h_remu(${a}, ${b})`;
    case 0x71:
      return `${a} & ${b}`;
    case 0x72:
      return `${a} | ${b}`;
    case 0x73:
      return `${a} ^ ${b}`;
    case 0x74:
      return `${a} << ${b}`;
    case 0x75:
      return `${a} >> ${b}`;
    case 0x76:
      return `(${a} >>> ${b}) | 0`;
    case 0x77:
      return `(${a} << ${b}) | (${a} >>> (32 - ${b}))`;
    case 0x78:
      return `(${a} >>> ${b}) | (${a} << (32 - ${b}))`;
    case 0x7c:
      return `SN(64, ${a} + ${b})`;
    case 0x7d:
      return `SN(64, ${a} - ${b})`;
    case 0x7e:
      return `SN(64, ${a} * ${b})`;
    case 0x7f:
      return `h_divs64(${a}, ${b})`;
    case 0x80:
      return `h_divu64(${a}, ${b})`;
    case 0x81:
      return `h_rems64(${a}, ${b})`;
    case 0x82:
      return `h_remu64(${a}, ${b})`;
    case 0x83:
      return `${a} & ${b}`;
    case 0x84:
      return `${a} | ${b}`;
    case 0x85:
      return `${a} ^ ${b}`;
    // A constant count is folded (`x << 25n`, not `x << (25n & 63n)`): V8's optimizing tier keeps 64-bit BigInt
    // arithmetic unboxed only for shifts by a literal; the masked form boxes every value of the loop (10× slower).
    case 0x86: {
      const k = i64Literal(b);
      if (k === 0n) return a;
      return `SN(64, ${a} << ${k === undefined ? `(${b} & 63n)` : `${k & 63n}n`})`;
    }
    case 0x87: {
      const k = i64Literal(b);
      if (k === 0n) return a;
      return `${a} >> ${k === undefined ? `(${b} & 63n)` : `${k & 63n}n`}`;
    }
    case 0x88: {
      const k = i64Literal(b);
      if (k === 0n) return a;
      return `SN(64, UN(64, ${a}) >> ${k === undefined ? `(${b} & 63n)` : `${k & 63n}n`})`;
    }
    case 0x89:
    case 0x8a: {
      const k = i64Literal(b);
      if (k === undefined) return `h_rot${op === 0x89 ? 'l' : 'r'}64(${a}, ${b})`;
      const left = op === 0x89 ? k : (64n - k) & 63n;
      if (left === 0n) return a;
      return `SN(64, (${a} << ${left}n) | (UN(64, ${a}) >> ${64n - left}n))`;
    }
    case 0x92:
      return `FR(${a} + ${b})`;
    case 0x93:
      return `FR(${a} - ${b})`;
    case 0x94:
      return `FR(${a} * ${b})`;
    case 0x95:
      return `FR(${a} / ${b})`;
    case 0x96:
    case 0xa4:
      return `MIN(${a}, ${b})`;
    case 0x97:
    case 0xa5:
      return `MAX(${a}, ${b})`;
    case 0x98:
      return `h_copysign32(${a}, ${b})`;
    case 0xa0:
      return `${a} + ${b}`;
    case 0xa1:
      return `${a} - ${b}`;
    case 0xa2:
      return `${a} * ${b}`;
    case 0xa3:
      return `${a} / ${b}`;
    case 0xa6:
      return `h_copysign64(${a}, ${b})`;
  }
  throw new Error(`transpiler: no binary template for 0x${op.toString(16)}`);
}

function unary(op: number, a: string): string {
  switch (op) {
    case 0x45:
      return `${a} === 0 ? 1 : 0`;
    case 0x50:
      return `${a} === 0n ? 1 : 0`;
    case 0x67:
      return `CLZ(${a})`;
    case 0x68:
      return `h_ctz(${a})`;
    case 0x69:
      return `h_pop(${a})`;
    case 0x79:
      return `h_clz64(${a})`;
    case 0x7a:
      return `h_ctz64(${a})`;
    case 0x7b:
      return `h_pop64(${a})`;
    case 0x8b:
      return `h_fabs32(${a})`;
    case 0x8c:
      return `h_fneg32(${a})`;
    case 0x8d:
      return `FR(CEIL(${a}))`;
    case 0x8e:
      return `FR(FLOOR(${a}))`;
    case 0x8f:
      return `FR(TRUNC(${a}))`;
    case 0x90:
      return `FR(h_nearest(${a}))`;
    // Math.ceil & co. return a signalling NaN unchanged; wasm wants it quieted (x + 0 does that).
    case 0x9b:
      return `${a} === ${a} ? CEIL(${a}) : ${a} + 0`;
    case 0x9c:
      return `${a} === ${a} ? FLOOR(${a}) : ${a} + 0`;
    case 0x9d:
      return `${a} === ${a} ? TRUNC(${a}) : ${a} + 0`;
    case 0x9e:
      return `h_nearest(${a})`;
    case 0x91:
      return `FR(SQRT(${a}))`;
    case 0x99:
      return `h_fabs64(${a})`;
    case 0x9a:
      return `h_fneg64(${a})`;
    case 0x9f:
      return `SQRT(${a})`;
    case 0xa7:
      return `NUM(SN(32, ${a}))`;
    case 0xa8:
    case 0xaa:
      return `h_tr_s32(${a})`;
    case 0xa9:
    case 0xab:
      return `h_tr_u32(${a})`;
    case 0xac:
      return `BIG(${a})`;
    case 0xad:
      return `BIG(${a} >>> 0)`;
    case 0xae:
    case 0xb0:
      return `h_tr_s64(${a})`;
    case 0xaf:
    case 0xb1:
      return `h_tr_u64(${a})`;
    case 0xb2:
      return `FR(${a})`;
    case 0xb3:
      return `FR(${a} >>> 0)`;
    case 0xb4:
      return `h_i64f32(${a})`;
    case 0xb5:
      return `h_u64f32(${a})`;
    case 0xb6:
      return `FR(${a})`;
    case 0xb7:
      return `${a}`;
    case 0xb8:
      return `${a} >>> 0`;
    case 0xb9:
      return `NUM(${a})`;
    case 0xba:
      return `NUM(UN(64, ${a}))`;
    case 0xbb:
      return `h_promote(${a})`;
    case 0xbc:
      return `h_i32f(${a})`;
    case 0xbd:
      return `h_i64d(${a})`;
    case 0xbe:
      return `h_fi32(${a})`;
    case 0xbf:
      return `h_di64(${a})`;
    case 0xc0:
      return `(${a} << 24) >> 24`;
    case 0xc1:
      return `(${a} << 16) >> 16`;
    case 0xc2:
      return `SN(8, ${a})`;
    case 0xc3:
      return `SN(16, ${a})`;
    case 0xc4:
      return `SN(32, ${a})`;
    case 0x100:
    case 0x102:
      return `h_ts_s32(${a})`;
    case 0x101:
    case 0x103:
      return `h_ts_u32(${a})`;
    case 0x104:
    case 0x106:
      return `h_ts_s64(${a})`;
    case 0x105:
    case 0x107:
      return `h_ts_u64(${a})`;
  }
  throw new Error(`transpiler: no unary template for 0x${op.toString(16)}`);
}
