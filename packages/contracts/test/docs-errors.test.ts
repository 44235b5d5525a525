import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { errorCatalogue } from '../src/index.js';
import { renderErrorCatalogue } from '../src/errors/render.js';

const docPath = fileURLToPath(new URL('../../../docs/errors.md', import.meta.url));

describe('docs/errors.md', () => {
  it('agrees with the code catalogue (regenerate with `pnpm --filter @fayger/contracts docs:errors`)', () => {
    const rendered = renderErrorCatalogue();
    if (process.env.UPDATE_DOCS === '1') writeFileSync(docPath, rendered);
    expect(readFileSync(docPath, 'utf8')).toBe(rendered);
  });

  it('lists every code with a layer, a title and a remedy', () => {
    for (const [code, info] of Object.entries(errorCatalogue)) {
      expect(code).toMatch(/^[A-Z][A-Z0-9_]+$/);
      expect(info.title.length).toBeGreaterThan(10);
      expect(info.remedy.length).toBeGreaterThan(10);
    }
  });
});
