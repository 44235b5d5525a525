import { open, type FileHandle } from 'node:fs/promises';
import type { BufSource } from '@fayger/contracts';
import { FaygerError } from '@fayger/contracts';

/**
 * A BufSource over a local file using positional reads (FileHandle.read), so concurrent reads never
 * share a file position. The size is fixed at open; a read that comes up short (file truncated or
 * replaced meanwhile) is LOADER_SOURCE_CHANGED. Close it when done.
 */
export class FileSource implements BufSource {
  readonly #handle: FileHandle;
  readonly #path: string;
  readonly #size: number;
  readonly #mtimeMs: number;

  private constructor(handle: FileHandle, path: string, size: number, mtimeMs: number) {
    this.#handle = handle;
    this.#path = path;
    this.#size = size;
    this.#mtimeMs = mtimeMs;
  }

  static async open(path: string): Promise<FileSource> {
    let handle: FileHandle | undefined;
    try {
      handle = await open(path, 'r');
      const st = await handle.stat();
      if (!st.isFile()) throw new Error(`${path} is not a regular file`);
      return new FileSource(handle, path, st.size, st.mtimeMs);
    } catch (err) {
      await handle?.close().catch(() => undefined);
      throw new FaygerError({
        code: 'LOADER_SOURCE_IO',
        phase: 'read',
        what: `opening ${path}`,
        found: err instanceof Error ? err.message : String(err),
        cause: err,
        details: { path, errno: (err as { code?: string }).code },
      });
    }
  }

  async size(): Promise<number> {
    return this.#size;
  }

  async read(offset: number, length: number, signal?: AbortSignal): Promise<Uint8Array> {
    if (signal?.aborted) {
      throw new FaygerError({ code: 'ABORTED', phase: 'read', what: `reading ${this.#path}`, cause: signal.reason });
    }
    if (offset < 0 || length < 0 || offset + length > this.#size) {
      throw new FaygerError({
        code: 'LOADER_RANGE_INVALID',
        phase: 'read',
        what: `reading ${this.#path}`,
        expected: `a range within ${this.#size} bytes`,
        found: `offset ${offset}, length ${length}`,
      });
    }
    const out = new Uint8Array(length);
    let done = 0;
    try {
      while (done < length) {
        // Large reads are split: a single read() is capped at 2 GiB and may return fewer bytes anyway.
        const want = Math.min(length - done, 0x4000_0000);
        const { bytesRead } = await this.#handle.read(out, done, want, offset + done);
        if (bytesRead === 0) break;
        done += bytesRead;
      }
    } catch (err) {
      throw new FaygerError({
        code: 'LOADER_SOURCE_IO',
        phase: 'read',
        what: `reading ${length} bytes at ${offset} from ${this.#path}`,
        found: err instanceof Error ? err.message : String(err),
        cause: err,
      });
    }
    if (done !== length) {
      throw new FaygerError({
        code: 'LOADER_SOURCE_CHANGED',
        phase: 'read',
        what: `reading ${this.#path}`,
        expected: `${length} bytes at offset ${offset} (file size ${this.#size} at open)`,
        found: `${done} bytes: the file shrank or was replaced`,
      });
    }
    return out;
  }

  describe(): string {
    return `file ${this.#path}`;
  }

  /** Modification time at open (ms), for callers that cache by file identity. */
  get mtimeMs(): number {
    return this.#mtimeMs;
  }

  close(): Promise<void> {
    return this.#handle.close();
  }
}
