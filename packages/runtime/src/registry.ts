import {
  FaygerError,
  RUNTIME_INTERFACE_VERSION,
  parseSemVer,
  parseSemVerRange,
  satisfies,
  type ManifestRuntime,
} from '@fayger/contracts';
import type { ExecutionFeature, ImplementationVerdict, RuntimeImplementation } from '@fayger/contracts';
import type { ImplementationRegistration } from './types.js';

interface Entry {
  implementation: RuntimeImplementation;
  interfaceVersion: string;
  names: readonly string[];
  /** The implementation's `hostSupport()` answer, asked once (on the first route). */
  host?: ImplementationVerdict;
}

export interface RejectedCandidate {
  id: string;
  reason: string;
}

export interface RouteResult {
  implementation: RuntimeImplementation;
  /**
   * The other implementations that also fit the policy and the host, in order: where the runtime falls back
   * when the chosen one refuses the module at load time (`supports(code)` says no, or `compile` refuses).
   */
  fallbacks: RuntimeImplementation[];
  rejected: RejectedCandidate[];
  /** Why it was chosen (and why earlier candidates were passed over), for the selection event. */
  reason: string;
}

function isImplementation(v: unknown): v is RuntimeImplementation {
  const d = (v as { descriptor?: unknown } | null)?.descriptor as Record<string, unknown> | undefined;
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof (v as { compile?: unknown }).compile === 'function' &&
    typeof d === 'object' &&
    d !== null &&
    typeof d.id === 'string' &&
    d.id.length > 0 &&
    typeof d.version === 'string' &&
    Array.isArray(d.features)
  );
}

/** An implementation's own answer to "can you run on this host?", asked once; a throw counts as no. */
function hostVerdict(e: Entry): ImplementationVerdict {
  if (e.host) return e.host;
  const ask = e.implementation.hostSupport;
  if (typeof ask !== 'function') return (e.host = { ok: true });
  try {
    const v = ask.call(e.implementation);
    e.host =
      v && typeof v === 'object' && typeof v.ok === 'boolean'
        ? v
        : { ok: false, reason: 'hostSupport() gave no verdict' };
  } catch (err) {
    e.host = { ok: false, reason: `hostSupport() threw: ${err instanceof Error ? err.message : String(err)}` };
  }
  return e.host;
}

/** Registered Runtime_Implementations, and the router that picks one per manifest policy. */
export class ImplementationRegistry {
  private readonly entries: Entry[] = [];

  register(item: RuntimeImplementation | ImplementationRegistration): void {
    const reg: ImplementationRegistration =
      item && typeof item === 'object' && 'implementation' in item
        ? item
        : { implementation: item as RuntimeImplementation };
    if (!isImplementation(reg.implementation)) {
      throw new FaygerError({
        code: 'RUNTIME_IMPLEMENTATION_INVALID',
        phase: 'register',
        what: 'registering a Runtime_Implementation',
        expected: 'an object with descriptor {id, version, features[]} and a compile(code) method',
        found: typeof reg.implementation === 'object' ? 'an object missing one of them' : typeof reg.implementation,
      });
    }
    const id = reg.implementation.descriptor.id;
    const interfaceVersion = reg.interfaceVersion ?? RUNTIME_INTERFACE_VERSION;
    if (!parseSemVer(interfaceVersion)) {
      throw new FaygerError({
        code: 'RUNTIME_IMPLEMENTATION_INVALID',
        phase: 'register',
        what: `registering Runtime_Implementation ${id}`,
        expected: 'interfaceVersion as a semantic version (e.g. 1.0.0)',
        found: JSON.stringify(interfaceVersion),
      });
    }
    if (this.entries.some((e) => e.implementation.descriptor.id === id)) {
      throw new FaygerError({
        code: 'RUNTIME_IMPLEMENTATION_DUPLICATE',
        phase: 'register',
        what: 'registering a Runtime_Implementation',
        expected: 'a new id',
        found: `${id} (already registered)`,
        details: { id },
      });
    }
    this.entries.push({ implementation: reg.implementation, interfaceVersion, names: [id, ...(reg.aliases ?? [])] });
  }

