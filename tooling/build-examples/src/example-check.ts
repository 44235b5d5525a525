import { readFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import type { LoadedBuf } from '@fayger/contracts';
import { parseAbiDoc } from './abi-doc.js';
import { checkGuestImports } from './check.js';
import { devKeyPaths } from './dev-key.js';
import { findRepoRoot } from './repo.js';
import { verifyExampleBuf } from './verify.js';
import { readWasmImports, type WasmImport } from './wasm-imports.js';

export interface ExampleCheck {
  wasm: Uint8Array;
  valid: boolean;
  imports: WasmImport[];
  exports: string[];
  /** Imports not documented by docs/abi.md (empty when the guest conforms). */
  importProblems: string[];
  /** The packed artifact, loaded and verified against the dev trusted roots. */
  buf: LoadedBuf;
  /** Bytes of the manifest entry's code section. */
  entryCode: Uint8Array;
}

/** Everything an example's test asserts on: its module against docs/abi.md and its signed .buf. */
export async function checkExample(exampleDir: string, wasmPath: string): Promise<ExampleCheck> {
  const dir = resolve(exampleDir);
  const root = findRepoRoot(dir);
  const wasm = new Uint8Array(await readFile(join(dir, wasmPath)));
  const valid = WebAssembly.validate(wasm);
  const imports = readWasmImports(wasm);
  const exports = valid ? WebAssembly.Module.exports(new WebAssembly.Module(wasm)).map((e) => e.name) : [];
  const abi = parseAbiDoc(await readFile(join(root, 'docs', 'abi.md'), 'utf8'));
  const buf = await verifyExampleBuf(join(dir, 'dist', `${basename(dir)}.buf`), devKeyPaths(root).rootsFile);
  const entryCode = await buf.section(buf.manifest.entry.section);
  return { wasm, valid, imports, exports, importProblems: checkGuestImports(imports, abi), buf, entryCode };
}
