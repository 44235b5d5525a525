// @ts-check
/**
 * Fayger's layer rules (architecture §2.3, DESIGN.md decision 6) as code. CI runs
 * `pnpm lint:deps` (= `depcruise --config .dependency-cruiser.cjs packages`); `tooling/layer-rules` plants one
 * violation per rule in a fixture tree and checks each is reported under its rule name.
 *
 * Scope: the layer rules apply to each package's `src/` (what ships). Tests and benches may import anything
 * their package.json declares, devDependencies included.
 *
 * Every planned package is named here, including those not written yet, so the rules exist before the code.
 * Adding a package means adding it to PACKAGES below (with its allowed @fayger dependencies).
 *
 * What cannot be seen as an import: DOM use. `document`, `window`, `fetch` are globals, so no rule here can
 * catch them. The runtime, interpreter and adapter-core packages must therefore drop the DOM lib in their
 * tsconfig.json (`"lib": ["ES2022"]`, and `"types": []` so @types/node globals are not visible either) so the
 * type checker rejects host globals there; adapter-browser and adapter-in-app keep DOM. Whoever creates those
 * packages owns that setting.
 */
const path = require('node:path');

/**
 * @typedef {object} PackageRule
 * @property {string[]} fayger   @fayger packages it may import (besides itself); '*' = anything (composition roots).
 * @property {'never' | 'anywhere' | string[]} nodeBuiltins  where src/ may import Node builtins: nowhere,
 *   anywhere, or only under these src-relative folders (the package's Node-only module).
 * @property {string} note  why, shown in the rule comment.
 */

const NO_DOM =
  " DOM globals are not imports and cannot be caught here: this package's tsconfig.json must drop the DOM lib " +
  '("lib": ["ES2022"], "types": []) so the type checker rejects them.';

// Host SDKs other than Node builtins are ordinary npm dependencies of the adapter that uses them; no rule needed.
/** @type {Record<string, PackageRule>} */
const PACKAGES = {
  contracts: {
    fayger: [],
    nodeBuiltins: 'never',
    note: 'the dependency-free contract package everyone codes against (typebox aside)',
  },
  observability: {
    fayger: ['contracts'],
    nodeBuiltins: 'never',
    note: 'cross-cutting; the layers reach it only through the EventSink port; runs in browsers',
  },
  otel: {
    fayger: ['contracts'],
    nodeBuiltins: 'never',
    note: 'cross-cutting OpenTelemetry sink: @opentelemetry/api (a peer) and contracts only; runs in browsers',
  },
  security: {
    fayger: ['contracts'],
    nodeBuiltins: ['node', 'platform/node'],
    note: 'cross-cutting; the loader reaches it only through the security ports',
  },
  loader: {
    fayger: ['contracts'],
    nodeBuiltins: ['node'],
    note: 'hands off to the runtime through contracts types, never by importing it',
  },
  runtime: {
    fayger: ['contracts'],
    nodeBuiltins: 'never',
    note: 'never the loader (§2.3), an interpreter, an adapter or a host SDK.' + NO_DOM,
  },
  // The engine-neutral WebAssembly core both execution strategies share (decoder, validator, module IR, the
  // memory/table/global objects, traps, SIMD lanes, the start driver, the JS-API facade base).
  wasm: {
    fayger: ['contracts'],
    nodeBuiltins: 'never',
    note: 'the WebAssembly core shared by the interpreter and the transpiler; runs on every host.' + NO_DOM,
  },
  interpreter: {
    fayger: ['contracts', 'wasm'],
    nodeBuiltins: 'never',
    note: 'pure TypeScript, runs where JIT and WebAssembly are forbidden; never the transpiler.' + NO_DOM,
  },
  transpiler: {
    fayger: ['contracts', 'wasm'],
    nodeBuiltins: 'never',
    note:
      'pure TypeScript WebAssembly-to-JavaScript strategy; contracts and the shared @fayger/wasm core only, never the interpreter.' +
      NO_DOM,
  },
  'adapter-core': {
    fayger: ['contracts'],
    nodeBuiltins: 'never',
    note: 'what third-party adapters build on: no host SDK.' + NO_DOM,
  },
  // Shared Node host services: adapters may not import each other, so what server and desktop share lives here.
  'node-host': {
    fayger: ['contracts', 'adapter-core'],
    nodeBuiltins: 'anywhere',
    note: 'Node host services shared by the Node adapters; never runtime, loader, interpreter or an adapter',
  },
  'adapter-server': {
    fayger: ['contracts', 'adapter-core', 'node-host'],
    nodeBuiltins: 'anywhere',
    note: 'Node host; never runtime, loader, interpreter or another adapter',
  },
  'adapter-desktop': {
    fayger: ['contracts', 'adapter-core', 'node-host'],
    nodeBuiltins: 'anywhere',
    note: 'Node host with a terminal; never runtime, loader, interpreter or another adapter',
  },
  'adapter-browser': {
    fayger: ['contracts', 'adapter-core'],
    nodeBuiltins: 'never',
    note: 'web page host (DOM); never runtime, loader, interpreter or another adapter',
  },
  'adapter-in-app': {
    fayger: ['contracts', 'adapter-core'],
    nodeBuiltins: 'never',
    note: 'WebView / JS engine reached through a bridge; never runtime, loader, interpreter or another adapter',
  },
  // Composition roots: they wire implementations together, so they may depend on anything.
  cli: { fayger: ['*'], nodeBuiltins: 'anywhere', note: 'composition root (command line)' },
  fayger: { fayger: ['*'], nodeBuiltins: 'anywhere', note: 'composition root (embedding API)' },
};

