import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkExample, type ExampleCheck } from '@fayger/build-examples';

const dir = fileURLToPath(new URL('..', import.meta.url));

describe('examples/http-echo artifact', () => {
  let c: ExampleCheck;
  it('builds a valid module that imports only documented ABI functions', async () => {
    c = await checkExample(dir, 'dist/http-echo.wasm');
    expect(c.valid).toBe(true);
    expect(c.importProblems).toEqual([]);
    expect(c.imports.map((i) => `${i.module}.${i.name}`).sort()).toEqual([
      'fayger.blob_len',
      'fayger.blob_read',
      'fayger.call',
      'fayger.exit',
      'fayger.has_capability',
      'fayger.log',
      'fayger.result_len',
      'fayger.result_read',
    ]);
    expect(c.exports.sort()).toEqual(['_start', 'memory']);
  });

  it('packs into a .buf that verifies against the dev trusted roots, entry = the module', () => {
    expect(c.buf.signature.signatureCount).toBe(1);
    expect(c.buf.manifest.entry).toEqual({ section: 'main', export: '_start' });
    expect(c.buf.manifest.runtime.interface).toBe('^1.0.0');
    expect(Buffer.from(c.entryCode).equals(Buffer.from(c.wasm))).toBe(true);
    expect(Object.fromEntries(c.buf.manifest.capabilities.map((x) => [x.name, x.required]))).toEqual({
      'net.listen': true,
      log: true,
      app: true,
      env: false,
    });
  });
});
