import {
  CAPABILITY_NAMES,
  FaygerError,
  isCapabilityName,
  type CapabilityName,
  type CapabilityScope,
  type HostPolicy,
  type HostPolicyRule,
} from '@fayger/contracts';

/**
 * Capabilities that reach nothing outside the instance (no files, network, environment or other apps):
 * the default allow-list of `buildHostPolicy`. Everything else must be granted explicitly.
 */
export const BASELINE_CAPABILITIES: readonly CapabilityName[] = [
  'log',
  'clock',
  'random',
  'timer',
  'app',
  'stdio',
  'ui',
];

/** Which scope field a capability takes in `cap:scope` grants. */
const SCOPE_FIELD: Partial<Record<CapabilityName, keyof CapabilityScope>> = {
  'fs.read': 'roots',
  'fs.write': 'roots',
  'net.http': 'origins',
  'net.listen': 'ports',
  env: 'variables',
  kv: 'namespaces',
};

function bad(option: 'grant' | 'deny', value: string, expected: string, found: string): FaygerError {
  // details carry the parts, so a front end (the CLI) can restate the problem in its own terms.
  return new FaygerError({
    code: 'INVALID_ARGUMENT',
    phase: 'policy',
    what: `${option} ${JSON.stringify(value)}`,
    expected,
    found,
    details: { option, value, expected, found },
  });
}

/**
 * Parses a grant written `cap` or `cap:scope[,scope…]`: `fs.read:/data`, `net.http:https://api.example.com`,
 * `net.listen:8080,8081`, `env:HOME`, `kv:cache`. Throws INVALID_ARGUMENT naming the problem.
 */
export function parseGrant(spec: string): HostPolicyRule {
  const i = spec.indexOf(':');
  const name = (i < 0 ? spec : spec.slice(0, i)).trim();
  if (!isCapabilityName(name)) throw bad('grant', spec, `a capability name (${CAPABILITY_NAMES.join(', ')})`, name);
  if (i < 0) return { name };
  const field = SCOPE_FIELD[name];
  if (!field) throw bad('grant', spec, `no scope: ${name} is not a scoped capability`, spec.slice(i + 1));
  const parts = spec
    .slice(i + 1)
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (parts.length === 0) throw bad('grant', spec, `at least one ${field} value after "${name}:"`, 'nothing');
  if (field === 'ports') {
    const ports = parts.map((p) => {
      const n = Number(p);
      if (!Number.isInteger(n) || n < 0 || n > 65535) throw bad('grant', spec, 'ports between 0 and 65535', p);
      return n;
    });
    return { name, scope: { ports } };
  }
  return { name, scope: { [field]: parts } };
}

export interface HostPolicyInput {
  /** Capabilities allowed without a scope before any grant (default BASELINE_CAPABILITIES; [] for none). */
  baseline?: readonly CapabilityName[];
  /** Extra grants (`parseGrant` strings or rules). Grants of the same capability merge their scopes. */
  grants?: readonly (string | HostPolicyRule)[];
  /** Capabilities forbidden outright (wins over any grant). */
  deny?: readonly string[];
  /** Guest fs roots the host mounted: allowed for fs.read and fs.write. */
  fsRoots?: readonly string[];
  /** Guest fs roots the host mounted read-only: allowed for fs.read only. */
  fsReadOnlyRoots?: readonly string[];
  /** Environment variables the guest may read (allows `env` scoped to them). */
  envVariables?: readonly string[];
  /** `true`: allow whatever the adapter offers (the denials still apply). */
  allowAll?: boolean;
}

/** The embedder's host policy from a baseline plus explicit grants and denials (default deny for the rest). */
export function buildHostPolicy(input: HostPolicyInput = {}): HostPolicy {
  const deny = (input.deny ?? []).map((name) => {
    if (!isCapabilityName(name)) throw bad('deny', name, `a capability name (${CAPABILITY_NAMES.join(', ')})`, name);
    return { name, reason: 'denied by the host policy (--deny)' };
  });
  if (input.allowAll) return { allow: 'available', ...(deny.length ? { deny } : {}) };
  const rules = new Map<CapabilityName, HostPolicyRule>();
  const add = (rule: HostPolicyRule) => {
    const prev = rules.get(rule.name);
    if (!prev) return void rules.set(rule.name, { ...rule, ...(rule.scope ? { scope: { ...rule.scope } } : {}) });
    // An unscoped grant is the wider one; two scoped grants union their values.
    if (!prev.scope || !rule.scope) return void rules.set(rule.name, { name: rule.name });
    const scope: Record<string, unknown[]> = { ...(prev.scope as Record<string, unknown[]>) };
    for (const [k, v] of Object.entries(rule.scope) as [string, unknown[]][])
      scope[k] = [...new Set([...(scope[k] ?? []), ...v])];
    rules.set(rule.name, { name: rule.name, scope: scope as CapabilityScope });
  };
  for (const name of input.baseline ?? BASELINE_CAPABILITIES) add({ name });
  if (input.fsRoots?.length) {
    add({ name: 'fs.read', scope: { roots: [...input.fsRoots] } });
    add({ name: 'fs.write', scope: { roots: [...input.fsRoots] } });
  }
  if (input.fsReadOnlyRoots?.length) add({ name: 'fs.read', scope: { roots: [...input.fsReadOnlyRoots] } });
  if (input.envVariables?.length) add({ name: 'env', scope: { variables: [...input.envVariables] } });
  for (const g of input.grants ?? []) add(typeof g === 'string' ? parseGrant(g) : g);
  return { allow: [...rules.values()], ...(deny.length ? { deny } : {}) };
}
