import { browserError, describeThrown } from '../errors.js';

function denied(op: string, found: string, cause?: unknown) {
  return browserError('BROWSER_CLIPBOARD_DENIED', op, `${op} through the Clipboard API`, found, {
    expected: 'clipboard access for this page',
    cause,
    details: {},
  });
}

/** navigator.clipboard, or undefined where the page has none (insecure context, old engine). */
export function clipboardOf(nav: Navigator | undefined): Clipboard | undefined {
  const c = nav?.clipboard;
  return c && typeof c.readText === 'function' && typeof c.writeText === 'function' ? c : undefined;
}

export async function readClipboard(clip: Clipboard | undefined): Promise<{ text: string }> {
  if (!clip)
    throw denied(
      'clipboard.read',
      'no navigator.clipboard (the page is not a secure context, or the browser has no Clipboard API)',
    );
  try {
    return { text: await clip.readText() };
  } catch (e) {
    throw denied('clipboard.read', describeThrown(e), e);
  }
}

export async function writeClipboard(clip: Clipboard | undefined, text: string): Promise<Record<string, never>> {
  if (!clip)
    throw denied(
      'clipboard.write',
      'no navigator.clipboard (the page is not a secure context, or the browser has no Clipboard API)',
    );
  try {
    await clip.writeText(text);
    return {};
  } catch (e) {
    throw denied('clipboard.write', describeThrown(e), e);
  }
}
