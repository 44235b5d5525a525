import type { AnyFaygerEvent, CapabilityRequest, LoadedBuf, Manifest, ManifestQuotas } from '@fayger/contracts';
import { createInterpreterImplementation } from '@fayger/interpreter';
import { createTranspilerImplementation } from '@fayger/transpiler';
import { createRequire } from 'node:module';
import { createRuntime, type RuntimeOptions } from '../../src/index.js';
import { FakeBus, type FakeBusOptions } from './fake-bus.js';

// wabt is CommonJS; its factory resolves to the emscripten module.
const wabt = await (createRequire(import.meta.url)('wabt') as () => Promise<WabtModule>)();

interface WabtModule {
  parseWat(
    name: string,
    text: string,
    features?: Record<string, boolean>,
  ): { toBinary(o: object): { buffer: Uint8Array }; destroy(): void };
}

/** Assembles a WAT module to wasm bytes. */
export function wat(text: string): Uint8Array {
  const mod = wabt.parseWat('guest.wat', text, { bulk_memory: true, mutable_globals: true, sign_extension: true });
  try {
    const { buffer } = mod.toBinary({});
    return new Uint8Array(buffer);
  } finally {
    mod.destroy();
  }
}

export interface GuestSpec {
  code: Uint8Array;
  capabilities?: CapabilityRequest[];
  quotas?: ManifestQuotas;
  entry?: string;
  id?: string;
  runtime?: Manifest['runtime'];
}

/** A LoadedBuf hand-off object as the loader produces it, built in memory around one code section. */
export function loadedBuf(spec: GuestSpec): LoadedBuf {
  const manifest: Manifest = {
    id: spec.id ?? 'test.guest',
    version: '1.0.0',
    publisher: 'tests',
    runtime: spec.runtime ?? { interface: '^1.0.0' },
    entry: { section: 'code', export: spec.entry ?? '_start' },
    capabilities: spec.capabilities ?? [],
    quotas: spec.quotas ?? {},
    security: { sequence: 1 },
  };
  const section = {
    id: 0,
    kind: 'code' as const,
    name: 'code',
    required: true,
    hosts: [],
    features: [],
    locales: [],
    priority: 0,
    dependsOn: [],
    offset: 0,
    storedLength: spec.code.byteLength,
    rawLength: spec.code.byteLength,
    digest: new Uint8Array(32),
    chunkSize: 0,
    infoFlags: 0,
  };
  return {
    header: {
      formatMajor: 1,
      formatMinor: 0,
      criticalFlags: 0,
      optionalFlags: 0,
      digestAlgorithm: 'sha256',
      alignment: 8,
      totalLength: 0,
      manifestOffset: 0,
      manifestLength: 0,
      indexOffset: 0,
      indexLength: 0,
    },
    manifest,
    manifestBytes: new Uint8Array(0),
    version: { format: { major: 1, minor: 0 }, runtimeInterface: '1.0.0', requestedRange: manifest.runtime.interface },
    sections: [section],
    selection: { entries: [], includedBytes: spec.code.byteLength, loadOrder: [0] },
    signature: { signatureCount: 0, keyIds: [], rootDigest: new Uint8Array(32), result: { ok: true } as never },
    strategy: 'eager',
    has: (n) => n === 'code' || n === 0,
    section: async (n) => {
      if (n !== 'code' && n !== 0) throw new Error(`section ${String(n)} not selected`);
      return spec.code;
    },
    sectionRange: async (_n, o, l) => spec.code.slice(o, o + l),
  };
}

/**
 * The engine the suite runs on: the interpreter, or the transpiler with FAYGER_TEST_ENGINE=transpiler
 * (`pnpm test:transpiler`): every quota and ABI test must hold under both execution strategies.
 */
