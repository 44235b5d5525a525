import { FaygerError, isOpName, OP_CAPABILITY, type CapabilityGrant, type OpName } from '@fayger/contracts';
import { utf8Decode, utf8Encode } from '../host-globals.js';
import type { HostFunction } from '@fayger/contracts';
import { andThen, type HostGate, type Maybe, type Outcome } from './gate.js';
import { MemAccess, u32, u64 } from './memory.js';

/** WASI preview1 errno values used by the subset. */
export const ERRNO = {
  SUCCESS: 0,
  E2BIG: 1,
  EACCES: 2,
  EBADF: 8,
  EDQUOT: 19,
  EEXIST: 20,
  EFAULT: 21,
  EINVAL: 28,
  EIO: 29,
  EISDIR: 31,
  ENAMETOOLONG: 37,
  ENOENT: 44,
  ENOSYS: 52,
  ENOTDIR: 54,
  ENOTEMPTY: 55,
  ESPIPE: 70,
  ENOTCAPABLE: 76,
} as const;

/** Maps a FaygerError code to a WASI errno (docs/abi.md). */
export function errnoFor(code: string): number {
  switch (code) {
    case 'CAPABILITY_DENIED':
    case 'CAPABILITY_REQUIRED_MISSING':
      return ERRNO.EACCES;
    case 'CAPABILITY_SCOPE_DENIED':
    case 'WASI_PATH_OUTSIDE_ROOT':
      return ERRNO.ENOTCAPABLE;
    case 'ADAPTER_PATH_NOT_FOUND':
      return ERRNO.ENOENT;
    case 'ADAPTER_PATH_EXISTS':
      return ERRNO.EEXIST;
    case 'ADAPTER_PATH_NOT_DIRECTORY':
      return ERRNO.ENOTDIR;
    case 'ADAPTER_PATH_IS_DIRECTORY':
      return ERRNO.EISDIR;
    case 'ADAPTER_DIRECTORY_NOT_EMPTY':
      return ERRNO.ENOTEMPTY;
    case 'INSTRUCTION_INVALID':
    case 'INSTRUCTION_UNKNOWN_OP':
    case 'ADAPTER_PATH_INVALID':
    case 'RUNTIME_GUEST_ABI_VIOLATION':
      return ERRNO.EINVAL;
    case 'CAPABILITY_QUOTA_EXCEEDED':
    case 'QUOTA_HOST_CALL_RATE_EXCEEDED':
      return ERRNO.EDQUOT;
    case 'ADAPTER_UNSUPPORTED_OP':
      return ERRNO.ENOSYS;
    case 'WASI_BAD_DESCRIPTOR':
      return ERRNO.EBADF;
    default:
      return ERRNO.EIO;
  }
}

const FILETYPE = { UNKNOWN: 0, CHARACTER_DEVICE: 2, DIRECTORY: 3, REGULAR_FILE: 4, SYMBOLIC_LINK: 7 } as const;
const FILETYPE_OF: Record<string, number> = { file: 4, directory: 3, symlink: 7, other: 0 };
const OFLAGS = { CREAT: 1, DIRECTORY: 2, EXCL: 4, TRUNC: 8 } as const;
const FDFLAGS_APPEND = 1;
const RIGHT_FD_READ = 1n << 1n;
const RIGHT_FD_WRITE = 1n << 6n;
const ALL_RIGHTS = (1n << 29n) - 1n;
const MAX_RANDOM = 65536;
const MAX_STDIO = 1024 * 1024;
const MAX_FS_READ = 16 * 1024 * 1024;

type FdEntry =
  | { kind: 'stdio'; stream: 'stdin' | 'stdout' | 'stderr' }
  | { kind: 'dir'; path: string; root: string; preopen: boolean }
  | { kind: 'file'; path: string; root: string; pos: number; append: boolean; read: boolean; write: boolean };

