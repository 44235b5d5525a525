import { Prng } from './prng.js';

/**
 * Generates random *valid*, terminating WebAssembly modules whose observable results are fully specified:
 * every float that becomes observable (stored, reinterpreted, or used as copysign's sign source) first passes
 * through a NaN canonicaliser, because NaN payloads and signs are nondeterministic by the spec.
 *
 * Shape: four host imports (HOST_IMPORTS), one memory page (growable to three) with a data segment, a few mutable
 * globals, a table holding every function, functions f0..fn where fk may call (directly or through the table)
 * only the imports and fj (j < k), never from inside a loop, and loops bounded by reserved counter locals. `main` (the last
 * function) takes and returns only i32/i64 so no value crosses the JS boundary as a float.
 */
export type NumType = 'i32' | 'i64' | 'f32' | 'f64';

const TYPE_BYTE: Record<NumType, number> = { i32: 0x7f, i64: 0x7e, f32: 0x7d, f64: 0x7c };
const NUM_TYPES: readonly NumType[] = ['i32', 'i64', 'f32', 'f64'];
const INT_TYPES: readonly NumType[] = ['i32', 'i64'];

export interface GeneratedModule {
  readonly bytes: Uint8Array<ArrayBuffer>;
  readonly mainParams: readonly NumType[];
  readonly mainResults: readonly NumType[];
  /** Exported integer globals (`g0`, `g1`, …) and their types. */
  readonly globals: readonly { readonly name: string; readonly type: NumType }[];
}

interface FuncSig {
  readonly params: readonly NumType[];
  readonly results: readonly NumType[];
}

// --- byte helpers -------------------------------------------------------------------------------------------

function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
}

function sleb(v: bigint): number[] {
  const out: number[] = [];
  for (;;) {
    const b = Number(v & 0x7fn);
    v >>= 7n;
    if ((v === 0n && (b & 0x40) === 0) || (v === -1n && (b & 0x40) !== 0)) {
      out.push(b);
      return out;
    }
    out.push(b | 0x80);
  }
}

function str(s: string): number[] {
  const b = [...new TextEncoder().encode(s)];
  return [...uleb(b.length), ...b];
}

function vec(items: number[][]): number[] {
  return [...uleb(items.length), ...items.flat()];
}

function section(id: number, body: number[]): number[] {
  return [id, ...uleb(body.length), ...body];
}

const scratch = new DataView(new ArrayBuffer(8));

function f32Bytes(bits: number): number[] {
  scratch.setUint32(0, bits, true);
  return [0, 1, 2, 3].map((i) => scratch.getUint8(i));
}

function f64Bytes(bits: bigint): number[] {
  scratch.setBigUint64(0, bits, true);
  return [0, 1, 2, 3, 4, 5, 6, 7].map((i) => scratch.getUint8(i));
}

// --- opcode tables ------------------------------------------------------------------------------------------

const BIN: Record<NumType, readonly number[]> = {
  i32: [0x6a, 0x6b, 0x6c, 0x71, 0x72, 0x73, 0x74, 0x75, 0x76, 0x77, 0x78],
  i64: [0x7c, 0x7d, 0x7e, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89, 0x8a],
  f32: [0x92, 0x93, 0x94, 0x95, 0x96, 0x97],
  f64: [0xa0, 0xa1, 0xa2, 0xa3, 0xa4, 0xa5],
};
/** div_s, div_u, rem_s, rem_u: may trap, compared by trap code. */
const DIV: Record<'i32' | 'i64', readonly number[]> = { i32: [0x6d, 0x6e, 0x6f, 0x70], i64: [0x7f, 0x80, 0x81, 0x82] };
const COPYSIGN: Record<'f32' | 'f64', number> = { f32: 0x98, f64: 0xa6 };
const UN: Record<NumType, readonly number[]> = {
  i32: [0x67, 0x68, 0x69, 0xc0, 0xc1],
  i64: [0x79, 0x7a, 0x7b, 0xc2, 0xc3, 0xc4],
  f32: [0x8b, 0x8c, 0x8d, 0x8e, 0x8f, 0x90, 0x91],
  f64: [0x99, 0x9a, 0x9b, 0x9c, 0x9d, 0x9e, 0x9f],
};
/** Comparisons producing i32, by operand type. */
const CMP: Record<NumType, readonly number[]> = {
  i32: [0x46, 0x47, 0x48, 0x49, 0x4a, 0x4b, 0x4c, 0x4d, 0x4e, 0x4f],
  i64: [0x51, 0x52, 0x53, 0x54, 0x55, 0x56, 0x57, 0x58, 0x59, 0x5a],
  f32: [0x5b, 0x5c, 0x5d, 0x5e, 0x5f, 0x60],
  f64: [0x61, 0x62, 0x63, 0x64, 0x65, 0x66],
};
const EQZ: Record<'i32' | 'i64', number> = { i32: 0x45, i64: 0x50 };

interface Conversion {
  readonly from: NumType;
  readonly op: readonly number[];
  /** Trapping float-to-int truncation. */
  readonly traps?: boolean;
  /** Exposes float bits (reinterpret): the operand must be canonicalised. */
  readonly exposesBits?: boolean;
}