const ADAPTERS = ['adapter-server', 'adapter-desktop', 'adapter-browser', 'adapter-in-app'];

const esc = (s) => s.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
const alt = (names) => names.map(esc).join('|');

/**
 * A dependency on a @fayger package other than `allowed`, however it is written: resolved to the package's
 * folder (through the workspace symlink), through node_modules, or unresolved (not declared or not built).
 */
function faygerPackageOtherThan(allowed) {
  const ok = alt(allowed);
  return [`^packages/(?!(${ok})/)[^/]+/`, `(^|/)node_modules/@fayger/(?!(${ok})/)`, `^@fayger/(?!(${ok})(/|$))`];
}

/** @type {import('dependency-cruiser').IForbiddenRuleType[]} */
const layerRules = [];
for (const [name, rule] of Object.entries(PACKAGES)) {
  if (rule.fayger.includes('*')) continue;
  const src = `^packages/${esc(name)}/src/`;
  // adapter-X: other adapters have their own rule (adapter-x-no-other-adapter) so each edge is reported once.
  const isAdapterX = ADAPTERS.includes(name);
  const allowed = rule.fayger.map((p) => `@fayger/${p}`).join(' and ');
  layerRules.push({
    name:
      rule.fayger.length === 0
        ? `${name}-no-fayger`
        : isAdapterX
          ? `${name}-core-contracts-only`
          : `${name}-contracts-only`,
    severity: 'error',
    comment: `${name} may import ${allowed ? `${allowed} only` : 'no @fayger package'}: ${rule.note}`,
    from: { path: src },
    to: { path: faygerPackageOtherThan(isAdapterX ? [...rule.fayger, name, ...ADAPTERS] : [...rule.fayger, name]) },
  });
  if (rule.nodeBuiltins === 'anywhere') continue;
  if (rule.nodeBuiltins === 'never') {
    layerRules.push({
      name: `${name}-no-node-builtins`,
      severity: 'error',
      comment: `${name} must run on every host (browsers, in-app JS engines): no node:* or other Node builtin in src/.`,
      from: { path: src },
      to: { dependencyTypes: ['core'] },
    });
  } else {
    layerRules.push({
      name: `${name}-node-builtins-only-in-node-module`,
      severity: 'error',
      comment: `${name} may use Node builtins only in its Node-only module (${rule.nodeBuiltins.map((d) => `src/${d}/**`).join(' or ')}); the rest must run in browsers.`,
      from: { path: src, pathNot: `^packages/${esc(name)}/src/(${alt(rule.nodeBuiltins)})/` },
      to: { dependencyTypes: ['core'] },
    });
  }
}

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    ...layerRules,
    {
      name: 'contracts-npm-typebox-only',
      severity: 'error',
      comment: 'contracts is what third parties code against: its only npm dependency is typebox.',
      from: { path: '^packages/contracts/src/' },
      to: {
        dependencyTypes: ['npm', 'npm-dev', 'npm-peer', 'npm-optional', 'npm-no-pkg', 'npm-unknown'],
        pathNot: 'node_modules/typebox/',
      },
    },
    {
      name: 'adapter-x-no-other-adapter',
      severity: 'error',
      comment: 'A Platform_Adapter builds on adapter-core only; adding or changing one host must not touch another.',
      from: { path: `^packages/(${alt(ADAPTERS)})/src/` },
      to: {
        path: [
          `^packages/(${alt(ADAPTERS)})/`,
          `(^|/)node_modules/@fayger/(${alt(ADAPTERS)})/`,
          `^@fayger/(${alt(ADAPTERS)})(/|$)`,
        ],
        pathNot: '^packages/$1/',
      },
    },
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'Cycles make layers inseparable and initialisation order fragile.',
      from: { path: '^packages/' },
      to: { circular: true },
    },
    {
      name: 'no-relative-cross-package',
      severity: 'error',
      comment:
        "Reaching into another package by relative path (../../x/src) bypasses its public API; import '@fayger/x'.",
      from: { path: '^packages/([^/]+)/' },
      to: { path: '^packages/', pathNot: '^packages/$1/', dependencyTypes: ['local'] },
    },
    {
      name: 'no-deep-import',
      severity: 'error',
      comment:
        "Only a package's exports map is public: '@fayger/x/src/...' or '@fayger/x/dist/...' is a deep import (internals are not exported, so it cannot resolve).",
      from: { path: '^packages/' },
      to: { couldNotResolve: true, path: '^@fayger/[^/]+/.' },
    },
    {
      name: 'src-no-dev-dependencies',
      severity: 'error',
      comment:
        'Shipped code (src/) may not import devDependencies: they are not installed for users. Tests and benches may.',
      from: { path: '^packages/[^/]+/src/' },
      to: { dependencyTypes: ['npm-dev'] },
    },
    {
      name: 'no-undeclared-dependency',
      severity: 'error',
      comment:
        "An import of an npm package missing from the importing package's package.json (works only by hoisting luck).",
      from: { path: '^packages/[^/]+/src/' },
      to: { dependencyTypes: ['npm-no-pkg', 'npm-unknown'] },
    },
    {
      name: 'no-unresolvable',
      severity: 'error',
      comment: 'An import that does not resolve (typo, missing dependency, package not built).',
      from: { path: '^packages/' },
      // Deep @fayger/x/... imports are reported by no-deep-import instead. An unresolved '@fayger/x' stays here:
      // in this workspace it means the importing package.json does not declare x.
      to: { couldNotResolve: true, pathNot: '^@fayger/[^/]+/.' },
    },
  ],
  options: {
    doNotFollow: { path: ['node_modules'] },
    // Not node_modules here: exclude also drops workspace imports, whose unresolved path runs through node_modules.
    exclude: { path: ['(^|/)dist/', '(^|/)coverage/', '(^|/)bench-results/'] },
    tsPreCompilationDeps: true,
    // `process.getBuiltinModule('fs')` is a Node builtin import too.
    detectProcessBuiltinModuleCalls: true,
    tsConfig: { fileName: path.join(__dirname, 'tsconfig.base.json') },
    // dependency-cruiser does not read pnpm-workspace.yaml; the root package.json lists "workspaces".
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['@fayger/source', 'import', 'require', 'default'],
      mainFields: ['module', 'main', 'types'],
    },
    skipAnalysisNotInRules: true,
    reporterOptions: { text: { highlightFocused: true } },
  },
};
