import {
  FaygerError,
  HOST_KINDS,
  isHostKind,
  type HostKind,
  type HostProbe,
  type PlatformAdapter,
} from '@fayger/contracts';
import {
  bestCandidate,
  createNow,
  currentHostProbe,
  isBuiltAdapter,
  selectAdapter,
  type AdapterOrCandidate,
  type SelectAdapterOptions,
} from './detect.js';

/** The Platform_Adapter registry: ready adapters and lazy candidates, first- or third-party alike. */
export interface AdapterRegistry {
  register(adapter: AdapterOrCandidate): void;
  unregister(id: string): boolean;
  /** The adapter with this id (a candidate is built on first use). */
  get(id: string): PlatformAdapter;
  has(id: string): boolean;
  list(): AdapterOrCandidate[];
  /** The adapter for this host (see selectAdapter). */
  detect(options?: SelectAdapterOptions): PlatformAdapter;
}

const ID = /^[a-z0-9][a-z0-9._-]{0,63}$/i;

function bad(field: string, expected: string, found: unknown): never {
  throw new FaygerError({
    code: 'ADAPTER_INVALID',
    phase: 'register',
    what: 'registering a Platform_Adapter',
    expected: `${field} to be ${expected}`,
    found: found === undefined ? 'nothing' : typeof found === 'string' ? JSON.stringify(found) : typeof found,
    details: { field },
  });
}

function checkIdentity(o: Record<string, unknown>): void {
  if (typeof o.id !== 'string' || !ID.test(o.id)) bad('id', 'a 1..64 character identifier', o.id);
  if (!isHostKind(o.hostKind))
    bad('hostKind', `one of ${HOST_KINDS.join(', ')} or a namespaced kind such as "acme:kiosk"`, o.hostKind);
}

/** Checks the shape of a PlatformAdapter; throws ADAPTER_INVALID naming the first bad field. */
export function assertPlatformAdapter(a: unknown): asserts a is PlatformAdapter {
  const o = a as Record<string, unknown> | null;
  if (o === null || typeof o !== 'object') bad('the adapter', 'an object', o);
  checkIdentity(o!);
  for (const f of ['available', 'detect', 'handle', 'dispose'])
    if (typeof o![f] !== 'function') bad(f, 'a function', o![f]);
}

function assertCandidate(a: unknown): asserts a is AdapterOrCandidate {
  const o = a as Record<string, unknown> | null;
  if (o !== null && typeof o === 'object' && typeof o.create === 'function' && typeof o.handle !== 'function') {
    checkIdentity(o);
    if (typeof o.detect !== 'function') bad('detect', 'a function', o.detect);
    return;
  }
  assertPlatformAdapter(a);
}

class Registry implements AdapterRegistry {
  private readonly adapters = new Map<string, AdapterOrCandidate>();

  register(adapter: AdapterOrCandidate): void {
    assertCandidate(adapter);
    if (this.adapters.has(adapter.id)) {
      throw new FaygerError({
        code: 'ADAPTER_DUPLICATE',
        phase: 'register',
        what: `registering adapter ${adapter.id}`,
        expected: 'a new id',
        found: `${adapter.id} already registered`,
        details: { id: adapter.id },
      });
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
    if (a === undefined) {
      throw new FaygerError({
        code: 'ADAPTER_NOT_FOUND',
        phase: 'lookup',
        what: `looking up adapter ${JSON.stringify(id)}`,
        expected: `one of ${[...this.adapters.keys()].join(', ') || 'no adapters (none registered)'}`,
        found: id,
        details: { id },
      });
    }
    if (isBuiltAdapter(a)) return a;
    const built = createNow(a, `registry.get(${JSON.stringify(id)})`);
    this.adapters.set(id, built);
    return built;
  }
  list(): AdapterOrCandidate[] {
    return [...this.adapters.values()];
  }
  detect(options?: SelectAdapterOptions): PlatformAdapter {
    const chosen = selectAdapter(
      this.list().map((a) =>
        isBuiltAdapter(a)
          ? a
          : { id: a.id, hostKind: a.hostKind, detect: (p: HostProbe) => a.detect(p), create: () => this.get(a.id) },
      ),
      options,
    );
    return chosen;
  }
}

export function createAdapterRegistry(adapters: readonly AdapterOrCandidate[] = []): AdapterRegistry {
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

/**
 * The host kind of the adapter that fits this host best, asking each candidate's own detector (default: the
 * adapters in the global registry). Core knows no adapter's globals; undefined when none fits.
 */
export function detectHostKind(
  probe: HostProbe = currentHostProbe(),
  candidates: readonly AdapterOrCandidate[] = globalAdapterRegistry().list(),
): HostKind | undefined {
  return bestCandidate(candidates, probe).best?.hostKind;
}