/** What the WASI module needs from its instance. */
export interface WasiHost {
  readonly gate: HostGate;
  readonly argv: readonly string[];
  /** The environment as instance configuration, or undefined to ask the bus (env.list). */
  readonly env: Readonly<Record<string, string>> | undefined;
  readonly grants: ReadonlyMap<string, CapabilityGrant>;
  readonly canSuspend: boolean;
  exit(code: number): Maybe<never>;
  countLocal(): void;
  /** Reports a denial decided by the runtime itself (path outside a root, write without fs.write). */
  reportDenied(op: string, capability: string, code: string): void;
}

/** The WASI functions of the subset (docs/abi.md); everything else imported from the module returns ENOSYS. */
export const WASI_SUBSET = [
  'args_sizes_get', 'args_get', 'environ_sizes_get', 'environ_get', 'clock_time_get', 'clock_res_get',
  'random_get', 'fd_write', 'fd_read', 'proc_exit', 'path_open', 'fd_seek', 'fd_tell', 'fd_close',
  'fd_filestat_get', 'path_filestat_get', 'fd_readdir', 'path_create_directory', 'path_unlink_file',
  'path_remove_directory', 'path_rename', 'fd_fdstat_get', 'fd_fdstat_set_flags', 'fd_prestat_get',
  'fd_prestat_dir_name', 'poll_oneoff', 'sched_yield',
] as const;

/** Capabilities a WASI import can use, for the strict link policy: it links when any of them is granted. */
export const WASI_IMPORT_CAPABILITIES: Readonly<Record<string, readonly string[]>> = {
  environ_sizes_get: ['env'],
  environ_get: ['env'],
  clock_time_get: ['clock'],
  random_get: ['random'],
  fd_write: ['stdio', 'fs.write'],
  fd_read: ['stdio', 'fs.read'],
  path_open: ['fs.read', 'fs.write'],
  fd_seek: ['fs.read', 'fs.write'],
  fd_tell: ['fs.read', 'fs.write'],
  fd_filestat_get: ['fs.read', 'fs.write', 'stdio'],
  path_filestat_get: ['fs.read', 'fs.write'],
  fd_readdir: ['fs.read'],
  path_create_directory: ['fs.write'],
  path_unlink_file: ['fs.write'],
  path_remove_directory: ['fs.write'],
  path_rename: ['fs.write'],
  poll_oneoff: ['timer'],
};

