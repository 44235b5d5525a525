/** One import of a WebAssembly module; `params`/`results` only for function imports. */
export interface WasmImport {
  module: string;
  name: string;
  kind: 'func' | 'table' | 'memory' | 'global' | 'tag';
  params?: string[];
  results?: string[];
}

const VALTYPES: Record<number, string> = {
  0x7f: 'i32',
  0x7e: 'i64',
  0x7d: 'f32',
  0x7c: 'f64',
  0x7b: 'v128',
  0x70: 'funcref',
  0x6f: 'externref',
};

/**
 * Reads the imports of a module with their function signatures (WebAssembly.Module.imports has no
 * signatures). Only the type and import sections are decoded; the module should be validated separately.
 */
export function readWasmImports(bytes: Uint8Array): WasmImport[] {
  let pos = 8;
  const fail = (what: string): never => {
    throw new Error(`reading wasm imports: ${what} at byte ${pos}`);
  };
  const byte = () => (pos < bytes.length ? bytes[pos++] : fail('unexpected end'));
  const u32 = () => {
    let result = 0;
    let shift = 0;
    for (;;) {
      const b = byte();
      result |= (b & 0x7f) << shift;
      if ((b & 0x80) === 0) return result >>> 0;
      shift += 7;
      if (shift > 28) fail('LEB128 too long');
    }
  };
  const name = () => {
    const n = u32();
    if (pos + n > bytes.length) fail('name past the end');
    const s = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(pos, pos + n));
    pos += n;
    return s;
  };
  const valtype = () => {
    const b = byte();
    return VALTYPES[b] ?? fail(`unknown value type 0x${b.toString(16)}`);
  };
  const limits = () => {
    const flag = byte();
    u32();
    if (flag & 1) u32();
  };

  if (bytes.length < 8 || bytes[0] !== 0 || bytes[1] !== 0x61 || bytes[2] !== 0x73 || bytes[3] !== 0x6d)
    fail('not a wasm module');
  const types: Array<{ params: string[]; results: string[] }> = [];
  const imports: WasmImport[] = [];
  while (pos < bytes.length) {
    const id = byte();
    const size = u32();
    const end = pos + size;
    if (id === 1) {
      const n = u32();
      for (let i = 0; i < n; i++) {
        if (byte() !== 0x60) fail('expected a function type');
        const params = Array.from({ length: u32() }, valtype);
        const results = Array.from({ length: u32() }, valtype);
        types.push({ params, results });
      }
    } else if (id === 2) {
      const n = u32();
      for (let i = 0; i < n; i++) {
        const module = name();
        const field = name();
        const kind = byte();
        if (kind === 0) {
          const t = types[u32()] ?? fail('function import names a missing type');
          imports.push({ module, name: field, kind: 'func', params: t.params, results: t.results });
        } else if (kind === 1) {
          valtype();
          limits();
          imports.push({ module, name: field, kind: 'table' });
        } else if (kind === 2) {
          limits();
          imports.push({ module, name: field, kind: 'memory' });
        } else if (kind === 3) {
          valtype();
          byte();
          imports.push({ module, name: field, kind: 'global' });
        } else if (kind === 4) {
          byte();
          u32();
          imports.push({ module, name: field, kind: 'tag' });
        } else fail(`unknown import kind ${kind}`);
      }
      return imports;
    }
    pos = end;
  }
  return imports;
}
