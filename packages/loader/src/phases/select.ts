import { FaygerError, type LoadProfile, type SelectionReason, type SelectionReportEntry } from '@fayger/contracts';
import { loaderError } from '../errors.js';
import type { IndexEntry } from '../format/index-codec.js';
import type { LoadContext } from './context.js';

const PHASE = 'select';

const OK = { ok: true } as const;

function applicability(
  e: IndexEntry,
  p: LoadProfile,
): { ok: true } | { ok: false; reason: SelectionReason; detail: string } {
  if (e.hosts.length && !e.hosts.includes(p.host)) {
    return { ok: false, reason: 'host-mismatch', detail: `for hosts ${e.hosts.join(', ')}; this host is ${p.host}` };
  }
  if (e.features.length) {
    const features = p.features ?? [];
    const missing = e.features.filter((f) => !features.includes(f));
    if (missing.length)
      return { ok: false, reason: 'feature-missing', detail: `needs feature(s) ${missing.join(', ')}` };
  }
  if (e.locales.length) {
    const locales = p.locales ?? [];
    if (!e.locales.some((l) => locales.includes(l))) {
      return {
        ok: false,
        reason: 'locale-mismatch',
        detail: `for locales ${e.locales.join(', ')}; profile has ${locales.join(', ') || 'none'}`,
      };
    }
  }
  return OK;
}

/**
 * Phase select. Always included: the entry section, every required section, and everything they depend
 * on (dependencies win over selectors). Then optional sections whose selectors match the profile, by
 * priority (profile override, else index priority; ties by offset), while their closure fits the budget.
 */
export function selectPhase(ctx: LoadContext): void {
  const profile = ctx.options.profile;
  if (!profile || typeof profile.host !== 'string') {
    throw new FaygerError({
      code: 'INVALID_ARGUMENT',
      phase: PHASE,
      what: 'reading LoadOptions.profile',
      expected: 'a LoadProfile with a host',
      found: JSON.stringify(profile),
    });
  }
  const budget = profile.byteBudget;
  if (budget !== undefined && !(Number.isFinite(budget) && budget >= 0)) {
    throw new FaygerError({
      code: 'INVALID_ARGUMENT',
      phase: PHASE,
      what: 'reading LoadProfile.byteBudget',
      expected: 'a non-negative number',
      found: String(budget),
    });
  }
  const sections = ctx.signatureEntry ? ctx.entries.slice(0, -1) : ctx.entries;
  const byId = ctx.byId;
  const decided = new Map<number, { included: boolean; reason: SelectionReason; detail: string }>();
  let used = 0;

  // Sections in the dependency closure of `root` not yet included. Unknown ids and cycles are left to resolve.
  const closure = (root: IndexEntry): IndexEntry[] => {
    if (root.dependsOn.length === 0) return decided.get(root.id)?.included ? [] : [root];
    const out: IndexEntry[] = [];
    const seen = new Set<number>();
    const stack = [root];
    while (stack.length) {
      const e = stack.pop()!;
      if (seen.has(e.id)) continue;
      seen.add(e.id);
      if (!decided.get(e.id)?.included) out.push(e);
      for (const d of e.dependsOn) {
        const t = byId.get(d);
        if (t) stack.push(t);
      }
    }
    return out;
  };
  const include = (root: IndexEntry, reason: SelectionReason, detail: string) => {
    for (const e of closure(root)) {
      used += e.rawLength;
      decided.set(
        e.id,
        e === root
          ? { included: true, reason, detail }
          : { included: true, reason: 'dependency', detail: `needed by ${root.name}` },
      );
    }
  };

  const entry = ctx.byName.get(ctx.manifest.entry.section)!;
  include(entry, 'entry', 'manifest entry section');
  for (const e of sections) if (e.required && !decided.get(e.id)?.included) include(e, 'required', 'flagged required');
  if (budget !== undefined && used > budget) {
    throw loaderError('LOADER_REQUIRED_OVER_BUDGET', PHASE, {
      what: 'fitting the required sections into the byte budget',
      expected: `at most ${budget} bytes`,
      found: `${used} bytes of required sections and their dependencies (${used - budget} bytes over)`,
      hint: `Raise LoadProfile.byteBudget by at least ${used - budget} bytes.`,
      details: { budget, required: used, over: used - budget },
    });
  }
  const candidates: IndexEntry[] = [];
  for (const e of sections) {
    if (decided.has(e.id)) continue;
    const a = applicability(e, profile);
    if (a.ok) candidates.push(e);
    else decided.set(e.id, { included: false, reason: a.reason, detail: a.detail });
  }
  const overrides = profile.priorities;
  const prio = overrides ? (e: IndexEntry) => overrides[e.name] ?? e.priority : (e: IndexEntry) => e.priority;
  candidates.sort((x, y) => prio(y) - prio(x) || x.offset - y.offset);
  const SELECTED = { included: true, reason: 'selected' as const, detail: 'matches the profile' };
  for (const e of candidates) {
    if (decided.get(e.id)?.included) continue;
    if (e.dependsOn.length === 0) {
      // Common case without a closure walk or temporary arrays.
      if (budget === undefined || used + e.rawLength <= budget) {
        used += e.rawLength;
        decided.set(e.id, SELECTED);
      } else {
        decided.set(e.id, {
          included: false,
          reason: 'over-budget',
          detail: `needs ${e.rawLength} bytes, ${budget - used} left`,
        });
      }
      continue;
    }
    const cost = closure(e).reduce((n, s) => n + s.rawLength, 0);
    if (budget === undefined || used + cost <= budget) include(e, 'selected', 'matches the profile');
    else
      decided.set(e.id, {
        included: false,
        reason: 'over-budget',
        detail: `needs ${cost} bytes, ${budget - used} left`,
      });
  }
  const entries: SelectionReportEntry[] = sections.map((e) => {
    const d = decided.get(e.id)!;
    return {
      id: e.id,
      name: e.name,
      kind: e.kind,
      size: e.rawLength,
      priority: prio(e),
      included: d.included,
      reason: d.reason,
      detail: d.detail,
    };
  });
  ctx.selection = {
    entries,
    includedBytes: used,
    ...(budget !== undefined ? { byteBudget: budget } : {}),
    loadOrder: [],
  };
}