/** Guest-visible roots: the granted fs.read / fs.write roots (an unscoped grant shows as "/"). */
function preopenRoots(grants: ReadonlyMap<string, CapabilityGrant>): string[] {
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

const join = (base: string, name: string): string => (base === '/' ? `/${name}` : `${base}/${name}`);

/** Builds the wasi_snapshot_preview1 module for one instance (only the functions the module imports). */
export function createWasiModule(host: WasiHost, names: readonly string[]): Record<string, HostFunction> {
  const { gate } = host;
  const fds = new Map<number, FdEntry>([
    [0, { kind: 'stdio', stream: 'stdin' }],
    [1, { kind: 'stdio', stream: 'stdout' }],
    [2, { kind: 'stdio', stream: 'stderr' }],
  ]);
  let nextFd = 3;
  for (const root of preopenRoots(host.grants)) fds.set(nextFd++, { kind: 'dir', path: root, root, preopen: true });
  let envCache: Uint8Array[] | undefined;

  const err = (o: Outcome & { ok: false }): number => errnoFor(o.error.code);
  const call = (op: OpName, args: object, f: (value: never) => Maybe<number>): Maybe<number> =>
    andThen(gate.invoke(op, args), (o) => (o.ok ? f(o.value as never) : err(o)));

  /** Resolves a path relative to a directory fd, confined to that fd's root. */
  const resolve = (
    mem: MemAccess,
    fd: number,
    ptr: number,
    len: number,
    op: string,
  ): { path: string; root: string } | number => {
    const dir = fds.get(fd);
    if (!dir) return ERRNO.EBADF;
    if (dir.kind !== 'dir') return ERRNO.ENOTDIR;
    const bytes = mem.read(ptr, len);
    if (!bytes) return ERRNO.EFAULT;
    const rel = utf8Decode(bytes);
    if (rel.includes('\0')) return ERRNO.EINVAL;
    const outside = (): number => {
      host.reportDenied(op, isOpName(op) ? OP_CAPABILITY[op] : 'fs.read', 'WASI_PATH_OUTSIDE_ROOT');
      return ERRNO.ENOTCAPABLE;
    };
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
    return { path: '/' + parts.join('/'), root: dir.root };
  };

  const iovecs = (mem: MemAccess, iovs: number, n: number): { ptr: number; len: number }[] | undefined => {
    const out: { ptr: number; len: number }[] = [];
    for (let i = 0; i < n; i++) {
      const ptr = mem.u32(iovs + i * 8);
      const len = mem.u32(iovs + i * 8 + 4);
      if (ptr === undefined || len === undefined || !mem.inBounds(ptr, len)) return undefined;
      out.push({ ptr, len });
    }
    return out;
  };

  const scatter = (mem: MemAccess, vecs: { ptr: number; len: number }[], data: Uint8Array): number => {
    let off = 0;
    for (const v of vecs) {
      if (off >= data.byteLength) break;
      const chunk = data.subarray(off, off + v.len);
      mem.write(v.ptr, chunk);
      off += chunk.byteLength;
    }
    return off;
  };

  const writeStrings = (mem: MemAccess, list: Uint8Array[], ptrs: number, buf: number): number => {
    let p = buf;
    for (let i = 0; i < list.length; i++) {
      if (!mem.setU32(ptrs + i * 4, p)) return ERRNO.EFAULT;
      const s = list[i]!;
      if (!mem.write(p, s) || !mem.setU8(p + s.byteLength, 0)) return ERRNO.EFAULT;
      p += s.byteLength + 1;
    }
    return ERRNO.SUCCESS;
  };

  const sizes = (mem: MemAccess, list: Uint8Array[], countPtr: number, sizePtr: number): number => {
    const total = list.reduce((n, s) => n + s.byteLength + 1, 0);
    return mem.setU32(countPtr, list.length) && mem.setU32(sizePtr, total) ? ERRNO.SUCCESS : ERRNO.EFAULT;
  };

  const argvBytes = host.argv.map((a) => utf8Encode(a));

  const environ = (): Maybe<Uint8Array[] | number> => {
    if (envCache) return envCache;
    if (host.env) {
      envCache = Object.entries(host.env).map(([k, v]) => utf8Encode(`${k}=${v}`));
      return envCache;
    }
    if (!gate.granted('env')) {
      host.countLocal();
      envCache = [];
      return envCache;
    }
    return andThen(gate.invoke('env.list', {}), (o): Uint8Array[] | number => {
      if (!o.ok) return err(o);
      const vars = (o.value as { variables: Record<string, string> }).variables;
      envCache = Object.entries(vars).map(([k, v]) => utf8Encode(`${k}=${v}`));
      return envCache;
    });
  };

  const stat = (mem: MemAccess, buf: number, type: number, size: bigint, mtimeNs: bigint): number => {
    if (!mem.zero(buf, 64)) return ERRNO.EFAULT;
    mem.setU8(buf + 16, type);
    mem.setU64(buf + 24, 1n);
    mem.setU64(buf + 32, size);
    mem.setU64(buf + 40, mtimeNs);
    mem.setU64(buf + 48, mtimeNs);
    mem.setU64(buf + 56, mtimeNs);
    return ERRNO.SUCCESS;
  };

  type StatValue = { type: string; size: number; mtimeMs: number };
  const writeStat = (buf: number, s: StatValue, ctxMem: () => MemAccess): number =>
    stat(ctxMem(), buf, FILETYPE_OF[s.type] ?? 0, BigInt(s.size), BigInt(Math.round(s.mtimeMs * 1e6)));

  const local = <T>(v: T): T => {
    host.countLocal();
    return v;
  };

  const all: Record<string, HostFunction> = {
    args_sizes_get: ([argc, bufSize], ctx) => local(sizes(new MemAccess(ctx.memory), argvBytes, u32(argc), u32(bufSize))),
    args_get: ([argv, buf], ctx) => local(writeStrings(new MemAccess(ctx.memory), argvBytes, u32(argv), u32(buf))),
    environ_sizes_get: ([count, bufSize], ctx) =>
      andThen(environ(), (list) => (typeof list === 'number' ? list : sizes(new MemAccess(ctx.memory), list, u32(count), u32(bufSize)))),
    environ_get: ([ptrs, buf], ctx) =>
      andThen(environ(), (list) => (typeof list === 'number' ? list : writeStrings(new MemAccess(ctx.memory), list, u32(ptrs), u32(buf)))),

    clock_time_get: ([id, _precision, out], ctx) => {
      const c = u32(id);
      if (c > 3) return ERRNO.EINVAL;
      return call('clock.now', { clock: c === 0 ? 'realtime' : 'monotonic' }, (v: { timeMs: number }) =>
        new MemAccess(ctx.memory).setU64(u32(out), BigInt(Math.round(v.timeMs * 1e6))) ? ERRNO.SUCCESS : ERRNO.EFAULT,
      );
    },
    clock_res_get: ([id, out], ctx) => {
      host.countLocal();
      if (u32(id) > 3) return ERRNO.EINVAL;
      return new MemAccess(ctx.memory).setU64(u32(out), 1000n) ? ERRNO.SUCCESS : ERRNO.EFAULT;
    },

    random_get: ([buf, len], ctx) => {
      const p = u32(buf);
      const n = u32(len);
      if (!new MemAccess(ctx.memory).inBounds(p, n)) return ERRNO.EFAULT;
      // One instruction per 64 KiB (the random.bytes maximum); larger requests are rare (getentropy caps at 256).
      const fill = (off: number): Maybe<number> => {
        if (off >= n && !(n === 0 && off === 0)) return ERRNO.SUCCESS;
        const chunk = Math.min(MAX_RANDOM, n - off);
        return call('random.bytes', { length: chunk }, (v: { bytes: Uint8Array }) => {
          if (!(v.bytes instanceof Uint8Array) || v.bytes.byteLength !== chunk) return ERRNO.EIO;
          if (!new MemAccess(ctx.memory).write(p + off, v.bytes)) return ERRNO.EFAULT;
          return off + chunk >= n ? ERRNO.SUCCESS : fill(off + chunk);
        });
      };
      return fill(0);
    },

    fd_write: ([fd, iovs, iovsLen, nwritten], ctx) => {
      const mem = new MemAccess(ctx.memory);
      const e = fds.get(u32(fd));
      if (!e) return ERRNO.EBADF;
      const vecs = iovecs(mem, u32(iovs), u32(iovsLen));
      if (!vecs) return ERRNO.EFAULT;
      const total = vecs.reduce((n, v) => n + v.len, 0);
      const data = new Uint8Array(total);
      let off = 0;
      for (const v of vecs) {
        data.set(mem.read(v.ptr, v.len)!, off);
        off += v.len;
      }
      const done = (n: number): number => (new MemAccess(ctx.memory).setU32(u32(nwritten), n) ? ERRNO.SUCCESS : ERRNO.EFAULT);
      if (e.kind === 'stdio') {
        if (e.stream === 'stdin') return ERRNO.EBADF;
        if (total === 0) return local(done(0));
        if (total > MAX_STDIO) return ERRNO.EINVAL;
        return call('stdio.write', { stream: e.stream, data }, (v: { bytesWritten: number }) => done(v.bytesWritten));
      }
      if (e.kind === 'dir') return ERRNO.EISDIR;
      if (!e.write) return ERRNO.EBADF;
      const args = e.append ? { path: e.path, data, append: true } : { path: e.path, data, offset: e.pos };
      return call('fs.write', args, (v: { bytesWritten: number }) => {
        if (!e.append) e.pos += v.bytesWritten;
        return done(v.bytesWritten);
      });
    },

    fd_read: ([fd, iovs, iovsLen, nread], ctx) => {
      const mem = new MemAccess(ctx.memory);
      const e = fds.get(u32(fd));
      if (!e) return ERRNO.EBADF;
      const vecs = iovecs(mem, u32(iovs), u32(iovsLen));
      if (!vecs) return ERRNO.EFAULT;
      const total = vecs.reduce((n, v) => n + v.len, 0);
      const done = (data: Uint8Array): number => {
        const m = new MemAccess(ctx.memory);
        const n = scatter(m, vecs, data);
        return m.setU32(u32(nread), n) ? ERRNO.SUCCESS : ERRNO.EFAULT;
      };
      if (total === 0) return local(done(new Uint8Array(0)));
      if (e.kind === 'stdio') {
        if (e.stream !== 'stdin') return ERRNO.EBADF;
        return call('stdio.read', { maxBytes: Math.min(total, MAX_STDIO) }, (v: { data: Uint8Array }) => done(v.data));
      }
      if (e.kind === 'dir') return ERRNO.EISDIR;
      if (!e.read) return ERRNO.EBADF;
      return call('fs.read', { path: e.path, offset: e.pos, length: Math.min(total, MAX_FS_READ) }, (v: { data: Uint8Array }) => {
        e.pos += Math.min(v.data.byteLength, total);
        return done(v.data);
      });
    },

    proc_exit: ([code]) => host.exit(u32(code)),

    fd_prestat_get: ([fd, buf], ctx) => {
      host.countLocal();
      const e = fds.get(u32(fd));
      if (!e || e.kind !== 'dir' || !e.preopen) return ERRNO.EBADF;
      const mem = new MemAccess(ctx.memory);
      if (!mem.zero(u32(buf), 8)) return ERRNO.EFAULT;
      mem.setU32(u32(buf) + 4, utf8Encode(e.path).byteLength);
      return ERRNO.SUCCESS;
    },
    fd_prestat_dir_name: ([fd, ptr, len], ctx) => {
      host.countLocal();
      const e = fds.get(u32(fd));
      if (!e || e.kind !== 'dir' || !e.preopen) return ERRNO.EBADF;
      const name = utf8Encode(e.path);
      if (u32(len) < name.byteLength) return ERRNO.ENAMETOOLONG;
      return new MemAccess(ctx.memory).write(u32(ptr), name) ? ERRNO.SUCCESS : ERRNO.EFAULT;
    },

    fd_fdstat_get: ([fd, buf], ctx) => {
      host.countLocal();
      const e = fds.get(u32(fd));
      if (!e) return ERRNO.EBADF;
      const mem = new MemAccess(ctx.memory);
      const b = u32(buf);
      if (!mem.zero(b, 24)) return ERRNO.EFAULT;
      const type = e.kind === 'stdio' ? FILETYPE.CHARACTER_DEVICE : e.kind === 'dir' ? FILETYPE.DIRECTORY : FILETYPE.REGULAR_FILE;
      mem.setU8(b, type);
      mem.setU16(b + 2, e.kind === 'file' && e.append ? FDFLAGS_APPEND : 0);
      mem.setU64(b + 8, ALL_RIGHTS);
      mem.setU64(b + 16, ALL_RIGHTS);
      return ERRNO.SUCCESS;
    },
    fd_fdstat_set_flags: ([fd, flags]) => {
      host.countLocal();
      const e = fds.get(u32(fd));
      if (!e) return ERRNO.EBADF;
      if (e.kind === 'file') e.append = (u32(flags) & FDFLAGS_APPEND) !== 0;
      return ERRNO.SUCCESS;
    },

    fd_close: ([fd]) => {
      host.countLocal();
      return fds.delete(u32(fd)) ? ERRNO.SUCCESS : ERRNO.EBADF;
    },

    fd_seek: ([fd, offset, whence, out], ctx) => {
      const e = fds.get(u32(fd));
      if (!e) return ERRNO.EBADF;
      if (e.kind !== 'file') return e.kind === 'stdio' ? ERRNO.ESPIPE : ERRNO.EISDIR;
      const delta = Number(BigInt.asIntN(64, u64(offset)));
      const finish = (base: number): number => {
        const pos = base + delta;
        if (pos < 0 || !Number.isSafeInteger(pos)) return ERRNO.EINVAL;
        e.pos = pos;
        return new MemAccess(ctx.memory).setU64(u32(out), BigInt(pos)) ? ERRNO.SUCCESS : ERRNO.EFAULT;
      };
      const w = u32(whence);
      if (w === 0) return local(finish(0));
      if (w === 1) return local(finish(e.pos));
      if (w === 2) return call('fs.stat', { path: e.path }, (v: StatValue) => finish(v.size));
      return ERRNO.EINVAL;
    },
    fd_tell: ([fd, out], ctx) => {
      host.countLocal();
      const e = fds.get(u32(fd));
      if (!e) return ERRNO.EBADF;
      if (e.kind !== 'file') return ERRNO.ESPIPE;
      return new MemAccess(ctx.memory).setU64(u32(out), BigInt(e.pos)) ? ERRNO.SUCCESS : ERRNO.EFAULT;
    },

    fd_filestat_get: ([fd, buf], ctx) => {
      const e = fds.get(u32(fd));
      if (!e) return ERRNO.EBADF;
      if (e.kind === 'stdio') return local(stat(new MemAccess(ctx.memory), u32(buf), FILETYPE.CHARACTER_DEVICE, 0n, 0n));
      return call('fs.stat', { path: e.path }, (v: StatValue) => writeStat(u32(buf), v, () => new MemAccess(ctx.memory)));
    },
    path_filestat_get: ([fd, _flags, ptr, len, buf], ctx) => {
      const r = resolve(new MemAccess(ctx.memory), u32(fd), u32(ptr), u32(len), 'fs.stat');
      if (typeof r === 'number') return r;
      return call('fs.stat', { path: r.path }, (v: StatValue) => writeStat(u32(buf), v, () => new MemAccess(ctx.memory)));
    },

    fd_readdir: ([fd, buf, bufLen, cookie, used], ctx) => {
      const e = fds.get(u32(fd));
      if (!e) return ERRNO.EBADF;
      if (e.kind !== 'dir') return ERRNO.ENOTDIR;
      const start = Number(u64(cookie));
      return call('fs.list', { path: e.path }, (v: { entries: { name: string; type: string }[] }) => {
        const mem = new MemAccess(ctx.memory);
        const b = u32(buf);
        const cap = u32(bufLen);
        if (!mem.inBounds(b, cap)) return ERRNO.EFAULT;
        // Entries as dirents; the last one may be cut off (wasi-libc then retries with a larger buffer).
        const out = new Uint8Array(cap);
        let off = 0;
        for (let i = start; i < v.entries.length && off < cap; i++) {
          const entry = v.entries[i]!;
          const name = utf8Encode(entry.name);
          const rec = new Uint8Array(24 + name.byteLength);
          const rdv = new DataView(rec.buffer);
          rdv.setBigUint64(0, BigInt(i + 1), true);
          rdv.setBigUint64(8, BigInt(i + 1), true);
          rdv.setUint32(16, name.byteLength, true);
          rdv.setUint8(20, FILETYPE_OF[entry.type] ?? 0);
          rec.set(name, 24);
          const n = Math.min(rec.byteLength, cap - off);
          out.set(rec.subarray(0, n), off);
          off += n;
        }
        mem.write(b, out.subarray(0, off));
        return mem.setU32(u32(used), off) ? ERRNO.SUCCESS : ERRNO.EFAULT;
      });
    },

    path_create_directory: ([fd, ptr, len], ctx) => {
      const r = resolve(new MemAccess(ctx.memory), u32(fd), u32(ptr), u32(len), 'fs.mkdir');
      return typeof r === 'number' ? r : call('fs.mkdir', { path: r.path }, () => ERRNO.SUCCESS);
    },
    path_unlink_file: ([fd, ptr, len], ctx) => {
      const r = resolve(new MemAccess(ctx.memory), u32(fd), u32(ptr), u32(len), 'fs.remove');
      return typeof r === 'number' ? r : call('fs.remove', { path: r.path }, () => ERRNO.SUCCESS);
    },
    path_remove_directory: ([fd, ptr, len], ctx) => {
      const r = resolve(new MemAccess(ctx.memory), u32(fd), u32(ptr), u32(len), 'fs.remove');
      return typeof r === 'number' ? r : call('fs.remove', { path: r.path }, () => ERRNO.SUCCESS);
    },
    path_rename: ([fd, ptr, len, newFd, newPtr, newLen], ctx) => {
      const mem = new MemAccess(ctx.memory);
      const from = resolve(mem, u32(fd), u32(ptr), u32(len), 'fs.rename');
      if (typeof from === 'number') return from;
      const to = resolve(mem, u32(newFd), u32(newPtr), u32(newLen), 'fs.rename');
      if (typeof to === 'number') return to;
      return call('fs.rename', { from: from.path, to: to.path }, () => ERRNO.SUCCESS);
    },

    path_open: ([dirfd, _dirflags, ptr, len, oflags, rightsBase, _rightsInh, fdflags, out], ctx) => {
      const r = resolve(new MemAccess(ctx.memory), u32(dirfd), u32(ptr), u32(len), 'fs.stat');
      if (typeof r === 'number') return r;
      const of = u32(oflags);
      const rights = u64(rightsBase);
      const wantWrite = (rights & RIGHT_FD_WRITE) !== 0n || (of & (OFLAGS.CREAT | OFLAGS.TRUNC)) !== 0;
      const wantRead = (rights & RIGHT_FD_READ) !== 0n;
      if (wantWrite && !gate.granted('fs.write')) {
        host.reportDenied('fs.write', 'fs.write', 'CAPABILITY_DENIED');
        return ERRNO.EACCES;
      }
      if (wantRead && !gate.granted('fs.read') && !wantWrite) {
        host.reportDenied('fs.read', 'fs.read', 'CAPABILITY_DENIED');
        return ERRNO.EACCES;
      }
      const open = (type: string): number => {
        const fdOut = nextFd++;
        if (type === 'directory') fds.set(fdOut, { kind: 'dir', path: r.path, root: r.root, preopen: false });
        else {
          fds.set(fdOut, {
            kind: 'file',
            path: r.path,
            root: r.root,
            pos: 0,
            append: (u32(fdflags) & FDFLAGS_APPEND) !== 0,
            read: wantRead || !wantWrite,
            write: wantWrite,
          });
        }
        return new MemAccess(ctx.memory).setU32(u32(out), fdOut) ? ERRNO.SUCCESS : ERRNO.EFAULT;
      };
      // path_open is fs.stat, plus fs.write when it must create or truncate the file.
      return andThen(gate.invoke('fs.stat', { path: r.path }), (o): Maybe<number> => {
        if (o.ok) {
          const s = o.value as StatValue;
          if (of & OFLAGS.EXCL && of & OFLAGS.CREAT) return ERRNO.EEXIST;
          if (of & OFLAGS.DIRECTORY && s.type !== 'directory') return ERRNO.ENOTDIR;
          if (s.type === 'directory') return wantWrite ? ERRNO.EISDIR : open('directory');
          if (of & OFLAGS.TRUNC) {
            return call('fs.write', { path: r.path, data: new Uint8Array(0), truncate: true }, () => open('file'));
          }
          return open(s.type);
        }
        if (o.error.code === 'ADAPTER_PATH_NOT_FOUND' && of & OFLAGS.CREAT && !(of & OFLAGS.DIRECTORY)) {
          return call('fs.write', { path: r.path, data: new Uint8Array(0), create: true }, () => open('file'));
        }
        return err(o);
      });
    },

    poll_oneoff: ([inPtr, outPtr, nsubs, nevents], ctx) => {
      const mem = new MemAccess(ctx.memory);
      const n = u32(nsubs);
      const ip = u32(inPtr);
      const op = u32(outPtr);
      if (n === 0) return ERRNO.EINVAL;
      if (!mem.inBounds(ip, n * 48) || !mem.inBounds(op, n * 32)) return ERRNO.EFAULT;
      const subs: { userdata: bigint; tag: number; timeoutNs: bigint; abs: boolean; clock: number }[] = [];
      for (let i = 0; i < n; i++) {
        const b = ip + i * 48;
        subs.push({
          userdata: mem.u64(b)!,
          tag: mem.u8At(b + 8)!,
          clock: mem.u32(b + 16)!,
          timeoutNs: mem.u64(b + 24)!,
          abs: (mem.u16(b + 40)! & 1) === 1,
        });
      }
      const report = (ready: typeof subs): number => {
        const m = new MemAccess(ctx.memory);
        ready.forEach((s, i) => {
          const b = op + i * 32;
          m.zero(b, 32);
          m.setU64(b, s.userdata);
          m.setU8(b + 10, s.tag);
        });
        return m.setU32(u32(nevents), ready.length) ? ERRNO.SUCCESS : ERRNO.EFAULT;
      };
      const fdSubs = subs.filter((s) => s.tag === 1 || s.tag === 2);
      // fd subscriptions report ready at once (reads and writes block in fd_read / fd_write themselves).
      if (fdSubs.length) return local(report(fdSubs));
      const clocks = subs.filter((s) => s.tag === 0);
      if (clocks.length === 0) return ERRNO.EINVAL;
      const relMs = (s: (typeof subs)[number]): number => {
        const ms = Number(s.timeoutNs) / 1e6;
        if (!s.abs) return ms;
        const now = s.clock === 0 ? Date.now() : relNow();
        return Math.max(0, ms - now);
      };
      const waitMs = Math.min(...clocks.map(relMs));
      const due = clocks.filter((s) => relMs(s) <= waitMs);
      return call('timer.sleep', { ms: Math.min(Math.max(0, waitMs), 2_147_483_647) }, () => report(due));
    },

    sched_yield: () => {
      host.countLocal();
      // A settled promise makes a suspending implementation return `waiting`: the scheduler ends the slice.
      return host.canSuspend ? Promise.resolve(ERRNO.SUCCESS) : ERRNO.SUCCESS;
    },
  };

  const out: Record<string, HostFunction> = {};
  for (const n of names) {
    out[n] = Object.prototype.hasOwnProperty.call(all, n) ? all[n]! : () => local(ERRNO.ENOSYS);
  }
  return out;
}

// Monotonic clock origin for absolute monotonic poll deadlines (the guest reads monotonic time via clock.now,
// whose origin is the adapter's; absolute monotonic deadlines are rare, so this approximation is acceptable).
const origin = Date.now();
const relNow = (): number => Date.now() - origin;

export function unsupportedWasiImport(name: string): FaygerError {
  return new FaygerError({
    code: 'WASI_UNSUPPORTED_IMPORT',
    phase: 'link',
    what: `linking wasi_snapshot_preview1.${name}`,
    expected: `one of the supported subset (${WASI_SUBSET.length} functions, docs/abi.md)`,
    found: name,
  });
}
