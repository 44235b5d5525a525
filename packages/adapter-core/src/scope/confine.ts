import { FaygerError, type CapabilityGrant, type CapabilityScope } from '@fayger/contracts';
import { isUrlAllowed, originOfUrl } from './origins.js';
import { findRoot, normalizeGuestPath } from './paths.js';

/** kv namespace used when an instruction names none. */
export const DEFAULT_KV_NAMESPACE = 'default';

function scopeDenied(
  op: string,
  capability: string,
  what: string,
  found: string,
  granted: unknown,
  field: string,
): FaygerError {
  return new FaygerError({
    code: 'CAPABILITY_SCOPE_DENIED',
    phase: op,
    what: `checking ${field} of ${op} (${what})`,
    expected: `a value inside the ${capability} grant (${JSON.stringify(granted)})`,
    found,
    details: { op, capability, field, granted },
  });
}

/**
 * Confines a guest path to the grant's roots and returns it normalised. `mayBeRoot: false` for fs.remove and
 * fs.rename: removing or renaming a granted root itself would change what the grant means. Throws
 * ADAPTER_PATH_INVALID for a malformed path, CAPABILITY_SCOPE_DENIED outside the roots. The bus runs this on
 * every fs.* instruction; adapters run it again on the host side so they stay safe under any bus.
 */
export function confinePath(
  op: string,
  grant: CapabilityGrant,
  path: string,
  field = '/args/path',
  mayBeRoot = true,
): string {
  const roots = grant.scope?.roots;
  const norm = normalizeGuestPath(path, field);
  if (roots === undefined) return norm;
  const root = findRoot(norm, roots);
  if (root === undefined)
    throw scopeDenied(op, grant.name, `path ${field} is outside the granted roots`, JSON.stringify(path), roots, field);
  if (!mayBeRoot && root === norm)
    throw scopeDenied(op, grant.name, `${field} names a granted root itself`, JSON.stringify(path), roots, field);
  return norm;
}

/** Confines a net.http URL to the granted origins (absent: any http(s) origin). Returns the URL. */
export function confineUrl(op: string, url: string, scope: CapabilityScope | undefined): string {
  if (originOfUrl(url) === undefined) {
    throw new FaygerError({
      code: 'INSTRUCTION_INVALID',
      phase: op,
      what: `${op} arguments`,
      expected: 'an absolute http: or https: URL',
      found: JSON.stringify(url.slice(0, 200)),
      details: { field: '/args/url' },
    });
  }
  if (scope?.origins !== undefined && !isUrlAllowed(url, scope.origins)) {
    throw scopeDenied(
      op,
      'net.http',
      'the URL origin is not granted',
      JSON.stringify(originOfUrl(url)),
      scope.origins,
      '/args/url',
    );
  }
  return url;
}

/** Confines a kv namespace (absent: `default`) to the granted namespaces and returns it. */
export function confineNamespace(
  op: string,
  namespace: string | undefined,
  scope: CapabilityScope | undefined,
): string {
  const ns = namespace ?? DEFAULT_KV_NAMESPACE;
  if (scope?.namespaces !== undefined && !scope.namespaces.includes(ns)) {
    throw scopeDenied(
      op,
      'kv',
      'the kv namespace is not granted',
      JSON.stringify(ns),
      scope.namespaces,
      '/args/namespace',
    );
  }
  return ns;
}

/** Confines a net.listen port to the granted ports. */
export function confinePort(op: string, port: number, scope: CapabilityScope | undefined): number {
  if (scope?.ports !== undefined && !scope.ports.includes(port)) {
    throw scopeDenied(op, 'net.listen', 'the port is not granted', String(port), scope.ports, '/args/port');
  }
  return port;
}
