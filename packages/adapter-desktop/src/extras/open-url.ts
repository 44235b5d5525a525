import { spawn } from 'node:child_process';
import { parseOpenableUrl as parseOpenableUrlAs } from '@fayger/adapter-core';
import { FaygerError } from '@fayger/contracts';
import type { ToolTimeouts } from './clipboard.js';
import { findTool, runTool, type ToolEnv } from './os-tools.js';
import { desktopError } from '../errors.js';

/**
 * Checks that `url` is an absolute http(s) URL (adapter-core's shared rule) and returns it normalised; anything
 * else fails DESKTOP_URL_REJECTED, since handing it to the OS opener could run local programs.
 */
export function parseOpenableUrl(url: string): string {
  return parseOpenableUrlAs(url, 'DESKTOP_URL_REJECTED');
}

export interface UrlOpener {
  readonly name: string;
  /** Opens an already-validated URL (see `parseOpenableUrl`). */
  open(href: string, signal?: AbortSignal): Promise<void>;
}

/**
 * The OS URL opener, or null. Windows uses `rundll32 url.dll,FileProtocolHandler` rather than `start`:
 * `start` is a cmd.exe built-in, and going through cmd.exe would parse `&` and `^` in the URL as shell syntax.
 */
export function detectUrlOpener(te: ToolEnv, opts: ToolTimeouts = {}): UrlOpener | null {
  if (te.platform === 'win32') {
    const rundll =
      findTool('rundll32.exe', te) ?? (te.env.SystemRoot ? `${te.env.SystemRoot}\\System32\\rundll32.exe` : null);
    if (!rundll) return null;
    return {
      name: 'rundll32',
      open: async (href, signal) =>
        void (await runTool(rundll, ['url.dll,FileProtocolHandler', href], {
          phase: 'url.open',
          timeoutMs: opts.timeoutMs,
          signal,
        })),
    };
  }
  const tool = te.platform === 'darwin' ? findTool('open', te) : (findTool('xdg-open', te) ?? findTool('wslview', te));
  if (!tool) return null;
  const name = tool.split('/').pop()!;
  return {
    name,
    open: (href, signal) => launch(tool, href, opts.timeoutMs ?? 5000, signal),
  };
}

/**
 * Runs the opener detached. Some xdg-open fallbacks run the browser in the foreground; waiting for it to exit
 * would hang the call, so a launcher still running after a grace period counts as launched.
 */
function launch(tool: string, href: string, graceMs: number, signal?: AbortSignal): Promise<void> {
  const settleAfter = Math.min(graceMs, 3000);
  return new Promise<void>((resolve, reject) => {
    let done = false;
    const child = spawn(tool, [href], { stdio: ['ignore', 'ignore', 'pipe'], detached: true, shell: false });
    let err = '';
    const onAbort = () =>
      finish(
        new FaygerError({ code: 'ABORTED', phase: 'url.open', what: 'opening a URL', found: 'the call was cancelled' }),
      );
    const finish = (e?: Error) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      child.stderr?.destroy();
      child.unref();
      if (e) reject(e);
      else resolve();
    };
    const timer = setTimeout(() => finish(), settleAfter);
    child.stderr?.on('data', (b: Buffer) => {
      if (err.length < 2000) err += b.toString('utf8');
    });
    child.on('error', (e) =>
      finish(toolFailed(tool, `the tool could not start (${(e as NodeJS.ErrnoException).code ?? e.message})`, {}, e)),
    );
    child.on('exit', (code, sig) => {
      if (code === 0) finish();
      else
        finish(
          toolFailed(
            tool,
            sig ? `killed by ${sig}` : `exit status ${code}${err.trim() ? `: ${err.trim().slice(0, 300)}` : ''}`,
            { exitCode: code, stderr: err.slice(0, 2000) },
          ),
        );
    });
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

function toolFailed(tool: string, found: string, details: Record<string, unknown>, cause?: unknown): FaygerError {
  const name = tool.split(/[\\/]/).pop() ?? tool;
  return desktopError({
    code: 'DESKTOP_TOOL_FAILED',
    phase: 'url.open',
    what: `url.open through ${name}`,
    expected: `${name} to exit with status 0`,
    found,
    details: { tool: name, ...details },
    ...(cause !== undefined ? { cause } : {}),
  });
}
