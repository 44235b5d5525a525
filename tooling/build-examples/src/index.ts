// Build helper for the Fayger examples (private): dev key, packing, and artifact checks used by the
// examples' tests.
export { findRepoRoot } from './repo.js';
export { ensureDevKey, devKeyPaths, EXAMPLES_PUBLISHER } from './dev-key.js';
export type { DevKey } from './dev-key.js';
export { packExample } from './pack.js';
export { readWasmImports } from './wasm-imports.js';
export type { WasmImport } from './wasm-imports.js';
export { parseAbiDoc } from './abi-doc.js';
export type { DocumentedAbi, DocumentedFunction } from './abi-doc.js';
export { checkGuestImports } from './check.js';
export { verifyExampleBuf } from './verify.js';
export { checkExample } from './example-check.js';
export type { ExampleCheck } from './example-check.js';
export { runExample } from './run.js';
export type { RunExampleOptions } from './run.js';
