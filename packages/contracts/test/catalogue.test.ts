import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { errorCatalogue } from '../src/index.js';

const dir = fileURLToPath(new URL('../src/errors/catalogue/', import.meta.url));

describe('error catalogue areas', () => {
  it('never define the same code twice (a spread would silently keep only the last)', async () => {
    const owner = new Map<string, string>();
    const clashes: string[] = [];
    let total = 0;
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts') && f !== 'index.ts')) {
      const mod = (await import(`${dir}${file}`)) as Record<string, Record<string, unknown>>;
      for (const codes of Object.values(mod)) {
        for (const code of Object.keys(codes)) {
          total++;
          const prev = owner.get(code);
          if (prev) clashes.push(`${code} in ${prev} and ${file}`);
          owner.set(code, file);
        }
      }
    }
    expect(clashes).toEqual([]);
    // Every area file is joined into the catalogue.
    expect(Object.keys(errorCatalogue).length).toBe(total);
  });
});
