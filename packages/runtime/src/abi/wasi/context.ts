import { isOpName, OP_CAPABILITY, type CapabilityGrant, type OpName } from '@fayger/contracts';
import { utf8Decode } from '../../host-globals.js';
import { andThen, type Maybe, type Outcome } from '../gate.js';
import type { MemAccess } from '../memory.js';
import { ERRNO, errnoFor } from './errno.js';
import {
  ALL_RIGHTS,
  FILETYPE_OF,
  LIMITS,
  PREOPEN_RIGHTS_BASE,
  PREOPEN_RIGHTS_INHERITING,
  RIGHTS,
  type FdEntry,
  type StatValue,
  type WasiHost,
} from './types.js';

/** Guest-visible roots: the granted fs.read / fs.write roots (an unscoped grant shows as "/"). */
export function preopenRoots(grants: ReadonlyMap<string, CapabilityGrant>): string[] {
  const roots: string[] = [];
  for (const name of ['fs.read', 'fs.write']) {
    const g = grants.get(name);
    if (!g) continue;
    for (const r of g.scope?.roots ?? ['/']) {
      const norm = normalizeRoot(r);
      if (!roots.includes(norm)) roots.push(norm);
    }
  }
  return roots;
}

function normalizeRoot(r: string): string {
  const parts = r.split('/').filter((p) => p !== '' && p !== '.');
  return '/' + parts.join('/');
}

function within(path: string, root: string): boolean {
  return root === '/' || path === root || path.startsWith(`${root}/`);
}

/** A path resolved against a directory descriptor, confined lexically to that descriptor's preopen. */
export interface Resolved {
  path: string;
  root: string;
  /** The guest wrote a trailing slash: the target must be a directory. */
  dirOnly: boolean;
}

export interface IoVec {
  ptr: number;
  len: number;
}

/**
 * The state one instance's WASI functions share: the descriptor table and the helpers every function group
 * uses (one instruction per host call, errno mapping, path confinement, bounded iovec gathering).
 */
export class WasiContext {
  readonly fds = new Map<number, FdEntry>();

  constructor(readonly host: WasiHost) {
    this.fds.set(0, {
      kind: 'stdio',
      stream: 'stdin',
      rightsBase: RIGHTS.FD_READ | RIGHTS.POLL_FD_READWRITE,
      rightsInheriting: 0n,
    });
    this.fds.set(1, {
      kind: 'stdio',
      stream: 'stdout',
      rightsBase: RIGHTS.FD_WRITE | RIGHTS.POLL_FD_READWRITE,
      rightsInheriting: 0n,
    });
    this.fds.set(2, {
      kind: 'stdio',
      stream: 'stderr',
      rightsBase: RIGHTS.FD_WRITE | RIGHTS.POLL_FD_READWRITE,
      rightsInheriting: 0n,
    });
    let fd = 3;
    for (const root of preopenRoots(host.grants)) {
      this.fds.set(fd++, {
        kind: 'dir',
        path: root,
        root,
        preopen: root,
        rightsBase: PREOPEN_RIGHTS_BASE,
        rightsInheriting: PREOPEN_RIGHTS_INHERITING,
      });
    }
  }

  /** The lowest free descriptor number (as POSIX open does). */
  allocate(entry: FdEntry): number {
    let fd = 3;
    while (this.fds.has(fd)) fd++;
    this.fds.set(fd, entry);
    return fd;
  }

  local<T>(v: T): T {
    this.host.countLocal();
    return v;
  }

  err(o: Outcome & { ok: false }): number {
    return errnoFor(o.error.code, o.error.details as Record<string, unknown> | undefined);
  }

  /** One instruction; `f` gets the result value, a failure becomes its errno. */
  call<V>(op: OpName, args: object, f: (value: V) => Maybe<number>): Maybe<number> {
    return andThen(this.host.gate.invoke(op, args), (o) => (o.ok ? f(o.value as V) : this.err(o)));
  }

  /** Refuses a call the runtime itself decides is outside the grants (reported as instruction.denied). */
  denied(op: string, capability: string, code: 'CAPABILITY_DENIED' | 'WASI_PATH_OUTSIDE_ROOT'): number {
    this.host.reportDenied(op, capability, code);
    return code === 'CAPABILITY_DENIED' ? ERRNO.EACCES : ERRNO.ENOTCAPABLE;
  }

  /** True when `path` lies under a root of the fs.write grant (so a write there can be attempted at all). */
  /** `path` lies under a root of the fs.read or fs.write grant (a snapshot's descriptor may be reopened). */
  readable(path: string): boolean {
    return ['fs.read', 'fs.write'].some((name) => {
      const g = this.host.grants.get(name);
      if (!g) return false;
      const roots = g.scope?.roots;
      return roots === undefined || roots.some((r) => within(path, normalizeRoot(r)));
    });
  }

  writable(path: string): boolean {
    const g = this.host.grants.get('fs.write');
    if (!g) return false;
    const roots = g.scope?.roots;
    return roots === undefined || roots.some((r) => within(path, normalizeRoot(r)));
  }

  /** A directory descriptor for path_* functions: EBADF when absent or not a directory (as wasmtime). */
  dir(fd: number, fileErrno: number = ERRNO.EBADF): (FdEntry & { kind: 'dir' }) | number {
    const d = this.fds.get(fd);
    if (!d) return ERRNO.EBADF;
    if (d.kind !== 'dir') return d.kind === 'file' ? fileErrno : ERRNO.EBADF;
    return d;
  }

