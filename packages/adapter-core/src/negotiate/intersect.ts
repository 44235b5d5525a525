import type { CapabilityName, CapabilityQuota, CapabilityScope } from '@fayger/contracts';
import { formatOrigin, originCovers, parseOrigin, type ParsedOrigin } from '../scope/origins.js';
import { isPathWithin, tryNormalizeGuestPath } from '../scope/paths.js';

/** Which scope dimension constrains each capability; dimensions that do not apply are dropped. */
export const SCOPE_DIMENSION: Partial<Record<CapabilityName, keyof CapabilityScope>> = {
  'fs.read': 'roots',
  'fs.write': 'roots',
  'net.http': 'origins',
  'net.listen': 'ports',
  env: 'variables',
  kv: 'namespaces',
};

type Side<T> = readonly T[] | undefined;

export interface DimensionResult<T> {
  /** undefined: unscoped (no side constrained it). [] : nothing survived the intersection. */
  value: T[] | undefined;
  /** Entries that were dropped and why (malformed, outside the other sides). */
  dropped: string[];
}

function dedupe<T>(xs: T[]): T[] {
  return [...new Set(xs)];
}

/**
 * Intersects values ordered by a "covers" relation (roots by path prefix, origins by pattern). With a request,
 * each requested value survives when some value of every constraining side covers it. Without one, the
 * result is the meet of the other two sides: for each pair the narrower value when one covers the other.
 */
function intersectCovering<T>(
  req: Side<T>,
  avail: Side<T>,
  policy: Side<T>,
  covers: (outer: T, inner: T) => boolean,
  show: (v: T) => string,
): DimensionResult<T> {
  const dropped: string[] = [];
  const inside = (v: T, side: Side<T>) => side === undefined || side.some((o) => covers(o, v));
  if (req !== undefined) {
    const value: T[] = [];
    for (const r of req) {
      if (!inside(r, avail)) dropped.push(`${show(r)} (not inside what the adapter offers)`);
      else if (!inside(r, policy)) dropped.push(`${show(r)} (not inside what the host policy allows)`);
      else value.push(r);
    }
    return { value: dedupe(value), dropped };
  }
  if (avail === undefined) return { value: policy === undefined ? undefined : [...policy], dropped };
  if (policy === undefined) return { value: [...avail], dropped };
  const value: T[] = [];
  for (const a of avail) {
    for (const p of policy) {
      if (covers(p, a)) value.push(a);
      else if (covers(a, p)) value.push(p);
    }
  }
  return { value: dedupe(value), dropped };
}

function intersectExact<T>(req: Side<T>, avail: Side<T>, policy: Side<T>, show: (v: T) => string): DimensionResult<T> {
  return intersectCovering(req, avail, policy, (a, b) => a === b, show);
}

/** Parses one side's list; malformed entries are dropped (and named) rather than widening anything. */
function parseSide<T>(
  list: readonly string[] | undefined,
  parse: (s: string) => T | undefined,
  sideName: string,
  dropped: string[],
): T[] | undefined {
  if (list === undefined) return undefined;
  const out: T[] = [];
  for (const s of list) {
    const v = parse(s);
    if (v === undefined) dropped.push(`${JSON.stringify(s)} from ${sideName} (malformed)`);
    else out.push(v);
  }
  return out;
}

const originKey = (o: ParsedOrigin) => formatOrigin(o);

/** Intersects one scope dimension of a capability across request, adapter offer and policy. */
export function intersectDimension(
  dim: keyof CapabilityScope,
  req: CapabilityScope | undefined,
  avail: CapabilityScope | undefined,
  policy: CapabilityScope | undefined,
): DimensionResult<string | number> {
  const malformed: string[] = [];
  switch (dim) {
    case 'roots': {
      const p = (s: string) => tryNormalizeGuestPath(s);
      const r = intersectCovering(
        parseSide(req?.roots, p, 'the request', malformed),
        parseSide(avail?.roots, p, 'the adapter offer', malformed),
        parseSide(policy?.roots, p, 'the host policy', malformed),
        (outer, inner) => isPathWithin(inner, outer),
        (v) => v,
      );
      return { value: r.value, dropped: [...malformed, ...r.dropped] };
    }
    case 'origins': {
      const r = intersectCovering(
        parseSide(req?.origins, parseOrigin, 'the request', malformed),
        parseSide(avail?.origins, parseOrigin, 'the adapter offer', malformed),
        parseSide(policy?.origins, parseOrigin, 'the host policy', malformed),
        originCovers,
        originKey,
      );
      return { value: r.value && dedupe(r.value.map(originKey)), dropped: [...malformed, ...r.dropped] };
    }
    case 'ports':
      return intersectExact(req?.ports, avail?.ports, policy?.ports, String);
    case 'variables':
      return intersectExact(req?.variables, avail?.variables, policy?.variables, (v) => v);
    case 'namespaces':
      return intersectExact(req?.namespaces, avail?.namespaces, policy?.namespaces, (v) => v);
  }
}

/** Quotas take the minimum of every side that sets a field. */
export function minQuota(...quotas: Array<CapabilityQuota | undefined>): CapabilityQuota | undefined {
  const out: CapabilityQuota = {};
  for (const q of quotas) {
    if (!q) continue;
    for (const k of ['calls', 'bytes', 'ratePerSecond'] as const) {
      const v = q[k];
      if (v === undefined) continue;
      out[k] = out[k] === undefined ? v : Math.min(out[k]!, v);
    }
  }
  return Object.keys(out).length ? out : undefined;
}
