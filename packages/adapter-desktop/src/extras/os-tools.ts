import { spawn } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { FaygerError } from '@fayger/contracts';
import { desktopError } from '../errors.js';

/**
 * Finding and running the OS helper programs (clipboard, notifier, URL opener). Always an argument vector,
 * never a shell string, so guest text can never become shell syntax.
 */

/** The parts of the process environment tool detection looks at; tests pass their own. */
export interface ToolEnv {
  /** `process.platform` ('linux', 'darwin', 'win32', …); a plain string so declarations need no Node types. */
  platform: string;
  env: Readonly<Record<string, string | undefined>>;
}

export function currentToolEnv(): ToolEnv {
  return { platform: process.platform, env: process.env };
}

/** Absolute path of an executable named `name` on the PATH of `te`, or null. */
export function findTool(name: string, te: ToolEnv): string | null {
  const path = te.env.PATH ?? te.env.Path ?? '';
  const exts =
    te.platform === 'win32' && !/\.[a-z]+$/i.test(name) ? (te.env.PATHEXT ?? '.EXE;.CMD;.BAT').split(';') : [''];
  for (const dir of path.split(te.platform === 'win32' ? ';' : delimiter)) {
    if (!dir) continue;
    for (const ext of exts) {
      const file = join(dir, name + ext);
      try {
        if (!statSync(file).isFile()) continue;
        if (te.platform !== 'win32') accessSync(file, constants.X_OK);
        return file;
      } catch {
        // Not here; keep looking.
      }
    }
  }
  return null;
}

export interface RunToolOptions {
  /** Written to the tool's stdin, which is then closed. */
  input?: string | Uint8Array;
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Collect stdout (reads); otherwise it is ignored. */
  captureStdout?: boolean;
  /** Largest stdout accepted; more fails the call rather than buffering without bound. */
  maxStdout?: number;
  /** The op, for error messages. */
  phase: string;
}

const DEFAULT_TIMEOUT = 5000;

/**
 * Runs `file args…` and resolves with its stdout once it exits 0. Resolves on the process's exit rather than
 * on its pipes closing: clipboard owners such as xclip and wl-copy fork a child that keeps the selection (and
 * inherited pipes) alive after the command itself is done.
 */
export function runTool(file: string, args: readonly string[], opts: RunToolOptions): Promise<Uint8Array> {
  const tool = file.split(/[\\/]/).pop() ?? file;
  const fail = (found: string, details: Record<string, unknown> = {}, cause?: unknown) =>
    desktopError({
      code: 'DESKTOP_TOOL_FAILED',
      phase: opts.phase,
      what: `${opts.phase} through ${tool}`,
      expected: `${tool} to exit with status 0`,
      found,
      details: { tool, ...details },
      ...(cause !== undefined ? { cause } : {}),
    });
  return new Promise<Uint8Array>((resolve, reject) => {
    if (opts.signal?.aborted) {
      reject(
        new FaygerError({
          code: 'ABORTED',
          phase: opts.phase,
          what: `${opts.phase} through ${tool}`,
          found: 'the call was cancelled before it started',
        }),
      );
      return;
    }
    const child = spawn(file, args, {
      stdio: ['pipe', opts.captureStdout ? 'pipe' : 'ignore', 'pipe'],
      windowsHide: true,
      shell: false,
    });
    const out: Buffer[] = [];
    let outLen = 0;
    let err = '';
    let settled = false;
    const max = opts.maxStdout ?? 16 * 1024 * 1024;
    const finish = (e: Error | null, value?: Buffer) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
      // Forked helpers may hold the pipes open; do not let them keep this process alive.
      child.stdout?.destroy();
      child.stderr?.destroy();
      if (e) reject(e);
      else resolve(value!);
    };
    const onAbort = () => {
      child.kill();
      finish(
        new FaygerError({
          code: 'ABORTED',
          phase: opts.phase,
          what: `${opts.phase} through ${tool}`,
          found: 'the call was cancelled',
        }),
      );
    };
    const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT;
    const timer = setTimeout(() => {
      child.kill();
      finish(fail(`no exit after ${timeoutMs} ms (killed)`, { timeoutMs }));
    }, timeoutMs);
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    child.stdout?.on('data', (b: Buffer) => {
      outLen += b.length;
      if (outLen > max) {
        child.kill();
        finish(fail(`more than ${max} bytes of output`, { maxStdout: max }));
        return;
      }
      out.push(b);
    });
    child.stderr?.on('data', (b: Buffer) => {
      if (err.length < 2000) err += b.toString('utf8');
    });
    child.on('error', (e) =>
      finish(fail(`the tool could not start (${(e as NodeJS.ErrnoException).code ?? e.message})`, {}, e)),
    );
    // Readers are judged once their output is complete ('close'); writers as soon as they exit (see above).
    child.on(opts.captureStdout ? 'close' : 'exit', (code: number | null, sig: NodeJS.Signals | null) => {
      // On 'exit' stderr may still be in flight; one turn lets it arrive for the message.
      setImmediate(() => {
        if (code === 0) finish(null, Buffer.concat(out));
        else
          finish(
            fail(sig ? `killed by ${sig}` : `exit status ${code}${err.trim() ? `: ${err.trim().slice(0, 300)}` : ''}`, {
              exitCode: code,
              signal: sig,
              stderr: err.slice(0, 2000),
            }),
          );
      });
    });
    child.stdin?.on('error', () => {
      // A tool that exits without reading stdin (EPIPE) is judged by its exit status instead.
    });
    if (opts.input !== undefined) child.stdin?.end(opts.input);
    else child.stdin?.end();
  });
}
