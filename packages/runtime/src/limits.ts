import { QUOTA_KEYS, type QuotaKey, type QuotaValues } from '@fayger/contracts';

/**
 * The limits every instance gets when neither its manifest nor the host says less (`createFayger` and
 * `fayger run` apply them; a bare `createRuntime` applies them only when given as `hostPolicy.defaults`).
 * Each is raised (or lifted with `Infinity`) by the host's cap for that key: `createFayger({ resources })`,
 * `fayger run --quota k=v`. No default wall time: a server waiting on the host uses no fuel and may run on.
 */
export const DEFAULT_QUOTAS: Readonly<QuotaValues> = Object.freeze({
  /** Tens of seconds of busy interpretation (more on a loaded machine); idle waits cost nothing. */
  fuel: 5_000_000_000,
  /** 128 MiB of linear memory (with a copy while growing, a 256 MB heap process stays under 512 MB RSS). */
  memoryPages: 2048,
  callDepth: 10_000,
  /** All tables together (8 bytes each on the host). */
  tableElements: 1_000_000,
  /** Throttled (not failed) above it by default. */
  hostCallsPerSecond: 100_000,
  /** 1 GiB of stdout, stderr and log messages together. */
  outputBytes: 1024 * 1024 * 1024,
});

/** Bytes of guest memory one host call may reference (`$mem` refs and strings together), checked before copying. */
export const DEFAULT_MAX_HOST_CALL_BYTES = 16 * 1024 * 1024;

const lesser = (a: number | undefined, b: number | undefined): number | undefined =>
  a === undefined ? b : b === undefined ? a : Math.min(a, b);

/**
 * The effective limits of one instance: for each quota key, min(manifest, host cap, per-run cap), where the
 * host cap is the default when the host gives none for that key ("defaults unless raised"). `Infinity` from
 * the host lifts the default; an unlimited result is absent.
 */
export function effectiveQuotas(
  manifest: QuotaValues | undefined,
  host: QuotaValues | undefined,
  defaults: QuotaValues | undefined,
  run?: QuotaValues,
): QuotaValues {
  const out: QuotaValues = {};
  for (const k of QUOTA_KEYS) {
    const hostCap = host?.[k] !== undefined ? host[k] : defaults?.[k];
    const v = lesser(lesser(manifest?.[k], hostCap), run?.[k]);
    if (v !== undefined && Number.isFinite(v)) out[k] = v;
  }
  return out;
}

/** Where each effective limit came from, for the grant report ("manifest", "host", "default", "run"). */
export function limitSources(
  manifest: QuotaValues | undefined,
  host: QuotaValues | undefined,
  defaults: QuotaValues | undefined,
  run?: QuotaValues,
): Partial<Record<QuotaKey, 'manifest' | 'host' | 'default' | 'run'>> {
  const eff = effectiveQuotas(manifest, host, defaults, run);
  const out: Partial<Record<QuotaKey, 'manifest' | 'host' | 'default' | 'run'>> = {};
  for (const k of QUOTA_KEYS) {
    const v = eff[k];
    if (v === undefined) continue;
    if (run?.[k] === v) out[k] = 'run';
    else if (manifest?.[k] === v) out[k] = 'manifest';
    else if (host?.[k] === v) out[k] = 'host';
    else out[k] = 'default';
  }
  return out;
}
