import { FaygerError, type InstanceSnapshot, type LoadedBuf, type SnapshotResource } from '@fayger/contracts';
import type { WasiContext } from './abi/wasi/context.js';
import type { FdEntry } from './abi/wasi/types.js';

/** Hex of the digest the BuF index records for the entry's code section. */
export function codeDigestOf(buf: LoadedBuf): string {
  const want = buf.manifest.entry.section as string | number;
  const s = buf.sections.find((x) => x.name === want || x.id === want);
  if (!s) {
    throw new FaygerError({
      code: 'RUNTIME_CODE_SECTION_MISSING',
      phase: 'snapshot',
      what: `finding code section ${String(want)} in the BuF index`,
      found: 'no such section',
    });
  }
  return [...s.digest].map((b) => b.toString(16).padStart(2, '0')).join('');
}

export function snapshotFailure(
  code:
    | 'SNAPSHOT_NOT_SUSPENDED'
    | 'SNAPSHOT_UNSUPPORTED'
    | 'SNAPSHOT_MALFORMED'
    | 'SNAPSHOT_CODE_MISMATCH'
    | 'SNAPSHOT_ENGINE_MISMATCH'
    | 'SNAPSHOT_CAPABILITY_REVOKED'
    | 'SNAPSHOT_RESOURCE_UNAVAILABLE',
  what: string,
  expected: string,
  found: string,
  details: Record<string, unknown> = {},
  hint?: string,
): FaygerError {
  return new FaygerError({
    code,
    phase: code === 'SNAPSHOT_NOT_SUSPENDED' || code === 'SNAPSHOT_UNSUPPORTED' ? 'snapshot' : 'resume',
    what,
    expected,
    found,
    details,
    ...(hint ? { hint } : {}),
  });
}

/** The WASI descriptors a snapshot must carry: opened files and directories (stdio and preopens are recreated). */
export function wasiResources(cx: WasiContext | undefined): SnapshotResource[] {
  if (!cx) return [];
  const out: SnapshotResource[] = [];
  for (const [fd, e] of cx.fds) {
    if (e.kind === 'stdio' || (e.kind === 'dir' && e.preopen !== undefined)) continue;
    const data: Record<string, unknown> =
      e.kind === 'dir'
        ? { type: 'dir', path: e.path, root: e.root }
        : {
            type: 'file',
            path: e.path,
            root: e.root,
            filetype: e.filetype,
            pos: e.pos,
            append: e.append,
            nonblock: e.nonblock,
            read: e.read,
            write: e.write,
          };
    data.rightsBase = e.rightsBase.toString();
    data.rightsInheriting = e.rightsInheriting.toString();
    out.push({
      kind: 'wasi.fd',
      handle: fd,
      capability: e.kind === 'file' && e.write ? 'fs.write' : 'fs.read',
      data,
    });
  }
  return out;
}

/** Checks a recorded descriptor's fields and rebuilds its table entry (the caller checks grants and the path). */
export function fdEntryOf(r: SnapshotResource): Exclude<FdEntry, { kind: 'stdio' }> {
  const d = r.data as Record<string, unknown>;
  const bad = (field: string): never => {
    throw snapshotFailure(
      'SNAPSHOT_MALFORMED',
      `reading resource wasi.fd ${r.handle}`,
      `a valid ${field}`,
      JSON.stringify(d[field] ?? null),
    );
  };
  if (!Number.isInteger(r.handle) || r.handle < 3 || r.handle > 0x7fffffff) bad('handle');
  const str = (k: string) => (typeof d[k] === 'string' && (d[k] as string).startsWith('/') ? (d[k] as string) : bad(k));
  const big = (k: string) =>
    typeof d[k] === 'string' && /^\d{1,20}$/.test(d[k] as string) ? BigInt(d[k] as string) : bad(k);
  const bool = (k: string) => (typeof d[k] === 'boolean' ? (d[k] as boolean) : bad(k));
  const path = str('path');
  const root = str('root');
  if (d.type === 'dir') {
    return {
      kind: 'dir',
      path,
      root,
      preopen: undefined,
      rightsBase: big('rightsBase'),
      rightsInheriting: big('rightsInheriting'),
    };
  }
  if (d.type !== 'file') bad('type');
  const pos = d.pos;
  if (typeof pos !== 'number' || !Number.isSafeInteger(pos) || pos < 0) bad('pos');
  const filetype = d.filetype;
  if (typeof filetype !== 'number' || !Number.isInteger(filetype) || filetype < 0 || filetype > 7) bad('filetype');
  return {
    kind: 'file',
    filetype: filetype as number,
    path,
    root,
    pos: pos as number,
    append: bool('append'),
    nonblock: bool('nonblock'),
    read: bool('read'),
    write: bool('write'),
    rightsBase: big('rightsBase'),
    rightsInheriting: big('rightsInheriting'),
  };
}

/** Shape checks of an InstanceSnapshot handed to resume (the loader verified its signature and digests). */
export function checkInstanceSnapshot(s: InstanceSnapshot): void {
  const ok =
    s !== null &&
    typeof s === 'object' &&
    s.version === 1 &&
    typeof s.codeDigest === 'string' &&
    typeof s.entry === 'string' &&
    s.engine !== null &&
    typeof s.engine === 'object' &&
    typeof s.engine.engine === 'string' &&
    Array.isArray(s.engine.calls) &&
    s.engine.calls.length <= 1 &&
    Array.isArray(s.resources) &&
    s.resources.every((r) => r !== null && typeof r === 'object' && typeof r.kind === 'string') &&
    (s.pending === undefined || (typeof s.pending === 'object' && typeof s.pending.op === 'string'));
  if (!ok) {
    throw snapshotFailure(
      'SNAPSHOT_MALFORMED',
      'resuming an instance snapshot',
      'an InstanceSnapshot version 1 (codeDigest, entry, engine with at most one call, resources)',
      'fields missing or of other types',
    );
  }
}
