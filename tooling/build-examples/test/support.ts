/** Encodes a minimal wasm module with the given function imports (and nothing else), for import checks. */
export function moduleWithImports(
  imports: Array<{ module: string; name: string; params: number[]; results: number[] }>,
): Uint8Array<ArrayBuffer> {
  const bytes: number[] = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
  const leb = (n: number, out: number[]) => {
    do {
      let b = n & 0x7f;
      n >>>= 7;
      if (n) b |= 0x80;
      out.push(b);
    } while (n);
  };
  const str = (s: string, out: number[]) => {
    const b = new TextEncoder().encode(s);
    leb(b.length, out);
    out.push(...b);
  };
  const section = (id: number, body: number[]) => {
    bytes.push(id);
    leb(body.length, bytes);
    bytes.push(...body);
  };
  const types: number[] = [];
  leb(imports.length, types);
  for (const i of imports) {
    types.push(0x60);
    leb(i.params.length, types);
    types.push(...i.params);
    leb(i.results.length, types);
    types.push(...i.results);
  }
  section(1, types);
  const imps: number[] = [];
  leb(imports.length, imps);
  imports.forEach((i, idx) => {
    str(i.module, imps);
    str(i.name, imps);
    imps.push(0x00);
    leb(idx, imps);
  });
  section(2, imps);
  return new Uint8Array(bytes);
}

export const I32 = 0x7f;
export const F64 = 0x7c;
