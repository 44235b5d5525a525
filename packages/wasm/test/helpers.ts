import { readFileSync } from 'node:fs';
import { FaygerError } from '@fayger/contracts';
import { type ModuleIR, decode, validate } from '../src/index.js';

/**
 * Bytes of a checked-in fixture module. fixtures/facade.wasm is a copy of @fayger/interpreter's fixture (built
 * from the facade.wat beside it with write_debug_names by the interpreter's `pnpm fixtures`).
 */
export function fixture(name: string): Uint8Array {
  return new Uint8Array(readFileSync(new URL(`./fixtures/${name}.wasm`, import.meta.url)));
}

/** A minimal module binary from raw section bytes. */
export function moduleBytes(...sections: number[][]): Uint8Array {
  return Uint8Array.from([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, ...sections.flat()]);
}

export function section(id: number, body: number[]): number[] {
  return [id, body.length, ...body];
}

/** Decodes and validates, as both engines do before compiling: the module IR, or the typed error. */
export function compileModule(bytes: Uint8Array): ModuleIR {
  const ir = decode(bytes);
  validate(ir);
  return ir;
}

/** True when the bytes decode and validate (the engines' validateModule). */
export function validateModule(bytes: Uint8Array): boolean {
  try {
    compileModule(bytes);
    return true;
  } catch (e) {
    if (FaygerError.is(e)) return false;
    throw e;
  }
}
