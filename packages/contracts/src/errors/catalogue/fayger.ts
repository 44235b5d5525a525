import type { ErrorCodeInfo } from '../types.js';

/** Codes raised by the composition root (the `fayger` package and `fayger run`). */
export const faygerCodes = {
  FAYGER_TRUST_ROOTS_UNREADABLE: {
    layer: 'cli',
    title: 'The trusted-roots file could not be read.',
    remedy:
      'Check the path given as trusted roots (e.g. --trusted-roots) and its permissions; `fayger keygen --roots <file>` creates one.',
  },
  FAYGER_APP_STATE_UNBOUND: {
    layer: 'cli',
    title:
      'An fs or kv call came from an instance the Node host cannot attribute to an app (publisher, id), so it has no state directory to use.',
    remedy:
      'Start instances through fayger.start (createNodeFayger binds each to its app), or pass appOf to nodeAdapterCandidates.',
  },
  FAYGER_MOUNT_INVALID: {
    layer: 'cli',
    title: 'A host directory to mount for the guest (--dir HOST[::GUEST][:ro]) is not usable.',
    remedy:
      'Give an existing host directory and an absolute guest path, e.g. --dir ./work::/data or --dir ./in::/in:ro.',
  },
  FAYGER_MODULE_INVALID: {
    layer: 'cli',
    title: 'A bare WebAssembly module given to run is not a readable wasm32 command module.',
    remedy:
      'Give a WebAssembly binary (magic \\0asm, version 1) that exports _start, e.g. a C or Rust program built for wasm32-wasip1.',
  },
  FAYGER_SOURCE_UNSUPPORTED: {
    layer: 'cli',
    title: 'The artifact reference is neither a BufSource, bytes, an http(s) URL nor a path this host can open.',
    remedy: 'Pass a BufSource, a Uint8Array or a URL; paths need fayger/node (createNodeFayger).',
  },
  FAYGER_ENGINE_UNAVAILABLE: {
    layer: 'cli',
    title:
      'The execution engine forced by the embedder (createFayger `engine`, `fayger run --engine`) cannot run on this host.',
    remedy:
      "Use `engine: 'auto'` (`--engine auto`) to let the router pick, or `interpreter`, which runs everywhere; the transpiler needs `new Function` (no CSP without unsafe-eval).",
  },
  FAYGER_CLOSED: {
    layer: 'cli',
    title: 'The Fayger instance was used after close().',
    remedy: 'Create a new instance with createFayger / createNodeFayger.',
  },
} as const satisfies Record<string, ErrorCodeInfo>;
