import { existsSync } from 'node:fs';

/**
 * Debian's chromium (`apt-get install -y chromium`). Playwright's own browser download is never used:
 * `FAYGER_CHROMIUM` may point at another local binary, nothing else.
 */
export const CHROMIUM_PATH: string = process.env.FAYGER_CHROMIUM ?? '/usr/bin/chromium';

/**
 * Launch flags: headless, no sandbox (CI containers run as root), and no background traffic, so a test run
 * talks to 127.0.0.1 only. Playwright adds a fresh temporary `--user-data-dir` per launch itself (and rejects
 * one passed here), so every run starts from an empty profile.
 */
export const CHROMIUM_ARGS: readonly string[] = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-quic',
  '--disable-sync',
];

export function chromiumAvailable(): boolean {
  return existsSync(CHROMIUM_PATH);
}

export const CHROMIUM_MISSING_MESSAGE =
  `real-Chromium tests skipped: ${CHROMIUM_PATH} not found. ` +
  "Install Debian's browser with `apt-get install -y chromium` (never `playwright install`), or set FAYGER_CHROMIUM.";
