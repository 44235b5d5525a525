import type { StorageReport } from './create-fayger.js';
import {
  QUOTA_INFO,
  QUOTA_KEYS,
  type CapabilityQuota,
  type CapabilityScope,
  type GrantReport,
  type QuotaKey,
  type QuotaValues,
  type SelectionReport,
} from '@fayger/contracts';

function scopeText(scope: CapabilityScope | undefined): string {
  if (!scope) return 'any';
  const parts = Object.entries(scope)
    .filter(([, v]) => Array.isArray(v))
    .map(([k, v]) => `${k}=${(v as unknown[]).join(',') || '(none)'}`);
  return parts.length ? parts.join(' ') : 'any';
}

function quotaText(q: CapabilityQuota | undefined): string {
  if (!q) return '';
  const parts = Object.entries(q).map(([k, v]) => `${k}=${v}`);
  return parts.length ? ` quota ${parts.join(' ')}` : '';
}

/**
 * The grant report as text: for each capability the manifest asked for, whether it is required, what the
 * manifest asked, what the adapter offered, what the host policy allowed, the outcome and why.
 */
export function formatGrantReport(
  report: GrantReport,
  context: { adapter?: string; storage?: StorageReport } = {},
): string {
  const lines: string[] = [];
  const granted = report.entries.filter((e) => e.granted).length;
  lines.push(
    `grants${context.adapter ? ` (adapter ${context.adapter})` : ''}: ${granted} of ${report.entries.length} requested capabilities granted`,
  );
  for (const e of report.entries) {
    const mark = e.granted ? '+' : e.required ? '!' : '-';
    const outcome = e.granted ? 'GRANTED' : e.required ? 'MISSING' : 'absent';
    const asked = `asked ${scopeText(e.requested.scope)}${quotaText(e.requested.quota)}`;
    const adapter = e.available.allowed
      ? `adapter offers ${scopeText(e.available.scope)}`
      : `adapter: no${e.available.reason ? ` (${e.available.reason})` : ''}`;
    const policy = e.policy.allowed
      ? `policy allows ${scopeText(e.policy.scope)}${quotaText(e.policy.quota)}`
      : `policy: no${e.policy.reason ? ` (${e.policy.reason})` : ''}`;
    const result = e.grant ? ` → ${scopeText(e.grant.scope)}${quotaText(e.grant.quota)}` : '';
    lines.push(
      `  ${mark} ${e.name.padEnd(10)} ${outcome.padEnd(7)} ${(e.required ? 'required' : 'optional').padEnd(8)}  ${asked} · ${adapter} · ${policy}${result}`,
    );
    if (!e.granted || e.reason !== 'granted') lines.push(`      why: ${e.reason}`);
  }
  if (report.missingRequired.length)
    lines.push(`  required but not granted: ${report.missingRequired.join(', ')} — the instance will not start`);
  if (report.absentOptional.length)
    lines.push(
      `  optional and absent: ${report.absentOptional.join(', ')} — the guest sees them as absent and degrades`,
    );
  if (context.storage) lines.push(`  ${formatStorage(context.storage).trimEnd()}`);
  return `${lines.join('\n')}\n`;
}

/**
 * Where state is kept, as one line: rollback protection (in memory, a file, the embedder's store or off) and
 * whether anything outlives the Fayger.
 */
export function formatStorage(storage: StorageReport): string {
  const r = storage.rollback;
  const rollback =
    r.store === 'memory'
      ? 'rollback protection in memory only: sequences are forgotten when this Fayger closes'
      : r.store === 'file'
        ? `rollback protection in ${r.path ?? 'a file'}`
        : r.store === 'custom'
          ? "rollback protection in the embedder's version store"
          : 'rollback protection off';
  const state = storage.persistent
    ? `per-app state in ${storage.stateDir}`
    : r.store === 'custom'
      ? 'Fayger itself writes nothing to disk'
      : 'nothing is written to disk (fayger/node: give a stateDir to keep state between runs)';
  return `storage: ${rollback}; ${state}\n`;
}

const fmtBytes = (n: number): string =>
  n >= 1 << 20 ? `${(n / 1048576).toFixed(1)} MiB` : n >= 1024 ? `${(n / 1024).toFixed(1)} KiB` : `${n} B`;

/** The loader's selection report as text: each section, included or not, and why. */
export function formatSelectionReport(report: SelectionReport): string {
  const lines = [
    `sections: ${report.loadOrder.length} of ${report.entries.length} selected, ${fmtBytes(report.includedBytes)}${report.byteBudget !== undefined ? ` of a ${fmtBytes(report.byteBudget)} budget` : ''}`,
  ];
  for (const e of report.entries) {
    lines.push(
      `  ${e.included ? '+' : '-'} #${e.id} ${e.name} (${e.kind}, ${fmtBytes(e.size)}) ${e.included ? 'included' : 'skipped'}: ${e.reason}${e.detail ? ` — ${e.detail}` : ''}`,
    );
  }
  return `${lines.join('\n')}\n`;
}

/**
 * The instance's effective limits as text, one line per quota key (QUOTA_KEYS): the value and where it came
 * from (manifest, host cap, default, per-run), or "unlimited".
 */
export function formatLimits(
  limits: Readonly<QuotaValues & { fuelPerSecond?: number }>,
  sources: Readonly<Partial<Record<QuotaKey, string>>> = {},
): string {
  const lines = ['limits (effective = min of manifest, host cap or default, per-run cap):'];
  for (const k of QUOTA_KEYS) {
    const v = limits[k];
    const value = v === undefined ? 'unlimited' : `${v} ${QUOTA_INFO[k].unit}`;
    lines.push(`  ${k.padEnd(18)} ${value}${v !== undefined && sources[k] ? ` (${sources[k]})` : ''}`);
  }
  if (limits.fuelPerSecond !== undefined)
    lines.push(`  ${'fuelPerSecond'.padEnd(18)} ${limits.fuelPerSecond} fuel units/s (host)`);
  return `${lines.join('\n')}\n`;
}
