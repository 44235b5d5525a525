import { FaygerError, type ImplementationVerdict } from '@fayger/contracts';
import { V128, decode } from '@fayger/wasm';
import type { ModuleIR } from '@fayger/wasm';
import { emitModule } from './emit.js';
import { canGenerateCode } from './runtime.js';

/**
 * What the transpiler can run, asked of the emitter itself rather than written down: the router uses these
 * answers to pick the interpreter where the transpiler cannot run (no `new Function`) or cannot compile a
 * module (a feature the emitter has no template for, e.g. SIMD before it lands).
 */

// (module (memory 1) (func (param v128 v128) (result v128) v128.load/store, i8x16.shuffle, v128.const,
//  i32x4.add, f64x2.splat, f32x4.mul)): one instruction of each SIMD family the emitter needs templates for.
const SIMD_PROBE = new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, 1, 7, 1, 96, 2, 123, 123, 1, 123, 3, 2, 1, 0, 5, 3, 1, 0, 1, 10, 73, 1, 71, 0, 65, 0, 65,
  16, 253, 0, 4, 0, 32, 1, 253, 13, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 253, 11, 4, 0, 32, 0, 253, 12,
  1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0, 4, 0, 0, 0, 253, 174, 1, 68, 0, 0, 0, 0, 0, 0, 240, 63, 253, 20, 253, 230, 1, 11,
]);

/**
 * How much generated JavaScript the transpiler takes on. A module's source is about 300 characters per function
 * (plain + generator form, fuel prologue) plus about 50 per instruction word (measured: 50,000 empty functions →
 * 14.4 M characters and +145 MB of heap; a 250,000-target br_table → 13.3 M characters); the JS engine's parse
 * of it costs several times the string. Past `maxSourceChars` (estimated before anything is emitted) the
 * transpiler refuses the module and the router falls back to the interpreter, whose memory grows with the
 * module's size only (the hostile suite's 200,000 functions and 1,000,000-target br_table run there within
 * `--max-old-space-size=256`).
 */
export const TRANSPILER_LIMITS = { maxSourceChars: 16_000_000, charsPerFunction: 300, charsPerWord: 50 } as const;

/** Estimated characters of generated JavaScript for a decoded module. */
export function estimatedSourceChars(ir: ModuleIR): number {
  let words = 0;
  for (const c of ir.codes) words += c.body.length;
  return ir.codes.length * TRANSPILER_LIMITS.charsPerFunction + words * TRANSPILER_LIMITS.charsPerWord;
}

let simdAnswer: boolean | undefined;

/** Does the emitter compile SIMD (v128 values and the 0xfd instructions)? Asked once: it emits a probe module. */
export function emitterCompilesSimd(): boolean {
  if (simdAnswer === undefined) {
    try {
      emitModule(decode(SIMD_PROBE));
      simdAnswer = true;
    } catch {
      simdAnswer = false;
    }
  }
  return simdAnswer;
}

/** Whether the module declares a v128 anywhere: a function type, a global, an imported global or a local. */
export function usesV128(ir: ModuleIR): boolean {
  if (ir.types.some((t) => t.params.includes(V128) || t.results.includes(V128))) return true;
  if (ir.globals.some((g) => g.type.type === V128)) return true;
  if (ir.imports.some((i) => i.kind === 3 && i.global.type === V128)) return true;
  return ir.codes.some((c) => c.locals.includes(V128));
}

/** The feature an emitter opcode belongs to: the decoder numbers 0xfd-prefixed (SIMD) instructions from 0x200. */
function featureOfOpcode(op: number): string {
  return op >= 0x200 && op < 0x400 ? 'simd' : `opcode 0x${op.toString(16)}`;
}

/**
 * The transpiler's answer for one module: no when it uses SIMD and the emitter does not compile SIMD, or when
 * its generated source would pass TRANSPILER_LIMITS. A module
 * that does not decode answers yes (compile reports why). SIMD instructions that touch no declared v128 are
 * caught when compiling (`emitterRefusal`), also as a typed refusal.
 */
export function moduleSupport(code: Uint8Array): ImplementationVerdict {
  // The runtime asks, then compiles, the same (shared, verified) section array: decode it once for both.
  let c = checked.get(code);
  if (!c) checked.set(code, (c = checkModule(code)));
  return c.verdict;
}

/**
 * The module `moduleSupport` decoded for these bytes (accepted modules only), handed over once so that compiling
 * does not decode it again; undefined when there is none (then the compiler decodes).
 */
export function takeDecoded(code: Uint8Array): ModuleIR | undefined {
  const c = checked.get(code);
  const ir = c?.ir;
  if (c) c.ir = undefined;
  return ir;
}

interface Checked {
  readonly verdict: ImplementationVerdict;
  /** Kept only for an accepted module until compile takes it: a refused (large) module's IR is not held. */
  ir: ModuleIR | undefined;
}

const checked = new WeakMap<Uint8Array, Checked>();

function checkModule(code: Uint8Array): Checked {
  let ir: ModuleIR;
  try {
    // Every body is read below and compiled up front: keep the streams decode() produces (no second decode).
    ir = decode(code, { keepBodies: true });
  } catch {
    return { verdict: { ok: true }, ir: undefined };
  }
  if (!emitterCompilesSimd() && usesV128(ir)) {
    return {
      verdict: {
        ok: false,
        feature: 'simd',
        reason: 'the module uses SIMD (v128), which the transpiler does not compile yet',
      },
      ir: undefined,
    };
  }
  const chars = estimatedSourceChars(ir);
  if (chars > TRANSPILER_LIMITS.maxSourceChars) {
    return {
      verdict: {
        ok: false,
        feature: 'code size',
        reason: `the module is too large to transpile (${ir.codes.length} functions, about ${(chars / 1e6).toFixed(1)} M characters of JavaScript; the transpiler's limit is ${TRANSPILER_LIMITS.maxSourceChars / 1e6} M)`,
      },
      ir: undefined,
    };
  }
  return { verdict: { ok: true }, ir };
}

/** Can this host run generated code (new Function; refused by a CSP without unsafe-eval)? */
export function hostSupport(): ImplementationVerdict {
  return canGenerateCode()
    ? { ok: true }
    : {
        ok: false,
        feature: 'dynamic code generation',
        reason: 'this host refuses new Function (e.g. a CSP without unsafe-eval)',
      };
}

/**
 * The emitter throws a plain Error (`transpiler: unexpected opcode 0x…` / `no … template`) for an instruction
 * it has no template for: the module is valid, the transpiler just cannot compile it. That becomes the typed
 * refusal a router falls back on; anything else is returned unchanged.
 */
export function emitterRefusal(err: unknown): unknown {
  if (FaygerError.is(err) || !(err instanceof Error)) return err;
  const m = /^transpiler: (?:unexpected opcode|no [a-z]+ template for) 0x([0-9a-f]+)/.exec(err.message);
  if (!m) return err;
  const feature = featureOfOpcode(parseInt(m[1], 16));
  return new FaygerError({
    code: 'WASM_UNSUPPORTED_FEATURE',
    phase: 'decode',
    what: 'compiling WebAssembly to JavaScript',
    expected: 'instructions the transpiler compiles',
    found: `${feature === 'simd' ? 'a SIMD instruction' : 'an instruction'} it has no template for (${err.message.slice('transpiler: '.length)})`,
    hint: 'Run the module with the interpreter (@fayger/interpreter), which implements every WebAssembly 2.0 instruction.',
    details: { feature, refused: true },
    cause: err,
  });
}
