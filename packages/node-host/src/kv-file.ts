import { createHash, randomBytes } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { KvStore } from '@fayger/adapter-core';
import { FaygerError } from '@fayger/contracts';

export interface FileKvOptions {
  /** Host directory holding one subdirectory per namespace. Created if missing. */
  dir: string;
}

const MAGIC = 0x4b564631; // "KVF1"
const sha = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');

function ioFailed(op: string, e: unknown): FaygerError {
  if (FaygerError.is(e)) return e;
  return new FaygerError({
    code: 'ADAPTER_IO_FAILED',
    phase: op,
    what: `${op} on the file-backed kv store`,
    found: (e as { code?: string })?.code ?? String(e),
    cause: e,
  });
}

/**
 * A kv store on disk: one directory per namespace (named by a hash, so any namespace string is safe as a
 * directory name), one file per key (named by the key's hash) holding a small header with the key, then the
 * value. Writes go to a temp file in the same directory and are renamed over the old one, so a reader or a
 * crash never sees half a value.
 */
export class FileKv implements KvStore {
  constructor(private readonly options: FileKvOptions) {}

  private async nsDir(ns: string, create: boolean): Promise<string> {
    const dir = join(this.options.dir, `ns-${sha(ns).slice(0, 40)}`);
    if (create) {
      await mkdir(dir, { recursive: true });
      await writeFile(join(dir, '.namespace'), ns, { flag: 'w' });
    }
    return dir;
  }

  private encode(key: string, value: Uint8Array): Uint8Array {
    const k = Buffer.from(key, 'utf8');
    const out = Buffer.allocUnsafe(8 + k.length + value.byteLength);
    out.writeUInt32LE(MAGIC, 0);
    out.writeUInt32LE(k.length, 4);
    k.copy(out, 8);
    out.set(value, 8 + k.length);
    return out;
  }

  private decode(buf: Buffer): { key: string; value: Uint8Array } | undefined {
    if (buf.length < 8 || buf.readUInt32LE(0) !== MAGIC) return undefined;
    const n = buf.readUInt32LE(4);
    if (8 + n > buf.length) return undefined;
    return { key: buf.subarray(8, 8 + n).toString('utf8'), value: new Uint8Array(buf.subarray(8 + n)) };
  }

  async get(namespace: string, key: string): Promise<Uint8Array | null> {
    try {
      const file = join(await this.nsDir(namespace, false), `k-${sha(key)}`);
      const buf = await readFile(file).catch((e: { code?: string }) => {
        if (e.code === 'ENOENT') return undefined;
        throw e;
      });
      const rec = buf && this.decode(buf);
      return rec && rec.key === key ? rec.value : null;
    } catch (e) {
      throw ioFailed('kv.get', e);
    }
  }

  async set(namespace: string, key: string, value: Uint8Array): Promise<void> {
    try {
      const dir = await this.nsDir(namespace, true);
      const file = join(dir, `k-${sha(key)}`);
      const tmp = join(dir, `.tmp-${randomBytes(8).toString('hex')}`);
      const fh = await open(tmp, 'wx', 0o600);
      try {
        await fh.writeFile(this.encode(key, value));
        await fh.sync();
      } finally {
        await fh.close();
      }
      await rename(tmp, file).catch(async (e) => {
        await unlink(tmp).catch(() => {});
        throw e;
      });
    } catch (e) {
      throw ioFailed('kv.set', e);
    }
  }

  async delete(namespace: string, key: string): Promise<void> {
    try {
      await unlink(join(await this.nsDir(namespace, false), `k-${sha(key)}`)).catch((e: { code?: string }) => {
        if (e.code !== 'ENOENT') throw e;
      });
    } catch (e) {
      throw ioFailed('kv.delete', e);
    }
  }

  async list(namespace: string, prefix: string, limit: number): Promise<string[]> {
    try {
      const dir = await this.nsDir(namespace, false);
      const names = await readdir(dir).catch((e: { code?: string }) => {
        if (e.code === 'ENOENT') return [] as string[];
        throw e;
      });
      const keys: string[] = [];
      for (const n of names) {
        if (!n.startsWith('k-')) continue;
        // Only the header is needed: the key is at most 1024 characters (4 KiB of UTF-8).
        const fh = await open(join(dir, n), 'r').catch(() => undefined);
        if (!fh) continue;
        try {
          const head = Buffer.alloc(8 + 4096);
          const { bytesRead } = await fh.read(head, 0, head.length, 0);
          const b = head.subarray(0, bytesRead);
          if (b.length < 8 || b.readUInt32LE(0) !== MAGIC) continue;
          const len = b.readUInt32LE(4);
          if (8 + len > b.length) continue;
          const key = b.subarray(8, 8 + len).toString('utf8');
          if (key.startsWith(prefix)) keys.push(key);
        } finally {
          await fh.close();
        }
      }
      keys.sort();
      return keys.slice(0, limit);
    } catch (e) {
      throw ioFailed('kv.list', e);
    }
  }
}

export function createFileKv(options: FileKvOptions): FileKv {
  return new FileKv(options);
}
