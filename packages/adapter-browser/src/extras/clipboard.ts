import { browserError, describeThrown } from '../errors.js';

/** navigator.clipboard, or undefined where the page has none (insecure context, old engine). */
export function clipboardOf(nav: Navigator | undefined): Clipboard | undefined {
  const c = nav?.clipboard;
  return c && typeof c.readText === 'function' && typeof c.writeText === 'function' ? c : undefined;
}

/** Runs one Clipboard API call; no API, or a refusal (NotAllowedError…), is BROWSER_CLIPBOARD_DENIED. */
export async function useClipboard<T>(op: string, clip: Clipboard | undefined, fn: (c: Clipboard) => Promise<T>) {
  const denied = (found: string, cause?: unknown) =>
    browserError('BROWSER_CLIPBOARD_DENIED', op, `${op} through the Clipboard API`, found, {
      expected: 'clipboard access for this page',
      cause,
    });
  if (!clip)
    throw denied('no navigator.clipboard (the page is not a secure context, or the browser has no Clipboard API)');
  try {
    return await fn(clip);
  } catch (e) {
    throw denied(describeThrown(e), e);
  }
}
