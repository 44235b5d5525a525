// Internal re-export so modules inside contracts import the error type without a cycle through index.ts.
export { FaygerError } from './errors/fayger-error.js';
export type { ErrorCode } from './errors/registry.js';