const CONV: Record<NumType, readonly Conversion[]> = {
  i32: [
    { from: 'i64', op: [0xa7] },
    { from: 'f32', op: [0xa8], traps: true },
    { from: 'f32', op: [0xa9], traps: true },
    { from: 'f64', op: [0xaa], traps: true },
    { from: 'f64', op: [0xab], traps: true },
    { from: 'f32', op: [0xbc], exposesBits: true },
    { from: 'f32', op: [0xfc, 0] },
    { from: 'f32', op: [0xfc, 1] },
    { from: 'f64', op: [0xfc, 2] },
    { from: 'f64', op: [0xfc, 3] },
  ],
  i64: [
    { from: 'i32', op: [0xac] },
    { from: 'i32', op: [0xad] },
    { from: 'f32', op: [0xae], traps: true },
    { from: 'f32', op: [0xaf], traps: true },
    { from: 'f64', op: [0xb0], traps: true },
    { from: 'f64', op: [0xb1], traps: true },
    { from: 'f64', op: [0xbd], exposesBits: true },
    { from: 'f32', op: [0xfc, 4] },
    { from: 'f32', op: [0xfc, 5] },
    { from: 'f64', op: [0xfc, 6] },
    { from: 'f64', op: [0xfc, 7] },
  ],
  f32: [
    { from: 'i32', op: [0xb2] },
    { from: 'i32', op: [0xb3] },
    { from: 'i64', op: [0xb4] },
    { from: 'i64', op: [0xb5] },
    { from: 'f64', op: [0xb6] },
    { from: 'i32', op: [0xbe] },
  ],
  f64: [
    { from: 'i32', op: [0xb7] },
    { from: 'i32', op: [0xb8] },
    { from: 'i64', op: [0xb9] },
    { from: 'i64', op: [0xba] },
    { from: 'f32', op: [0xbb] },
    { from: 'i64', op: [0xbf] },
  ],
};

interface MemOp {
  readonly op: number;
  /** log2 of the access width in bytes (the largest valid alignment). */
  readonly width: number;
}

const LOADS: Record<NumType, readonly MemOp[]> = {
  i32: [
    { op: 0x28, width: 2 },
    { op: 0x2c, width: 0 },
    { op: 0x2d, width: 0 },
    { op: 0x2e, width: 1 },
    { op: 0x2f, width: 1 },
  ],
  i64: [
    { op: 0x29, width: 3 },
    { op: 0x30, width: 0 },
    { op: 0x31, width: 0 },
    { op: 0x32, width: 1 },
    { op: 0x33, width: 1 },
    { op: 0x34, width: 2 },
    { op: 0x35, width: 2 },
  ],
  f32: [{ op: 0x2a, width: 2 }],
  f64: [{ op: 0x2b, width: 3 }],
};

const STORES: Record<NumType, readonly MemOp[]> = {
  i32: [
    { op: 0x36, width: 2 },
    { op: 0x3a, width: 0 },
    { op: 0x3b, width: 1 },
  ],
  i64: [
    { op: 0x37, width: 3 },
    { op: 0x3c, width: 0 },
    { op: 0x3d, width: 1 },
    { op: 0x3e, width: 2 },
  ],
  f32: [{ op: 0x38, width: 2 }],
  f64: [{ op: 0x39, width: 3 }],
};

/** Addresses are masked to the first half page; offsets stay small, so every access is in bounds. */
const ADDRESS_MASK = 0x7fff;
const MAX_OFFSET = 64;

const F32_SPECIALS = [
  0x0000_0000, 0x8000_0000, 0x3f80_0000, 0xbf80_0000, 0x7f80_0000, 0xff80_0000, 0x7fc0_0000, 0x0000_0001, 0x7f7f_ffff,
  0x3f00_0000, 0x4b00_0001, 0x4f00_0000, 0xcf00_0000,
];
const F64_SPECIALS = [
  0n,
  0x8000_0000_0000_0000n,
  0x3ff0_0000_0000_0000n,
  0xbff0_0000_0000_0000n,
  0x7ff0_0000_0000_0000n,
  0xfff0_0000_0000_0000n,
  0x7ff8_0000_0000_0000n,
  1n,
  0x3fe0_0000_0000_0000n,
  0x4330_0000_0000_0001n,
  0x41e0_0000_0000_0000n,
  0xc3e0_0000_0000_0000n,
  0x43e0_0000_0000_0000n,
];

// --- SIMD (v128) ------------------------------------------------------------------------------------------
// v128 values only become observable through integer lanes, so float-vector code only feeds comparisons and
// saturating truncations (whose results do not depend on NaN payloads).

