import type { ValType } from './types.js';

/**
 * A tiny binary encoder for the helper modules the native adapter uses to move float bits across the JS
 * boundary untouched: a wrapper imports the tested function (a wasm-to-wasm call, no JS conversion) and exposes
 * it with floats reinterpreted as integers.
 */
const VALTYPE_BYTE: Record<ValType, number> = {
  i32: 0x7f,
  i64: 0x7e,
  f32: 0x7d,
  f64: 0x7c,
  v128: 0x7b,
  funcref: 0x70,
  externref: 0x6f,
};

const OP = {
  localGet: 0x20,
  localSet: 0x21,
  globalGet: 0x23,
  call: 0x10,
  end: 0x0b,
  i32ReinterpretF32: 0xbc,
  i64ReinterpretF64: 0xbd,
  f32ReinterpretI32: 0xbe,
  f64ReinterpretI64: 0xbf,
} as const;

function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
  return out;
}

function name(s: string): number[] {
  const bytes = [...new TextEncoder().encode(s)];
  return [...uleb(bytes.length), ...bytes];
}

function vec(items: number[][]): number[] {
  return [...uleb(items.length), ...items.flat()];
}

function section(id: number, body: number[]): number[] {
  return [id, ...uleb(body.length), ...body];
}

function funcType(params: readonly ValType[], results: readonly ValType[]): number[] {
  return [0x60, ...vec(params.map((t) => [VALTYPE_BYTE[t]])), ...vec(results.map((t) => [VALTYPE_BYTE[t]]))];
}

/** The integer type carrying a float's bits (a v128's: two i64, low half first); other types pass as they are. */
export function bitsCarrier(t: ValType): ValType {
  return t === 'f32' ? 'i32' : t === 'f64' || t === 'v128' ? 'i64' : t;
}

/** The carrier types of a list of types (a v128 takes two). */
export function carriers(ts: readonly ValType[]): ValType[] {
  return ts.flatMap((t) => (t === 'v128' ? (['i64', 'i64'] as ValType[]) : [bitsCarrier(t)]));
}

/** Code turning the value in local `l` into its carrier(s). */
function toBits(t: ValType, l: number): number[] {
  const get = [OP.localGet, ...uleb(l)];
  if (t === 'v128') return [...get, 0xfd, 0x1d, 0, ...get, 0xfd, 0x1d, 1];
  return [...get, ...(t === 'f32' ? [OP.i32ReinterpretF32] : t === 'f64' ? [OP.i64ReinterpretF64] : [])];
}

/** Code turning the carrier(s) in local `l` (and `l + 1`) into the value. */
function fromBits(t: ValType, l: number): number[] {
  const get = (k: number) => [OP.localGet, ...uleb(k)];
  if (t === 'v128') return [...get(l), 0xfd, 0x12, ...get(l + 1), 0xfd, 0x1e, 1];
  return [...get(l), ...(t === 'f32' ? [OP.f32ReinterpretI32] : t === 'f64' ? [OP.f64ReinterpretI64] : [])];
}

const HEADER = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];

/** `(import "m" "f" (func P→R))`, exported as `w: P'→R'` with floats carried as integer bits. */
export function functionBitsWrapper(params: readonly ValType[], results: readonly ValType[]): Uint8Array<ArrayBuffer> {
  const body: number[] = [];
  let l = 0;
  for (const t of params) {
    body.push(...fromBits(t, l));
    l += t === 'v128' ? 2 : 1;
  }
  body.push(OP.call, 0);
  // Results land on the stack in order; park them in locals so each can be reinterpreted in order.
  const nCarried = l;
  const locals: number[][] = results.map((t) => [1, VALTYPE_BYTE[t]]);
  for (let i = results.length - 1; i >= 0; i--) body.push(OP.localSet, ...uleb(nCarried + i));
  results.forEach((t, i) => body.push(...toBits(t, nCarried + i)));
  body.push(OP.end);
  const code = [...vec(locals), ...body];
  return new Uint8Array([
    ...HEADER,
    ...section(1, vec([funcType(params, results), funcType(carriers(params), carriers(results))])),
    ...section(2, vec([[...name('m'), ...name('f'), 0x00, 0]])),
    ...section(3, vec([[1]])),
    ...section(7, vec([[...name('w'), 0x00, 1]])),
    ...section(10, vec([[...uleb(code.length), ...code]])),
  ]);
}

/** `(import "m" "g" (global [mut] T))`, read by exported `w: →T'` with floats carried as integer bits. */
export function globalBitsWrapper(type: ValType, mutable: boolean): Uint8Array<ArrayBuffer> {
  // One local of the global's type, so toBits can read it.
  const body = [1, 1, VALTYPE_BYTE[type], OP.globalGet, 0, OP.localSet, 0, ...toBits(type, 0), OP.end];
  return new Uint8Array([
    ...HEADER,
    ...section(1, vec([funcType([], carriers([type]))])),
    ...section(2, vec([[...name('m'), ...name('g'), 0x03, VALTYPE_BYTE[type], mutable ? 1 : 0]])),
    ...section(3, vec([[0]])),
    ...section(7, vec([[...name('w'), 0x00, 0]])),
    ...section(10, vec([[...uleb(body.length), ...body]])),
  ]);
}
