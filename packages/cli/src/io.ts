import { mkdir, open, rename, unlink, writeFile, readFile, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { FaygerError } from '@fayger/contracts';

export { nodeIo, type CliIo } from './cli-io.js';
import type { CliIo } from './cli-io.js';

/** Files at least this big get a progress bar (on a TTY). */
export const PROGRESS_THRESHOLD = 8 * 1024 * 1024;

/** A one-line progress bar on stderr, redrawn at most every 100 ms; silent when stderr is not a TTY. */
export class Progress {
  private done = 0;
  private last = 0;
  private readonly active: boolean;
  constructor(
    private readonly io: CliIo,
    private readonly label: string,
    private readonly total: number,
  ) {
    this.active = io.stderrIsTTY && total >= PROGRESS_THRESHOLD;
  }
  tick(n: number): void {
    this.done += n;
    if (!this.active) return;
    const now = Date.now();
    if (now - this.last < 100 && this.done < this.total) return;
    this.last = now;
    const frac = this.total ? Math.min(1, this.done / this.total) : 1;
    const width = 30;
    const filled = Math.round(frac * width);
    const mib = (b: number) => (b / 1048576).toFixed(1);
    this.io.stderr(
      `\r${this.label} [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${(frac * 100).toFixed(0).padStart(3)}% ${mib(this.done)}/${mib(this.total)} MiB`,
    );
  }
  finish(): void {
    if (this.active) this.io.stderr('\r\x1b[2K');
  }
}

function ioError(what: string, path: string, err: unknown): FaygerError {
  return new FaygerError({
    code: 'CLI_IO',
    phase: 'io',
    what: `${what} ${path}`,
    found: err instanceof Error ? err.message : String(err),
    cause: err,
    details: { path, errno: (err as { code?: string }).code },
  });
}

/**
 * Reads a whole file, with a progress bar for big ones. `check`, when given, sees the open handle before any
 * byte is read (e.g. to verify what was opened) and may throw; `flags` are the open flags (default read-only).
 */
export async function readFileWithProgress(
  io: CliIo,
  path: string,
  label = `reading ${basename(path)}`,
  opts: { flags?: number; check?: (fh: FileHandle) => Promise<void> } = {},
): Promise<Uint8Array> {
  let fh;
  try {
    fh = await open(path, opts.flags ?? 'r');
  } catch (err) {
    throw ioError('opening', path, err);
  }
  try {
    if (opts.check) await opts.check(fh);
    const { size } = await fh.stat();
    const out = new Uint8Array(size);
    const progress = new Progress(io, label, size);
    let off = 0;
    while (off < size) {
      const { bytesRead } = await fh.read(out, off, Math.min(4 << 20, size - off), off);
      if (bytesRead === 0) throw new Error(`file shrank while reading (${off} of ${size} bytes)`);
      off += bytesRead;
      progress.tick(bytesRead);
    }
    progress.finish();
    return out;
  } catch (err) {
    throw FaygerError.is(err) ? err : ioError('reading', path, err);
  } finally {
    await fh.close();
  }
}

export async function readText(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    throw ioError('reading', path, err);
  }
}

/** Writes via a temp file + rename so a crash never leaves a half-written artifact or key. */
export async function writeFileAtomic(path: string, data: Uint8Array | string, mode = 0o644): Promise<void> {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${Date.now().toString(36)}.tmp`);
  try {
    await mkdir(dirname(path), { recursive: true });
    await writeFile(tmp, data, { mode, flag: 'wx' });
    await rename(tmp, path);
  } catch (err) {
    await unlink(tmp).catch(() => undefined);
    throw ioError('writing', path, err);
  }
}

export async function exists(path: string): Promise<boolean> {
  try {
    await open(path, 'r').then((f) => f.close());
    return true;
  } catch {
    return false;
  }
}
