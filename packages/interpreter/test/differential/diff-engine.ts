import type { NumType } from '@fayger/wasm-testgen';

/** A call either returns values (unsigned bit patterns) or traps with one of the listed codes. */
export type CallOutcome = { readonly values: readonly bigint[] } | { readonly trap: readonly string[] };

export interface DiffInstance {
  call(
    params: readonly NumType[],
    args: readonly bigint[],
    results: readonly NumType[],
  ): CallOutcome | Promise<CallOutcome>;
  memory(): Uint8Array;
  global(name: string, type: NumType): bigint;
}

export interface DiffEngine {
  readonly name: string;
  instantiate(bytes: Uint8Array<ArrayBuffer>): DiffInstance;
}

/** FNV-1a over the whole memory: cheap, and any differing byte changes it. */
export function memoryHash(bytes: Uint8Array): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < bytes.length; i++) h = Math.imul(h ^ bytes[i]!, 0x01000193);
  return `${bytes.length}:${(h >>> 0).toString(16)}`;
}
