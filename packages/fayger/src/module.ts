import {
  FaygerError,
  RUNTIME_INTERFACE_VERSION,
  isCapabilityName,
  type CapabilityName,
  type DigestProvider,
  type Manifest,
  type ManifestQuotas,
} from '@fayger/contracts';
import { packBuf } from '@fayger/loader';
import { FAYGER_IMPORT_CAPABILITY, WASI_IMPORT_CAPABILITIES } from '@fayger/runtime';

/** "\0asm": the first four bytes of every WebAssembly binary module. */
export const WASM_MAGIC = new Uint8Array([0x00, 0x61, 0x73, 0x6d]);

/** True when `bytes` starts like a WebAssembly binary module (a bare `.wasm`, not a BuF). */
export function isWasmModule(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && WASM_MAGIC.every((b, i) => bytes[i] === b);
}

export interface ModuleImport {
  module: string;
  name: string;
  kind: 'function' | 'table' | 'memory' | 'global' | 'tag';
}

export interface ModuleShape {
  imports: ModuleImport[];
  exports: { name: string; kind: ModuleImport['kind'] }[];
}

const KINDS = ['function', 'table', 'memory', 'global', 'tag'] as const;

function malformed(what: string, found: string, label: string): FaygerError {
  return new FaygerError({
    code: 'FAYGER_MODULE_INVALID',
    phase: 'read',
    what: `reading the WebAssembly module ${label} (${what})`,
    expected: 'a WebAssembly binary module (wasm32, e.g. built for wasm32-wasip1)',
    found,
    details: { module: label },
  });
}

/**
 * Reads the import and export sections of a WebAssembly binary (nothing else is decoded; the interpreter
 * validates the whole module when it instantiates it). Throws FAYGER_MODULE_INVALID when they are unreadable.
 */
export function readModuleShape(bytes: Uint8Array, label = 'module'): ModuleShape {
  if (!isWasmModule(bytes)) {
    const head = [...bytes.subarray(0, 4)].map((b) => b.toString(16).padStart(2, '0')).join(' ');
    throw malformed('magic', `first bytes ${head || '(empty file)'}`, label);
  }
  const version = bytes[4] | (bytes[5] << 8) | (bytes[6] << 16) | (bytes[7] << 24);
  if (bytes.length < 8 || version !== 1)
    throw malformed('version', `binary version ${version} (a component or a newer format?)`, label);
  let pos = 8;
  const u32 = (): number => {
    let result = 0;
    let shift = 0;
    for (;;) {
      if (pos >= bytes.length) throw malformed('LEB128 number', `the module ends at byte ${pos}`, label);
      const b = bytes[pos++];
      result += (b & 0x7f) * 2 ** shift;
      if ((b & 0x80) === 0) break;
      shift += 7;
      if (shift > 28) throw malformed('LEB128 number', `an over-long number at byte ${pos}`, label);
    }
    return result;
  };
  const byte = (): number => {
    if (pos >= bytes.length) throw malformed('byte', `the module ends at byte ${pos}`, label);
    return bytes[pos++];
  };
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const name = (): string => {
    const n = u32();
    if (pos + n > bytes.length) throw malformed('name', `a ${n}-byte name past the end of the module`, label);
    let s: string;
    try {
      s = decoder.decode(bytes.subarray(pos, pos + n));
    } catch {
      throw malformed('name', `invalid UTF-8 at byte ${pos}`, label);
    }
    pos += n;
    return s;
  };
  const limits = (): void => {
    const flags = byte();
    u32();
    if (flags & 1) u32();
  };
  const shape: ModuleShape = { imports: [], exports: [] };
  while (pos < bytes.length) {
    const id = byte();
    const size = u32();
    const end = pos + size;
    if (end > bytes.length)
      throw malformed(`section ${id}`, `a ${size}-byte section past the end of the module`, label);
    if (id === 2) {
      const count = u32();
      for (let i = 0; i < count; i++) {
        const module = name();
        const field = name();
        const kind = byte();
        if (kind === 0) u32();
        else if (kind === 1) byte(), limits();
        else if (kind === 2) limits();
        else if (kind === 3) byte(), byte();
        else if (kind === 4) byte(), u32();
        else throw malformed('import section', `import kind ${kind}`, label);
        shape.imports.push({ module, name: field, kind: KINDS[kind] });
      }
    } else if (id === 7) {
      const count = u32();
      for (let i = 0; i < count; i++) {
        const field = name();
        const kind = byte();
        u32();
        if (kind > 4) throw malformed('export section', `export kind ${kind}`, label);
        shape.exports.push({ name: field, kind: KINDS[kind] });
      }
    }
    pos = end;
  }
  return shape;
}

