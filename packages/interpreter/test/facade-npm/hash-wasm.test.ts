import { createHash, createHmac } from 'node:crypto';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as facadeModule from '@fayger/interpreter/webassembly';

/**
 * Proof that an unmodified npm package that ships its own WebAssembly and JS glue runs on the facade with no
 * native WebAssembly: `hash-wasm` (clang-built wasm binaries embedded in its UMD bundle, loaded through
 * `WebAssembly.compile` + `WebAssembly.instantiate`). The package is loaded fresh by Node's own `require` while
 * the global `WebAssembly` is the facade, and every digest is checked against node:crypto.
 */
type HashWasm = {
  md5(d: string | Uint8Array): Promise<string>;
  sha1(d: string | Uint8Array): Promise<string>;
  sha256(d: string | Uint8Array): Promise<string>;
  sha512(d: string | Uint8Array): Promise<string>;
  sha3(d: string | Uint8Array, bits?: number): Promise<string>;
  blake2b(d: string | Uint8Array, bits?: number): Promise<string>;
  createSHA256(): Promise<{ init(): unknown; update(d: Uint8Array): unknown; digest(): string }>;
  createHMAC(
    h: Promise<unknown>,
    key: string,
  ): Promise<{ init(): unknown; update(d: string): unknown; digest(): string }>;
};

const facade = ((facadeModule as Record<string, unknown>)['WebAssembly'] ??
  (facadeModule as Record<string, unknown>)['default'] ??
  facadeModule) as typeof WebAssembly;

const require = createRequire(import.meta.url);
const calls = { compile: 0, instantiate: 0 };
let saved: PropertyDescriptor | undefined;
let hashwasm: HashWasm;

function bytes(n: number, seed: number): Uint8Array {
  const out = new Uint8Array(n);
  let x = seed;
  for (let i = 0; i < n; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}

const reference = (algo: string, data: string | Uint8Array): string => createHash(algo).update(data).digest('hex');

describe('hash-wasm, unmodified, on the WebAssembly facade', { timeout: 30_000 }, () => {
  beforeAll(() => {
    expect(facade.Module).not.toBe((globalThis as { WebAssembly?: typeof WebAssembly }).WebAssembly?.Module);
    saved = Object.getOwnPropertyDescriptor(globalThis, 'WebAssembly');
    const counting = Object.assign(Object.create(null) as Record<string, unknown>, facade, {
      compile: (...a: Parameters<typeof WebAssembly.compile>) => {
        calls.compile++;
        return facade.compile(...a);
      },
      instantiate: (...a: [never, never]) => {
        calls.instantiate++;
        return (facade.instantiate as (...x: unknown[]) => unknown)(...a);
      },
    });
    // The host now has no native WebAssembly: only the facade answers to the name.
    Object.defineProperty(globalThis, 'WebAssembly', { value: counting, configurable: true, writable: true });
    const entry = require.resolve('hash-wasm');
    delete require.cache[entry];
    hashwasm = require(entry) as HashWasm;
  });

  afterAll(() => {
    // Under `node --jitless` there was no WebAssembly global to restore.
    if (saved) Object.defineProperty(globalThis, 'WebAssembly', saved);
    else delete (globalThis as { WebAssembly?: unknown }).WebAssembly;
  });

  const inputs: Array<[string, string | Uint8Array]> = [
    ['empty', ''],
    ['abc', 'abc'],
    ['unicode text', 'Fayger runs BuF artifacts — ünïcödé ✓'],
    ['20 KB of bytes', bytes(20_000, 7)],
  ];

  it.each(inputs)(
    'md5, sha1, sha256, sha512 of %s match node:crypto',
    async (_, data) => {
      expect(await hashwasm.md5(data)).toBe(reference('md5', data));
      expect(await hashwasm.sha1(data)).toBe(reference('sha1', data));
      expect(await hashwasm.sha256(data)).toBe(reference('sha256', data));
      expect(await hashwasm.sha512(data)).toBe(reference('sha512', data));
    },
    // 12.5 s in CI at load ~10; over the describe's 30 s at load ~25 (seen twice): bounded by input size, not time.
    120_000,
  );

  it.each(inputs)(
    'sha3-256 and blake2b-512 of %s match node:crypto',
    async (_, data) => {
      expect(await hashwasm.sha3(data, 256)).toBe(reference('sha3-256', data));
      expect(await hashwasm.blake2b(data, 512)).toBe(reference('blake2b512', data));
      // Bounded by input size, not time: sized for a loaded 2-core machine (load ≈ 12), not vitest's 5 s default.
    },
    120_000,
  );

  it('streams sha256 across chunk boundaries and computes HMAC-SHA256', async () => {
    const data = bytes(12_000, 3);
    const h = await hashwasm.createSHA256();
    h.init();
    for (let i = 0; i < data.length; i += 1021) h.update(data.subarray(i, i + 1021));
    expect(h.digest()).toBe(reference('sha256', data));

    const mac = await hashwasm.createHMAC(hashwasm.createSHA256(), 'secret key');
    mac.init();
    mac.update('message to authenticate');
    expect(mac.digest()).toBe(createHmac('sha256', 'secret key').update('message to authenticate').digest('hex'));
  });

  it('went through the facade', () => {
    expect(calls.compile).toBeGreaterThanOrEqual(6);
    expect(calls.instantiate).toBeGreaterThanOrEqual(6);
  });
});
