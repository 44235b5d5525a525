export type {
  Classified,
  CompiledModule,
  EngineAdapter,
  FailureCode,
  ModuleInstance,
  NumType,
  NumValue,
  RefType,
  RefValue,
  ValType,
  WasmValue,
} from './types.js';
export { conformanceDir, isSimd, listScripts, repoRoot, suiteDir, SUITE } from './corpus.js';
export { createEngine, ENGINE_NAMES, type EngineName } from './engines/create-engine.js';
export { HostRefs, NativeEngine } from './engines/native.js';
export { expectedModuleCode, expectedTrapCode } from './expected-codes.js';
export {
  loadScript,
  runScript,
  type CommandOutcome,
  type CommandStatus,
  type Script,
  type ScriptAction,
  type ScriptCommand,
  type ScriptResult,
} from './run-script.js';
export { runSuite, summaryLine, type SkippedScript, type SuiteOptions, type SuiteReport } from './run-suite.js';
export {
  expectationType,
  formatExpectation,
  formatValue,
  matches,
  parseArg,
  parseExpectation,
  type Expectation,
  type ScriptValue,
} from './values.js';
export * from './wasi-suite.js';
