import { defineAdapterErrors } from '@fayger/adapter-core';
import type { ErrorCode, FaygerError, FaygerErrorInit } from '@fayger/contracts';

/**
 * This package's own error codes, registered with the catalogue on import as any third-party adapter registers
 * its own (docs/adapters.md): DOM UI, fetch, browser storage, clipboard, window.open. docs/errors.md lists them
 * (tooling/error-docs).
 */
const errors = defineAdapterErrors('@fayger/adapter-browser', {
  BROWSER_NO_DOM: {
    title:
      'The browser adapter was used where there is no DOM (no window/document), or its UI container is not an element.',
    remedy:
      'Create the browser adapter in a web page, and pass an Element (or a function returning one) as `container`.',
  },
  BROWSER_UI_TREE_INVALID: {
    title:
      'A UI tree cannot be rendered as DOM (an interactive node without an id, two nodes sharing an id, or a tree too deep).',
    remedy:
      'Give every button and input a unique id and keep the tree within the depth limit; events name nodes by id.',
  },
  BROWSER_FETCH_FAILED: {
    title:
      'The browser refused or could not complete a fetch (CORS not allowed by the server, mixed content, network failure, blocked by the page policy).',
    remedy:
      "Make the server send Access-Control-Allow-Origin for this page's origin (and answer the preflight), serve it over https from https pages, and check connectivity.",
    retryable: true,
  },
  BROWSER_REDIRECT_REFUSED: {
    title:
      'net.http got a redirect and the adapter is configured to refuse redirects (the browser hides their target).',
    remedy:
      'Request the final URL directly, or create the adapter with `http: { redirects: "follow" }` (the final URL is still checked against the grant).',
  },
  BROWSER_STORAGE_FAILED: {
    title:
      'Browser storage (IndexedDB or localStorage) failed: quota exceeded, blocked, or disabled by the user or a private mode.',
    remedy:
      "Free space or raise the site's storage quota; allow site data for this origin; close other tabs holding an older database version.",
    retryable: true,
  },
  BROWSER_CLIPBOARD_DENIED: {
    title:
      'The page may not use the clipboard: no Clipboard API (insecure context), permission denied, or the document is not focused.',
    remedy:
      'Serve the page from https (or localhost), let the user grant clipboard access, and call from a focused page (usually after a user gesture).',
  },
  BROWSER_URL_REJECTED: {
    title: 'url.open was given something other than an absolute http(s) URL.',
    remedy:
      'Pass an absolute URL starting with http:// or https://; javascript:, data:, file: and other schemes are never opened.',
  },
  BROWSER_POPUP_BLOCKED: {
    title: 'The browser blocked the window url.open tried to open (popup blocker).',
    remedy:
      'Call url.open in response to a user action (a ui.event click), or let the user allow popups for this site.',
  },
});
export const browserErrorCodes = errors.codes;

// Tells the type checker that FaygerError accepts the codes.
declare module '@fayger/contracts' {
  interface RegisteredErrorCodes {
    BROWSER_NO_DOM: true;
    BROWSER_UI_TREE_INVALID: true;
    BROWSER_FETCH_FAILED: true;
    BROWSER_REDIRECT_REFUSED: true;
    BROWSER_STORAGE_FAILED: true;
    BROWSER_CLIPBOARD_DENIED: true;
    BROWSER_URL_REJECTED: true;
    BROWSER_POPUP_BLOCKED: true;
  }
}

type BrowserCode = Extract<ErrorCode, `BROWSER_${string}`>;

/** A FaygerError with one of this package's codes (raising through it keeps the registration above in every bundle). */
export function browserError(
  code: BrowserCode,
  phase: string,
  what: string,
  found: string,
  extra: Pick<FaygerErrorInit, 'expected' | 'hint' | 'cause' | 'details' | 'retryable'> = {},
): FaygerError {
  return errors.error({ code, phase, what, found, ...extra, details: extra.details ?? {} });
}

/** A short, printable description of a thrown value (DOMException names matter: NotAllowedError, QuotaExceededError). */
export function describeThrown(e: unknown): string {
  if (e instanceof Error || (typeof DOMException !== 'undefined' && e instanceof DOMException)) {
    const err = e as Error;
    return err.message ? `${err.name}: ${err.message}` : err.name;
  }
  return String(e);
}
