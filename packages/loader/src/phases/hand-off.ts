import type {
  BufHeaderInfo,
  LoadStrategy,
  LoadedBuf,
  Manifest,
  NegotiatedVersion,
  SectionInfo,
  SelectionReport,
  SignatureReport,
} from '@fayger/contracts';
import { loaderError } from '../errors.js';
import type { IndexEntry } from '../format/index-codec.js';
import type { SectionReader } from '../section-reader.js';
import type { LoadContext } from './context.js';

/** What serializeBuf needs beyond the public surface. Keyed by a module-private symbol. */
export interface LoadedInternals {
  totalLength: number;
  headerBytes: Uint8Array;
  manifestOffset: number;
  region: Uint8Array;
  entries: readonly IndexEntry[];
  signatureSectionBytes?: Uint8Array;
  reader: SectionReader;
}

export const INTERNALS: unique symbol = Symbol('@fayger/loader.internals');

function abortable<T>(p: Promise<T>, signal: AbortSignal | undefined, what: string): Promise<T> {
  if (!signal) return p;
  if (signal.aborted) return Promise.reject(loaderAbort(signal, what));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(loaderAbort(signal, what));
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}

function loaderAbort(signal: AbortSignal, what: string) {
  return loaderError('ABORTED', 'section-read', { what, found: 'the AbortSignal fired', cause: signal.reason });
}

const publicInfo = (e: IndexEntry): SectionInfo => ({
  id: e.id,
  kind: e.kind,
  name: e.name,
  required: e.required,
  hosts: e.hosts,
  features: e.features,
  locales: e.locales,
  priority: e.priority,
  dependsOn: e.dependsOn,
  offset: e.offset,
  storedLength: e.storedLength,
  rawLength: e.rawLength,
  digest: e.digest,
  chunkSize: e.chunkSize,
  infoFlags: (e.flags >> 8) & 0xff,
});

class LoadedBufImpl implements LoadedBuf {
  readonly header: BufHeaderInfo;
  readonly manifest: Manifest;
  readonly manifestBytes: Uint8Array;
  readonly version: NegotiatedVersion;
  readonly sections: readonly SectionInfo[];
  readonly selection: SelectionReport;
  readonly signature: SignatureReport;
  readonly strategy: LoadStrategy;
  readonly #entries: ReadonlyMap<number, IndexEntry>;
  readonly #names: ReadonlyMap<string, IndexEntry>;
  readonly #selected: Set<number>;
  readonly #bodies: Map<number, Uint8Array>;
  /** In-flight first reads: concurrent callers share one fetch and one verification. */
  readonly #pending = new Map<number, Promise<Uint8Array>>();
  readonly #reader: SectionReader;
  declare readonly [INTERNALS]: LoadedInternals;

  constructor(ctx: LoadContext, reader: SectionReader, strategy: LoadStrategy) {
    const { headerLength: _h, ...header } = ctx.header;
    this.header = header;
    this.manifest = ctx.manifest;
    this.manifestBytes = ctx.manifestBytes;
    this.version = ctx.version;
    const sections = ctx.signatureEntry ? ctx.entries.slice(0, -1) : ctx.entries;
    this.sections = sections.map(publicInfo);
    this.#entries = ctx.byId;
    this.#names = ctx.byName;
    this.selection = ctx.selection;
    this.#selected = new Set(ctx.selection.loadOrder);
    this.signature = {
      signatureCount: ctx.signatureSection?.signatures.length ?? 0,
      keyIds: ctx.signatureSection?.signatures.map((s) => s.keyId) ?? [],
      rootDigest: ctx.rootDigest,
      result: ctx.trust,
    };
    this.strategy = strategy;
    this.#bodies = ctx.bodies;
    this.#reader = reader;
    Object.defineProperty(this, INTERNALS, {
      enumerable: false,
      value: {
        totalLength: ctx.header.totalLength,
        headerBytes: ctx.headerBytes,
        manifestOffset: ctx.header.manifestOffset,
        region: ctx.region,
        entries: ctx.entries,
        signatureSectionBytes: ctx.signatureSectionBytes,
        reader,
      } satisfies LoadedInternals,
    });
  }

  #lookup(nameOrId: string | number): IndexEntry {
    const e = typeof nameOrId === 'number' ? this.#entries.get(nameOrId) : this.#names.get(nameOrId);
    if (!e) {
      throw loaderError('LOADER_SECTION_NOT_FOUND', 'section-read', {
        what: `looking up section ${JSON.stringify(nameOrId)}`,
        expected: `one of ${[...this.#names.keys()].slice(0, 20).join(', ')}`,
        found: 'no such section',
      });
    }
    if (!this.#selected.has(e.id)) {
      const why = this.selection.entries.find((s) => s.id === e.id);
      throw loaderError('LOADER_SECTION_NOT_SELECTED', 'section-read', {
        what: `reading section ${e.id} (${e.name})`,
        expected: 'a section selected by the load profile',
        found: `not selected: ${why?.reason} (${why?.detail})`,
        details: { id: e.id, reason: why?.reason },
      });
    }
    return e;
  }

  has(nameOrId: string | number): boolean {
    const e = typeof nameOrId === 'number' ? this.#entries.get(nameOrId) : this.#names.get(nameOrId);
    return e !== undefined && this.#selected.has(e.id);
  }

  section(nameOrId: string | number, signal?: AbortSignal): Promise<Uint8Array> {
    let e: IndexEntry;
    try {
      e = this.#lookup(nameOrId);
    } catch (err) {
      return Promise.reject(err);
    }
    const cached = this.#bodies.get(e.id);
    if (cached) return Promise.resolve(cached);
    let p = this.#pending.get(e.id);
    if (!p) {
      // The shared read is not tied to one caller's signal: another caller may still want it.
      p = this.#reader.read(e, 'section-read').then(
        (body) => {
          this.#bodies.set(e.id, body);
          this.#pending.delete(e.id);
          return body;
        },
        (err) => {
          this.#pending.delete(e.id);
          throw err;
        },
      );
      this.#pending.set(e.id, p);
    }
    return abortable(p, signal, `reading section ${e.name}`);
  }

  async sectionRange(
    nameOrId: string | number,
    offset: number,
    length: number,
    signal?: AbortSignal,
  ): Promise<Uint8Array> {
    const e = this.#lookup(nameOrId);
    if (
      !Number.isSafeInteger(offset) ||
      !Number.isSafeInteger(length) ||
      offset < 0 ||
      length < 0 ||
      offset + length > e.rawLength
    ) {
      throw loaderError('LOADER_RANGE_INVALID', 'section-read', {
        what: `reading a range of section ${e.name}`,
        expected: `offset + length within 0..${e.rawLength}`,
        found: `offset ${offset}, length ${length}`,
      });
    }
    if (length === 0) return new Uint8Array(0);
    const cached = this.#bodies.get(e.id);
    if (cached) return cached.subarray(offset, offset + length);
    if (e.chunkSize === 0) {
      const body = await this.section(e.id, signal);
      return body.subarray(offset, offset + length);
    }
    return abortable(
      this.#reader.readRange(e, offset, length, 'section-read', signal),
      signal,
      `reading a range of ${e.name}`,
    );
  }
}

/** Phase hand-off: the LoadedBuf the runtime consumes. The context is dropped after this. */
export function handOffPhase(ctx: LoadContext, reader: SectionReader, strategy: LoadStrategy): LoadedBuf {
  return new LoadedBufImpl(ctx, reader, strategy);
}
