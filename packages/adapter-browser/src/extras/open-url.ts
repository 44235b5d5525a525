import { browserError } from '../errors.js';

/**
 * Checks that `url` is an absolute http(s) URL and returns it normalised. javascript:, data:, blob:, file: and
 * relative references fail BROWSER_URL_REJECTED: opening them would run code in, or read from, this page's origin.
 */
export function parseOpenableUrl(url: string): string {
  const reject = (found: string) =>
    browserError('BROWSER_URL_REJECTED', 'url.open', 'opening a URL', found, {
      expected: 'an absolute http:// or https:// URL with a host',
      details: { url: url.length > 200 ? `${url.slice(0, 200)}…` : url },
    });
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(url)) throw reject('a URL containing control characters');
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw reject(`${JSON.stringify(url.slice(0, 80))} (not an absolute URL)`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw reject(`the scheme ${JSON.stringify(parsed.protocol)}`);
  if (!parsed.hostname) throw reject('a URL without a host');
  return parsed.href;
}

/**
 * Opens `href` in a new window that cannot reach back into this page. The window is opened blank first so a
 * popup blocker can be detected (a window opened with `noopener` is always reported as null), then cut from
 * its opener and sent to the URL.
 */
export function openInNewWindow(win: Window, href: string): void {
  const w = win.open('about:blank', '_blank');
  if (!w) {
    throw browserError('BROWSER_POPUP_BLOCKED', 'url.open', `opening ${new URL(href).origin}`, 'window.open returned null', {
      expected: 'a new window',
      details: { url: href },
    });
  }
  w.opener = null;
  w.location.href = href;
}
