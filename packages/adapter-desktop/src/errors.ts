import { FaygerError, registerErrorCodes, type FaygerErrorInit } from '@fayger/contracts';

/**
 * This package's own error codes, registered with the catalogue on import as any third-party adapter registers
 * its own (docs/adapters.md): terminal UI, clipboard, notifications, open-url. docs/errors.md lists them
 * (tooling/error-docs).
 */
export const desktopErrorCodes = registerErrorCodes(
  {
    DESKTOP_UI_TREE_INVALID: {
      layer: 'adapter',
      title:
        'A UI tree cannot be rendered in the terminal (an interactive node without an id, or two nodes sharing one).',
      remedy: 'Give every button and input a unique id; events name nodes by it.',
    },
    DESKTOP_UI_NO_TERMINAL: {
      layer: 'adapter',
      title: 'The desktop UI needs an interactive terminal and none is attached (or it was closed).',
      remedy: 'Run the app from a terminal (stdin and stdout a TTY), or pass terminal streams to the desktop adapter.',
    },
    DESKTOP_CLIPBOARD_UNAVAILABLE: {
      layer: 'adapter',
      title: 'No clipboard tool was found on this host (wl-copy/wl-paste, xclip, xsel, pbcopy/pbpaste, clip.exe).',
      remedy: 'Install one of the clipboard tools, or treat the clipboard capability as absent.',
    },
    DESKTOP_TOOL_FAILED: {
      layer: 'adapter',
      title: 'An OS tool the desktop adapter runs (clipboard, notifier, URL opener) failed or timed out.',
      remedy:
        'Check that the tool works from a shell in this session (display server, D-Bus); the message names the tool and its exit status.',
      retryable: true,
    },
    DESKTOP_URL_REJECTED: {
      layer: 'adapter',
      title: 'url.open was given something other than an absolute http(s) URL.',
      remedy:
        'Pass an absolute URL starting with http:// or https://; other schemes (file:, javascript:, custom handlers) are never opened.',
    },
  },
  { owner: '@fayger/adapter-desktop' },
);

// Tells the type checker that FaygerError accepts the codes.
declare module '@fayger/contracts' {
  interface RegisteredErrorCodes {
    DESKTOP_UI_TREE_INVALID: true;
    DESKTOP_UI_NO_TERMINAL: true;
    DESKTOP_CLIPBOARD_UNAVAILABLE: true;
    DESKTOP_TOOL_FAILED: true;
    DESKTOP_URL_REJECTED: true;
  }
}

/**
 * A FaygerError. Raise this package's codes through it: importing it keeps the registration above in every
 * bundle (the package has no side effects a bundler must keep otherwise).
 */
export function desktopError(init: FaygerErrorInit): FaygerError {
  return new FaygerError(init);
}