export const TEST_ENGINE = process.env['FAYGER_TEST_ENGINE'] === 'transpiler' ? 'transpiler' : 'interpreter';
export const TEST_IMPLEMENTATION_ID = TEST_ENGINE === 'transpiler' ? 'fayger-transpiler' : 'fayger-interpreter';
const testImplementation = () =>
  TEST_ENGINE === 'transpiler' ? createTranspilerImplementation() : createInterpreterImplementation();

export function setup(opts: Partial<RuntimeOptions> & { bus?: FakeBus; busOptions?: FakeBusOptions } = {}) {
  const bus = opts.bus ?? new FakeBus(opts.busOptions);
  const events: AnyFaygerEvent[] = [];
  const runtime = createRuntime({
    implementations: [testImplementation()],
    events: { emit: (e) => events.push(e) },
    ...opts,
    bus,
  });
  return { bus, events, runtime };
}

export const cap = (name: string, extra: Partial<CapabilityRequest> = {}): CapabilityRequest => ({
  name,
  required: true,
  ...extra,
});

/** WAT data-segment string escaping. */
export function str(s: string): string {
  return [...new TextEncoder().encode(s)].map((b) => `\\${b.toString(16).padStart(2, '0')}`).join('');
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Builds a guest that imports the whole fayger module. `{name}` in `body` expands to the pointer and length
 * of `strings[name]` (two i32.const); `(call $show)` logs the pending result at level info.
 */
export function faygerGuest(body: string, strings: Record<string, string> = {}, extra = ''): Uint8Array {
  let off = 1024;
  const data: string[] = [];
  let text = body;
  for (const [name, value] of Object.entries(strings)) {
    const len = new TextEncoder().encode(value).byteLength;
    data.push(`(data (i32.const ${off}) "${str(value)}")`);
    text = text.replaceAll(`{${name}}`, `(i32.const ${off}) (i32.const ${len})`);
    off += len + 8;
  }
  return wat(`(module
  (import "fayger" "call" (func $call (param i32 i32 i32 i32) (result i32)))
  (import "fayger" "result_len" (func $result_len (result i32)))
  (import "fayger" "result_read" (func $result_read (param i32 i32) (result i32)))
  (import "fayger" "blob_len" (func $blob_len (param i32) (result i32)))
  (import "fayger" "blob_read" (func $blob_read (param i32 i32 i32) (result i32)))
  (import "fayger" "log" (func $log (param i32 i32 i32) (result i32)))
  (import "fayger" "clock_now" (func $clock_now (param i32) (result f64)))
  (import "fayger" "random_fill" (func $random_fill (param i32 i32) (result i32)))
  (import "fayger" "sleep_ms" (func $sleep_ms (param f64) (result i32)))
  (import "fayger" "exit" (func $exit (param i32)))
  (import "fayger" "has_capability" (func $has (param i32 i32) (result i32)))
  (memory (export "memory") 2)
  ${data.join('\n  ')}
  (func $show (drop (call $log (i32.const 2) (i32.const 32768) (call $result_read (i32.const 32768) (i32.const 16384)))))
  ${extra}
  (func (export "_start") (result i32) ${text}))`);
}

const WASI_IMPORTS: Record<string, string> = {
  args_sizes_get: '(param i32 i32) (result i32)',
  args_get: '(param i32 i32) (result i32)',
  environ_sizes_get: '(param i32 i32) (result i32)',
  environ_get: '(param i32 i32) (result i32)',
  clock_time_get: '(param i32 i64 i32) (result i32)',
  clock_res_get: '(param i32 i32) (result i32)',
  random_get: '(param i32 i32) (result i32)',
  fd_write: '(param i32 i32 i32 i32) (result i32)',
  fd_read: '(param i32 i32 i32 i32) (result i32)',
  proc_exit: '(param i32)',
  path_open: '(param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)',
  fd_close: '(param i32) (result i32)',
  fd_seek: '(param i32 i64 i32 i32) (result i32)',
  fd_prestat_get: '(param i32 i32) (result i32)',
  fd_prestat_dir_name: '(param i32 i32 i32) (result i32)',
  fd_filestat_get: '(param i32 i32) (result i32)',
  path_filestat_get: '(param i32 i32 i32 i32 i32) (result i32)',
  fd_readdir: '(param i32 i32 i32 i64 i32) (result i32)',
  poll_oneoff: '(param i32 i32 i32 i32) (result i32)',
  sched_yield: '(result i32)',
  sock_accept: '(param i32 i32 i32) (result i32)',
  sock_recv: '(param i32 i32 i32 i32 i32 i32) (result i32)',
  sock_send: '(param i32 i32 i32 i32 i32) (result i32)',
  sock_shutdown: '(param i32 i32) (result i32)',
  proc_raise: '(param i32) (result i32)',
  fd_advise: '(param i32 i64 i64 i32) (result i32)',
  fd_allocate: '(param i32 i64 i64) (result i32)',
  fd_datasync: '(param i32) (result i32)',
  fd_sync: '(param i32) (result i32)',
  fd_fdstat_get: '(param i32 i32) (result i32)',
  fd_fdstat_set_flags: '(param i32 i32) (result i32)',
  fd_fdstat_set_rights: '(param i32 i64 i64) (result i32)',
  fd_filestat_set_size: '(param i32 i64) (result i32)',
  fd_filestat_set_times: '(param i32 i64 i64 i32) (result i32)',
  fd_pread: '(param i32 i32 i32 i64 i32) (result i32)',
  fd_pwrite: '(param i32 i32 i32 i64 i32) (result i32)',
  fd_renumber: '(param i32 i32) (result i32)',
  fd_tell: '(param i32 i32) (result i32)',
  path_create_directory: '(param i32 i32 i32) (result i32)',
  path_filestat_set_times: '(param i32 i32 i32 i32 i64 i64 i32) (result i32)',
  path_link: '(param i32 i32 i32 i32 i32 i32 i32) (result i32)',
  path_readlink: '(param i32 i32 i32 i32 i32 i32) (result i32)',
  path_remove_directory: '(param i32 i32 i32) (result i32)',
  path_rename: '(param i32 i32 i32 i32 i32 i32) (result i32)',
  path_symlink: '(param i32 i32 i32 i32 i32) (result i32)',
  path_unlink_file: '(param i32 i32 i32) (result i32)',
  /** Not a preview1 function (wasi-threads): links to ENOSYS, or is refused under the strict policy. */
  thread_spawn: '(param i32 i32 i32) (result i32)',
};

/**
 * A wasm32-wasi style guest importing `uses` from wasi_snapshot_preview1 (default: all of the list above).
 * `{name}` expands to ptr/len of `strings[name]`; `(call $print ptr len)` writes to stdout via fd_write.
 */
export function wasiGuest(
  body: string,
  strings: Record<string, string> = {},
  uses: string[] = Object.keys(WASI_IMPORTS).filter((n) => n !== 'thread_spawn'),
): Uint8Array {
  let off = 1024;
  const data: string[] = [];
  let text = body;
  for (const [name, value] of Object.entries(strings)) {
    const len = new TextEncoder().encode(value).byteLength;
    data.push(`(data (i32.const ${off}) "${str(value)}")`);
    text = text.replaceAll(`{${name}}`, `(i32.const ${off}) (i32.const ${len})`);
    off += len + 8;
  }
  const needed = new Set([...uses, 'fd_write']);
  const imports = [...needed].map((n) => `(import "wasi_snapshot_preview1" "${n}" (func $${n} ${WASI_IMPORTS[n]}))`);
  return wat(`(module
  ${imports.join('\n  ')}
  (memory (export "memory") 2)
  ${data.join('\n  ')}
  (func $print (param $p i32) (param $l i32) (result i32)
    (i32.store (i32.const 0) (local.get $p)) (i32.store (i32.const 4) (local.get $l))
    (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))
  (func (export "_start") (result i32) ${text}))`);
}