const SIMD = (sub: number): number[] => [0xfd, ...uleb(sub)];
const range = (a: number, b: number): number[] => Array.from({ length: b - a + 1 }, (_, i) => a + i);
/** Integer-exact binary v128 ops: compares, bitwise, lane arithmetic (saturating, min/max, avgr, extmul, dot, q15mulr, narrow, swizzle). */
const V_BIN = [
  0x0e,
  ...range(0x23, 0x40),
  0x4e,
  0x4f,
  0x50,
  0x51,
  0x65,
  0x66,
  0x6e,
  0x6f,
  0x70,
  0x71,
  0x72,
  0x73,
  0x76,
  0x77,
  0x78,
  0x79,
  0x7b,
  0x82,
  0x85,
  0x86,
  0x8e,
  0x8f,
  0x90,
  0x91,
  0x92,
  0x93,
  0x95,
  0x96,
  0x97,
  0x98,
  0x99,
  0x9b,
  0x9c,
  0x9d,
  0x9e,
  0x9f,
  0xae,
  0xb1,
  0xb5,
  0xb6,
  0xb7,
  0xb8,
  0xb9,
  0xba,
  0xbc,
  0xbd,
  0xbe,
  0xbf,
  0xce,
  0xd1,
  0xd5,
  ...range(0xd6, 0xdb),
  ...range(0xdc, 0xdf),
];
/** Integer-exact unary v128 ops. */
const V_UN = [
  0x4d, 0x60, 0x61, 0x62, 0x7c, 0x7d, 0x7e, 0x7f, 0x80, 0x81, 0x87, 0x88, 0x89, 0x8a, 0xa0, 0xa1, 0xa7, 0xa8, 0xa9,
  0xaa, 0xc0, 0xc1, 0xc7, 0xc8, 0xc9, 0xca,
];
const V_SHIFT = [0x6b, 0x6c, 0x6d, 0x8b, 0x8c, 0x8d, 0xab, 0xac, 0xad, 0xcb, 0xcc, 0xcd];
/** f32x4 / f64x2 arithmetic (may make NaNs), then comparisons and truncations that hide NaN payloads. */
const F32X4_UN = [0x67, 0x68, 0x69, 0x6a, 0xe0, 0xe1, 0xe3];
const F32X4_BIN = [0xe4, 0xe5, 0xe6, 0xe7, 0xe8, 0xe9, 0xea, 0xeb];
const F64X2_UN = [0x74, 0x75, 0x7a, 0x94, 0xec, 0xed, 0xef];
const F64X2_BIN = [0xf0, 0xf1, 0xf2, 0xf3, 0xf4, 0xf5, 0xf6, 0xf7];
/** v128 loads: sub-opcode and natural alignment. */
const V_LOADS: readonly MemOp[] = [
  { op: 0x00, width: 4 },
  ...range(0x01, 0x06).map((op) => ({ op, width: 3 })),
  { op: 0x07, width: 0 },
  { op: 0x08, width: 1 },
  { op: 0x09, width: 2 },
  { op: 0x0a, width: 3 },
  { op: 0x5c, width: 2 },
  { op: 0x5d, width: 3 },
];

// --- generator ----------------------------------------------------------------------------------------------

interface Local {
  readonly index: number;
  readonly type: NumType;
}

class FunctionBuilder {
  readonly locals: (NumType | 'v128')[] = [];
  /** Locals the random code may read and write. */
  readonly free: Local[] = [];
  readonly counters: number[] = [];
  readonly scratchF32: number;
  readonly scratchF64: number;
  /** v128 locals, interleaved with the scalar ones. */
  readonly vlocals: number[] = [];
  private loopDepth = 0;

  constructor(
    private readonly rng: Prng,
    private readonly sig: FuncSig,
    private readonly callable: readonly FuncSig[],
    private readonly globals: readonly NumType[],
    private readonly tableSize: number,
    /** Multi-value block types: their index in the type section and their signature. */
    private readonly blockTypes: readonly { readonly index: number; readonly sig: FuncSig }[] = [],
  ) {
    sig.params.forEach((t, i) => this.free.push({ index: i, type: t }));
    for (const t of NUM_TYPES) {
      for (let n = 0; n < 1 + rng.int(2); n++) this.free.push({ index: this.addLocal(t), type: t });
      if (rng.bool(0.5)) this.vlocals.push(this.addLocal('v128'));
    }
    if (this.vlocals.length === 0) this.vlocals.push(this.addLocal('v128'));
    for (let n = 0; n < 2; n++) this.counters.push(this.addLocal('i32'));
    this.scratchF32 = this.addLocal('f32');
    this.scratchF64 = this.addLocal('f64');
  }

  private addLocal(t: NumType | 'v128'): number {
    this.locals.push(t);
    return this.sig.params.length + this.locals.length - 1;
  }

  body(): number[] {
    const out: number[] = [];
    const n = 2 + this.rng.int(6);
    for (let i = 0; i < n; i++) out.push(...this.stmt(3));
    for (const t of this.sig.results) out.push(...this.observable(t, 3));
    out.push(0x0b);
    const groups = this.locals.map((t) => [1, t === 'v128' ? 0x7b : TYPE_BYTE[t]]);
    return [...vec(groups), ...out];
  }

  /** An expression of type t whose float value, if any, has its NaNs canonicalised. */
  private observable(t: NumType, depth: number): number[] {
    const e = this.expr(t, depth);
    return t === 'f32' || t === 'f64' ? this.canonicalise(t, e) : e;
  }

  private canonicalise(t: 'f32' | 'f64', e: number[]): number[] {
    const s = uleb(t === 'f32' ? this.scratchF32 : this.scratchF64);
    const nan = t === 'f32' ? [0x43, ...f32Bytes(0x7fc0_0000)] : [0x44, ...f64Bytes(0x7ff8_0000_0000_0000n)];
    const ne = t === 'f32' ? 0x5c : 0x62;
    // select(canonical NaN, x, x != x): the scratch local is written and read back-to-back, so nesting is safe.
    return [...e, 0x21, ...s, ...nan, 0x20, ...s, 0x20, ...s, 0x20, ...s, ne, 0x1b];
  }

