import type { HostFunction } from '@fayger/contracts';
import { utf8Encode } from '../../host-globals.js';
import type { Maybe } from '../gate.js';
import { MemAccess, u32, u64 } from '../memory.js';
import type { WasiContext } from './context.js';
import { ERRNO } from './errno.js';
import {
  FDFLAGS,
  FILETYPE,
  FILETYPE_OF,
  FSTFLAGS,
  LIMITS,
  RIGHTS,
  type DirListing,
  type FdEntry,
  type StatValue,
} from './types.js';

type FileEntry = FdEntry & { kind: 'file' };

/** The timestamps of a set-times call as fs.utimes arguments, or EINVAL for contradictory flags. */
export function timesArgs(atim: unknown, mtim: unknown, flags: number): { atime?: string; mtime?: string } | number {
  const one = (set: number, now: number, v: unknown): string | undefined | number => {
    if (flags & set && flags & now) return ERRNO.EINVAL;
    if (flags & now) return 'now';
    if (flags & set) return u64(v).toString();
    return undefined;
  };
  const a = one(FSTFLAGS.ATIM, FSTFLAGS.ATIM_NOW, atim);
  const m = one(FSTFLAGS.MTIM, FSTFLAGS.MTIM_NOW, mtim);
  if (typeof a === 'number') return a;
  if (typeof m === 'number') return m;
  return { ...(a !== undefined ? { atime: a } : {}), ...(m !== undefined ? { mtime: m } : {}) };
}

/** A u64 file offset as a JS number, or undefined beyond 2^53 (no host file is that large). */
const offsetOf = (v: unknown): number | undefined => {
  const n = u64(v);
  return n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : undefined;
};

