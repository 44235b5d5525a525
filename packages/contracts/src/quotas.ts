/**
 * The one list of per-instance resource quotas. The manifest's `quotas`, the embedder's caps
 * (`createFayger({ resources })`), `fayger run --quota k=v` and the runtime's defaults all use these keys;
 * the runtime merges them: effective = min(manifest, host cap — or the default when the host gives none).
 */
export const QUOTA_KEYS = [
  'fuel',
  'memoryPages',
  'wallTimeMs',
  'callDepth',
  'tableElements',
  'hostCallsPerSecond',
  'outputBytes',
] as const;

export type QuotaKey = (typeof QUOTA_KEYS)[number];

/** A value per quota key; absent: no limit from this side. `Infinity` (host side) lifts a default. */
export type QuotaValues = { [K in QuotaKey]?: number };

/** What each quota bounds and its unit (rendered in `fayger run --help`, the grant report and docs). */
export const QUOTA_INFO: Readonly<Record<QuotaKey, { unit: string; description: string }>> = {
  fuel: {
    unit: 'fuel units',
    description:
      'deterministic instruction metering for the whole run (bulk memory/table work and host-call payloads are charged per byte)',
  },
  memoryPages: { unit: '64 KiB pages', description: 'linear memory size' },
  wallTimeMs: { unit: 'ms', description: 'wall-clock time while Running (including waits on the host)' },
  callDepth: { unit: 'frames', description: 'guest call depth' },
  tableElements: { unit: 'elements', description: 'table elements of all tables together (declared, table.grow)' },
  hostCallsPerSecond: { unit: 'calls/s', description: 'host-call rate (token bucket; throttled by default)' },
  outputBytes: { unit: 'bytes', description: 'guest output: stdout, stderr and log messages together' },
};

export function isQuotaKey(k: string): k is QuotaKey {
  return (QUOTA_KEYS as readonly string[]).includes(k);
}
