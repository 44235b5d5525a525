import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { WASI } from 'node:wasi';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkExample, type ExampleCheck } from '@fayger/build-examples';

const dir = fileURLToPath(new URL('..', import.meta.url));

describe('examples/wasi-c artifact', () => {
  let c: ExampleCheck;
  it('is a valid wasm32-wasi command importing only the documented WASI subset', async () => {
    c = await checkExample(dir, 'wasi-c.wasm');
    expect(c.valid).toBe(true);
    expect(c.importProblems).toEqual([]);
    expect(c.imports.every((i) => i.module === 'wasi_snapshot_preview1')).toBe(true);
    expect(c.imports.map((i) => i.name)).toEqual(
      expect.arrayContaining(['path_open', 'fd_read', 'fd_write', 'environ_get', 'args_get', 'proc_exit']),
    );
    expect(c.exports).toEqual(expect.arrayContaining(['_start', 'memory']));
  });

  it('packs into a .buf that verifies against the dev trusted roots, entry = the module', () => {
    expect(c.buf.signature.signatureCount).toBe(1);
    expect(c.buf.manifest.entry).toEqual({ section: 'main', export: '_start' });
    expect(Buffer.from(c.entryCode).equals(Buffer.from(c.wasm))).toBe(true);
    expect(Object.fromEntries(c.buf.manifest.capabilities.map((x) => [x.name, x.required]))).toEqual({
      stdio: true,
      'fs.read': true,
      env: false,
    });
  });
});

// The checked-in binary behaves as documented under a stock WASI host (Node's), independent of Fayger.
describe('examples/wasi-c under node:wasi', () => {
  let data: string;
  let out: string;
  let wasm: Uint8Array<ArrayBuffer>;
  beforeAll(async () => {
    wasm = new Uint8Array(await readFile(join(dir, 'wasi-c.wasm')));
    data = await mkdtemp(join(tmpdir(), 'fayger-wasi-c-'));
    out = await mkdtemp(join(tmpdir(), 'fayger-wasi-c-out-'));
    await writeFile(join(data, 'input.txt'), 'hello world\n  two   words\n\nlast line no newline');
  });
  afterAll(async () => {
    await rm(data, { recursive: true, force: true });
    await rm(out, { recursive: true, force: true });
  });

  async function run(args: string[], env: Record<string, string> = {}) {
    const { openSync, readFileSync, closeSync } = await import('node:fs');
    const stdoutPath = join(out, `stdout-${args.length}-${Object.keys(env).length}`);
    const stderrPath = `${stdoutPath}.err`;
    const so = openSync(stdoutPath, 'w');
    const se = openSync(stderrPath, 'w');
    const wasi = new WASI({
      version: 'preview1',
      args: ['wasi-c', ...args],
      env,
      preopens: { '/data': data },
      stdout: so,
      stderr: se,
      returnOnExit: true,
    });
    const instance = await WebAssembly.instantiate(
      new WebAssembly.Module(wasm),
      wasi.getImportObject() as WebAssembly.Imports,
    );
    const code = wasi.start(instance);
    closeSync(so);
    closeSync(se);
    return { code, stdout: readFileSync(stdoutPath, 'utf8'), stderr: readFileSync(stderrPath, 'utf8') };
  }

  it('counts lines, words and bytes of a file in the preopened directory', async () => {
    expect(await run(['/data/input.txt'])).toEqual({ code: 0, stdout: '3 8 47 /data/input.txt\n', stderr: '' });
  });

  it('prefixes the label from WC_LABEL', async () => {
    expect((await run(['/data/input.txt'], { WC_LABEL: 'demo' })).stdout).toBe('demo: 3 8 47 /data/input.txt\n');
  });

  it('exits 2 with a reason for a path outside the preopens, 1 without an argument', async () => {
    const denied = await run(['/etc/passwd']);
    expect(denied.code).toBe(2);
    expect(denied.stderr).toMatch(/^wasi-c: cannot open \/etc\/passwd: /);
    const usage = await run([]);
    expect(usage.code).toBe(1);
    expect(usage.stderr).toBe('usage: wasi-c <file>\n');
  });
});
