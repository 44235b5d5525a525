import type { HostFunction } from '@fayger/contracts';
import { utf8Encode } from '../../host-globals.js';
import { andThen, type Maybe } from '../gate.js';
import { MemAccess, u32, u64 } from '../memory.js';
import { WasiContext } from './context.js';
import { ERRNO } from './errno.js';
import { timesArgs } from './fd.js';
import { FDFLAGS, FILETYPE, LOOKUP_SYMLINK_FOLLOW, OFLAGS, RIGHTS, type StatValue } from './types.js';

/** The path_* functions. Every path is confined lexically here and on the real filesystem by the host. */
export function pathFunctions(cx: WasiContext): Record<string, HostFunction> {
  const follow = (flags: unknown): { follow?: false } =>
    (u32(flags) & LOOKUP_SYMLINK_FOLLOW) !== 0 ? {} : { follow: false };

  return {
    path_open: ([dirfd, dirflags, ptr, len, oflags, rightsBase, _rightsInheriting, fdflags, out], ctx) => {
      const r = cx.resolve(new MemAccess(ctx.memory), u32(dirfd), u32(ptr), u32(len), 'fs.stat', ERRNO.ENOTDIR);
      if (typeof r === 'number') return cx.local(r);
      const of = u32(oflags);
      const ff = u32(fdflags);
      if (of & OFLAGS.DIRECTORY && of & (OFLAGS.CREAT | OFLAGS.EXCL | OFLAGS.TRUNC)) return cx.local(ERRNO.EINVAL);
      const rights = u64(rightsBase);
      // Rights are advisory (as in wasmtime): FD_READ / FD_WRITE only choose the open mode of a file; a
      // directory asked for as one opens whatever rights were passed (userlands pass every right they hold).
      const wantRead = (rights & (RIGHTS.FD_READ | RIGHTS.FD_READDIR)) !== 0n;
      const wantWrite = (rights & RIGHTS.FD_WRITE) !== 0n;
      const noWrite = (): number => cx.denied('fs.write', 'fs.write', 'CAPABILITY_DENIED');

      const open = (isDir: boolean, type: string): number => {
        const base = WasiContext.openedRights(isDir, wantRead, isDir ? false : wantWrite);
        const fd = isDir
          ? cx.allocate({
              kind: 'dir',
              path: r.path,
              root: r.root,
              preopen: undefined,
              rightsBase: base,
              rightsInheriting: base,
            })
          : cx.allocate({
              kind: 'file',
              filetype: type === 'file' ? FILETYPE.REGULAR_FILE : FILETYPE.UNKNOWN,
              path: r.path,
              root: r.root,
              pos: 0,
              append: (ff & FDFLAGS.APPEND) !== 0,
              nonblock: (ff & FDFLAGS.NONBLOCK) !== 0,
              read: (rights & RIGHTS.FD_READ) !== 0n,
              write: wantWrite,
              rightsBase: base,
              rightsInheriting: base,
            });
        return new MemAccess(ctx.memory).setU32(u32(out), fd) ? ERRNO.SUCCESS : ERRNO.EFAULT;
      };

      return andThen(cx.host.gate.invoke('fs.stat', { path: r.path, ...follow(dirflags) }), (o): Maybe<number> => {
        if (o.ok) {
          const s = o.value as StatValue;
          if (of & OFLAGS.CREAT && of & OFLAGS.EXCL) return ERRNO.EEXIST;
          // A final symbolic link that must not be followed (O_NOFOLLOW).
          if (s.type === 'symlink') return of & OFLAGS.DIRECTORY ? ERRNO.ENOTDIR : ERRNO.ELOOP;
          if ((of & OFLAGS.DIRECTORY || r.dirOnly) && s.type !== 'directory') return ERRNO.ENOTDIR;
          if (s.type === 'directory') {
            // Write rights on a directory are ignored when the guest asked for a directory (O_DIRECTORY, ".",
            // a trailing slash): userlands pass every right they were given. A plain open for writing is EISDIR.
            const asDir = (of & OFLAGS.DIRECTORY) !== 0 || r.dirOnly;
            return of & OFLAGS.TRUNC || (wantWrite && !asDir) ? ERRNO.EISDIR : open(true, s.type);
          }
          if ((wantWrite || of & OFLAGS.TRUNC) && !cx.writable(r.path)) return noWrite();
          if (of & OFLAGS.TRUNC) {
            return cx.call('fs.write', { path: r.path, data: new Uint8Array(0), truncate: true }, () =>
              open(false, s.type),
            );
          }
          return open(false, s.type);
        }
        if (o.error.code === 'ADAPTER_PATH_NOT_FOUND' && of & OFLAGS.CREAT) {
          if (r.dirOnly) return ERRNO.EISDIR;
          if (!cx.writable(r.path)) return noWrite();
          // Exclusive create: a file that appeared since the stat is never truncated or reused under O_EXCL.
          const excl = (of & OFLAGS.EXCL) !== 0;
          return cx.call(
            'fs.write',
            { path: r.path, data: new Uint8Array(0), offset: 0, ...(excl ? { exclusive: true } : {}) },
            () => open(false, 'file'),
          );
        }
        return cx.err(o);
      });
    },

    path_filestat_get: ([fd, flags, ptr, len, buf], ctx) => {
      const r = cx.resolve(new MemAccess(ctx.memory), u32(fd), u32(ptr), u32(len), 'fs.stat');
      if (typeof r === 'number') return cx.local(r);
      return cx.call('fs.stat', { path: r.path, ...follow(flags) }, (v: StatValue) =>
        r.dirOnly && v.type !== 'directory' ? ERRNO.ENOTDIR : cx.writeFilestat(new MemAccess(ctx.memory), u32(buf), v),
      );
    },
    path_filestat_set_times: ([fd, flags, ptr, len, atim, mtim, fst], ctx) => {
      const r = cx.resolve(new MemAccess(ctx.memory), u32(fd), u32(ptr), u32(len), 'fs.utimes');
      if (typeof r === 'number') return cx.local(r);
      const t = timesArgs(atim, mtim, u32(fst));
      if (typeof t === 'number') return cx.local(t);
      return cx.call('fs.utimes', { path: r.path, ...t, ...follow(flags) }, () => ERRNO.SUCCESS);
    },

    path_create_directory: ([fd, ptr, len], ctx) => {
      const r = cx.resolve(new MemAccess(ctx.memory), u32(fd), u32(ptr), u32(len), 'fs.mkdir');
      return typeof r === 'number' ? cx.local(r) : cx.call('fs.mkdir', { path: r.path }, () => ERRNO.SUCCESS);
    },
    path_unlink_file: ([fd, ptr, len], ctx) => {
      const r = cx.resolve(new MemAccess(ctx.memory), u32(fd), u32(ptr), u32(len), 'fs.remove');
      if (typeof r === 'number') return cx.local(r);
      if (r.dirOnly) {
        // "name/" names a directory: unlinking it is EISDIR, and a non-directory with a slash is ENOTDIR.
        return cx.call('fs.stat', { path: r.path, follow: false }, (s: StatValue) =>
          s.type === 'directory' ? ERRNO.EISDIR : ERRNO.ENOTDIR,
        );
      }
      return cx.call('fs.remove', { path: r.path, kind: 'file' }, () => ERRNO.SUCCESS);
    },
    path_remove_directory: ([fd, ptr, len], ctx) => {
      const r = cx.resolve(new MemAccess(ctx.memory), u32(fd), u32(ptr), u32(len), 'fs.remove');
      return typeof r === 'number'
        ? cx.local(r)
        : cx.call('fs.remove', { path: r.path, kind: 'directory' }, () => ERRNO.SUCCESS);
    },
    path_rename: ([fd, ptr, len, newFd, newPtr, newLen], ctx) => {
      const mem = new MemAccess(ctx.memory);
      const from = cx.resolve(mem, u32(fd), u32(ptr), u32(len), 'fs.rename');
      if (typeof from === 'number') return cx.local(from);
      const to = cx.resolve(mem, u32(newFd), u32(newPtr), u32(newLen), 'fs.rename');
      if (typeof to === 'number') return cx.local(to);
      return cx.call('fs.rename', { from: from.path, to: to.path }, () => ERRNO.SUCCESS);
    },

    path_symlink: ([oldPtr, oldLen, fd, newPtr, newLen], ctx) => {
      const mem = new MemAccess(ctx.memory);
      const target = cx.readPath(mem, u32(oldPtr), u32(oldLen));
      if (typeof target === 'number') return cx.local(target);
      if (target === '') return cx.local(ERRNO.ENOENT);
      const r = cx.resolve(mem, u32(fd), u32(newPtr), u32(newLen), 'fs.symlink');
      if (typeof r === 'number') return cx.local(r);
      return cx.call('fs.symlink', { target, path: r.path }, () => ERRNO.SUCCESS);
    },
    path_readlink: ([fd, ptr, len, buf, bufLen, out], ctx) => {
      const r = cx.resolve(new MemAccess(ctx.memory), u32(fd), u32(ptr), u32(len), 'fs.readlink');
      if (typeof r === 'number') return cx.local(r);
      return cx.call('fs.readlink', { path: r.path }, (v: { target: string }) => {
        const mem = new MemAccess(ctx.memory);
        // Truncated to the buffer, as readlink(2) and wasmtime do.
        const bytes = utf8Encode(v.target).subarray(0, u32(bufLen));
        if (!mem.write(u32(buf), bytes)) return ERRNO.EFAULT;
        return mem.setU32(u32(out), bytes.byteLength) ? ERRNO.SUCCESS : ERRNO.EFAULT;
      });
    },
    path_link: ([oldFd, oldFlags, oldPtr, oldLen, newFd, newPtr, newLen], ctx) => {
      const mem = new MemAccess(ctx.memory);
      const from = cx.resolve(mem, u32(oldFd), u32(oldPtr), u32(oldLen), 'fs.link');
      if (typeof from === 'number') return cx.local(from);
      const to = cx.resolve(mem, u32(newFd), u32(newPtr), u32(newLen), 'fs.link');
      if (typeof to === 'number') return cx.local(to);
      const followFrom = (u32(oldFlags) & LOOKUP_SYMLINK_FOLLOW) !== 0;
      return cx.call(
        'fs.link',
        { from: from.path, to: to.path, ...(followFrom ? { follow: true } : {}) },
        () => ERRNO.SUCCESS,
      );
    },
  };
}
