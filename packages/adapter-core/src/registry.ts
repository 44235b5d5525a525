import { FaygerError, HOST_KINDS, type PlatformAdapter } from '@fayger/contracts';
import { selectAdapter, type SelectAdapterOptions } from './detect.js';

/** The Platform_Adapter registry. */
export interface AdapterRegistry {
  register(adapter: PlatformAdapter): void;
  unregister(id: string): boolean;
  get(id: string): PlatformAdapter;
  has(id: string): boolean;
  list(): PlatformAdapter[];
  /** The adapter for this host (see selectAdapter). */
  detect(options?: SelectAdapterOptions): PlatformAdapter;
}

/** Checks the shape of a PlatformAdapter; throws ADAPTER_INVALID naming the first bad field. */
export function assertPlatformAdapter(a: unknown): asserts a is PlatformAdapter {
  const o = a as Record<string, unknown> | null;
  const bad = (field: string, expected: string, found: unknown): never => {
    throw new FaygerError({
      code: 'ADAPTER_INVALID',
      phase: 'register',
      what: 'registering a Platform_Adapter',
      expected: `${field} to be ${expected}`,
      found: found === undefined ? 'nothing' : typeof found === 'string' ? JSON.stringify(found) : typeof found,
      details: { field },
    });
  };
  if (o === null || typeof o !== 'object') bad('the adapter', 'an object', o);
  if (typeof o!.id !== 'string' || !/^[a-z0-9][a-z0-9._-]{0,63}$/i.test(o!.id)) bad('id', 'a 1..64 character identifier', o!.id);
  if (!(HOST_KINDS as readonly unknown[]).includes(o!.hostKind)) bad('hostKind', `one of ${HOST_KINDS.join(', ')}`, o!.hostKind);
  for (const f of ['available', 'detect', 'handle', 'dispose']) if (typeof o![f] !== 'function') bad(f, 'a function', o![f]);
}

class Registry implements AdapterRegistry {
  private readonly adapters = new Map<string, PlatformAdapter>();

  register(adapter: PlatformAdapter): void {
    assertPlatformAdapter(adapter);
    if (this.adapters.has(adapter.id)) {
      throw new FaygerError({ code: 'ADAPTER_DUPLICATE', phase: 'register', what: `registering adapter ${adapter.id}`, expected: 'a new id', found: `${adapter.id} already registered`, details: { id: adapter.id } });
    }
    this.adapters.set(adapter.id, adapter);
  }
  unregister(id: string): boolean {
    return this.adapters.delete(id);
  }
  has(id: string): boolean {
    return this.adapters.has(id);
  }
  get(id: string): PlatformAdapter {
    const a = this.adapters.get(id);
    if (a) return a;
    throw new FaygerError({ code: 'ADAPTER_NOT_FOUND', phase: 'lookup', what: `looking up adapter ${JSON.stringify(id)}`, expected: `one of ${[...this.adapters.keys()].join(', ') || 'no adapters (none registered)'}`, found: id, details: { id } });
  }
  list(): PlatformAdapter[] {
    return [...this.adapters.values()];
  }
  detect(options?: SelectAdapterOptions): PlatformAdapter {
    return selectAdapter(this.list(), options);
  }
}

export function createAdapterRegistry(adapters: readonly PlatformAdapter[] = []): AdapterRegistry {
  const r = new Registry();
  for (const a of adapters) r.register(a);
  return r;
}

const GLOBAL_KEY = Symbol.for('@fayger/adapter-core.registry.v1');

/**
 * The process-wide registry, shared through a global symbol so two bundled copies of adapter-core see the same
 * adapters (a third-party adapter package may carry its own copy).
 */
export function globalAdapterRegistry(): AdapterRegistry {
  const g = globalThis as unknown as Record<symbol, AdapterRegistry | undefined>;
  return (g[GLOBAL_KEY] ??= new Registry());
}