  private constant(t: NumType): number[] {
    const r = this.rng;
    switch (t) {
      case 'i32':
        return [0x41, ...sleb(BigInt.asIntN(32, BigInt(r.interestingU32())))];
      case 'i64':
        return [0x42, ...sleb(BigInt.asIntN(64, r.interestingU64()))];
      case 'f32': {
        const bits = r.bool(0.4) ? r.pick(F32_SPECIALS) : r.bool() ? floatBits32(r.int(2001) / 8 - 125) : r.u32();
        return [0x43, ...f32Bytes(bits)];
      }
      case 'f64': {
        const bits = r.bool(0.4) ? r.pick(F64_SPECIALS) : r.bool() ? floatBits64((r.int(20001) - 10000) / 16) : r.u64();
        return [0x44, ...f64Bytes(bits)];
      }
    }
  }

  private address(depth: number): number[] {
    const base = this.rng.bool(0.3) ? [0x41, ...sleb(BigInt(this.rng.int(512)))] : this.expr('i32', depth);
    // Rarely leave the address unmasked: an out-of-bounds trap, after which memory must still agree.
    if (this.rng.bool(0.01)) return base;
    return [...base, 0x41, ...sleb(BigInt(ADDRESS_MASK)), 0x71];
  }

  private memarg(m: MemOp): number[] {
    return [...uleb(this.rng.int(m.width + 1)), ...uleb(this.rng.int(MAX_OFFSET + 1))];
  }

  private leaf(t: NumType): number[] {
    const r = this.rng;
    const locals = this.free.filter((l) => l.type === t);
    const globals = this.globals.flatMap((g, i) => (g === t ? [i] : []));
    const roll = r.int(10);
    if (roll < 4 && locals.length > 0) return [0x20, ...uleb(r.pick(locals).index)];
    if (roll < 5 && globals.length > 0) return [0x23, ...uleb(r.pick(globals))];
    return this.constant(t);
  }

  /** A v128 expression whose bits are fully specified. */
  vexpr(depth: number): number[] {
    const r = this.rng;
    const d = depth - 1;
    if (depth <= 0 || r.bool(0.25)) {
      switch (r.int(4)) {
        case 0:
          return [
            ...SIMD(0x0c),
            ...Array.from({ length: 16 }, () => (r.bool(0.3) ? r.pick([0, 0x80, 0xff, 0x7f]) : r.int(256))),
          ];
        case 1:
          return [0x20, ...uleb(r.pick(this.vlocals))];
        case 2: {
          const splat = r.int(4);
          return [
            ...this.expr(splat === 3 ? 'i64' : 'i32', Math.min(depth, 1)),
            ...SIMD(splat === 3 ? 0x12 : 0x0f + splat),
          ];
        }
        default: {
          const m = r.pick(V_LOADS);
          return [...this.address(0), ...SIMD(m.op), ...this.memarg(m)];
        }
      }
    }
    switch (r.int(12)) {
      case 0:
      case 1:
      case 2:
        return [...this.vexpr(d), ...this.vexpr(d), ...SIMD(r.pick(V_BIN))];
      case 3:
        return [...this.vexpr(d), ...SIMD(r.pick(V_UN))];
      case 4:
        return [...this.vexpr(d), ...this.expr('i32', 1), ...SIMD(r.pick(V_SHIFT))];
      case 5:
        return [...this.vexpr(d), ...this.vexpr(d), ...SIMD(0x0d), ...Array.from({ length: 16 }, () => r.int(32))];
      case 6:
        return [...this.vexpr(d), ...this.vexpr(d), ...this.vexpr(d), ...SIMD(0x52)];
      case 7: {
        const k = r.int(6);
        const lanes = [16, 8, 4, 2, 4, 2][k]!;
        const value =
          k === 3
            ? this.expr('i64', 1)
            : k === 4
              ? this.expr('f32', 1)
              : k === 5
                ? this.expr('f64', 1)
                : this.expr('i32', 1);
        // replace_lane of a float lane only stores bits that comparisons/truncations read; f32/f64 lanes of NaN
        // constants are canonical here (the generator's f32/f64 expressions may carry any NaN: hide them).
        if (k >= 4)
          return [
            ...this.vexpr(d),
            ...this.observable(k === 4 ? 'f32' : 'f64', 1),
            ...SIMD([0x17, 0x1a, 0x1c, 0x1e, 0x20, 0x22][k]!),
            r.int(lanes),
          ];
        return [...this.vexpr(d), ...value, ...SIMD([0x17, 0x1a, 0x1c, 0x1e][k]!), r.int(lanes)];
      }
      case 8: {
        // Float vectors, only observed through comparisons or saturating truncation.
        const f64 = r.bool();
        const fv = this.fvexpr(f64, d);
        if (r.bool(0.6)) return [...fv, ...this.fvexpr(f64, d), ...SIMD(f64 ? 0x47 + r.int(6) : 0x41 + r.int(6))];
        return [...fv, ...SIMD(f64 ? r.pick([0xfc, 0xfd]) : r.pick([0xf8, 0xf9]))];
      }
      case 9:
        return [...this.vexpr(d), ...this.vexpr(d), ...this.expr('i32', 1), 0x1b];
      case 10: {
        // A v128 local written and read back (local.tee).
        return [...this.vexpr(d), 0x22, ...uleb(r.pick(this.vlocals))];
      }
      default: {
        const m = r.pick(V_LOADS.slice(0, 1));
        // load_lane into a vector: size 1 << k bytes, lane below 16 >> k.
        const k = r.int(4);
        if (r.bool())
          return [
            ...this.address(0),
            ...this.vexpr(d),
            ...SIMD(0x54 + k),
            ...uleb(r.int(k + 1)),
            ...uleb(r.int(MAX_OFFSET + 1)),
            r.int(16 >> k),
          ];
        return [...this.address(0), ...SIMD(m.op), ...this.memarg(m)];
      }
    }
  }

