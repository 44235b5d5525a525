import type { CapabilityGrant, UniversalInstruction } from '@fayger/contracts';
import { confineNamespace, confinePath, confinePort, confineUrl } from '../scope/confine.js';

/**
 * Scope checks every adapter gets for free, on the guest-visible arguments: fs paths lexically inside the
 * granted roots, net.http URLs on granted origins, listen ports, kv namespaces. Adapters still confine on the
 * host side (symlinks, aliases), which only they can see. Returns a result to answer without calling the
 * adapter (env.get of an ungranted variable is null by contract), or undefined to proceed. Exported as
 * `confineInstruction` for adapters that forward calls elsewhere (the in-app bridge) and must confine them
 * before they leave, whatever bus drives them.
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
      confinePath(ins.op, grant, a.path as string);
      return undefined;
    case 'fs.remove':
    case 'fs.symlink':
      confinePath(ins.op, grant, a.path as string, '/args/path', false);
      return undefined;
    case 'fs.rename':
    case 'fs.link':
      confinePath(ins.op, grant, a.from as string, '/args/from', false);
      confinePath(ins.op, grant, a.to as string, '/args/to', false);
      return undefined;
    case 'net.http':
      confineUrl(ins.op, a.url as string, scope);
      return undefined;
    case 'net.listen.start':
      confinePort(ins.op, a.port as number, scope);
      return undefined;
    case 'kv.get':
    case 'kv.set':
    case 'kv.delete':
    case 'kv.list':
      confineNamespace(ins.op, a.namespace as string | undefined, scope);
      return undefined;
    case 'env.get':
      if (scope?.variables !== undefined && !scope.variables.includes(a.name as string))
        return { value: { value: null } };
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
