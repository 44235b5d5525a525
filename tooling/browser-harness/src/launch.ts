import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_MISSING_MESSAGE, CHROMIUM_PATH, chromiumAvailable } from './chromium.js';

/** Launches Debian's chromium headless with the harness flags (fresh temporary profile per launch). */
export async function launchChromium(): Promise<Browser> {
  if (!chromiumAvailable()) throw new Error(CHROMIUM_MISSING_MESSAGE);
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS], headless: true, timeout: 30_000 });
}

export interface PageRecord {
  /** Console messages as `<type>: <text>`. */
  console: string[];
  /** Uncaught errors in the page. */
  errors: string[];
}

export interface ChromiumSession extends PageRecord {
  browser: Browser;
  context: BrowserContext;
  page: Page;
  /** Saves a PNG of the page to `<artifactsDir>/<name>.png`; returns the path. */
  screenshot(name: string): Promise<string>;
}

export interface WithChromiumOptions {
  /** Folder for screenshots (default `<cwd>/test-artifacts`, gitignored). */
  artifactsDir?: string;
  viewport?: { width: number; height: number };
}

/**
 * Runs `fn` with a fresh browser, context and page, recording console output and page errors; closes the
 * browser whatever `fn` does (throws, times out, leaves pages open).
 */
export async function withChromium<T>(
  fn: (session: ChromiumSession) => Promise<T>,
  options: WithChromiumOptions = {},
): Promise<T> {
  const browser = await launchChromium();
  try {
    const context = await browser.newContext({ viewport: options.viewport ?? { width: 1024, height: 768 } });
    const page = await context.newPage();
    const record: PageRecord = { console: [], errors: [] };
    page.on('console', (m) => record.console.push(`${m.type()}: ${m.text()}`));
    page.on('pageerror', (e) => record.errors.push(e.stack ?? e.message));
    const dir = resolve(options.artifactsDir ?? join(process.cwd(), 'test-artifacts'));
    const session: ChromiumSession = {
      browser,
      context,
      page,
      ...record,
      console: record.console,
      errors: record.errors,
      screenshot: async (name) => {
        await mkdir(dir, { recursive: true });
        const path = join(dir, `${name.replace(/[^\w.-]+/g, '_')}.png`);
        await page.screenshot({ path, fullPage: true });
        return path;
      },
    };
    return await fn(session);
  } finally {
    await browser.close().catch(() => {});
  }
}
