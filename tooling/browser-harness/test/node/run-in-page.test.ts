import { existsSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CHROMIUM_MISSING_MESSAGE, chromiumAvailable, runInPage, withChromium } from '../../src/index.js';

describe.skipIf(!chromiumAvailable())(
  `runInPage / withChromium${chromiumAvailable() ? '' : ` — ${CHROMIUM_MISSING_MESSAGE}`}`,
  () => {
    it('bundles an entry, runs it in Chromium, returns its value, console output and a screenshot', async () => {
      const dir = await mkdtemp(join(tmpdir(), 'fayger-entry-'));
      const entry = join(dir, 'entry.ts');
      await writeFile(
        entry,
        `const el = document.getElementById('root')!;
       el.textContent = 'rendered';
       console.log('hello from the page');
       (window as any).__faygerDone({ text: el.textContent, ua: navigator.userAgent });`,
      );
      const artifactsDir = join(dir, 'artifacts');
      const r = await runInPage<{ text: string; ua: string }>(entry, {
        bodyHtml: '<div id="root"></div>',
        screenshot: 'entry',
        artifactsDir,
      });
      expect(r.value.text).toBe('rendered');
      expect(r.value.ua).toMatch(/Chrome\//);
      expect(r.console).toContain('log: hello from the page');
      expect(r.screenshotPath && existsSync(r.screenshotPath)).toBe(true);
    });

    it('a failing entry rejects with its message and page errors are recorded', async () => {
      const dir = await mkdtemp(join(tmpdir(), 'fayger-entry-'));
      const entry = join(dir, 'entry.ts');
      await writeFile(
        entry,
        `setTimeout(() => { throw new Error('boom in page'); }, 0); setTimeout(() => (window as any).__faygerFail('gave up'), 50);`,
      );
      await expect(runInPage(entry, { timeoutMs: 5000 })).rejects.toThrow(/gave up[\s\S]*boom in page/);
    });

    it('closes the browser even when the callback throws', async () => {
      let seen: import('playwright-core').Browser | undefined;
      await expect(
        withChromium(async (s) => {
          seen = s.browser;
          throw new Error('callback failed');
        }),
      ).rejects.toThrow('callback failed');
      expect(seen?.isConnected()).toBe(false);
    });
  },
);
