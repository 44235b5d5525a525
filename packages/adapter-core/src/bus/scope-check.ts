import { FaygerError, type CapabilityGrant, type UniversalInstruction } from '@fayger/contracts';
import { isUrlAllowed, originOfUrl } from '../scope/origins.js';
import { findRoot, normalizeGuestPath } from '../scope/paths.js';

/** kv namespace used when an instruction names none. */
export const DEFAULT_KV_NAMESPACE = 'default';

function scopeDenied(op: string, capability: string, what: string, found: string, granted: unknown, field: string): FaygerError {
  return new FaygerError({
    code: 'CAPABILITY_SCOPE_DENIED',
    phase: op,
    what: `checking ${field} of ${op} (${what})`,
    expected: `a value inside the ${capability} grant (${JSON.stringify(granted)})`,
    found,
    details: { op, capability, field, granted },
  });
}

function checkPath(op: string, grant: CapabilityGrant, path: string, field: string, mayBeRoot: boolean): void {
  const roots = grant.scope?.roots;
  const norm = normalizeGuestPath(path, field);
  if (roots === undefined) return;
  const root = findRoot(norm, roots);
  if (root === undefined) {
    throw scopeDenied(op, grant.name, `path ${field} is outside the granted roots`, JSON.stringify(path), roots, field);
  }
  if (!mayBeRoot && root === norm) {
    // Removing or renaming a granted root would change what the grant means.
    throw scopeDenied(op, grant.name, `${field} names a granted root itself`, JSON.stringify(path), roots, field);
  }
}

/**
 * Scope checks every adapter gets for free, on the guest-visible arguments: fs paths lexically inside the
 * granted roots, net.http URLs on granted origins, listen ports, kv namespaces. Adapters still confine on the
 * host side (symlinks, aliases), which only they can see. Returns a result to answer without calling the
 * adapter (env.get of an ungranted variable is null by contract), or undefined to proceed.
 */
export function checkScope(ins: UniversalInstruction, grant: CapabilityGrant): { value: unknown } | undefined {
  const a = ins.args as Record<string, unknown>;
  const scope = grant.scope;
  switch (ins.op) {
    case 'fs.read':
    case 'fs.stat':
    case 'fs.list':
    case 'fs.write':
    case 'fs.mkdir':
    case 'fs.readlink':
    case 'fs.sync':
    case 'fs.truncate':
    case 'fs.utimes':
      checkPath(ins.op, grant, a.path as string, '/args/path', true);
      return undefined;
    case 'fs.remove':
    case 'fs.symlink':
      checkPath(ins.op, grant, a.path as string, '/args/path', false);
      return undefined;
    case 'fs.rename':
    case 'fs.link':
      checkPath(ins.op, grant, a.from as string, '/args/from', false);
      checkPath(ins.op, grant, a.to as string, '/args/to', false);
      return undefined;
    case 'net.http': {
      const url = a.url as string;
      if (originOfUrl(url) === undefined) {
        throw new FaygerError({
          code: 'INSTRUCTION_INVALID',
          phase: ins.op,
          what: 'net.http arguments',
          expected: 'an absolute http: or https: URL',
          found: JSON.stringify(url.slice(0, 200)),
          details: { field: '/args/url' },
        });
      }
      if (scope?.origins !== undefined && !isUrlAllowed(url, scope.origins)) {
        throw scopeDenied(ins.op, grant.name, 'the URL origin is not granted', JSON.stringify(originOfUrl(url)), scope.origins, '/args/url');
      }
      return undefined;
    }
    case 'net.listen.start':
      if (scope?.ports !== undefined && !scope.ports.includes(a.port as number)) {
        throw scopeDenied(ins.op, grant.name, 'the port is not granted', String(a.port), scope.ports, '/args/port');
      }
      return undefined;
    case 'kv.get':
    case 'kv.set':
    case 'kv.delete':
    case 'kv.list': {
      const ns = (a.namespace as string | undefined) ?? DEFAULT_KV_NAMESPACE;
      if (scope?.namespaces !== undefined && !scope.namespaces.includes(ns)) {
        throw scopeDenied(ins.op, grant.name, 'the kv namespace is not granted', JSON.stringify(ns), scope.namespaces, '/args/namespace');
      }
      return undefined;
    }
    case 'env.get':
      if (scope?.variables !== undefined && !scope.variables.includes(a.name as string)) return { value: { value: null } };
      return undefined;
    default:
      return undefined;
  }
}

/** env.list answers only granted variables, whatever the adapter returned. */
export function filterResult(ins: UniversalInstruction, grant: CapabilityGrant, value: unknown): unknown {
  if (ins.op === 'env.list' && grant.scope?.variables !== undefined && value && typeof value === 'object') {
    const vars = (value as { variables?: unknown }).variables;
    if (vars && typeof vars === 'object') {
      const allowed = new Set(grant.scope.variables);
      const out: Record<string, string> = {};
      for (const [k, v] of Object.entries(vars as Record<string, string>)) if (allowed.has(k)) out[k] = v;
      return { ...(value as object), variables: out };
    }
  }
  return value;
}
