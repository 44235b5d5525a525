import { mkdir, open, readFile, rename, unlink } from 'node:fs/promises';
import { dirname, basename, join } from 'node:path';
import { FaygerError, type VersionKey, type VersionStore } from '@fayger/contracts';
import { assertSequence, assertVersionKey } from '../versions/validate.js';

/**
 * Format 2: `{"version":2,"apps":{"<publisher>":{"<artifact id>":n}},"legacy":{"<artifact id>":n}}`.
 * `legacy` holds the entries of a format-1 file (`{"version":1,"sequences":{"<artifact id>":n}}`), which were
 * keyed by id alone: they stay a floor for that id under every publisher (dropping them would re-open those
 * rollbacks). An operator who finds a squatted legacy entry removes it from `legacy` by hand.
 */
interface StoreFile {
  version: 2;
  apps: Record<string, Record<string, number>>;
  legacy: Record<string, number>;
}

const own = (o: object, k: string) => Object.prototype.hasOwnProperty.call(o, k);
const empty = (): StoreFile => ({
  version: 2,
  apps: Object.create(null) as StoreFile['apps'],
  legacy: Object.create(null) as StoreFile['legacy'],
});

function lookup(data: StoreFile, key: VersionKey): { app: number | undefined; legacy: number | undefined } {
  const ids = own(data.apps, key.publisher) ? data.apps[key.publisher]! : undefined;
  return {
    app: ids && own(ids, key.artifactId) ? ids[key.artifactId] : undefined,
    legacy: own(data.legacy, key.artifactId) ? data.legacy[key.artifactId] : undefined,
  };
}

/**
 * Rollback-protection store in one JSON file, keyed by (publisher, artifact id). Writes go to a temp file that
 * is fsynced and renamed over the old one, so a crash leaves either the old or the new state. A file that
 * exists but cannot be parsed is an error (SECURITY_VERSION_STORE_CORRUPT), never a silent reset: a reset would
 * re-open every rollback. A format-1 file is read (its entries kept as `legacy` floors) and rewritten as format 2
 * on the next record.
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
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return empty();
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
    get(key) {
      assertVersionKey(key);
      return run(async () => {
        const { app, legacy } = lookup(await load(), key);
        return app === undefined ? legacy : legacy === undefined ? app : Math.max(app, legacy);
      });
    },
    record(key, sequence) {
      assertVersionKey(key);
      assertSequence(sequence);
      return run(async () => {
        const data = await load();
        const { app } = lookup(data, key);
        if (app !== undefined && app >= sequence) return;
        if (!own(data.apps, key.publisher)) data.apps[key.publisher] = Object.create(null) as Record<string, number>;
        data.apps[key.publisher]![key.artifactId] = sequence;
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
      expected:
        'JSON {"version":2,"apps":{"<publisher>":{"<artifact id>": <non-negative integer>}},"legacy":{…}} (or a format-1 file)',
      found,
      details: { path },
    });
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw corrupt(text.length === 0 ? 'an empty file' : 'unparsable JSON');
  }
  const isMap = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  const sequences = (m: Record<string, unknown>, where: string): Record<string, number> => {
    const clean = Object.create(null) as Record<string, number>;
    for (const [id, n] of Object.entries(m)) {
      if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0)
        throw corrupt(`sequence ${JSON.stringify(n)} for ${JSON.stringify(id)}${where}`);
      clean[id] = n;
    }
    return clean;
  };
  if (!isMap(doc)) throw corrupt('no JSON object');
  const out = empty();
  if (doc.version === 1) {
    // Format 1 (keyed by id alone): its entries become legacy floors.
    if (!isMap(doc.sequences)) throw corrupt('no "sequences" object');
    out.legacy = sequences(doc.sequences, '');
    return out;
  }
  if (doc.version !== 2) throw corrupt(`"version": ${JSON.stringify(doc.version)} (this reader knows 1 and 2)`);
  if (!isMap(doc.apps)) throw corrupt('no "apps" object');
  for (const [publisher, ids] of Object.entries(doc.apps)) {
    if (!isMap(ids)) throw corrupt(`apps[${JSON.stringify(publisher)}] is not an object`);
    out.apps[publisher] = sequences(ids, ` of publisher ${JSON.stringify(publisher)}`);
  }
  if (doc.legacy !== undefined) {
    if (!isMap(doc.legacy)) throw corrupt('"legacy" is not an object');
    out.legacy = sequences(doc.legacy, ' (legacy)');
  }
  return out;
}
