import { mkdir, open, readFile, rename, unlink } from 'node:fs/promises';
import { dirname, basename, join } from 'node:path';
import { FaygerError, type VersionStore } from '@fayger/contracts';
import { assertArtifactId, assertSequence } from '../versions/validate.js';

interface StoreFile {
  version: 1;
  sequences: Record<string, number>;
}

/**
 * Rollback-protection store in one JSON file. Writes go to a temp file that is fsynced and renamed over the
 * old one, so a crash leaves either the old or the new state. A file that exists but cannot be parsed is an
 * error (SECURITY_VERSION_STORE_CORRUPT), never a silent reset: a reset would re-open every rollback.
 */
export function createFileVersionStore(path: string): VersionStore {
  // Serialise operations of this process; the rename makes each write atomic for readers.
  let queue: Promise<unknown> = Promise.resolve();
  const run = <T>(fn: () => Promise<T>): Promise<T> => {
    const p = queue.then(fn, fn);
    queue = p.catch(() => undefined);
    return p;
  };

  async function load(): Promise<StoreFile> {
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { version: 1, sequences: {} };
      throw new FaygerError({
        code: 'SECURITY_VERSION_STORE_IO',
        phase: 'rollback',
        what: `reading the version store ${path}`,
        found: (err as Error).message,
        cause: err,
        details: { path },
      });
    }
    return parseStore(text, path);
  }

  async function save(data: StoreFile): Promise<void> {
    const dir = dirname(path);
    const tmp = join(dir, `.${basename(path)}.${process.pid}.${Date.now().toString(36)}.tmp`);
    try {
      await mkdir(dir, { recursive: true });
      const fh = await open(tmp, 'w', 0o600);
      try {
        await fh.writeFile(`${JSON.stringify(data, null, 2)}\n`, 'utf8');
        await fh.sync();
      } finally {
        await fh.close();
      }
      await rename(tmp, path);
    } catch (err) {
      await unlink(tmp).catch(() => undefined);
      throw new FaygerError({
        code: 'SECURITY_VERSION_STORE_IO',
        phase: 'rollback',
        what: `writing the version store ${path}`,
        found: (err as Error).message,
        cause: err,
        details: { path },
      });
    }
  }

  return {
    get(artifactId) {
      assertArtifactId(artifactId);
      return run(async () => {
        const data = await load();
        return Object.prototype.hasOwnProperty.call(data.sequences, artifactId) ? data.sequences[artifactId] : undefined;
      });
    },
    record(artifactId, sequence) {
      assertArtifactId(artifactId);
      assertSequence(sequence);
      return run(async () => {
        const data = await load();
        const prev = Object.prototype.hasOwnProperty.call(data.sequences, artifactId) ? data.sequences[artifactId] : undefined;
        if (prev !== undefined && prev >= sequence) return;
        data.sequences[artifactId] = sequence;
        await save(data);
      });
    },
  };
}

function parseStore(text: string, path: string): StoreFile {
  const corrupt = (found: string) =>
    new FaygerError({
      code: 'SECURITY_VERSION_STORE_CORRUPT',
      phase: 'rollback',
      what: `reading the version store ${path}`,
      expected: 'JSON {"version":1,"sequences":{"<artifact id>": <non-negative integer>}}',
      found,
      details: { path },
    });
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw corrupt(text.length === 0 ? 'an empty file' : 'unparsable JSON');
  }
  if (typeof doc !== 'object' || doc === null || (doc as StoreFile).version !== 1) throw corrupt('no "version": 1');
  const seqs = (doc as StoreFile).sequences;
  if (typeof seqs !== 'object' || seqs === null || Array.isArray(seqs)) throw corrupt('no "sequences" object');
  const clean: Record<string, number> = Object.create(null) as Record<string, number>;
  for (const [id, n] of Object.entries(seqs)) {
    if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0) throw corrupt(`sequence ${JSON.stringify(n)} for ${JSON.stringify(id)}`);
    clean[id] = n;
  }
  return { version: 1, sequences: clean };
}
