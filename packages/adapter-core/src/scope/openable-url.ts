import { FaygerError, type ErrorCode } from '@fayger/contracts';

/**
 * Checks that `url` is an absolute http(s) URL with a host and returns it normalised (WHATWG serialisation:
 * spaces and control characters percent-encoded). javascript:, data:, blob:, file:, custom handlers and
 * relative references are refused with `code` (each adapter's own URL_REJECTED code): in a page they would run
 * code in or read from its origin, and handed to an OS opener they would start local programs.
 */
export function parseOpenableUrl(url: string, code: ErrorCode): string {
  const reject = (found: string) =>
    new FaygerError({
      code,
      phase: 'url.open',
      what: 'opening a URL',
      expected: 'an absolute http:// or https:// URL with a host',
      found,
      details: { url: typeof url === 'string' && url.length > 200 ? `${url.slice(0, 200)}…` : url },
    });
  if (typeof url !== 'string') throw reject(typeof url);
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(url)) throw reject('a URL containing control characters');
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw reject(`${JSON.stringify(url.slice(0, 80))} (not an absolute URL)`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')
    throw reject(`the scheme ${JSON.stringify(parsed.protocol)}`);
  if (!parsed.hostname) throw reject('a URL without a host');
  return parsed.href;
}