export interface ModuleManifestOptions {
  /** Where the module came from, as the user named it (used for the id and in messages). */
  label?: string;
  /** Manifest id (default `local.<file name>`). */
  id?: string;
  /** Export to call (default `_start`; the module must export it). */
  entry?: string;
  /**
   * Capabilities to request besides those the imports reach: typically every capability the user granted on
   * the command line (a module importing `fayger.call` may use any of them).
   */
  alsoRequest?: readonly string[];
  /** Quotas to write into the manifest (default none: the host's defaults apply). */
  quotas?: ManifestQuotas;
}

/** A manifest id from a file name: `local.` + the name's allowed characters. */
function idFor(label: string): string {
  const base = label.split(/[\\/]/).pop() ?? 'module';
  const stem = base
    .replace(/\.wasm$/i, '')
    .replace(/[^A-Za-z0-9_.+-]/g, '-')
    .replace(/^[.+-]+/, '');
  return `local.${(stem || 'module').slice(0, 200)}`;
}

/**
 * The manifest Fayger synthesises for a bare WebAssembly module: every capability its `wasi_snapshot_preview1`
 * and `fayger` imports can use (plus `alsoRequest`), each optional, so the grants come from the host policy
 * alone (the flags the user typed) and an import nobody granted fails with a typed denial or errno, as in a
 * BuF. Publisher `local`, version 0.0.0, sequence 0, no quotas (the host's defaults apply).
 */
export function manifestForModule(bytes: Uint8Array, options: ModuleManifestOptions = {}): Manifest {
  const label = options.label ?? 'module';
  const shape = readModuleShape(bytes, label);
  const entry = options.entry ?? '_start';
  if (!shape.exports.some((e) => e.name === entry && e.kind === 'function')) {
    throw new FaygerError({
      code: 'FAYGER_MODULE_INVALID',
      phase: 'read',
      what: `choosing the entry point of the WebAssembly module ${label}`,
      expected: `an exported function ${JSON.stringify(entry)} (a WASI command module)`,
      found: shape.exports.length
        ? `exports ${shape.exports
            .map((e) => e.name)
            .slice(0, 12)
            .join(', ')}`
        : 'no exports',
      hint: 'Build the program as a command (wasm32-wasip1 with a main function), not as a reactor or library.',
      details: { module: label },
    });
  }
  const why = new Map<CapabilityName, { imports: string[]; flagged: boolean }>();
  const add = (cap: string, importName?: string) => {
    if (!isCapabilityName(cap)) return;
    const entry = why.get(cap) ?? { imports: [], flagged: false };
    if (importName === undefined) entry.flagged = true;
    else if (!entry.imports.includes(importName)) entry.imports.push(importName);
    why.set(cap, entry);
  };
  for (const imp of shape.imports) {
    if (imp.kind !== 'function') continue;
    if (imp.module === 'wasi_snapshot_preview1')
      for (const c of WASI_IMPORT_CAPABILITIES[imp.name] ?? []) add(c, imp.name);
    else if (imp.module === 'fayger') {
      const c = FAYGER_IMPORT_CAPABILITY[imp.name];
      if (c) add(c, `fayger.${imp.name}`);
    }
  }
  for (const c of options.alsoRequest ?? []) add(c);
  const capabilities = [...why.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, uses]) => {
      const parts = uses.imports.length ? [`imports ${uses.imports.join(', ')}`] : [];
      if (uses.flagged) parts.push('granted on the command line');
      const text = parts.join('; ');
      return { name, required: false, reason: text.length > 500 ? `${text.slice(0, 497)}...` : text };
    });
  return {
    id: options.id ?? idFor(label),
    version: '0.0.0',
    publisher: 'local',
    runtime: { interface: `^${RUNTIME_INTERFACE_VERSION.split('.')[0]}.0.0` },
    entry: { section: 'main', export: entry },
    capabilities,
    ...(options.quotas ? { quotas: options.quotas } : {}),
    security: { sequence: 0 },
    extensions: { 'fayger.localModule': { source: label } },
  };
}

/**
 * Wraps a bare module in an unsigned in-memory BuF (one required code section `main`) so it goes through the
 * same loader, negotiation and runtime as any artifact. Load it with trust that allows unsigned artifacts.
 */
export function packModule(bytes: Uint8Array, manifest: Manifest, digest: DigestProvider): Promise<Uint8Array> {
  return packBuf(manifest, [{ name: 'main', kind: 'code', data: bytes, required: true }], { digest });
}
