import { createRequire } from 'node:module';
import { brotliCompressSync, brotliDecompressSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebAssembly as facade } from '@fayger/interpreter/webassembly';

/**
 * Proof with a wasm-bindgen package: `brotli-wasm` (Rust, nodejs target) ships `pkg.node/brotli_wasm_bg.wasm`
 * (about 1 MB) and JS glue that reads it with `fs.readFileSync` and builds it synchronously with
 * `new WebAssembly.Module` + `new WebAssembly.Instance`. Loaded fresh, unmodified, while the global
 * `WebAssembly` is the facade; its output is checked against node:zlib's Brotli in both directions.
 */
type Brotli = {
  compress(buf: Uint8Array, options?: { quality?: number }): Uint8Array;
  decompress(buf: Uint8Array): Uint8Array;
};

const require = createRequire(import.meta.url);
const constructed = { modules: 0, instances: 0 };
let saved: PropertyDescriptor | undefined;
let brotli: Brotli;

const text = new TextEncoder().encode(
  `${'Fayger loads and runs BuF artifacts on any host. '.repeat(40)}${Array.from({ length: 400 }, (_, i) => (i * 7919) % 251).join(',')}`,
);

describe('brotli-wasm, unmodified, on the WebAssembly facade', { timeout: 60_000 }, () => {
  beforeAll(() => {
    const wa = facade as unknown as typeof WebAssembly;
    class CountingModule extends wa.Module {
      constructor(bytes: BufferSource) {
        super(bytes);
        constructed.modules++;
      }
    }
    class CountingInstance extends wa.Instance {
      constructor(module: WebAssembly.Module, imports?: WebAssembly.Imports) {
        super(module, imports);
        constructed.instances++;
      }
    }
    saved = Object.getOwnPropertyDescriptor(globalThis, 'WebAssembly');
    const host = Object.assign(Object.create(null) as Record<string, unknown>, wa, {
      Module: CountingModule,
      Instance: CountingInstance,
    });
    Object.defineProperty(globalThis, 'WebAssembly', { value: host, configurable: true, writable: true });
    for (const key of Object.keys(require.cache)) if (key.includes('brotli-wasm')) delete require.cache[key];
    brotli = require('brotli-wasm') as Brotli;
  });

  afterAll(() => {
    // Under `node --jitless` there was no WebAssembly global to restore.
    if (saved) Object.defineProperty(globalThis, 'WebAssembly', saved);
    else delete (globalThis as { WebAssembly?: unknown }).WebAssembly;
  });

  it('built its 1 MB module and instance through the facade', () => {
    expect(constructed).toEqual({ modules: 1, instances: 1 });
  });

  it('compresses to a stream that node:zlib decompresses to the input', () => {
    const compressed = brotli.compress(text, { quality: 4 });
    expect(compressed.length).toBeLessThan(text.length / 4);
    expect(new Uint8Array(brotliDecompressSync(compressed))).toEqual(text);
  });

  it('decompresses what node:zlib compressed', () => {
    const compressed = new Uint8Array(brotliCompressSync(text));
    expect(new Uint8Array(brotli.decompress(compressed))).toEqual(text);
  });

  it('reports corrupt input as an error, not a crash or a wrong answer', () => {
    const bad = new Uint8Array(brotliCompressSync(text)).slice(0, 40);
    bad[10] ^= 0xff;
    expect(() => brotli.decompress(bad)).toThrow();
  });
});
