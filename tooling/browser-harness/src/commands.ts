import type { BrowserCommand } from 'vitest/node';
import { startHttpFixture, type HttpFixture } from './http-fixture.js';

/**
 * Browser commands: functions that run in Node on behalf of a test running in the page
 * (`import { commands } from 'vitest/browser'`). Registered by `defineBrowserProject`.
 */
const fixtures = new Map<string, HttpFixture>();

/** Starts an HTTP fixture server (see http-fixture.ts for its routes); resolves to its origin. */
export const startHttpFixtureCommand: BrowserCommand<[]> = async () => {
  const f = await startHttpFixture();
  fixtures.set(f.origin, f);
  return f.origin;
};

export const stopHttpFixtureCommand: BrowserCommand<[origin: string]> = async (_ctx, origin) => {
  const f = fixtures.get(origin);
  fixtures.delete(origin);
  await f?.close();
};

/**
 * URLs of the other pages the test page opened (window.open popups), after waiting up to `waitMs` for at least
 * one to finish navigating away from about:blank; closes them, so each test sees only its own.
 */
export const takePopupsCommand: BrowserCommand<[waitMs?: number]> = async (ctx, waitMs = 2000) => {
  const others = () => ctx.context.pages().filter((p) => p !== ctx.page);
  const end = Date.now() + waitMs;
  while (Date.now() < end && !others().some((p) => p.url() !== 'about:blank'))
    await new Promise((r) => setTimeout(r, 20));
  const pages = others();
  const urls = pages.map((p) => p.url());
  await Promise.all(pages.map((p) => p.close().catch(() => {})));
  return urls;
};

export const harnessCommands = {
  startHttpFixture: startHttpFixtureCommand,
  stopHttpFixture: stopHttpFixtureCommand,
  takePopups: takePopupsCommand,
};

/** Closes every fixture still open (the project's teardown calls this). */
export async function closeAllHttpFixtures(): Promise<void> {
  const all = [...fixtures.values()];
  fixtures.clear();
  await Promise.all(all.map((f) => f.close()));
}

declare module 'vitest/browser' {
  interface BrowserCommands {
    /** Starts a 127.0.0.1 HTTP fixture server in Node; returns its origin (`http://127.0.0.1:<port>`). */
    startHttpFixture(): Promise<string>;
    stopHttpFixture(origin: string): Promise<void>;
    /** URLs of popups the page opened (waits up to waitMs for one to navigate); closes them. */
    takePopups(waitMs?: number): Promise<string[]>;
  }
}
