import { parseOpenableUrl as parseOpenableUrlAs } from '@fayger/adapter-core';
import { browserError } from '../errors.js';

/** Checks that `url` is an absolute http(s) URL (adapter-core's shared rule) and returns it normalised. */
export function parseOpenableUrl(url: string): string {
  return parseOpenableUrlAs(url, 'BROWSER_URL_REJECTED');
}

/**
 * Opens `href` in a new window that cannot reach back into this page. The window is opened blank first so a
 * popup blocker can be detected (a window opened with `noopener` is always reported as null), then cut from
 * its opener and sent to the URL.
 */
export function openInNewWindow(win: Window, href: string): void {
  const w = win.open('about:blank', '_blank');
  if (!w) {
    throw browserError(
      'BROWSER_POPUP_BLOCKED',
      'url.open',
      `opening ${new URL(href).origin}`,
      'window.open returned null',
      {
        expected: 'a new window',
        details: { url: href },
      },
    );
  }
  w.opener = null;
  w.location.href = href;
}