  /** A float vector (f32x4, or f64x2 when f64): from integer vectors, then float arithmetic. */
  private fvexpr(f64: boolean, depth: number): number[] {
    const r = this.rng;
    if (depth <= 0 || r.bool(0.3)) {
      const v = this.vexpr(0);
      if (r.bool(0.3)) return v; // raw bits: may be NaNs with any payload
      return [...v, ...SIMD(f64 ? r.pick([0xfe, 0xff, 0x5f]) : r.pick([0xfa, 0xfb, 0x5e]))];
    }
    if (r.bool()) return [...this.fvexpr(f64, depth - 1), ...SIMD(r.pick(f64 ? F64X2_UN : F32X4_UN))];
    return [
      ...this.fvexpr(f64, depth - 1),
      ...this.fvexpr(f64, depth - 1),
      ...SIMD(r.pick(f64 ? F64X2_BIN : F32X4_BIN)),
    ];
  }

  /** An integer read out of a v128: a lane, a reduction or a bitmask. */
  private vlane(t: 'i32' | 'i64', depth: number): number[] {
    const r = this.rng;
    const v = this.vexpr(depth);
    if (t === 'i64') return [...v, ...SIMD(0x1d), r.int(2)];
    switch (r.int(5)) {
      case 0:
        return [...v, ...SIMD(r.pick([0x15, 0x16])), r.int(16)];
      case 1:
        return [...v, ...SIMD(r.pick([0x18, 0x19])), r.int(8)];
      case 2:
        return [...v, ...SIMD(0x1b), r.int(4)];
      case 3:
        return [...v, ...SIMD(r.pick([0x53, 0x63, 0x83, 0xa3, 0xc3]))];
      default:
        return [...v, ...SIMD(r.pick([0x64, 0x84, 0xa4, 0xc4]))];
    }
  }

  expr(t: NumType, depth: number): number[] {
    const r = this.rng;
    if (depth <= 0 || r.bool(0.2)) return this.leaf(t);
    const d = depth - 1;
    const isInt = t === 'i32' || t === 'i64';
    if (isInt && r.bool(0.08)) return this.vlane(t as 'i32' | 'i64', d);
    switch (r.int(isInt ? 10 : 8)) {
      case 0:
      case 1:
        return [...this.expr(t, d), ...this.expr(t, d), r.pick(BIN[t])];
      case 2:
        return [...this.expr(t, d), r.pick(UN[t])];
      case 3: {
        const c = r.pick(CONV[t]);
        if (c.traps && r.bool(0.9)) return this.leaf(t);
        const operand = c.exposesBits ? this.observable(c.from, d) : this.expr(c.from, d);
        return [...operand, ...c.op];
      }
      case 4: {
        const m = r.pick(LOADS[t]);
        return [...this.address(d), m.op, ...this.memarg(m)];
      }
      case 5:
        return [...this.expr(t, d), ...this.expr(t, d), ...this.expr('i32', d), 0x1b];
      case 6: {
        const candidates =
          this.loopDepth === 0
            ? this.callable.flatMap((s, i) => (s.results.length === 1 && s.results[0] === t ? [i] : []))
            : [];
        if (candidates.length === 0) return this.leaf(t);
        const f = r.pick(candidates);
        const args = this.callable[f]!.params.flatMap((p) => this.expr(p, d));
        if (r.bool(0.6)) return [...args, 0x10, ...uleb(f)];
        // call_indirect through the table (slot i holds function i). Mostly the right slot; sometimes another
        // earlier function (a signature mismatch unless the types agree) or a slot past the functions (null,
        // or out of the table). Never a later function, so there is still no recursion.
        const slot = r.bool(0.9) ? f : r.bool(0.5) ? r.int(this.callable.length) : this.tableSize - 2 + r.int(4);
        return [...args, 0x41, ...sleb(BigInt(slot)), 0x11, ...uleb(f), 0x00];
      }
      case 7:
        if (isInt) {
          const from = r.pick(NUM_TYPES);
          const cmp =
            from === 'i32' || from === 'i64' ? (r.bool(0.2) ? [...this.expr(from, d), EQZ[from]] : null) : null;
          const value = cmp ?? [...this.expr(from, d), ...this.expr(from, d), r.pick(CMP[from])];
          return t === 'i32' ? value : [...value, 0xad];
        }
        return [...this.expr(t, d), ...this.observable(t, d), COPYSIGN[t as 'f32' | 'f64']];
      case 8: {
        const op = r.pick(DIV[t as 'i32' | 'i64']);
        // Mostly keep the divisor odd (never zero); sometimes let the trap happen.
        const divisor = r.bool(0.97)
          ? [...this.expr(t, d), ...(t === 'i32' ? [0x41, 1, 0x72] : [0x42, 1, 0x84])]
          : this.expr(t, d);
        return [...this.expr(t, d), ...divisor, op];
      }
      default:
        if (t === 'i32' && r.bool(0.3)) return [0x3f, 0x00];
        if (t === 'i32' && r.bool(0.3)) {
          // table.size, or whether a slot is null (table.get may trap past the end).
          if (r.bool(0.3)) return [0xfc, 16, 0];
          return [0x41, ...sleb(BigInt(r.int(this.tableSize + 2))), 0x25, 0, 0xd1];
        }
        if (r.bool(0.4)) {
          // if/else producing a value.
          return [...this.expr('i32', d), 0x04, TYPE_BYTE[t], ...this.expr(t, d), 0x05, ...this.expr(t, d), 0x0b];
        }
        return [...this.expr(t, d), ...this.expr(t, d), r.pick(BIN[t])];
    }
  }