  /** The implementation registered under `name` (its id or an alias), if any. */
  named(name: string): RuntimeImplementation | undefined {
    return this.entries.find((e) => e.names.includes(name))?.implementation;
  }

  list(): readonly RuntimeImplementation[] {
    return this.entries.map((e) => e.implementation);
  }

  /**
   * Picks an implementation: candidates in the manifest's `preferred` order first, then the rest in
   * registration order; the first whose interface version satisfies the manifest range, which has every
   * required feature and which can run on this host (`hostSupport()`, asked once) wins; the others that fit
   * are its load-time fallbacks. Throws RUNTIME_NO_IMPLEMENTATION listing why each candidate was rejected.
   */
  route(policy: ManifestRuntime, extraRequired: readonly ExecutionFeature[] = []): RouteResult {
    const range = parseSemVerRange(policy.interface);
    if (!range) {
      throw new FaygerError({
        code: 'RUNTIME_NO_IMPLEMENTATION',
        phase: 'route',
        what: 'routing to a Runtime_Implementation',
        expected: 'manifest.runtime.interface as a semver range (e.g. ^1.0.0)',
        found: JSON.stringify(policy.interface),
        details: { candidates: [] },
      });
    }
    const preferred = policy.implementation?.preferred ?? [];
    const required = [...new Set([...(policy.implementation?.requiredFeatures ?? []), ...extraRequired])];
    const ordered: Entry[] = [];
    for (const name of preferred) {
      const e = this.entries.find((x) => x.names.includes(name));
      if (e && !ordered.includes(e)) ordered.push(e);
    }
    for (const e of this.entries) if (!ordered.includes(e)) ordered.push(e);

    const rejected: RejectedCandidate[] = [];
    const fitting: Entry[] = [];
    for (const e of ordered) {
      const d = e.implementation.descriptor;
      if (!satisfies(e.interfaceVersion, range)) {
        rejected.push({
          id: d.id,
          reason: `serves Runtime_Interface ${e.interfaceVersion}, outside ${policy.interface}`,
        });
        continue;
      }
      const missing = required.filter((f) => !d.features.includes(f));
      if (missing.length) {
        rejected.push({
          id: d.id,
          reason: `lacks required feature${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`,
        });
        continue;
      }
      const host = hostVerdict(e);
      if (!host.ok) {
        rejected.push({ id: d.id, reason: `cannot run on this host: ${host.reason}` });
        continue;
      }
      fitting.push(e);
    }
    const e = fitting[0];
    if (e) {
      const rejectedFirst = rejected.filter(
        (r) => ordered.findIndex((x) => x.implementation.descriptor.id === r.id) < ordered.indexOf(e),
      );
      const why = preferred.some((p) => e.names.includes(p))
        ? `preferred by the manifest (${preferred.join(', ')})`
        : preferred.length
          ? 'no preferred implementation fits; first registered that does'
          : `first registered implementation that fits${this.entries.length > 1 ? ` (order: ${this.entries.map((x) => x.implementation.descriptor.id).join(', ')})` : ''}`;
      const needs = required.length ? `; has ${required.join(', ')}` : '';
      const passed = rejectedFirst.length
        ? `; passed over ${rejectedFirst.map((r) => `${r.id} (${r.reason})`).join(', ')}`
        : '';
      return {
        implementation: e.implementation,
        fallbacks: fitting.slice(1).map((x) => x.implementation),
        rejected,
        reason: `${why}${needs}${passed}`,
      };
    }
    const unknownPreferred = preferred.filter((p) => !this.entries.some((e) => e.names.includes(p)));
    const lines = rejected.map((r) => `${r.id}: ${r.reason}`);
    throw new FaygerError({
      code: 'RUNTIME_NO_IMPLEMENTATION',
      phase: 'route',
      what: 'routing to a Runtime_Implementation',
      expected: `an implementation serving Runtime_Interface ${policy.interface}${required.length ? ` with ${required.join(', ')}` : ''}`,
      found: this.entries.length === 0 ? 'no implementation registered' : lines.join('; '),
      details: { candidates: rejected, required, range: policy.interface, unknownPreferred },
    });
  }
}
