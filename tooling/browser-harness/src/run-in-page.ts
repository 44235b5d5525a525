import { bundleForBrowser, type BundleOptions } from './bundle.js';
import { withChromium, type PageRecord, type WithChromiumOptions } from './launch.js';
import { startStaticServer } from './static-server.js';

export interface RunInPageOptions extends WithChromiumOptions, BundleOptions {
  /** Extra body HTML for the page (a container element, say). */
  bodyHtml?: string;
  /** Time allowed for the entry's result (ms, default 30000). */
  timeoutMs?: number;
  /** Screenshot taken after the result arrives (name without extension). */
  screenshot?: string;
}

export interface RunInPageResult<T> extends PageRecord {
  /** What the entry passed to `window.__faygerDone(value)` (must be structured-cloneable JSON). */
  value: T;
  screenshotPath?: string;
}

/**
 * Bundles `entry`, serves it from 127.0.0.1 in a blank page, and waits for the entry to call
 * `window.__faygerDone(value)` (or `window.__faygerFail(message)`). For suites that do not use vitest:
 * the entry reports its own results.
 */
export async function runInPage<T = unknown>(
  entry: string,
  options: RunInPageOptions = {},
): Promise<RunInPageResult<T>> {
  const code = await bundleForBrowser(entry, options);
  const server = await startStaticServer({
    files: {
      '/index.html': `<!doctype html><html><head><meta charset="utf-8"><title>fayger harness</title></head><body>${options.bodyHtml ?? ''}<script type="module" src="/entry.js"></script></body></html>`,
      '/entry.js': code,
    },
  });
  try {
    return await withChromium(async (s) => {
      // The entry may finish before any evaluate could attach: it queues its report, which is polled.
      await s.page.addInitScript(() => {
        const w = window as unknown as Record<string, unknown>;
        const q: Array<['done' | 'fail', unknown]> = [];
        w.__faygerDone = (v: unknown) => q.push(['done', v]);
        w.__faygerFail = (v: unknown) => q.push(['fail', v]);
        w.__faygerQueue = q;
      });
      await s.page.goto(`${server.origin}/index.html`);
      const value = (await s.page
        .waitForFunction(
          () => {
            const q = (window as unknown as { __faygerQueue?: Array<['done' | 'fail', unknown]> }).__faygerQueue;
            return q && q.length > 0 ? q[0] : undefined;
          },
          undefined,
          { timeout: options.timeoutMs ?? 30_000, polling: 20 },
        )
        .then((h) => h.jsonValue())) as ['done' | 'fail', T];
      if (value[0] === 'fail') throw new Error(`page reported failure: ${String(value[1])}\n${s.errors.join('\n')}`);
      const screenshotPath = options.screenshot ? await s.screenshot(options.screenshot) : undefined;
      return { value: value[1], console: s.console, errors: s.errors, ...(screenshotPath ? { screenshotPath } : {}) };
    }, options);
  } finally {
    await server.close();
  }
}
