// Test support, consumed as TypeScript source by the vitest suites of @fayger/interpreter and @fayger/transpiler
// (devDependency): one random-module generator for every engine's differential tests, never a copy per package.
export { HOST_IMPORTS, generateArgs, generateModule, type GeneratedModule, type NumType } from './generate-module.js';
export { hostImplementations } from './host-imports.js';
export { Prng } from './prng.js';
export { describeFacade, type FacadeSuiteOptions } from './facade-suite.js';
