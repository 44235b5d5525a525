import { describe, expect, it } from 'vitest';
import { ManifestQuotasSchema, QUOTA_INFO, QUOTA_KEYS } from '../src/index.js';

describe('quota keys', () => {
  it('the one list of quota keys is exactly the manifest quotas and each has its description', () => {
    expect([...QUOTA_KEYS].sort()).toEqual(Object.keys(ManifestQuotasSchema.properties).sort());
    for (const k of QUOTA_KEYS) expect(QUOTA_INFO[k].unit.length).toBeGreaterThan(0);
  });
});