/** The fd_* functions. */
export function fdFunctions(cx: WasiContext): Record<string, HostFunction> {
  const { fds } = cx;

  const file = (fd: number): FileEntry | number => {
    const e = fds.get(fd);
    return e?.kind === 'file' ? e : ERRNO.EBADF;
  };
  /** Seekable: a file; stdio is ESPIPE; anything else EBADF (as wasmtime). */
  const seekable = (fd: number): FileEntry | number => {
    const e = fds.get(fd);
    if (e?.kind === 'file') return e;
    return e?.kind === 'stdio' ? ERRNO.ESPIPE : ERRNO.EBADF;
  };
  const setU32 = (ctx: { memory?: unknown }, ptr: number, v: number): number =>
    new MemAccess(ctx.memory as never).setU32(ptr, v) ? ERRNO.SUCCESS : ERRNO.EFAULT;

  /** Shared by fd_write and fd_pwrite: `at` undefined writes at the descriptor's position. */
  const write = (
    fd: number,
    iovs: number,
    n: number,
    out: number,
    ctx: { memory?: unknown },
    at: number | undefined,
  ): Maybe<number> => {
    const mem = new MemAccess(ctx.memory as never);
    const e = fds.get(fd);
    if (!e) return cx.local(ERRNO.EBADF);
    if (e.kind === 'stdio') {
      if (e.stream === 'stdin') return cx.local(ERRNO.EBADF);
      if (at !== undefined) return cx.local(ERRNO.ESPIPE);
      const g = cx.iovecs(mem, iovs, n, LIMITS.STDIO_BYTES);
      if (typeof g === 'number') return cx.local(g);
      if (g.total === 0) return cx.local(setU32(ctx, out, 0));
      return cx.call('stdio.write', { stream: e.stream, data: cx.gather(mem, g) }, (v: { bytesWritten: number }) =>
        setU32(ctx, out, v.bytesWritten),
      );
    }
    if (e.kind !== 'file' || !e.write) return cx.local(ERRNO.EBADF);
    const g = cx.iovecs(mem, iovs, n, LIMITS.FILE_BYTES);
    if (typeof g === 'number') return cx.local(g);
    const data = cx.gather(mem, g);
    // O_APPEND ignores the offset (Linux pwrite semantics, as wasmtime) and moves fd_write's position to the end.
    if (e.append) {
      return cx.call('fs.write', { path: e.path, data, append: true }, (v: { bytesWritten: number; size?: number }) => {
        if (at !== undefined) return setU32(ctx, out, v.bytesWritten);
        if (v.size !== undefined) {
          e.pos = v.size;
          return setU32(ctx, out, v.bytesWritten);
        }
        return cx.call('fs.stat', { path: e.path }, (s: StatValue) => {
          e.pos = s.size;
          return setU32(ctx, out, v.bytesWritten);
        });
      });
    }
    const offset = at ?? e.pos;
    return cx.call('fs.write', { path: e.path, data, offset, create: false }, (v: { bytesWritten: number }) => {
      if (at === undefined) e.pos = offset + v.bytesWritten;
      return setU32(ctx, out, v.bytesWritten);
    });
  };

  /** Shared by fd_read and fd_pread. */
  const read = (
    fd: number,
    iovs: number,
    n: number,
    out: number,
    ctx: { memory?: unknown },
    at: number | undefined,
  ): Maybe<number> => {
    const mem = new MemAccess(ctx.memory as never);
    const e = fds.get(fd);
    if (!e) return cx.local(ERRNO.EBADF);
    const done = (g: { vecs: { ptr: number; len: number }[] }, data: Uint8Array): number => {
      const m = new MemAccess(ctx.memory as never);
      return m.setU32(out, cx.scatter(m, g.vecs, data)) ? ERRNO.SUCCESS : ERRNO.EFAULT;
    };
    if (e.kind === 'stdio') {
      if (e.stream !== 'stdin') return cx.local(ERRNO.EBADF);
      if (at !== undefined) return cx.local(ERRNO.ESPIPE);
      const g = cx.iovecs(mem, iovs, n, LIMITS.STDIO_BYTES);
      if (typeof g === 'number') return cx.local(g);
      if (g.total === 0) return cx.local(setU32(ctx, out, 0));
      return cx.call('stdio.read', { maxBytes: g.total }, (v: { data: Uint8Array }) =>
        done(g, v.data.subarray(0, g.total)),
      );
    }
    if (e.kind !== 'file' || !e.read) return cx.local(ERRNO.EBADF);
    const g = cx.iovecs(mem, iovs, n, LIMITS.FILE_BYTES);
    if (typeof g === 'number') return cx.local(g);
    if (g.total === 0) return cx.local(setU32(ctx, out, 0));
    const offset = at ?? e.pos;
    return cx.call('fs.read', { path: e.path, offset, length: g.total }, (v: { data: Uint8Array }) => {
      const data = v.data.subarray(0, g.total);
      if (at === undefined) e.pos = offset + data.byteLength;
      return done(g, data);
    });
  };

  return {
    fd_write: ([fd, iovs, n, out], ctx) => write(u32(fd), u32(iovs), u32(n), u32(out), ctx, undefined),
    fd_pwrite: ([fd, iovs, n, offset, out], ctx) => {
      const at = offsetOf(offset);
      return at === undefined ? cx.local(ERRNO.EFBIG) : write(u32(fd), u32(iovs), u32(n), u32(out), ctx, at);
    },
    fd_read: ([fd, iovs, n, out], ctx) => read(u32(fd), u32(iovs), u32(n), u32(out), ctx, undefined),
    fd_pread: ([fd, iovs, n, offset, out], ctx) => {
      const at = offsetOf(offset);
      return at === undefined ? cx.local(ERRNO.EINVAL) : read(u32(fd), u32(iovs), u32(n), u32(out), ctx, at);
    },

    fd_seek: ([fd, offset, whence, out], ctx) => {
      const e = seekable(u32(fd));
      if (typeof e === 'number') return cx.local(e);
      const delta = BigInt.asIntN(64, u64(offset));
      const finish = (base: bigint): number => {
        const pos = base + delta;
        if (pos < 0n || pos > BigInt(Number.MAX_SAFE_INTEGER)) return ERRNO.EINVAL;
        e.pos = Number(pos);
        return new MemAccess(ctx.memory).setU64(u32(out), pos) ? ERRNO.SUCCESS : ERRNO.EFAULT;
      };
      const w = u32(whence);
      if (w === 0) return cx.local(finish(0n));
      if (w === 1) return cx.local(finish(BigInt(e.pos)));
      if (w === 2) return cx.call('fs.stat', { path: e.path }, (v: StatValue) => finish(BigInt(v.size)));
      return cx.local(ERRNO.EINVAL);
    },
    fd_tell: ([fd, out], ctx) => {
      const e = seekable(u32(fd));
      if (typeof e === 'number') return cx.local(e);
      return cx.local(new MemAccess(ctx.memory).setU64(u32(out), BigInt(e.pos)) ? ERRNO.SUCCESS : ERRNO.EFAULT);
    },

    fd_close: ([fd]) => cx.local(fds.delete(u32(fd)) ? ERRNO.SUCCESS : ERRNO.EBADF),
    fd_renumber: ([from, to]) => {
      const f = u32(from);
      const t = u32(to);
      const e = fds.get(f);
      if (!e) return cx.local(ERRNO.EBADF);
      if (f !== t) {
        fds.delete(f);
        fds.set(t, e);
      }
      return cx.local(ERRNO.SUCCESS);
    },

    fd_advise: ([fd, _offset, _len, advice]) => {
      const e = file(u32(fd));
      if (typeof e === 'number') return cx.local(e);
      // Advice is a hint about future access; the host reads through its own cache either way.
      return cx.local(u32(advice) > 5 ? ERRNO.EINVAL : ERRNO.SUCCESS);
    },
    fd_allocate: ([fd, offset, len]) => {
      const e = file(u32(fd));
      if (typeof e === 'number') return cx.local(e);
      if (!e.write) return cx.local(ERRNO.EBADF);
      const end = u64(offset) + u64(len);
      if (u64(len) === 0n) return cx.local(ERRNO.EINVAL);
      if (end > BigInt(Number.MAX_SAFE_INTEGER)) return cx.local(ERRNO.EFBIG);
      // posix_fallocate: afterwards the file is at least offset+len bytes long (zero-filled).
      return cx.call('fs.stat', { path: e.path }, (s: StatValue) =>
        BigInt(s.size) >= end
          ? ERRNO.SUCCESS
          : cx.call('fs.truncate', { path: e.path, size: Number(end) }, () => ERRNO.SUCCESS),
      );
    },
    fd_datasync: ([fd]) => {
      const e = file(u32(fd));
      if (typeof e === 'number') return cx.local(e);
      return cx.call('fs.sync', { path: e.path, dataOnly: true }, () => ERRNO.SUCCESS);
    },
    fd_sync: ([fd]) => {
      const e = file(u32(fd));
      if (typeof e === 'number') return cx.local(e);
      return cx.call('fs.sync', { path: e.path }, () => ERRNO.SUCCESS);
    },

    fd_fdstat_get: ([fd, buf], ctx) => {
      cx.host.countLocal();
      const e = fds.get(u32(fd));
      if (!e) return ERRNO.EBADF;
      const mem = new MemAccess(ctx.memory);
      const b = u32(buf);
      if (!mem.zero(b, 24)) return ERRNO.EFAULT;
      const type = e.kind === 'stdio' ? FILETYPE.CHARACTER_DEVICE : e.kind === 'dir' ? FILETYPE.DIRECTORY : e.filetype;
      let flags = 0;
      if (e.kind === 'file') flags = (e.append ? FDFLAGS.APPEND : 0) | (e.nonblock ? FDFLAGS.NONBLOCK : 0);
      mem.setU8(b, type);
      mem.setU16(b + 2, flags);
      mem.setU64(b + 8, e.rightsBase);
      mem.setU64(b + 16, e.rightsInheriting);
      return ERRNO.SUCCESS;
    },
    fd_fdstat_set_flags: ([fd, flags]) => {
      const e = file(u32(fd));
      if (typeof e === 'number') return cx.local(e);
      const f = u32(flags);
      // Only APPEND and NONBLOCK can change (as wasmtime); the sync flags are refused.
      if (f & (FDFLAGS.DSYNC | FDFLAGS.SYNC | FDFLAGS.RSYNC)) return cx.local(ERRNO.EINVAL);
      e.append = (f & FDFLAGS.APPEND) !== 0;
      e.nonblock = (f & FDFLAGS.NONBLOCK) !== 0;
      return cx.local(ERRNO.SUCCESS);
    },
    fd_fdstat_set_rights: ([fd, base, inheriting]) => {
      const e = fds.get(u32(fd));
      if (!e || e.kind === 'stdio') return cx.local(ERRNO.EBADF);
      const b = u64(base);
      const i = u64(inheriting);
      // Rights can only be dropped (the spec); dropping FD_READ / FD_WRITE really stops reads / writes.
      if ((b & ~e.rightsBase) !== 0n || (i & ~e.rightsInheriting) !== 0n) return cx.local(ERRNO.ENOTCAPABLE);
      e.rightsBase = b;
      e.rightsInheriting = i;
      if (e.kind === 'file') {
        if (!(b & RIGHTS.FD_READ)) e.read = false;
        if (!(b & RIGHTS.FD_WRITE)) e.write = false;
      }
      return cx.local(ERRNO.SUCCESS);
    },

    fd_filestat_get: ([fd, buf], ctx) => {
      const e = fds.get(u32(fd));
      if (!e) return cx.local(ERRNO.EBADF);
      if (e.kind === 'stdio')
        return cx.local(cx.writeFilestat(new MemAccess(ctx.memory), u32(buf), undefined, FILETYPE.CHARACTER_DEVICE));
      return cx.call('fs.stat', { path: e.path }, (v: StatValue) =>
        cx.writeFilestat(new MemAccess(ctx.memory), u32(buf), v),
      );
    },
    fd_filestat_set_size: ([fd, size]) => {
      const e = file(u32(fd));
      if (typeof e === 'number') return cx.local(e);
      if (!e.write) return cx.local(ERRNO.EBADF);
      const n = offsetOf(size);
      if (n === undefined) return cx.local(ERRNO.EFBIG);
      return cx.call('fs.truncate', { path: e.path, size: n }, () => ERRNO.SUCCESS);
    },
    fd_filestat_set_times: ([fd, atim, mtim, flags]) => {
      const e = fds.get(u32(fd));
      if (!e || e.kind === 'stdio') return cx.local(ERRNO.EBADF);
      const t = timesArgs(atim, mtim, u32(flags));
      if (typeof t === 'number') return cx.local(t);
      return cx.call('fs.utimes', { path: e.path, ...t }, () => ERRNO.SUCCESS);
    },

    fd_prestat_get: ([fd, buf], ctx) => {
      cx.host.countLocal();
      const e = fds.get(u32(fd));
      if (e?.kind !== 'dir' || e.preopen === undefined) return ERRNO.EBADF;
      const mem = new MemAccess(ctx.memory);
      if (!mem.zero(u32(buf), 8)) return ERRNO.EFAULT;
      mem.setU32(u32(buf) + 4, utf8Encode(e.preopen).byteLength);
      return ERRNO.SUCCESS;
    },
    fd_prestat_dir_name: ([fd, ptr, len], ctx) => {
      cx.host.countLocal();
      const e = fds.get(u32(fd));
      if (!e) return ERRNO.EBADF;
      if (e.kind !== 'dir' || e.preopen === undefined) return ERRNO.ENOTDIR;
      const name = utf8Encode(e.preopen);
      if (u32(len) < name.byteLength) return ERRNO.ENAMETOOLONG;
      return new MemAccess(ctx.memory).write(u32(ptr), name) ? ERRNO.SUCCESS : ERRNO.EFAULT;
    },

    fd_readdir: ([fd, buf, bufLen, cookie, used], ctx) => {
      const e = fds.get(u32(fd));
      if (e?.kind !== 'dir') return cx.local(ERRNO.EBADF);
      const b = u32(buf);
      const cap = u32(bufLen);
      if (!new MemAccess(ctx.memory).inBounds(b, cap)) return cx.local(ERRNO.EFAULT);
      const start = u64(cookie);
      // A directory stream as POSIX has it: read at cookie 0, then iterated by cookie over that snapshot.
      const list = (f: (v: DirListing) => number): Maybe<number> =>
        start !== 0n && e.listing
          ? cx.local(f(e.listing))
          : cx.call('fs.list', { path: e.path }, (v: DirListing) => {
              e.listing = v;
              return f(v);
            });
      return list((v) => {
        const self = v.ino !== undefined ? BigInt(v.ino) : 0n;
        // "." and ".." first (cookies 1 and 2, both with the directory's own inode, as wasmtime), then entries.
        const all: { name: string; type: number; ino: bigint }[] = [
          { name: '.', type: FILETYPE.DIRECTORY, ino: self },
          { name: '..', type: FILETYPE.DIRECTORY, ino: self },
          ...v.entries.map((x) => ({
            name: x.name,
            type: FILETYPE_OF[x.type] ?? 0,
            ino: x.ino !== undefined ? BigInt(x.ino) : 0n,
          })),
        ];
        const mem = new MemAccess(ctx.memory);
        let off = 0;
        // dirents packed back to back; the last one may be cut off (the caller retries with a larger buffer).
        for (let i = start; i < BigInt(all.length) && off < cap; i++) {
          const entry = all[Number(i)]!;
          const name = utf8Encode(entry.name);
          const rec = new Uint8Array(24 + name.byteLength);
          const dv = new DataView(rec.buffer);
          dv.setBigUint64(0, i + 1n, true);
          dv.setBigUint64(8, entry.ino, true);
          dv.setUint32(16, name.byteLength, true);
          dv.setUint8(20, entry.type);
          rec.set(name, 24);
          const take = Math.min(rec.byteLength, cap - off);
          mem.write(b + off, rec.subarray(0, take));
          off += take;
        }
        return mem.setU32(u32(used), off) ? ERRNO.SUCCESS : ERRNO.EFAULT;
      });
    },
  };
}