  stmt(depth: number): number[] {
    const r = this.rng;
    const d = depth - 1;
    switch (depth <= 0 ? r.int(3) : r.int(19)) {
      case 0: {
        const l = r.pick(this.free);
        return [...this.expr(l.type, 3), 0x21, ...uleb(l.index)];
      }
      case 1: {
        const t = r.pick(NUM_TYPES);
        const m = r.pick(STORES[t]);
        return [...this.address(2), ...this.observable(t, 3), m.op, ...this.memarg(m)];
      }
      case 2: {
        if (this.globals.length === 0) return [];
        const g = r.int(this.globals.length);
        return [...this.expr(this.globals[g]!, 3), 0x24, ...uleb(g)];
      }
      case 3: {
        const then = this.stmts(d, 1 + r.int(3));
        const otherwise = r.bool() ? [0x05, ...this.stmts(d, 1 + r.int(3))] : [];
        return [...this.expr('i32', 2), 0x04, 0x40, ...then, ...otherwise, 0x0b];
      }
      case 4: {
        // A block left early by br_if: the code after the branch runs only when the condition is false.
        return [
          0x02,
          0x40,
          ...this.stmts(d, 1 + r.int(2)),
          ...this.expr('i32', 2),
          0x0d,
          0,
          ...this.stmts(d, 1 + r.int(2)),
          0x0b,
        ];
      }
      case 5: {
        // A value-producing block whose result is stored in a local.
        const l = r.pick(this.free);
        return [
          0x02,
          TYPE_BYTE[l.type],
          ...this.stmts(d, 1 + r.int(2)),
          ...this.expr(l.type, 2),
          0x0b,
          0x21,
          ...uleb(l.index),
        ];
      }
      case 6: {
        if (this.loopDepth >= this.counters.length) return this.stmt(0);
        const counter = uleb(this.counters[this.loopDepth]!);
        const iterations = 1 + r.int(6);
        this.loopDepth++;
        const body = this.stmts(d, 1 + r.int(3));
        this.loopDepth--;
        return [
          0x41,
          ...sleb(BigInt(iterations)),
          0x21,
          ...counter,
          0x03,
          0x40,
          ...body,
          0x20,
          ...counter,
          0x41,
          1,
          0x6b,
          0x22,
          ...counter,
          0x0d,
          0,
          0x0b,
        ];
      }
      case 7: {
        if (this.loopDepth > 0 || this.callable.length === 0) return this.stmt(0);
        const f = r.int(this.callable.length);
        const sig = this.callable[f]!;
        const sets: number[] = [];
        for (let i = sig.results.length - 1; i >= 0; i--) {
          const targets = this.free.filter((l) => l.type === sig.results[i]);
          sets.push(0x21, ...uleb(r.pick(targets).index));
        }
        return [...sig.params.flatMap((p) => this.expr(p, 2)), 0x10, ...uleb(f), ...sets];
      }
      case 8: {
        // br_table over three nested blocks: each exit point runs a different tail.
        const idx = this.expr('i32', 2);
        const targets = [0, 1, 2, 0, 1].slice(0, 1 + r.int(5));
        return [
          0x02,
          0x40,
          0x02,
          0x40,
          0x02,
          0x40,
          ...idx,
          0x0e,
          ...vec(targets.map((t) => [t])),
          r.int(3),
          0x0b,
          ...this.stmts(d, 1),
          0x0b,
          ...this.stmts(d, 1),
          0x0b,
        ];
      }
      case 9: {
        const len = [0x41, ...sleb(BigInt(r.int(1024)))];
        if (r.bool()) return [...this.address(1), ...this.expr('i32', 1), ...len, 0xfc, 0x0b, 0x00];
        return [...this.address(1), ...this.address(1), ...len, 0xfc, 0x0a, 0x00, 0x00];
      }
      case 11: {
        // An early return under a condition.
        return [
          ...this.expr('i32', 2),
          0x04,
          0x40,
          ...this.sig.results.flatMap((t) => this.observable(t, 2)),
          0x0f,
          0x0b,
        ];
      }
      case 12: {
        // br_if carrying a value out of a block; when not taken the value is dropped and another computed.
        const l = r.pick(this.free);
        const t = TYPE_BYTE[l.type];
        return [
          0x02,
          t,
          ...this.expr(l.type, 2),
          ...this.expr('i32', 2),
          0x0d,
          0,
          0x1a,
          ...this.expr(l.type, 2),
          0x0b,
          0x21,
          ...uleb(l.index),
        ];
      }
      case 13: {
        // A bounded loop that may also break out early to the enclosing block.
        if (this.loopDepth >= this.counters.length) return this.stmt(0);
        const counter = uleb(this.counters[this.loopDepth]!);
        this.loopDepth++;
        const body = this.stmts(d, 1 + r.int(2));
        const exit = this.expr('i32', 2);
        this.loopDepth--;
        return [
          0x41,
          ...sleb(BigInt(2 + r.int(6))),
          0x21,
          ...counter,
          0x02,
          0x40,
          0x03,
          0x40,
          ...body,
          ...exit,
          0x0d,
          1,
          0x20,
          ...counter,
          0x41,
          1,
          0x6b,
          0x22,
          ...counter,
          0x0d,
          0,
          0x0b,
          0x0b,
        ];
      }
      case 14: {
        // memory.grow by 0 or 1 page (the maximum is 3): the result and the new size are both observed.
        const l = this.free.find((x) => x.type === 'i32');
        const grow = [0x41, r.bool(0.7) ? 0 : 1, 0x40, 0x00];
        return l ? [...grow, 0x21, ...uleb(l.index)] : [...grow, 0x1a];
      }
      case 15: {
        // A multi-value block (params and results through a type index), left early by br_if with its results.
        if (this.blockTypes.length === 0) return this.stmt(0);
        const bt = r.pick(this.blockTypes);
        const { params, results } = bt.sig;
        const out = [...params.flatMap((p) => this.expr(p, 2)), 0x02, ...uleb(bt.index)];
        out.push(...this.setAll(params));
        out.push(...this.stmts(d, 1));
        out.push(...results.flatMap((t) => this.expr(t, 2)), ...this.expr('i32', 2), 0x0d, 0);
        out.push(...results.map(() => 0x1a), ...results.flatMap((t) => this.expr(t, 2)), 0x0b);
        out.push(...this.setAll(results));
        return out;
      }
      case 16: {
        // A loop whose type has params (P -> P): each back edge carries fresh values for them.
        if (this.loopDepth >= this.counters.length) return this.stmt(0);
        const loops = this.blockTypes.filter((b) => b.sig.params.join() === b.sig.results.join());
        if (loops.length === 0) return this.stmt(0);
        const bt = r.pick(loops);
        const counter = uleb(this.counters[this.loopDepth]!);
        this.loopDepth++;
        const body = [
          ...this.setAll(bt.sig.params),
          ...this.stmts(d, 1),
          ...bt.sig.params.flatMap((t) => this.expr(t, 2)),
        ];
        this.loopDepth--;
        return [
          0x41,
          ...sleb(BigInt(1 + r.int(5))),
          0x21,
          ...counter,
          ...bt.sig.params.flatMap((p) => this.expr(p, 2)),
          0x03,
          ...uleb(bt.index),
          ...body,
          0x20,
          ...counter,
          0x41,
          1,
          0x6b,
          0x22,
          ...counter,
          0x0d,
          0,
          0x0b,
          ...this.setAll(bt.sig.results),
        ];
      }
      case 17: {
        // br_table carrying a value to one of two enclosing blocks; the outer path transforms it further.
        const l = r.pick(this.free);
        const t = TYPE_BYTE[l.type];
        const op = r.pick(BIN[l.type]);
        return [
          0x02,
          t,
          0x02,
          t,
          ...this.expr(l.type, 2),
          ...this.expr('i32', 2),
          0x0e,
          2,
          0,
          1,
          r.int(2),
          0x0b,
          ...this.expr(l.type, 1),
          op,
          0x0b,
          0x21,
          ...uleb(l.index),
        ];
      }
      case 18: {
        // Rewrite the table past the defined functions: null, or a host import (never a defined function,
        // so call_indirect still cannot recurse); or grow it by one such entry and keep the old size.
        const ref = r.bool(0.4) ? [0xd0, 0x70] : [0xd2, r.int(HOST_IMPORTS.length)];
        const l = this.free.find((x) => x.type === 'i32');
        if (r.bool(0.3) && l) return [...ref, 0x41, r.int(2), 0xfc, 15, 0, 0x21, ...uleb(l.index)];
        const slot = this.tableSize - 2 + r.int(r.bool(0.9) ? 2 : 4);
        return [0x41, ...sleb(BigInt(slot)), ...ref, 0x26, 0];
      }
      case 10: {
        // SIMD: a v128 local set, a v128 store, or a lane store.
        const k = r.int(3);
        if (k === 0) return [...this.vexpr(3), 0x21, ...uleb(r.pick(this.vlocals))];
        if (k === 1) return [...this.address(2), ...this.vexpr(3), ...SIMD(0x0b), ...this.memarg({ op: 0, width: 4 })];
        const w = r.int(4);
        return [
          ...this.address(2),
          ...this.vexpr(3),
          ...SIMD(0x58 + w),
          ...uleb(r.int(w + 1)),
          ...uleb(r.int(MAX_OFFSET + 1)),
          r.int(16 >> w),
        ];
      }
      default: {
        const l = r.pick(this.free);
        return [...this.expr(l.type, 3), 0x22, ...uleb(l.index), 0x1a];
      }
    }
  }

