import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkGuestImports, parseAbiDoc, readWasmImports } from '@fayger/build-examples';
import { F64, I32, moduleWithImports } from './support.js';

const abiMd = fileURLToPath(new URL('../../../docs/abi.md', import.meta.url));

describe('docs/abi.md as the import allow-list', () => {
  it('reads every fayger function with its signature and the WASI subset names', async () => {
    const abi = parseAbiDoc(await readFile(abiMd, 'utf8'));
    expect([...abi.fayger.keys()].sort()).toEqual([
      'blob_len',
      'blob_read',
      'call',
      'clock_now',
      'exit',
      'has_capability',
      'log',
      'random_fill',
      'result_len',
      'result_read',
      'sleep_ms',
    ]);
    expect(abi.fayger.get('call')).toEqual({ params: ['i32', 'i32', 'i32', 'i32'], results: ['i32'] });
    expect(abi.fayger.get('clock_now')).toEqual({ params: ['i32'], results: ['f64'] });
    expect(abi.fayger.get('exit')).toEqual({ params: ['i32'], results: [] });
    expect(abi.fayger.get('result_len')).toEqual({ params: [], results: ['i32'] });
    for (const n of [
      'fd_write',
      'fd_read',
      'path_open',
      'proc_exit',
      'environ_get',
      'args_get',
      'fd_prestat_dir_name',
      'poll_oneoff',
      'sched_yield',
      'random_get',
      'clock_time_get',
    ]) {
      expect(abi.wasi.has(n), n).toBe(true);
    }
    expect(abi.wasi.has('sock_open')).toBe(false);
  });

  it('flags undocumented imports, wrong signatures and foreign modules; passes conforming ones', async () => {
    const abi = parseAbiDoc(await readFile(abiMd, 'utf8'));
    const wasm = moduleWithImports([
      { module: 'fayger', name: 'log', params: [I32, I32, I32], results: [I32] },
      { module: 'fayger', name: 'clock_now', params: [I32], results: [I32] },
      { module: 'fayger', name: 'secret', params: [], results: [] },
      { module: 'wasi_snapshot_preview1', name: 'fd_write', params: [I32, I32, I32, I32], results: [I32] },
      { module: 'wasi_snapshot_preview1', name: 'sock_open', params: [I32, I32, I32], results: [I32] },
      { module: 'env', name: 'abort', params: [I32, I32, I32, I32], results: [] },
      { module: 'fayger', name: 'sleep_ms', params: [F64], results: [I32] },
    ]);
    expect(WebAssembly.validate(wasm)).toBe(true);
    const imports = readWasmImports(wasm);
    expect(imports[1]).toEqual({
      module: 'fayger',
      name: 'clock_now',
      kind: 'func',
      params: ['i32'],
      results: ['i32'],
    });
    expect(checkGuestImports(imports, abi)).toEqual([
      'fayger.clock_now: signature (i32) -> (i32), docs/abi.md says (i32) -> (f64)',
      'fayger.secret: not a documented fayger function',
      'wasi_snapshot_preview1.sock_open: not in the documented WASI preview1 subset',
      'env.abort: module "env" is not part of the guest ABI',
    ]);
  });

  it('refuses bytes that are not a module', () => {
    expect(() => readWasmImports(new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]))).toThrow(/not a wasm module/);
    expect(() =>
      readWasmImports(moduleWithImports([{ module: 'm', name: 'f', params: [I32], results: [] }]).subarray(0, 14)),
    ).toThrow(/unexpected end|past the end/);
  });
});
