import { readFileSync } from 'node:fs';

/** Bytes of a checked-in fixture module (built from the .wat beside it by `pnpm fixtures`). */
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