  /** Pops values of these types (pushed in order) into free locals of matching types. */
  private setAll(types: readonly NumType[]): number[] {
    const out: number[] = [];
    for (let i = types.length - 1; i >= 0; i--) {
      out.push(0x21, ...uleb(this.rng.pick(this.free.filter((l) => l.type === types[i])).index));
    }
    return out;
  }

  private stmts(depth: number, n: number): number[] {
    const out: number[] = [];
    for (let i = 0; i < n; i++) out.push(...this.stmt(depth));
    return out;
  }
}

function floatBits32(v: number): number {
  scratch.setFloat32(0, v);
  return scratch.getUint32(0);
}

function floatBits64(v: number): bigint {
  scratch.setFloat64(0, v);
  return scratch.getBigUint64(0);
}

function randomSig(rng: Prng, types: readonly NumType[], maxResults: number): FuncSig {
  const params = Array.from({ length: rng.int(4) }, () => rng.pick(types));
  const results = Array.from({ length: rng.int(maxResults + 1) }, () => rng.pick(types));
  return { params, results };
}

/**
 * Host functions every generated module imports from `env` (function indices 0..3). Both engines get the same
 * implementations (see host-imports.ts); `peek`/`poke` read and write the guest's memory from the host.
 */
export const HOST_IMPORTS: readonly {
  readonly name: string;
  readonly params: readonly NumType[];
  readonly results: readonly NumType[];
}[] = [
  { name: 'mix', params: ['i32', 'i64'], results: ['i64'] },
  { name: 'split', params: ['i64'], results: ['i32', 'i64'] },
  { name: 'peek', params: ['i32'], results: ['i32'] },
  { name: 'poke', params: ['i32', 'i32'], results: [] },
];

