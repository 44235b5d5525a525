import type { DocumentedAbi } from './abi-doc.js';
import type { WasmImport } from './wasm-imports.js';

/**
 * Problems with a guest's imports against the documented ABI: every import must be a function of the
 * `fayger` module (with the documented signature) or of the documented WASI subset. Empty means conforming.
 */
export function checkGuestImports(imports: WasmImport[], abi: DocumentedAbi): string[] {
  const problems: string[] = [];
  for (const imp of imports) {
    const label = `${imp.module}.${imp.name}`;
    if (imp.kind !== 'func') {
      problems.push(`${label}: imports a ${imp.kind}; the ABI has only function imports (memory is exported)`);
      continue;
    }
    if (imp.module === 'fayger') {
      const doc = abi.fayger.get(imp.name);
      if (!doc) problems.push(`${label}: not a documented fayger function`);
      else {
        const got = `(${imp.params!.join(',')}) -> (${imp.results!.join(',')})`;
        const want = `(${doc.params.join(',')}) -> (${doc.results.join(',')})`;
        if (got !== want) problems.push(`${label}: signature ${got}, docs/abi.md says ${want}`);
      }
    } else if (imp.module === 'wasi_snapshot_preview1') {
      if (!abi.wasi.has(imp.name)) problems.push(`${label}: not in the documented WASI preview1 subset`);
    } else {
      problems.push(`${label}: module ${JSON.stringify(imp.module)} is not part of the guest ABI`);
    }
  }
  return problems;
}
