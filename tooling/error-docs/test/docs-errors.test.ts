import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { errorCatalogue, FaygerError, isErrorCode } from '@fayger/contracts';
import { describe, expect, it } from 'vitest';
import { documentedCodes, firstPartyAdapterCodes, renderErrorsDoc } from '../src/index.js';

const docPath = fileURLToPath(new URL('../../../docs/errors.md', import.meta.url));

describe('docs/errors.md', () => {
  it('agrees with the catalogue and the first-party adapters (regenerate with `pnpm --filter @fayger/error-docs docs:errors`)', () => {
    const rendered = renderErrorsDoc();
    if (process.env.UPDATE_DOCS === '1') writeFileSync(docPath, rendered);
    expect(readFileSync(docPath, 'utf8')).toBe(rendered);
  });

  it('lists every code with a layer, a title and a remedy', () => {
    const all = documentedCodes();
    for (const [code, info] of Object.entries(all)) {
      expect(code).toMatch(/^[A-Z][A-Z0-9_]+$/);
      expect(info.title.length, code).toBeGreaterThan(10);
      expect(info.remedy.length, code).toBeGreaterThan(10);
    }
    expect(Object.keys(all).length).toBe(
      Object.keys(errorCatalogue).length +
        Object.values(firstPartyAdapterCodes).reduce((n, c) => n + Object.keys(c).length, 0),
    );
  });
});

describe('first-party adapter codes', () => {
  it('are registered by importing the adapter, not known to @fayger/contracts', () => {
    for (const [pkg, codes] of Object.entries(firstPartyAdapterCodes)) {
      expect(Object.keys(codes).length, pkg).toBeGreaterThan(0);
      for (const code of Object.keys(codes)) {
        expect(Object.prototype.hasOwnProperty.call(errorCatalogue, code), `${code} of ${pkg}`).toBe(false);
        expect(isErrorCode(code), code).toBe(true);
        const e = new FaygerError({ code: code as never, phase: 'test' });
        expect(e.layer).toBe('adapter');
        expect(FaygerError.fromJSON(e.toJSON()).code).toBe(code);
      }
    }
  });

  it('each adapter keeps to namespaces of its own', () => {
    const prefixes = Object.entries(firstPartyAdapterCodes).map(
      ([pkg, codes]) => [pkg, new Set(Object.keys(codes).map((c) => c.split('_')[0]))] as const,
    );
    for (const [a, pa] of prefixes)
      for (const [b, pb] of prefixes)
        if (a !== b) for (const p of pa) expect(pb.has(p), `${p}: ${a} and ${b}`).toBe(false);
  });
});
