import {
  CapabilityRequestSchema,
  FaygerError,
  isCapabilityName,
  type CapabilityGrant,
  type CapabilityOffer,
  type CapabilityRequest,
  type CapabilityScope,
  type GrantReport,
  type GrantReportEntry,
  type HostPolicy,
} from '@fayger/contracts';
import { Compile } from 'typebox/compile';
import { SCOPE_DIMENSION, intersectDimension, minQuota } from './intersect.js';

let requestCheck: ReturnType<typeof Compile> | undefined;
function isWellFormedRequest(r: unknown): r is CapabilityRequest {
  requestCheck ??= Compile(CapabilityRequestSchema);
  return requestCheck.Check(r);
}

export interface NegotiateOptions {
  /** Named in reasons ("the server adapter does not offer ui"). */
  adapterId?: string;
}

function assertPolicy(policy: HostPolicy): void {
  const ok =
    policy !== null &&
    typeof policy === 'object' &&
    (policy.allow === 'available' || Array.isArray(policy.allow)) &&
    (policy.deny === undefined || Array.isArray(policy.deny));
  if (!ok) {
    throw new FaygerError({
      code: 'CAPABILITY_NEGOTIATION_INVALID',
      phase: 'negotiate',
      what: 'reading the host policy',
      expected: "{ allow: CapabilityOffer[] | 'available', deny?: { name, reason? }[] }",
      found: policy === null ? 'null' : typeof policy,
    });
  }
}

function listSummary(xs: readonly (string | number)[] | undefined): string {
  return xs === undefined ? 'any' : xs.length === 0 ? 'none' : xs.join(', ');
}

/**
 * Capability negotiation: Granted = requested ∩ available ∩ host policy, default deny. Scoped capabilities are
 * intersected per dimension (fs roots by path containment, net.http origins by exact origin or `*.` pattern,
 * ports/variables/namespaces by equality); quotas take the minimum of every side. Never throws for a bad
 * request (the entry is denied with a reason); throws CAPABILITY_NEGOTIATION_INVALID for a malformed policy.
 */
export function negotiate(
  requested: readonly CapabilityRequest[],
  available: readonly CapabilityOffer[],
  policy: HostPolicy,
  options: NegotiateOptions = {},
): GrantReport {
  assertPolicy(policy);
  const adapterName = options.adapterId ? `the ${options.adapterId} adapter` : 'the adapter';
  const entries: GrantReportEntry[] = [];
  const seen = new Set<string>();

  for (const raw of requested as readonly unknown[]) {
    const name = typeof (raw as { name?: unknown })?.name === 'string' ? (raw as { name: string }).name : '?';
    const required = (raw as { required?: unknown })?.required === true;
    const deny = (reason: string, extra: Partial<GrantReportEntry> = {}): void => {
      entries.push({
        name,
        required,
        requested: {},
        available: { allowed: false },
        policy: { allowed: false },
        granted: false,
        reason,
        ...extra,
      });
    };
    if (!isWellFormedRequest(raw)) {
      deny('malformed capability request (does not match the CapabilityRequest schema)');
      continue;
    }
    const req = raw;
    const requestedPart = { scope: req.scope, quota: req.quota };
    if (!isCapabilityName(req.name)) {
      deny(`unknown capability ${JSON.stringify(req.name)} (not in the v1 catalogue)`, { requested: requestedPart });
      continue;
    }
    if (seen.has(req.name)) {
      deny('duplicate request for the same capability; the first one applies', { requested: requestedPart });
      continue;
    }
    seen.add(req.name);

    const offer = available.find((o) => o.name === req.name);
    const availablePart: GrantReportEntry['available'] = offer
      ? { allowed: true, scope: offer.scope }
      : { allowed: false, reason: `${adapterName} does not offer ${req.name} on this host` };

    const denial = policy.deny?.find((d) => d.name === req.name);
    const rule = policy.allow === 'available' ? undefined : policy.allow.find((r) => r.name === req.name);
    let policyPart: GrantReportEntry['policy'];
    if (denial) policyPart = { allowed: false, reason: denial.reason ?? 'denied by host policy' };
    else if (policy.allow === 'available') policyPart = { allowed: true, quota: policy.defaultQuota };
    else if (rule) policyPart = { allowed: true, scope: rule.scope, quota: rule.quota ?? policy.defaultQuota };
    else policyPart = { allowed: false, reason: 'not allowed by host policy (default deny)' };

    const base = {
      name: req.name,
      required: req.required,
      requested: requestedPart,
      available: availablePart,
      policy: policyPart,
    };
    if (!availablePart.allowed || !policyPart.allowed) {
      const why = [availablePart.reason, policyPart.reason].filter(Boolean).join('; ');
      entries.push({ ...base, granted: false, reason: why });
      continue;
    }

    const dim = SCOPE_DIMENSION[req.name];
    let scope: CapabilityScope | undefined;
    const notes: string[] = [];
    if (dim) {
      const r = intersectDimension(dim, req.scope, offer?.scope, policyPart.scope);
      notes.push(...r.dropped.map((d) => `dropped ${d}`));
      if (r.value !== undefined && r.value.length === 0) {
        entries.push({
          ...base,
          granted: false,
          reason:
            `no ${dim} left after intersecting: requested ${listSummary(req.scope?.[dim])}; ` +
            `${adapterName} offers ${listSummary(offer?.scope?.[dim])}; policy allows ${listSummary(policyPart.scope?.[dim])}` +
            (notes.length ? ` (${notes.join('; ')})` : ''),
        });
        continue;
      }
      if (r.value !== undefined) scope = { [dim]: r.value } as CapabilityScope;
    }
    const quota = minQuota(req.quota, offer?.quota, policyPart.quota);
    const grant: CapabilityGrant = { name: req.name };
    if (scope) grant.scope = scope;
    if (quota) grant.quota = quota;
    entries.push({
      ...base,
      granted: true,
      grant,
      reason:
        `granted${dim ? ` with ${dim} ${listSummary(scope?.[dim])}` : ''}` +
        (quota ? ` and quota ${JSON.stringify(quota)}` : '') +
        (notes.length ? ` (${notes.join('; ')})` : ''),
    });
  }

  return {
    entries,
    granted: entries.filter((e) => e.granted).map((e) => e.grant!),
    missingRequired: entries.filter((e) => !e.granted && e.required).map((e) => e.name),
    absentOptional: entries.filter((e) => !e.granted && !e.required).map((e) => e.name),
  };
}

/** Throws CAPABILITY_REQUIRED_MISSING naming every missing required capability and why, if any. */
export function assertRequiredGranted(report: GrantReport): void {
  if (report.missingRequired.length === 0) return;
  const why = report.entries
    .filter((e) => e.required && !e.granted)
    .map((e) => `${e.name}: ${e.reason}`)
    .join('; ');
  throw new FaygerError({
    code: 'CAPABILITY_REQUIRED_MISSING',
    phase: 'negotiate',
    what: 'granting the capabilities the manifest requires',
    expected: 'every required capability granted',
    found: `missing ${report.missingRequired.join(', ')} (${why})`,
    details: { missingRequired: report.missingRequired, report },
  });
}