  /** Reads a guest path string (bounded before copying). */
  readPath(mem: MemAccess, ptr: number, len: number): string | number {
    if (len > LIMITS.PATH_BYTES) return ERRNO.ENAMETOOLONG;
    const bytes = mem.read(ptr, len);
    if (!bytes) return ERRNO.EFAULT;
    const s = utf8Decode(bytes);
    if (s.includes('\0')) return ERRNO.EINVAL;
    return s;
  }

  /**
   * Resolves a path relative to a directory fd, confined lexically to that fd's preopen (absolute paths and
   * `..` above the preopen fail with ENOTCAPABLE before any instruction); the host then confines the result
   * again on the real filesystem (symlinks included).
   */
  resolve(
    mem: MemAccess,
    fd: number,
    ptr: number,
    len: number,
    op: OpName,
    fileErrno: number = ERRNO.EBADF,
  ): Resolved | number {
    const dir = this.dir(fd, fileErrno);
    if (typeof dir === 'number') return dir;
    const rel = this.readPath(mem, ptr, len);
    if (typeof rel === 'number') return rel;
    return this.resolveString(dir, rel, op);
  }

  resolveString(dir: FdEntry & { kind: 'dir' }, rel: string, op: OpName): Resolved | number {
    if (rel === '') return ERRNO.ENOENT;
    const outside = (): number =>
      this.denied(op, isOpName(op) ? OP_CAPABILITY[op] : 'fs.read', 'WASI_PATH_OUTSIDE_ROOT');
    if (rel.startsWith('/')) return outside();
    const rootParts = dir.root.split('/').filter(Boolean);
    const parts = dir.path.split('/').filter(Boolean);
    for (const seg of rel.split('/')) {
      if (seg === '' || seg === '.') continue;
      if (seg === '..') {
        if (parts.length <= rootParts.length) return outside();
        parts.pop();
      } else parts.push(seg);
    }
    return {
      path: '/' + parts.join('/'),
      root: dir.root,
      dirOnly: rel.endsWith('/') || rel.endsWith('/.') || rel === '.' || rel.endsWith('/..') || rel === '..',
    };
  }

  /**
   * The iovecs of a read/write, bounded before anything is copied: at most IOV_SCAN entries are looked at and
   * their lengths are taken until `cap` bytes are covered (the call then moves fewer bytes: a short
   * read/write). EFAULT when an entry lies outside memory.
   */
  iovecs(mem: MemAccess, iovs: number, n: number, cap: number): { vecs: IoVec[]; total: number } | number {
    const vecs: IoVec[] = [];
    let total = 0;
    const count = Math.min(n, LIMITS.IOV_SCAN);
    for (let i = 0; i < count && total < cap; i++) {
      const ptr = mem.u32(iovs + i * 8);
      const len = mem.u32(iovs + i * 8 + 4);
      if (ptr === undefined || len === undefined) return ERRNO.EFAULT;
      const take = Math.min(len, cap - total);
      if (!mem.inBounds(ptr, take)) return ERRNO.EFAULT;
      if (take === 0) continue;
      vecs.push({ ptr, len: take });
      total += take;
    }
    return { vecs, total };
  }

  /** Copies the gathered iovecs into one buffer of exactly their (capped) total. */
  gather(mem: MemAccess, g: { vecs: IoVec[]; total: number }): Uint8Array {
    const data = new Uint8Array(g.total);
    let off = 0;
    for (const v of g.vecs) {
      data.set(mem.read(v.ptr, v.len)!, off);
      off += v.len;
    }
    return data;
  }

  /** Spreads `data` over the iovecs; returns the bytes placed. */
  scatter(mem: MemAccess, vecs: IoVec[], data: Uint8Array): number {
    let off = 0;
    for (const v of vecs) {
      if (off >= data.byteLength) break;
      const chunk = data.subarray(off, off + v.len);
      mem.write(v.ptr, chunk);
      off += chunk.byteLength;
    }
    return off;
  }

  /** Writes a `filestat` (64 bytes). */
  writeFilestat(mem: MemAccess, buf: number, s: StatValue | undefined, filetype?: number): number {
    if (!mem.zero(buf, 64)) return ERRNO.EFAULT;
    if (!s) {
      mem.setU8(buf + 16, filetype ?? 0);
      return ERRNO.SUCCESS;
    }
    const mtime = s.mtimeNs !== undefined ? BigInt(s.mtimeNs) : BigInt(Math.round(s.mtimeMs * 1e6));
    mem.setU64(buf, s.dev !== undefined ? BigInt(s.dev) : 0n);
    mem.setU64(buf + 8, s.ino !== undefined ? BigInt(s.ino) : 0n);
    mem.setU8(buf + 16, FILETYPE_OF[s.type] ?? 0);
    mem.setU64(buf + 24, BigInt(s.nlink ?? 1));
    mem.setU64(buf + 32, BigInt(s.size));
    mem.setU64(buf + 40, s.atimeNs !== undefined ? BigInt(s.atimeNs) : mtime);
    mem.setU64(buf + 48, mtime);
    mem.setU64(buf + 56, s.ctimeNs !== undefined ? BigInt(s.ctimeNs) : mtime);
    return ERRNO.SUCCESS;
  }

  /** Rights of a newly opened descriptor, as wasmtime reports them: everything its open mode allows. */
  static openedRights(isDir: boolean, read: boolean, write: boolean): bigint {
    let r = ALL_RIGHTS;
    if (isDir) r &= ~(RIGHTS.FD_SEEK | RIGHTS.FD_FILESTAT_SET_SIZE);
    if (!read) r &= ~(RIGHTS.FD_READ | RIGHTS.FD_READDIR);
    if (!write) r &= ~RIGHTS.FD_WRITE;
    return r;
  }
}