export function generateModule(seed: number): GeneratedModule {
  const rng = new Prng(seed);
  const helperCount = rng.int(5);
  // Imported functions come first in the function index space; function i has type index i.
  const sigs: FuncSig[] = HOST_IMPORTS.map(({ params, results }) => ({ params, results }));
  const imported = sigs.length;
  for (let i = 0; i < helperCount; i++) sigs.push(randomSig(rng, NUM_TYPES, 2));
  const main: FuncSig = {
    params: randomSig(rng, INT_TYPES, 0).params,
    results: [rng.pick(INT_TYPES), ...randomSig(rng, INT_TYPES, 2).results],
  };
  sigs.push(main);

  const globals: NumType[] = Array.from({ length: 1 + rng.int(4) }, () => rng.pick(NUM_TYPES));
  // Two null slots after the functions, so call_indirect can also reach an uninitialised element.
  const tableSize = sigs.length + 2;
  const defined = sigs.slice(imported);
  // Block types after the function types: some general (P -> R), some loop-shaped (P -> P).
  const blockSigs: FuncSig[] = Array.from({ length: 1 + rng.int(3) }, () => {
    const sig = randomSig(rng, NUM_TYPES, 3);
    return rng.bool(0.4) ? { params: sig.params, results: sig.params } : sig;
  });
  const blockTypes = blockSigs.map((sig, i) => ({ index: sigs.length + i, sig }));
  const bodies = defined.map((sig, i) =>
    new FunctionBuilder(rng, sig, sigs.slice(0, imported + i), globals, tableSize, blockTypes).body(),
  );

  const zero: Record<NumType, number[]> = {
    i32: [0x41, 0],
    i64: [0x42, 0],
    f32: [0x43, 0, 0, 0, 0],
    f64: [0x44, 0, 0, 0, 0, 0, 0, 0, 0],
  };
  const data = Array.from({ length: 64 + rng.int(192) }, () => rng.int(256));
  const exportedGlobals = globals.flatMap((t, i) =>
    t === 'i32' || t === 'i64' ? [{ name: `g${i}`, index: i, type: t }] : [],
  );

  const bytes = new Uint8Array([
    0x00,
    0x61,
    0x73,
    0x6d,
    0x01,
    0x00,
    0x00,
    0x00,
    ...section(
      1,
      vec(
        [...sigs, ...blockSigs].map((s) => [
          0x60,
          ...vec(s.params.map((t) => [TYPE_BYTE[t]])),
          ...vec(s.results.map((t) => [TYPE_BYTE[t]])),
        ]),
      ),
    ),
    ...section(2, vec(HOST_IMPORTS.map((h, i) => [...str('env'), ...str(h.name), 0x00, ...uleb(i)]))),
    ...section(3, vec(defined.map((_, i) => uleb(imported + i)))),
    ...section(4, vec([[0x70, 0x00, ...uleb(tableSize)]])),
    ...section(5, vec([[0x01, 1, 3]])),
    ...section(6, vec(globals.map((t) => [TYPE_BYTE[t], 1, ...zero[t], 0x0b]))),
    ...section(
      7,
      vec([
        [...str('main'), 0x00, ...uleb(sigs.length - 1)],
        [...str('mem'), 0x02, 0],
        ...exportedGlobals.map((g) => [...str(g.name), 0x03, ...uleb(g.index)]),
      ]),
    ),
    ...section(9, vec([[0x00, 0x41, 0x00, 0x0b, ...vec(sigs.map((_, i) => uleb(i)))]])),
    ...section(10, vec(bodies.map((b) => [...uleb(b.length), ...b]))),
    ...section(11, vec([[0x00, 0x41, ...sleb(BigInt(rng.int(1024))), 0x0b, ...uleb(data.length), ...data]])),
  ]);
  return {
    bytes,
    mainParams: main.params,
    mainResults: main.results,
    globals: exportedGlobals.map(({ name, type }) => ({ name, type })),
  };
}

/** Arguments for `main`, as unsigned bit patterns. */
export function generateArgs(rng: Prng, params: readonly NumType[]): bigint[] {
  return params.map((t) => (t === 'i32' ? BigInt(rng.interestingU32()) : rng.interestingU64()));
}
